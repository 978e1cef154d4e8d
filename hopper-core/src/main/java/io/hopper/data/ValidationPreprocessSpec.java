package io.hopper.data;

import java.util.List;

/**
 * What {@link ValidationPreprocessor} packs, after MADlib's validation_preprocessor_dl; build it with
 * {@link #builder()}. Class values, num_classes, the normalizing constant and the number of partitions come from
 * the training table's summary.
 *
 * @param source where the raw rows come from
 * @param outputTable the packed table to create
 * @param trainingPreprocessorTable the packed training table whose summary this table follows
 * @param dependentVarname the Y column
 * @param independentVarname the X columns, or one array column
 * @param bufferSize the requested rows per buffer, or null for MADlib's default rule ({@link BufferPlan})
 */
public record ValidationPreprocessSpec(SourceSpec source, String outputTable, String trainingPreprocessorTable,
                                       String dependentVarname, List<String> independentVarname, Integer bufferSize) {
    /** Checks every field; messages name the command-line flag. */
    public ValidationPreprocessSpec {
        Varnames.required("--source", source);
        Varnames.requireOutputTable("--output-table", outputTable);
        Varnames.requireOutputTable("--training-preprocessor-table", trainingPreprocessorTable);
        Varnames.requireColumn("--dependent-varname", dependentVarname);
        independentVarname = Varnames.requireColumns(Varnames.required("--independent-varname", independentVarname));
        Varnames.requireBufferSize(bufferSize);
    }

    /** A builder; the buffer size defaults to MADlib's rule. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ValidationPreprocessSpec}: setX for required fields, optX for optional ones. */
    public static final class Builder {
        private SourceSpec source;
        private String outputTable;
        private String trainingPreprocessorTable;
        private String dependentVarname;
        private List<String> independentVarname;
        private Integer bufferSize;

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

        /** Sets the packed training table. */
        public Builder setTrainingPreprocessorTable(String trainingPreprocessorTable) {
            this.trainingPreprocessorTable = trainingPreprocessorTable;
            return this;
        }

        /** Sets the Y column. */
        public Builder setDependentVarname(String dependentVarname) {
            this.dependentVarname = dependentVarname;
            return this;
        }

        /** Sets the X columns from a comma-separated list (or one array column). */
        public Builder setIndependentVarname(String commaList) {
            this.independentVarname = Varnames.split(commaList);
            return this;
        }

        /** Sets the rows per buffer (default: MADlib's rule). */
        public Builder optBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
            return this;
        }

        /** Builds the spec; IllegalArgumentException names the first missing or invalid flag. */
        public ValidationPreprocessSpec build() {
            return new ValidationPreprocessSpec(source, outputTable, trainingPreprocessorTable, dependentVarname,
                    independentVarname, bufferSize);
        }
    }
}
