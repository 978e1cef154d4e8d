package io.hopper.model;

import io.hopper.model.keras.ArchSummary;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.TableNames;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The architecture table of MADlib's load_keras_model: model_id, model_arch (Keras JSON), model_weights
 * (optional float32 initial weights in Keras get_weights() order), name, description.
 */
public final class ModelArchTable {

    /** The columns, as MADlib names them. */
    public static final Schema SCHEMA = Schema.of(
            "model_id", ColumnType.INT,
            "model_arch", ColumnType.TEXT,
            "model_weights", ColumnType.BYTES,
            "name", ColumnType.TEXT,
            "description", ColumnType.TEXT);

    private ModelArchTable() {
    }

    /**
     * One architecture row.
     *
     * @param modelId the id
     * @param modelArch the Keras JSON
     * @param modelWeights float32 little-endian initial weights, read-only, if any
     * @param name the optional name
     * @param description the optional description
     */
    public record Entry(int modelId, String modelArch, Optional<ByteBuffer> modelWeights, Optional<String> name,
                        Optional<String> description) {
        /** Validates. */
        public Entry {
            Objects.requireNonNull(modelArch, "modelArch");
            modelWeights = modelWeights.map(ByteBuffer::asReadOnlyBuffer);
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Adds an architecture to the table (creating it when missing) and returns its new model_id. The JSON must
     * build (every layer supported); weights, when given, must hold exactly the model's parameter count of float32
     * values.
     */
    public static int load(Store store, String table, String json, byte[] weights, String name, String description) {
        TableNames.requireTable(table);
        ArchSummary summary = KerasArchitecture.parse(json).summary();
        if (weights != null && weights.length != 4L * summary.totalParams()) {
            throw new IllegalArgumentException("model weights: " + weights.length + " bytes, but the architecture has "
                    + summary.totalParams() + " parameters (" + 4L * summary.totalParams()
                    + " bytes of float32); give the weights of this architecture in Keras get_weights() order");
        }
        // locked from the read of the ids to the commit: concurrent loads never lose rows or reuse a model_id
        try (StoreOperation op = store.begin(List.of(table))) {
            List<Row> rows = new ArrayList<>();
            int nextId = 1;
            if (store.exists(table)) {
                requireArchTable(store, table);
                rows.addAll(store.readAll(table));
                for (Row r : rows) {
                    nextId = Math.max(nextId, (Integer) r.get(0) + 1);
                }
            }
            rows.add(Row.of(nextId, json, weights, name, description));
            op.replace(table, SCHEMA, rows);
            op.commit();
            return nextId;
        }
    }

    /**
     * MADlib's delete_keras_model: removes architecture {@code modelId}; the table is dropped when that was its last
     * row, as MADlib does.
     *
     * @return true when the table was dropped
     * @throws IllegalArgumentException when the table is missing or not an architecture table, or has no such id
     */
    public static boolean delete(Store store, String table, int modelId) {
        get(store, table, modelId);
        List<Row> rows = new ArrayList<>(store.readAll(table));
        rows.removeIf(r -> (Integer) r.get(0) == modelId);
        if (rows.isEmpty()) {
            store.drop(table);
            return true;
        }
        store.replace(table, SCHEMA, rows);
        return false;
    }

    /** Every architecture of the table in model_id order. */
    public static List<Entry> readAll(Store store, String table) {
        requireArchTable(store, table);
        List<Entry> entries = new ArrayList<>();
        for (Row r : store.readAll(table)) {
            entries.add(new Entry((Integer) r.get(0), (String) r.get(1),
                    Optional.ofNullable((byte[]) r.get(2)).map(ByteBuffer::wrap),
                    Optional.ofNullable((String) r.get(3)), Optional.ofNullable((String) r.get(4))));
        }
        entries.sort((a, b) -> Integer.compare(a.modelId(), b.modelId()));
        return entries;
    }

    /** The architecture with this id; IllegalArgumentException listing the known ids when absent. */
    public static Entry get(Store store, String table, int modelId) {
        List<Entry> all = readAll(store, table);
        return all.stream().filter(e -> e.modelId() == modelId).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "model_id " + modelId + " is not in architecture table '" + table + "' (it has " + ids(all)
                        + "); load it with `hopper load-keras-model` or pick one of those"));
    }

    /** The model ids of the table. */
    public static Set<Integer> ids(Store store, String table) {
        return ids(readAll(store, table));
    }

    private static Set<Integer> ids(List<Entry> entries) {
        Set<Integer> ids = new TreeSet<>();
        entries.forEach(e -> ids.add(e.modelId()));
        return ids;
    }

    /** Throws unless the table exists with this layout. */
    public static void requireArchTable(Store store, String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException("architecture table '" + table + "' does not exist in " + store.describe()
                    + "; create it with `hopper load-keras-model --model-arch-table " + table + " --model-arch FILE.json`");
        }
        if (!store.schema(table).equals(SCHEMA)) {
            throw new IllegalArgumentException("table '" + table + "' is not a model architecture table (its columns are "
                    + store.schema(table).names() + "); name a table made by load-keras-model");
        }
    }
}
