package io.hopper.fit;

import io.hopper.store.Row;
import io.hopper.store.Schema;

import java.util.Objects;

/**
 * One row of O, typed: a configuration's Keras weights, architecture and whole exported state; {@link #toRow()} and
 * {@link #fromRow} are O's one codec.
 *
 * @param mstKey the configuration
 * @param modelWeights float32 little-endian in Keras get_weights() order
 * @param modelArch the Keras JSON
 * @param modelState the exported state (weights and optimizer), for warm start
 */
public record ModelRow(int mstKey, byte[] modelWeights, String modelArch, byte[] modelState) {
    /** Validates; the arrays are not copied (nobody modifies them). */
    public ModelRow {
        Objects.requireNonNull(modelWeights, "modelWeights");
        Objects.requireNonNull(modelArch, "modelArch");
        Objects.requireNonNull(modelState, "modelState");
    }

    /** The row in {@link OutputTables#MODEL}'s column order. */
    public Row toRow() {
        return Row.of(mstKey, modelWeights, modelArch, modelState);
    }

    /** A row of a table with {@code schema} (O's columns, found by name). */
    public static ModelRow fromRow(Row r, Schema schema) {
        return new ModelRow((Integer) r.get(schema.indexOf("mst_key")), (byte[]) r.get(schema.indexOf("model_weights")),
                (String) r.get(schema.indexOf("model_arch")), (byte[]) r.get(schema.indexOf("model_state")));
    }
}
