package io.hopper.data;

import io.hopper.store.Store;

/**
 * MADlib's training_preprocessor_dl: packs raw rows into a table of buffers for training, shuffled from a seed,
 * and writes its summary {@code T_summary}.
 *
 * <p>What it does: X becomes float32 divided by normalizing_const (skipped when 1); Y becomes int16 one-hot over its
 * distinct values (a missing value is a class of its own, first; then numeric order when all values are numbers,
 * else text order), padded with zero columns to num_classes, or is taken as already one-hot when it is a numeric
 * array; rows are shuffled by sorting on a random key per row drawn from {@code SplittableRandom(seed)} in source
 * order (the same seed and source give a byte-identical table); buffers are sized by {@link BufferPlan} and dealt
 * to partitions round robin.
 *
 * <p>With a {@link TrainingPreprocessSpec.ValidationSplit} each row goes, by a draw from its own generator seeded from
 * the seed, to the validation part with the split's probability; the same pass packs the validation table as
 * {@link ValidationPreprocessor} would against the training table (source order, the training's class values,
 * normalizing constant and partitions). The class values are those of all rows, so a class seen only in the
 * validation part is still one of the training table's classes. Each part's spill then gets half the chunk.
 *
 * <p>Memory bound: the source is read once and never held in memory. The heap holds at most one chunk of spilled
 * records (an eighth of the maximum heap, between 1 MiB and 64 MiB, plus 8 bytes per record), the distinct class
 * values (at most {@value Packer#MAX_CLASSES}), then while packing 64 KiB per merged spill run (at most a chunk's
 * worth) and one packed buffer (buffer_size x (4 x X values + 2 x classes) bytes, which the store receives as one
 * row). Everything else goes through a temporary spill directory under {@code java.io.tmpdir} of about
 * rows x (20 + 4 x X values) bytes (16 + 4 x X values + 2 x classes for one-hot Y), deleted at the end.
 *
 * <p>Bad input is an IllegalArgumentException of one line naming the input and the rule; no table is left behind.
 */
public final class TrainingPreprocessor {
    private final Store store;

    /** Creates a preprocessor that writes into a store. */
    public TrainingPreprocessor(Store store) {
        this.store = store;
    }

    /**
     * Packs the rows.
     *
     * @return the summary written to {@code T_summary}
     */
    public PackedSummary preprocess(TrainingPreprocessSpec spec) {
        return Packer.run(store, new Packer.Job(spec.source(), spec.outputTable(), spec.dependentVarnames(),
                spec.independentVarnames(), spec.bufferSize(), spec.normalizingConst(), spec.numClasses(), spec.partitions(),
                spec.seed(), null, spec.validationSplit().orElse(null)));
    }
}
