package io.hopper.data;

import io.hopper.store.ColumnType;
import io.hopper.store.PostgresStore;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rows of a table in the store, like MADlib's {@code iris_data(id serial, attributes numeric[], class_text varchar)},
 * or of a query on a PostgreSQL store: X is a list of scalar numeric columns (INT, BIGINT, DOUBLE) or one
 * DOUBLE_ARRAY / INT_ARRAY column (per X group); each Y is a scalar column (a NULL is a class of its own) or a numeric array column
 * taken as already one-hot. PostgreSQL's numeric, real and smallint (and their arrays) read as these types.
 */
final class TableSource implements SampleSource {
    private static final Set<ColumnType> SCALARS = EnumSet.of(ColumnType.INT, ColumnType.BIGINT, ColumnType.DOUBLE);
    private static final Set<ColumnType> ARRAYS = EnumSet.of(ColumnType.INT_ARRAY, ColumnType.DOUBLE_ARRAY);

    private final String text;
    private final Schema schema;
    private final Consumer<Consumer<Row>> scan;
    private final List<List<String>> x;
    private final List<String> y;

    private TableSource(String text, Schema schema, Consumer<Consumer<Row>> scan, List<List<String>> x, List<String> y) {
        this.text = text;
        this.schema = schema;
        this.scan = scan;
        this.x = x.stream().map(List::copyOf).toList();
        this.y = List.copyOf(y);
    }

    /** The rows of a table in the store, in the order written. */
    static TableSource of(SourceSpec.Table spec, Store store, List<List<String>> x, List<String> y) {
        if (!store.exists(spec.table())) {
            throw new IllegalArgumentException(spec.text() + ": no table '" + spec.table() + "' in " + store.describe()
                    + "; load it first or check the name");
        }
        return new TableSource(spec.text(), store.schema(spec.table()), consumer -> store.scan(spec.table(), consumer), x, y);
    }

    /** The rows of a query, run read-only on a PostgreSQL store; its columns are checked before it runs. */
    static TableSource of(SourceSpec.Sql spec, Store store, List<List<String>> x, List<String> y) {
        if (!(store instanceof PostgresStore pg)) {
            throw new IllegalArgumentException(spec.text() + ": sql: sources need a PostgreSQL store (--store jdbc:postgresql://...);"
                    + " use csv:, idx: or table: with a directory store");
        }
        return new TableSource(spec.text(), pg.querySchema(spec.query()), consumer -> pg.query(spec.query(), consumer), x, y);
    }

    @Override
    public String describe() {
        return text;
    }

    @Override
    public String positionWord() {
        return "row";
    }

    @Override
    public String dependentVartype(int k) {
        return schema.columns().get(column(y.get(k))).type().sqlType();
    }

    private int column(String name) {
        if (!schema.has(name)) {
            throw new IllegalArgumentException(describe() + ": no column '" + name + "' in " + schema.names() + "; use one of those");
        }
        return schema.indexOf(name);
    }

    @Override
    public void read(SampleSink sink) {
        int groups = x.size();
        int[][] xIdx = new int[groups][];
        boolean[] arrayX = new boolean[groups];
        double[][] scalars = new double[groups][];
        int[][] scalarShapes = new int[groups][];
        for (int g = 0; g < groups; g++) {
            List<String> names = x.get(g);
            xIdx[g] = names.stream().mapToInt(this::column).toArray();
            arrayX[g] = xIdx[g].length == 1 && ARRAYS.contains(type(xIdx[g][0]));
            for (int i = 0; i < xIdx[g].length && !arrayX[g]; i++) {
                if (!SCALARS.contains(type(xIdx[g][i]))) {
                    throw new IllegalArgumentException(describe() + ": column '" + names.get(i) + "' is " + type(xIdx[g][i])
                            + "; X needs numeric columns (INT, BIGINT, DOUBLE) or one numeric array column");
                }
            }
            scalars[g] = new double[xIdx[g].length];
            scalarShapes[g] = new int[] {xIdx[g].length};
        }
        int[] yIdx = y.stream().mapToInt(this::column).toArray();
        boolean[] arrayY = new boolean[yIdx.length];
        for (int k = 0; k < yIdx.length; k++) {
            ColumnType yType = type(yIdx[k]);
            arrayY[k] = ARRAYS.contains(yType);
            if (yType == ColumnType.BYTES || yType == ColumnType.TEXT_ARRAY) {
                throw new IllegalArgumentException(describe() + ": column '" + y.get(k) + "' is " + yType
                        + "; Y needs a scalar column or a numeric array column");
            }
        }
        double[][] rowX = new double[groups][];
        int[][] shapes = new int[groups][];
        String[] ys = new String[yIdx.length];
        double[][] yArrays = new double[yIdx.length][];
        long[] position = {0};
        scan.accept(row -> {
            long pos = ++position[0];
            for (int g = 0; g < groups; g++) {
                if (arrayX[g]) {
                    rowX[g] = numbers(row.get(xIdx[g][0]), x.get(g).get(0), pos);
                    shapes[g] = new int[] {rowX[g].length};
                } else {
                    for (int i = 0; i < xIdx[g].length; i++) {
                        Object v = row.get(xIdx[g][i]);
                        if (v == null) {
                            throw nullX(x.get(g).get(i), pos);
                        }
                        scalars[g][i] = ((Number) v).doubleValue();
                    }
                    rowX[g] = scalars[g];
                    shapes[g] = scalarShapes[g];
                }
            }
            for (int k = 0; k < yIdx.length; k++) {
                if (arrayY[k]) {
                    ys[k] = null;
                    yArrays[k] = numbers(row.get(yIdx[k]), y.get(k), pos);
                } else {
                    ys[k] = classText(row, yIdx[k]);
                    yArrays[k] = null;
                }
            }
            sink.accept(rowX, shapes, ys, yArrays, pos);
        });
    }

    private ColumnType type(int index) {
        return schema.columns().get(index).type();
    }

    private double[] numbers(Object value, String column, long pos) {
        if (value == null) {
            throw nullX(column, pos);
        }
        List<?> list = (List<?>) value;
        if (list.isEmpty()) {
            throw new IllegalArgumentException(describe() + ": column '" + column + "' row " + pos
                    + " is an empty array; give every row at least one value");
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            if (e == null) {
                throw nullX(column, pos);
            }
            out[i] = ((Number) e).doubleValue();
        }
        return out;
    }

    private IllegalArgumentException nullX(String column, long pos) {
        return new IllegalArgumentException(describe() + ": column '" + column + "' row " + pos
                + " is NULL or holds a NULL; X and array Y need every value: fill or drop the row");
    }

    /** The class value's text: integers as digits, doubles in their shortest plain form (1.0 gives 1). */
    private static String classText(Row row, int index) {
        Object v = row.get(index);
        if (v == null) {
            return null;
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }
}
