package io.hopper.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TrainingPreprocessor} packs, after MADlib's training_preprocessor_dl; build it with {@link #builder()}.
 *
 * @param source where the raw rows come from
 * @param outputTable the packed table to create (its summary is {@code outputTable_summary})
 * @param dependentVarnames the Y columns, one per output of the model (several make a multi-output table, format 2)
 * @param independentVarnames the X groups, one per input of the model, each a list of columns or one array column
 *     (several make a multi-input table, format 2)
 * @param bufferSize the requested rows per buffer, or null for MADlib's default rule ({@link BufferPlan})
 * @param normalizingConst what X is divided by, positive (1 = unchanged)
 * @param numClasses the width of one-hot Y, or null for the number of distinct class values
 * @param partitions the number of partitions buffers are dealt to
 * @param seed the seed of the row shuffle (and of the validation split)
 * @param validationSplit the part of the rows packed as a validation table in the same pass, if any
 */
public record TrainingPreprocessSpec(SourceSpec source, String outputTable, List<String> dependentVarnames,
                                     List<List<String>> independentVarnames, Integer bufferSize, double normalizingConst,
                                     Integer numClasses, int partitions, long seed, Optional<ValidationSplit> validationSplit) {

    /**
     * Rows held out for validation: each row goes to the validation table with probability {@code fraction}.
     *
     * @param fraction the expected part of the rows, 0 &lt; fraction &lt; 1
     * @param outputTable the validation table to create (with its {@code _summary}), as preprocess-validation makes it
     */
    public record ValidationSplit(double fraction, String outputTable) {
        /** Checks the fraction and the name. */
        public ValidationSplit {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("--validation-fraction " + fraction + " is not between 0 and 1; use e.g. 0.2 to hold out"
                        + " a fifth of the rows");
            }
            Varnames.requireOutputTable("--validation-output-table", outputTable);
        }
    }

    /** Checks every field; messages name the command-line flag. */
    public TrainingPreprocessSpec {
        Varnames.required("--source", source);
        Varnames.requireOutputTable("--output-table", outputTable);
        dependentVarnames = Varnames.requireDependents(dependentVarnames);
        independentVarnames = Varnames.requireGroups(independentVarnames, dependentVarnames);
        Varnames.requireBufferSize(bufferSize);
        if (!(normalizingConst > 0) || Double.isInfinite(normalizingConst)) {
            throw new IllegalArgumentException("--normalizing-const " + normalizingConst + " is not a positive number; use e.g. 255 for "
                    + "8-bit pixels or 1 to leave X unchanged");
        }
        if (numClasses != null && numClasses < 1) {
            throw new IllegalArgumentException("--num-classes " + numClasses + " is not positive; use at least the number of classes or leave it out");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions " + partitions + " is not positive; use at least 1");
        }
        Objects.requireNonNull(validationSplit, "validationSplit");
        if (validationSplit.isPresent() && (validationSplit.get().outputTable().equals(outputTable)
                || PackedTables.summaryTable(outputTable).equals(validationSplit.get().outputTable())
                || PackedTables.summaryTable(validationSplit.get().outputTable()).equals(outputTable))) {
            throw new IllegalArgumentException("--validation-output-table '" + validationSplit.get().outputTable() + "' collides with --output-table '"
                    + outputTable + "' or its summary; choose another name");
        }
    }

    /** The Y column of output 0. */
    public String dependentVarname() {
        return dependentVarnames.get(0);
    }

    /** The X columns of input 0. */
    public List<String> independentVarname() {
        return independentVarnames.get(0);
    }

    /** A builder with MADlib's defaults: buffer size and num_classes automatic, normalizing const 1, seed 0, one partition per core. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TrainingPreprocessSpec}: setX for required fields, optX for optional ones. */
    public static final class Builder {
        private SourceSpec source;
        private String outputTable;
        private List<String> dependentVarnames;
        private List<List<String>> independentVarnames;
        private Integer bufferSize;
        private double normalizingConst = 1.0;
        private Integer numClasses;
        private int partitions = Runtime.getRuntime().availableProcessors();
        private long seed;
        private ValidationSplit validationSplit;

        private Builder() {
        }

        /** Sets the source. */
        public Builder setSource(SourceSpec source) {
            this.source = source;
            return this;
        }

        /** Sets the output table. */
        public Builder setOutputTable(String outputTable) {
            this.outputTable = outputTable;
            return this;
        }

        /** Sets the Y column (one output). */
        public Builder setDependentVarname(String dependentVarname) {
            return setDependentVarnames(Varnames.one(dependentVarname));
        }

        /** Sets the Y columns, one per output (several outputs: MADlib's y_0..y_n). */
        public Builder setDependentVarnames(List<String> dependentVarnames) {
            this.dependentVarnames = dependentVarnames;
            return this;
        }

        /** Sets the X columns from a comma-separated list (or one array column): one input. */
        public Builder setIndependentVarname(String commaList) {
            return setIndependentVarnames(List.of(commaList));
        }

        /** Sets the X groups, each a comma-separated list (or one array column), one per input (MADlib's x_0..x_n). */
        public Builder setIndependentVarnames(List<String> commaLists) {
            this.independentVarnames = Varnames.groups(commaLists);
            return this;
        }

        /** Sets the rows per buffer (default: MADlib's rule). */
        public Builder optBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
            return this;
        }

        /** Sets what X is divided by (default 1). */
        public Builder optNormalizingConst(double normalizingConst) {
            this.normalizingConst = normalizingConst;
            return this;
        }

        /** Sets the width of one-hot Y (default: the number of distinct values). */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Sets the number of partitions (default: the number of cores). */
        public Builder optPartitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Sets the shuffle seed (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Packs the fraction {@code fraction} of the rows, drawn with the seed, into {@code table} instead (default: none). */
        public Builder optValidationSplit(double fraction, String table) {
            this.validationSplit = new ValidationSplit(fraction, table);
            return this;
        }

        /** Builds the spec; IllegalArgumentException names the first missing or invalid flag. */
        public TrainingPreprocessSpec build() {
            return new TrainingPreprocessSpec(source, outputTable, dependentVarnames, independentVarnames, bufferSize,
                    normalizingConst, numClasses, partitions, seed, Optional.ofNullable(validationSplit));
        }
    }
}
