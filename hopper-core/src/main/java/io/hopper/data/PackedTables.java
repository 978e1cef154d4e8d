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
 * {@link PackedBuffer}s and a {@link PackedSummary}. This class is the one place that names the packed columns.
 *
 * <p>Format 1 (one X and one Y), packed table T, one row per buffer, MADlib's layout: {@code __dist_key__} INT (the
 * partition, the store's partition column), {@code x} BYTES (float32 little-endian, row-major, channels last),
 * {@code y} BYTES (int16 little-endian one-hot), {@code x_shape} INT_ARRAY [rows, dims...], {@code y_shape} INT_ARRAY
 * [rows, classes], {@code buffer_id} INT. Summary table {@code T_summary}: one row of {@link #SUMMARY_SCHEMA}.
 *
 * <p>Format 2 (several X groups or several Y columns, MADlib 1.20's multi-input, multi-output layout): T has
 * {@code __dist_key__}, {@code x_0..x_n} BYTES, {@code y_0..y_m} BYTES, {@code x_0_shape..x_n_shape},
 * {@code y_0_shape..y_m_shape} INT_ARRAY, {@code buffer_id}; its summary ({@link #summarySchema(int, int)}) holds
 * {@code dependent_varname}, {@code independent_varname} (one entry per group, its columns comma-separated),
 * {@code dependent_vartype} and {@code num_classes} as arrays, one {@code y_k_class_values} per output and one
 * {@code x_i_sample_shape} per input. Format 1 tables are still written and read exactly as before.
 */
public final class PackedTables {
    /** The version of the one-input, one-output format, stored in every summary of such a table. */
    public static final int FORMAT_VERSION = 1;
    /** The version of the multi-input, multi-output format. */
    public static final int MULTI_IO_VERSION = 2;
    /** The partition column of a packed table. */
    public static final String PARTITION_COLUMN = "__dist_key__";
    /** The suffix of the summary table. */
    public static final String SUMMARY_SUFFIX = "_summary";
    /** The buffer id column of a packed table. */
    public static final String BUFFER_ID_COLUMN = "buffer_id";

    /** The columns of a packed table of one input and one output (format 1). */
    public static final Schema SCHEMA = Schema.of(
            PARTITION_COLUMN, ColumnType.INT,
            "x", ColumnType.BYTES,
            "y", ColumnType.BYTES,
            "x_shape", ColumnType.INT_ARRAY,
            "y_shape", ColumnType.INT_ARRAY,
            BUFFER_ID_COLUMN, ColumnType.INT);

    /** The columns of a summary table of one input and one output (format 1). */
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

    /** The format version of a table of {@code inputs} inputs and {@code outputs} outputs. */
    public static int formatVersion(int inputs, int outputs) {
        return inputs == 1 && outputs == 1 ? FORMAT_VERSION : MULTI_IO_VERSION;
    }

    /** The column of input i's X in a table of that many inputs and outputs: {@code x} (format 1) or {@code x_i}. */
    public static String xColumn(int i, int inputs, int outputs) {
        return formatVersion(inputs, outputs) == FORMAT_VERSION ? "x" : "x_" + i;
    }

    /** The column of output k's Y: {@code y} (format 1) or {@code y_k}. */
    public static String yColumn(int k, int inputs, int outputs) {
        return formatVersion(inputs, outputs) == FORMAT_VERSION ? "y" : "y_" + k;
    }

    /** The shape column of a data column: {@code x_shape}, {@code x_0_shape}, ... */
    public static String shapeColumn(String dataColumn) {
        return dataColumn + "_shape";
    }

    /** The columns of a packed table of {@code inputs} inputs and {@code outputs} outputs ({@link #SCHEMA} for 1 and 1). */
    public static Schema schema(int inputs, int outputs) {
        if (formatVersion(inputs, outputs) == FORMAT_VERSION) {
            return SCHEMA;
        }
        List<Object> cols = new ArrayList<>(List.of(PARTITION_COLUMN, ColumnType.INT));
        for (int i = 0; i < inputs; i++) {
            cols.addAll(List.of(xColumn(i, inputs, outputs), ColumnType.BYTES));
        }
        for (int k = 0; k < outputs; k++) {
            cols.addAll(List.of(yColumn(k, inputs, outputs), ColumnType.BYTES));
        }
        for (int i = 0; i < inputs; i++) {
            cols.addAll(List.of(shapeColumn(xColumn(i, inputs, outputs)), ColumnType.INT_ARRAY));
        }
        for (int k = 0; k < outputs; k++) {
            cols.addAll(List.of(shapeColumn(yColumn(k, inputs, outputs)), ColumnType.INT_ARRAY));
        }
        cols.addAll(List.of(BUFFER_ID_COLUMN, ColumnType.INT));
        return Schema.of(cols.toArray());
    }

    /** The columns of a summary of {@code inputs} inputs and {@code outputs} outputs ({@link #SUMMARY_SCHEMA} for 1 and 1). */
    public static Schema summarySchema(int inputs, int outputs) {
        if (formatVersion(inputs, outputs) == FORMAT_VERSION) {
            return SUMMARY_SCHEMA;
        }
        List<Object> cols = new ArrayList<>(List.of("source_table", ColumnType.TEXT, "output_table", ColumnType.TEXT,
                "dependent_varname", ColumnType.TEXT_ARRAY, "independent_varname", ColumnType.TEXT_ARRAY,
                "dependent_vartype", ColumnType.TEXT_ARRAY));
        for (int k = 0; k < outputs; k++) {
            cols.addAll(List.of(yColumn(k, inputs, outputs) + "_class_values", ColumnType.TEXT_ARRAY));
        }
        cols.addAll(List.of("buffer_size", ColumnType.INT, "normalizing_const", ColumnType.DOUBLE, "num_classes", ColumnType.INT_ARRAY,
                "distribution_rules", ColumnType.TEXT, "partitions", ColumnType.INT, "seed", ColumnType.BIGINT,
                "validation_of", ColumnType.TEXT, "format_version", ColumnType.INT));
        for (int i = 0; i < inputs; i++) {
            cols.addAll(List.of(xColumn(i, inputs, outputs) + "_sample_shape", ColumnType.INT_ARRAY));
        }
        cols.addAll(List.of("total_rows", ColumnType.BIGINT, "num_buffers", ColumnType.INT));
        return Schema.of(cols.toArray());
    }

    /**
     * The inputs and outputs of a packed table's schema, {@code [inputs, outputs]}, or null when it is not the schema of
     * a packed table.
     */
    public static int[] layout(Schema schema) {
        if (schema.equals(SCHEMA)) {
            return new int[] {1, 1};
        }
        int inputs = 0;
        while (schema.has("x_" + inputs)) {
            inputs++;
        }
        int outputs = 0;
        while (schema.has("y_" + outputs)) {
            outputs++;
        }
        return inputs > 0 && outputs > 0 && formatVersion(inputs, outputs) == MULTI_IO_VERSION && schema.equals(schema(inputs, outputs))
                ? new int[] {inputs, outputs} : null;
    }

    /** Whether a schema is that of a packed table (either format). */
    public static boolean isPacked(Schema schema) {
        return layout(schema) != null;
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
        Schema schema = store.schema(name);
        boolean v1 = schema.equals(SUMMARY_SCHEMA);
        if (!v1 && !(schema.has("format_version") && schema.has("dependent_varname") && schema.has("independent_varname")
                && schema.columns().get(schema.indexOf("dependent_varname")).type() == ColumnType.TEXT_ARRAY
                && schema.columns().get(schema.indexOf("independent_varname")).type() == ColumnType.TEXT_ARRAY)) {
            throw new IllegalArgumentException("packed table '" + table + "': '" + name + "' does not have the columns of a packed-table "
                    + "summary; give a table made by preprocess-training or preprocess-validation");
        }
        List<Row> rows = store.readAll(name);
        if (rows.size() != 1) {
            throw new IllegalStateException("packed table '" + table + "': '" + name + "' holds " + rows.size() + " rows, not 1; repack the data");
        }
        Row r = rows.get(0);
        int version = (Integer) r.get(schema.indexOf("format_version"));
        int expected = v1 ? FORMAT_VERSION : MULTI_IO_VERSION; // a format-2 summary of 1 input and 1 output is refused below
        if (version != expected) {
            throw new IllegalStateException("packed table '" + table + "' has format version " + version + " but this Hopper reads "
                    + expected + " for its columns; repack the data");
        }
        if (v1) {
            @SuppressWarnings("unchecked")
            List<String> classValues = r.get(5) == null ? List.of() : (List<String>) r.get(5);
            @SuppressWarnings("unchecked")
            List<Integer> sampleShape = (List<Integer>) r.get(14);
            return new PackedSummary((String) r.get(0), (String) r.get(1), (String) r.get(2), (String) r.get(3), (String) r.get(4),
                    classValues, (Integer) r.get(6), (Double) r.get(7), (Integer) r.get(8), (String) r.get(9), (Integer) r.get(10),
                    (Long) r.get(11), (String) r.get(12), version, sampleShape, (Long) r.get(15), (Integer) r.get(16));
        }
        List<String> deps = texts(r.get(schema.indexOf("dependent_varname")));
        List<String> indeps = texts(r.get(schema.indexOf("independent_varname")));
        int inputs = indeps.size();
        int outputs = deps.size();
        if (formatVersion(inputs, outputs) != MULTI_IO_VERSION || !schema.equals(summarySchema(inputs, outputs))) {
            throw new IllegalArgumentException("packed table '" + table + "': '" + name + "' does not have the columns of a packed-table "
                    + "summary of " + inputs + " inputs and " + outputs + " outputs; repack the data");
        }
        List<String> vartypes = texts(r.get(schema.indexOf("dependent_vartype")));
        @SuppressWarnings("unchecked")
        List<Integer> numClasses = (List<Integer>) r.get(schema.indexOf("num_classes"));
        if (vartypes.size() != outputs || numClasses == null || numClasses.size() != outputs) {
            throw new IllegalStateException("packed table '" + table + "': '" + name + "' has " + vartypes.size() + " dependent_vartype and "
                    + (numClasses == null ? 0 : numClasses.size()) + " num_classes entries for " + outputs + " outputs; repack the data");
        }
        List<PackedSummary.Input> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            @SuppressWarnings("unchecked")
            List<Integer> shape = (List<Integer>) r.get(schema.indexOf(xColumn(i, inputs, outputs) + "_sample_shape"));
            in.add(new PackedSummary.Input(Varnames.split(indeps.get(i)), shape));
        }
        List<PackedSummary.Output> out = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            Object cv = r.get(schema.indexOf(yColumn(k, inputs, outputs) + "_class_values"));
            out.add(new PackedSummary.Output(deps.get(k), vartypes.get(k), cv == null ? List.of() : texts(cv), numClasses.get(k)));
        }
        int at = schema.indexOf("buffer_size");
        return new PackedSummary((String) r.get(0), (String) r.get(1), in, out, (Integer) r.get(at), (Double) r.get(at + 1),
                (String) r.get(at + 3), (Integer) r.get(at + 4), (Long) r.get(at + 5), (String) r.get(at + 6), version,
                (Long) r.get(schema.indexOf("total_rows")), (Integer) r.get(schema.indexOf("num_buffers")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(Object value) {
        return value == null ? List.of() : (List<String>) value;
    }

    /** The summary's schema. */
    static Schema summarySchema(PackedSummary s) {
        return summarySchema(s.inputs().size(), s.outputs().size());
    }

    /** The summary as a row of {@link #summarySchema(PackedSummary)}. */
    static Row summaryRow(PackedSummary s) {
        if (!s.multiIo()) {
            return Row.of(s.sourceTable(), s.outputTable(), s.dependentVarname(), s.independentVarname(), s.dependentVartype(),
                    s.classValues().isEmpty() ? null : s.classValues(), s.bufferSize(), s.normalizingConst(), s.numClasses(),
                    s.distributionRules(), s.partitions(), s.seed(), s.validationOf(), s.formatVersion(), s.sampleShape(),
                    s.totalRows(), s.numBuffers());
        }
        List<Object> v = new ArrayList<>(List.of(s.sourceTable(), s.outputTable(),
                s.outputs().stream().map(PackedSummary.Output::varname).toList(),
                s.inputs().stream().map(PackedSummary.Input::varnameText).toList(),
                s.outputs().stream().map(PackedSummary.Output::vartype).toList()));
        for (PackedSummary.Output o : s.outputs()) {
            v.add(o.classValues().isEmpty() ? null : o.classValues());
        }
        v.addAll(List.of(s.bufferSize(), s.normalizingConst(), s.numClassesList(), s.distributionRules(), s.partitions()));
        v.add(s.seed());
        v.add(s.validationOf());
        v.add(s.formatVersion());
        v.addAll(s.sampleShapes());
        v.addAll(List.of(s.totalRows(), s.numBuffers()));
        return Row.of(v);
    }

    /** The buffers of one partition of a packed table, in buffer id order. */
    public static List<PackedBuffer> readPartition(Store store, String table, int partition) {
        int[] io = requirePacked(store, table);
        List<PackedBuffer> out = new ArrayList<>();
        store.scanPartition(table, partition, row -> out.add(decode(row, io[0], io[1])));
        return out;
    }

    /** Calls the consumer with every buffer of a packed table, in buffer id order. */
    public static void scan(Store store, String table, Consumer<PackedBuffer> consumer) {
        int[] io = requirePacked(store, table);
        store.scan(table, row -> consumer.accept(decode(row, io[0], io[1])));
    }

    private static int[] requirePacked(Store store, String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException("packed table '" + table + "' not found in " + store.describe()
                    + "; pack the data with preprocess-training first");
        }
        int[] io = layout(store.schema(table));
        if (io == null) {
            throw new IllegalArgumentException("table '" + table + "' does not have the columns of a packed table " + SCHEMA.names()
                    + " (or x_0.., y_0..); give a table made by preprocess-training or preprocess-validation");
        }
        return io;
    }

    /** Decodes one row of a packed table of one input and one output. */
    public static PackedBuffer decode(Row row) {
        return decode(row, 1, 1);
    }

    /** Decodes one row of a packed table of {@code inputs} inputs and {@code outputs} outputs (its columns in schema order). */
    @SuppressWarnings("unchecked")
    public static PackedBuffer decode(Row row, int inputs, int outputs) {
        List<float[]> xs = new ArrayList<>(inputs);
        List<short[]> ys = new ArrayList<>(outputs);
        List<List<Integer>> xShapes = new ArrayList<>(inputs);
        List<List<Integer>> yShapes = new ArrayList<>(outputs);
        for (int i = 0; i < inputs; i++) {
            byte[] xb = (byte[]) row.get(1 + i);
            float[] x = new float[xb.length / 4];
            ByteBuffer.wrap(xb).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
            xs.add(x);
            xShapes.add((List<Integer>) row.get(1 + inputs + outputs + i));
        }
        for (int k = 0; k < outputs; k++) {
            byte[] yb = (byte[]) row.get(1 + inputs + k);
            short[] y = new short[yb.length / 2];
            ByteBuffer.wrap(yb).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(y);
            ys.add(y);
            yShapes.add((List<Integer>) row.get(1 + 2 * inputs + outputs + k));
        }
        return new PackedBuffer((Integer) row.get(1 + 2 * (inputs + outputs)), xs, xShapes, ys, yShapes);
    }
}
