package io.hopper.data;

import io.hopper.store.TableNames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one row of a packed table's summary table {@code T_summary}: MADlib's summary columns plus Hopper's own, for
 * every input (X group) and output (Y column) of the table.
 *
 * <p>A table of one input and one output has format 1 ({@link PackedTables#FORMAT_VERSION}); several inputs or
 * outputs (MADlib 1.20's multi-input, multi-output layout) have format 2 ({@link PackedTables#MULTI_IO_VERSION}).
 * The accessors without an index ({@link #dependentVarname()}, {@link #classValues()}, {@link #sampleShape()}, ...)
 * describe input 0 and output 0.
 *
 * @param sourceTable the source as given (SRC, e.g. {@code csv:iris.csv})
 * @param outputTable the packed table
 * @param inputs the X groups in order (MADlib's x_0..x_n), at least one
 * @param outputs the Y columns in order (MADlib's y_0..y_n), at least one
 * @param bufferSize the real buffer size (rows in every buffer but maybe the last)
 * @param normalizingConst what X was divided by
 * @param distributionRules MADlib's distribution rule; always {@code all_segments}: every partition gets buffers
 * @param partitions the number of partitions buffers were dealt to (Hopper)
 * @param seed the shuffle seed of a training table, null for a validation table (Hopper)
 * @param validationOf the training table a validation table was packed against, null for training (Hopper)
 * @param formatVersion the packed format version: 1 for one input and one output, else 2 (Hopper; readers refuse
 *     other versions)
 * @param totalRows the number of rows packed (Hopper)
 * @param numBuffers the number of buffers (Hopper)
 */
public record PackedSummary(String sourceTable, String outputTable, List<Input> inputs, List<Output> outputs, int bufferSize,
                            double normalizingConst, String distributionRules, int partitions, Long seed, String validationOf,
                            int formatVersion, long totalRows, int numBuffers) {
    /** MADlib's rule for a table spread over every segment. */
    public static final String ALL_SEGMENTS = "all_segments";
    /** What separates the X groups of a multi-input table in one text (a model table's independent_varname). */
    public static final String GROUP_SEPARATOR = ";";

    /**
     * One X of a packed table.
     *
     * @param varnames the X columns (several numeric columns or one array column)
     * @param sampleShape the shape of one sample, e.g. [28, 28, 1]
     */
    public record Input(List<String> varnames, List<Integer> sampleShape) {
        /** Copies the lists and checks them. */
        public Input {
            varnames = List.copyOf(varnames);
            sampleShape = List.copyOf(sampleShape);
            if (varnames.isEmpty() || sampleShape.isEmpty() || sampleShape.stream().anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("packed input " + varnames + " with sample shape " + sampleShape
                        + ": give at least one column and a shape of positive sizes; repack the table");
            }
        }

        /** The X columns comma-separated, as summaries write them. */
        public String varnameText() {
            return String.join(",", varnames);
        }
    }

    /**
     * One Y of a packed table.
     *
     * @param varname the Y column
     * @param vartype the SQL type of Y (text, integer, double precision, ... or an array type for one-hot Y)
     * @param classValues the class values in one-hot order (null = the missing-value class); empty when Y was already
     *                    one-hot (MADlib stores NULL then)
     * @param numClasses the width of one-hot Y (at least the number of class values)
     */
    public record Output(String varname, String vartype, List<String> classValues, int numClasses) {
        /** Copies the class values (which may hold one null); the summary checks the width against them. */
        public Output {
            Objects.requireNonNull(varname, "varname");
            Objects.requireNonNull(vartype, "vartype");
            classValues = Collections.unmodifiableList(new ArrayList<>(classValues));
        }

        /** Whether Y was given already one-hot (no class values). */
        public boolean oneHotInput() {
            return classValues.isEmpty();
        }
    }

    /** Copies the lists and checks the values. */
    public PackedSummary {
        Objects.requireNonNull(sourceTable, "sourceTable");
        TableNames.requireTable(outputTable);
        Objects.requireNonNull(distributionRules, "distributionRules");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (inputs.isEmpty() || outputs.isEmpty() || bufferSize < 1 || !(normalizingConst > 0) || partitions < 1 || totalRows < 1
                || numBuffers < 1) {
            throw new IllegalArgumentException("summary of '" + outputTable + "': " + inputs.size() + " inputs, " + outputs.size()
                    + " outputs, buffer size " + bufferSize + ", normalizing const " + normalizingConst + ", " + partitions
                    + " partitions, " + totalRows + " rows and " + numBuffers + " buffers are not all valid; repack the table");
        }
        if ((seed == null) == (validationOf == null)) {
            throw new IllegalArgumentException("summary of '" + outputTable + "': a training table has a seed and no validation_of, "
                    + "a validation table the reverse; repack the table");
        }
        for (Output o : outputs) {
            if (o.numClasses() < Math.max(1, o.classValues().size())) {
                throw new IllegalArgumentException("summary of '" + outputTable + "': output '" + o.varname() + "' has " + o.numClasses()
                        + " classes for " + o.classValues().size() + " class values; repack the table");
            }
        }
    }

    /**
     * The summary of a table of one input and one output (format 1).
     *
     * @param sourceTable the source as given
     * @param outputTable the packed table
     * @param dependentVarname the Y column
     * @param independentVarname the X columns, comma-separated
     * @param dependentVartype the SQL type of Y
     * @param classValues the class values in one-hot order, empty for one-hot Y
     * @param bufferSize the real buffer size
     * @param normalizingConst what X was divided by
     * @param numClasses the width of one-hot Y
     * @param distributionRules MADlib's distribution rule
     * @param partitions the number of partitions
     * @param seed the shuffle seed of a training table, null for a validation table
     * @param validationOf the training table of a validation table, else null
     * @param formatVersion the packed format version
     * @param sampleShape the shape of one sample of X
     * @param totalRows the number of rows packed
     * @param numBuffers the number of buffers
     */
    public PackedSummary(String sourceTable, String outputTable, String dependentVarname, String independentVarname,
                         String dependentVartype, List<String> classValues, int bufferSize, double normalizingConst,
                         int numClasses, String distributionRules, int partitions, Long seed, String validationOf,
                         int formatVersion, List<Integer> sampleShape, long totalRows, int numBuffers) {
        this(sourceTable, outputTable, List.of(new Input(List.of(Objects.requireNonNull(independentVarname, "independentVarname")
                        .split(",", -1)), sampleShape)),
                List.of(new Output(dependentVarname, dependentVartype, classValues, numClasses)), bufferSize, normalizingConst,
                distributionRules, partitions, seed, validationOf, formatVersion, totalRows, numBuffers);
    }

    /** Whether the table has several inputs or outputs (format 2). */
    public boolean multiIo() {
        return inputs.size() > 1 || outputs.size() > 1;
    }

    /** The Y column of output 0. */
    public String dependentVarname() {
        return outputs.get(0).varname();
    }

    /** The X columns of input 0, comma-separated. */
    public String independentVarname() {
        return inputs.get(0).varnameText();
    }

    /**
     * Every input's X columns as one text: the groups' comma-separated columns joined by {@value #GROUP_SEPARATOR}
     * (for one input, {@link #independentVarname()}).
     */
    public String independentVarnameText() {
        return String.join(GROUP_SEPARATOR, inputs.stream().map(Input::varnameText).toList());
    }

    /**
     * The X groups of a text {@link #independentVarnameText()} wrote, for a model of {@code inputs} inputs: the whole
     * text for one input, else the text split at {@value #GROUP_SEPARATOR}.
     */
    public static List<String> groups(String text, int inputs) {
        return inputs == 1 ? List.of(text) : List.of(text.split(GROUP_SEPARATOR, -1));
    }

    /** The SQL type of output 0's Y. */
    public String dependentVartype() {
        return outputs.get(0).vartype();
    }

    /** The class values of output 0. */
    public List<String> classValues() {
        return outputs.get(0).classValues();
    }

    /** The width of output 0's one-hot Y. */
    public int numClasses() {
        return outputs.get(0).numClasses();
    }

    /** The shape of one sample of input 0. */
    public List<Integer> sampleShape() {
        return inputs.get(0).sampleShape();
    }

    /** The shapes of one sample of every input, in order. */
    public List<List<Integer>> sampleShapes() {
        return inputs.stream().map(Input::sampleShape).toList();
    }

    /** The widths of every output's one-hot Y, in order. */
    public List<Integer> numClassesList() {
        return outputs.stream().map(Output::numClasses).toList();
    }

    /** Whether output 0's Y was given already one-hot (no class values). */
    public boolean oneHotInput() {
        return outputs.get(0).oneHotInput();
    }

    /** Whether this is a validation table. */
    public boolean isValidation() {
        return validationOf != null;
    }

    /**
     * How messages describe the table's inputs and outputs, e.g. {@code 2 inputs (x_0: [2], x_1: [2]) and 1 output (y_0: 3 classes)}.
     */
    public String describeIo() {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            in.add(PackedTables.xColumn(i, inputs.size(), outputs.size()) + ": " + inputs.get(i).sampleShape());
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            out.add(PackedTables.yColumn(k, inputs.size(), outputs.size()) + ": " + outputs.get(k).numClasses() + " classes");
        }
        return inputs.size() + (inputs.size() == 1 ? " input (" : " inputs (") + String.join(", ", in) + ") and " + outputs.size()
                + (outputs.size() == 1 ? " output (" : " outputs (") + String.join(", ", out) + ")";
    }
}
