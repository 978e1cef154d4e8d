package io.hopper.data;

import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The packed table format and its readers: the schemas of a packed table and its summary, and decoding rows into
 * {@link PackedBuffer}s and a {@link PackedSummary}.
 *
 * <p>Packed table T, one row per buffer, MADlib's layout: {@code __dist_key__} INT (the partition, the store's
 * partition column), {@code x} BYTES (float32 little-endian, row-major, channels last), {@code y} BYTES (int16
 * little-endian one-hot), {@code x_shape} INT_ARRAY [rows, dims...], {@code y_shape} INT_ARRAY [rows, classes],
 * {@code buffer_id} INT. Summary table {@code T_summary}: one row, see {@link PackedSummary}.
 */
public final class PackedTables {
    /** The version of this format, stored in every summary. */
    public static final int FORMAT_VERSION = 1;
    /** The partition column of a packed table. */
    public static final String PARTITION_COLUMN = "__dist_key__";
    /** The suffix of the summary table. */
    public static final String SUMMARY_SUFFIX = "_summary";

    /** The columns of a packed table. */
    public static final Schema SCHEMA = Schema.of(
            PARTITION_COLUMN, ColumnType.INT,
            "x", ColumnType.BYTES,
            "y", ColumnType.BYTES,
            "x_shape", ColumnType.INT_ARRAY,
            "y_shape", ColumnType.INT_ARRAY,
            "buffer_id", ColumnType.INT);

    /** The columns of a summary table. */
    public static final Schema SUMMARY_SCHEMA = Schema.of(
            "source_table", ColumnType.TEXT,
            "output_table", ColumnType.TEXT,
            "dependent_varname", ColumnType.TEXT,
            "independent_varname", ColumnType.TEXT,
            "dependent_vartype", ColumnType.TEXT,
            "class_values", ColumnType.TEXT_ARRAY,
            "buffer_size", ColumnType.INT,
            "normalizing_const", ColumnType.DOUBLE,
            "num_classes", ColumnType.INT,
            "distribution_rules", ColumnType.TEXT,
            "partitions", ColumnType.INT,
            "seed", ColumnType.BIGINT,
            "validation_of", ColumnType.TEXT,
            "format_version", ColumnType.INT,
            "sample_shape", ColumnType.INT_ARRAY,
            "total_rows", ColumnType.BIGINT,
            "num_buffers", ColumnType.INT);

    private PackedTables() {
    }

    /** The summary table of a packed table: {@code T_summary}. */
    public static String summaryTable(String table) {
        return table + SUMMARY_SUFFIX;
    }

    /**
     * Reads the summary of a packed table.
     *
     * @throws IllegalArgumentException when T_summary does not exist or is not a packed-table summary
     * @throws IllegalStateException when it was written by another format version or does not hold one row
     */
    public static PackedSummary readSummary(Store store, String table) {
        String name = summaryTable(table);
        if (!store.exists(name)) {
            throw new IllegalArgumentException("packed table '" + table + "': no summary table '" + name + "' in " + store.describe()
                    + "; pack the data with preprocess-training or preprocess-validation first");
        }
        if (!store.schema(name).equals(SUMMARY_SCHEMA)) {
            throw new IllegalArgumentException("packed table '" + table + "': '" + name + "' does not have the columns of a packed-table "
                    + "summary; give a table made by preprocess-training or preprocess-validation");
        }
        List<Row> rows = store.readAll(name);
        if (rows.size() != 1) {
            throw new IllegalStateException("packed table '" + table + "': '" + name + "' holds " + rows.size() + " rows, not 1; repack the data");
        }
        Row r = rows.get(0);
        int version = (Integer) r.get(13);
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("packed table '" + table + "' has format version " + version + " but this Hopper reads "
                    + FORMAT_VERSION + "; repack the data");
        }
        @SuppressWarnings("unchecked")
        List<String> classValues = r.get(5) == null ? List.of() : (List<String>) r.get(5);
        @SuppressWarnings("unchecked")
        List<Integer> sampleShape = (List<Integer>) r.get(14);
        return new PackedSummary((String) r.get(0), (String) r.get(1), (String) r.get(2), (String) r.get(3), (String) r.get(4),
                classValues, (Integer) r.get(6), (Double) r.get(7), (Integer) r.get(8), (String) r.get(9), (Integer) r.get(10),
                (Long) r.get(11), (String) r.get(12), version, sampleShape, (Long) r.get(15), (Integer) r.get(16));
    }

    /** The summary as a row of {@link #SUMMARY_SCHEMA}. */
    static Row summaryRow(PackedSummary s) {
        return Row.of(s.sourceTable(), s.outputTable(), s.dependentVarname(), s.independentVarname(), s.dependentVartype(),
                s.classValues().isEmpty() ? null : s.classValues(), s.bufferSize(), s.normalizingConst(), s.numClasses(),
                s.distributionRules(), s.partitions(), s.seed(), s.validationOf(), s.formatVersion(), s.sampleShape(),
                s.totalRows(), s.numBuffers());
    }

    /** The buffers of one partition of a packed table, in buffer id order. */
    public static List<PackedBuffer> readPartition(Store store, String table, int partition) {
        requirePacked(store, table);
        List<PackedBuffer> out = new ArrayList<>();
        store.scanPartition(table, partition, row -> out.add(decode(row)));
        return out;
    }

    /** Calls the consumer with every buffer of a packed table, in buffer id order. */
    public static void scan(Store store, String table, Consumer<PackedBuffer> consumer) {
        requirePacked(store, table);
        store.scan(table, row -> consumer.accept(decode(row)));
    }

    private static void requirePacked(Store store, String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException("packed table '" + table + "' not found in " + store.describe()
                    + "; pack the data with preprocess-training first");
        }
        if (!store.schema(table).equals(SCHEMA)) {
            throw new IllegalArgumentException("table '" + table + "' does not have the columns of a packed table " + SCHEMA.names()
                    + "; give a table made by preprocess-training or preprocess-validation");
        }
    }

    /** Decodes one row of a packed table. */
    public static PackedBuffer decode(Row row) {
        byte[] xb = (byte[]) row.get(1);
        byte[] yb = (byte[]) row.get(2);
        float[] x = new float[xb.length / 4];
        ByteBuffer.wrap(xb).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
        short[] y = new short[yb.length / 2];
        ByteBuffer.wrap(yb).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(y);
        @SuppressWarnings("unchecked")
        List<Integer> xShape = (List<Integer>) row.get(3);
        @SuppressWarnings("unchecked")
        List<Integer> yShape = (List<Integer>) row.get(4);
        return new PackedBuffer((Integer) row.get(5), x, xShape, y, yShape);
    }
}
