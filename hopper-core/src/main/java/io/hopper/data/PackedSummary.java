package io.hopper.data;

import io.hopper.store.TableNames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one row of a packed table's summary table {@code T_summary}: MADlib's summary columns plus Hopper's own.
 *
 * @param sourceTable the source as given (SRC, e.g. {@code csv:iris.csv})
 * @param outputTable the packed table
 * @param dependentVarname the Y column
 * @param independentVarname the X columns, comma-separated
 * @param dependentVartype the SQL type of Y (text, integer, double precision, ... or an array type for one-hot Y)
 * @param classValues the class values in one-hot order (null = the missing-value class); empty when Y was already
 *                    one-hot (MADlib stores NULL then)
 * @param bufferSize the real buffer size (rows in every buffer but maybe the last)
 * @param normalizingConst what X was divided by
 * @param numClasses the width of one-hot Y (at least the number of class values)
 * @param distributionRules MADlib's distribution rule; always {@code all_segments}: every partition gets buffers
 * @param partitions the number of partitions buffers were dealt to (Hopper)
 * @param seed the shuffle seed of a training table, null for a validation table (Hopper)
 * @param validationOf the training table a validation table was packed against, null for training (Hopper)
 * @param formatVersion the packed format version, {@link PackedTables#FORMAT_VERSION} (Hopper)
 * @param sampleShape the shape of one sample of X, e.g. [28, 28, 1] (Hopper)
 * @param totalRows the number of rows packed (Hopper)
 * @param numBuffers the number of buffers (Hopper)
 */
public record PackedSummary(String sourceTable, String outputTable, String dependentVarname, String independentVarname,
                            String dependentVartype, List<String> classValues, int bufferSize, double normalizingConst,
                            int numClasses, String distributionRules, int partitions, Long seed, String validationOf,
                            int formatVersion, List<Integer> sampleShape, long totalRows, int numBuffers) {
    /** MADlib's rule for a table spread over every segment. */
    public static final String ALL_SEGMENTS = "all_segments";

    /** Copies the lists and checks the values. */
    public PackedSummary {
        Objects.requireNonNull(sourceTable, "sourceTable");
        TableNames.requireTable(outputTable);
        Objects.requireNonNull(dependentVarname, "dependentVarname");
        Objects.requireNonNull(independentVarname, "independentVarname");
        Objects.requireNonNull(dependentVartype, "dependentVartype");
        Objects.requireNonNull(distributionRules, "distributionRules");
        classValues = Collections.unmodifiableList(new ArrayList<>(classValues));
        sampleShape = List.copyOf(sampleShape);
        if (bufferSize < 1 || !(normalizingConst > 0) || numClasses < Math.max(1, classValues.size()) || partitions < 1
                || totalRows < 1 || numBuffers < 1 || sampleShape.isEmpty()) {
            throw new IllegalArgumentException("summary of '" + outputTable + "': buffer size " + bufferSize + ", normalizing const "
                    + normalizingConst + ", " + numClasses + " classes for " + classValues.size() + " class values, " + partitions
                    + " partitions, " + totalRows + " rows, " + numBuffers + " buffers and sample shape " + sampleShape
                    + " are not all valid; repack the table");
        }
        if ((seed == null) == (validationOf == null)) {
            throw new IllegalArgumentException("summary of '" + outputTable + "': a training table has a seed and no validation_of, "
                    + "a validation table the reverse; repack the table");
        }
    }

    /** Whether Y was given already one-hot (no class values). */
    public boolean oneHotInput() {
        return classValues.isEmpty();
    }

    /** Whether this is a validation table. */
    public boolean isValidation() {
        return validationOf != null;
    }
}
