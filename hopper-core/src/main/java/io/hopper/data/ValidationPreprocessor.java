package io.hopper.data;

import io.hopper.store.Store;

/**
 * MADlib's validation_preprocessor_dl: packs raw rows for validation against a packed training table, keeping
 * the source order (no shuffle) and reusing the training table's class values, num_classes, normalizing constant
 * and partitions; a class value the training table does not have is refused.
 *
 * <p>Memory bound: as {@link TrainingPreprocessor}'s.
 */
public final class ValidationPreprocessor {
    private final Store store;

    /** Creates a preprocessor that writes into a store. */
    public ValidationPreprocessor(Store store) {
        this.store = store;
    }

    /**
     * Packs the rows.
     *
     * @return the summary written to {@code T_summary}
     */
    public PackedSummary preprocess(ValidationPreprocessSpec spec) {
        PackedSummary training = PackedTables.readSummary(store, spec.trainingPreprocessorTable());
        if (training.isValidation()) {
            throw new IllegalArgumentException("--training-preprocessor-table '" + spec.trainingPreprocessorTable()
                    + "' is a validation table (of '" + training.validationOf() + "'); give the packed training table");
        }
        return Packer.run(store, new Packer.Job(spec.source(), spec.outputTable(), spec.dependentVarnames(),
                spec.independentVarnames(), spec.bufferSize(), training.normalizingConst(), null,
                training.partitions(), null, training, null));
    }
}
