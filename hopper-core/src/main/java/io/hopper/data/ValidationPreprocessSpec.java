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
 * @param dependentVarnames the Y columns, one per output, as the training table's
 * @param independentVarnames the X groups, one per input, as the training table's
 * @param bufferSize the requested rows per buffer, or null for MADlib's default rule ({@link BufferPlan})
 */
public record ValidationPreprocessSpec(SourceSpec source, String outputTable, String trainingPreprocessorTable,
                                       List<String> dependentVarnames, List<List<String>> independentVarnames, Integer bufferSize) {
    /** Checks every field; messages name the command-line flag. */
    public ValidationPreprocessSpec {
        Varnames.required("--source", source);
        Varnames.requireOutputTable("--output-table", outputTable);
        Varnames.requireOutputTable("--training-preprocessor-table", trainingPreprocessorTable);
        dependentVarnames = Varnames.requireDependents(dependentVarnames);
        independentVarnames = Varnames.requireGroups(independentVarnames, dependentVarnames);
        Varnames.requireBufferSize(bufferSize);
    }

    /** The Y column of output 0. */
    public String dependentVarname() {
        return dependentVarnames.get(0);
    }

    /** The X columns of input 0. */
    public List<String> independentVarname() {
        return independentVarnames.get(0);
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
        private List<String> dependentVarnames;
        private List<List<String>> independentVarnames;
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

        /** Sets the Y column (one output). */
        public Builder setDependentVarname(String dependentVarname) {
            return setDependentVarnames(Varnames.one(dependentVarname));
        }

        /** Sets the Y columns, one per output. */
        public Builder setDependentVarnames(List<String> dependentVarnames) {
            this.dependentVarnames = dependentVarnames;
            return this;
        }

        /** Sets the X columns from a comma-separated list (or one array column): one input. */
        public Builder setIndependentVarname(String commaList) {
            return setIndependentVarnames(List.of(commaList));
        }

        /** Sets the X groups, each a comma-separated list (or one array column), one per input. */
        public Builder setIndependentVarnames(List<String> commaLists) {
            this.independentVarnames = Varnames.groups(commaLists);
            return this;
        }

        /** Sets the rows per buffer (default: MADlib's rule). */
        public Builder optBufferSize(int bufferSize) {
            this.bufferSize = bufferSize;
            return this;
        }

        /** Builds the spec; IllegalArgumentException names the first missing or invalid flag. */
        public ValidationPreprocessSpec build() {
            return new ValidationPreprocessSpec(source, outputTable, trainingPreprocessorTable, dependentVarnames,
                    independentVarnames, bufferSize);
        }
    }
}
