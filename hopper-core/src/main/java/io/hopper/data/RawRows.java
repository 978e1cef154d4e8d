package io.hopper.data;

import io.hopper.store.ColumnType;
import io.hopper.store.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Raw rows with an id column, read from the same sources as the preprocessors ({@code csv:PATH}, {@code table:NAME},
 * {@code idx:}): what predict reads. X is not normalized here. A model of several inputs reads one X per
 * independent-variable group, in the model's input order.
 *
 * @param ids each row's id as text, in source order
 * @param idType the id column's type: INT or BIGINT for such table columns, TEXT otherwise
 * @param xs each group's X values of every row, row-major, in source order
 * @param sampleShapes the shape of one row's X of each group
 */
public record RawRows(List<String> ids, ColumnType idType, List<float[]> xs, List<List<Integer>> sampleShapes) {
    /** Validates and copies the lists (the X arrays are hot numeric data and are not copied). */
    public RawRows {
        ids = List.copyOf(ids);
        if (idType != ColumnType.INT && idType != ColumnType.BIGINT && idType != ColumnType.TEXT) {
            throw new IllegalArgumentException("raw rows: id type " + idType + "; use INT, BIGINT or TEXT");
        }
        xs = List.copyOf(xs);
        sampleShapes = sampleShapes.stream().map(List::copyOf).toList();
        if (xs.isEmpty() || xs.size() != sampleShapes.size()) {
            throw new IllegalArgumentException("raw rows: " + xs.size() + " X arrays with " + sampleShapes.size()
                    + " shapes; give at least one X and one shape per X");
        }
        for (int g = 0; g < xs.size(); g++) {
            long width = sampleShapes.get(g).stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
            if ((long) ids.size() * width != xs.get(g).length) {
                throw new IllegalArgumentException("raw rows: " + ids.size() + " ids with samples " + sampleShapes.get(g) + " need "
                        + (long) ids.size() * width + " X values but got " + xs.get(g).length + "; give one X per id");
            }
        }
    }

    /** Rows of one X. */
    public RawRows(List<String> ids, ColumnType idType, float[] x, List<Integer> sampleShape) {
        this(ids, idType, List.of(x), List.of(sampleShape));
    }

    /** Row {@code row}'s id as a value of {@link #idType()}. */
    public Object id(int row) {
        String id = ids.get(row);
        return switch (idType) {
            case INT -> Integer.valueOf(id);
            case BIGINT -> Long.valueOf(id);
            default -> id;
        };
    }

    /** The number of rows. */
    public int rows() {
        return ids.size();
    }

    /** Every row's X of the first group. */
    public float[] x() {
        return xs.get(0);
    }

    /** The shape of one row's X of the first group. */
    public List<Integer> sampleShape() {
        return sampleShapes.get(0);
    }

    /** The number of X values of one row of the first group. */
    public int width() {
        return sampleShape().stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
    }

    /**
     * Reads every row of a source: its id column as text and its X cast to float32 after dividing by
     * {@code normalizingConst} (skipped when it is 1), as the preprocessors do.
     *
     * @param source the rows
     * @param store the store, for table sources
     * @param idCol the id column; no row may have a NULL id
     * @param independentVarname X: a comma-separated list of numeric columns or one numeric-array column
     * @param normalizingConst what X is divided by, positive
     * @throws IllegalArgumentException when the source, a column or a row is bad, or the source has no rows
     */
    public static RawRows read(SourceSpec source, Store store, String idCol, String independentVarname, double normalizingConst) {
        return read(source, store, idCol, List.of(independentVarname), normalizingConst);
    }

    /**
     * Reads every row of a source with one X per group, as {@link #read(SourceSpec, Store, String, String, double)}.
     *
     * @param groups the X groups, each a comma-separated list of numeric columns or one numeric-array column
     */
    public static RawRows read(SourceSpec source, Store store, String idCol, List<String> groups, double normalizingConst) {
        Varnames.requireColumn("--id-col", idCol);
        List<List<String>> x = groups.stream().map(g -> Varnames.requireColumns(Varnames.split(g))).toList();
        if (x.isEmpty()) {
            throw new IllegalArgumentException("--independent-varname is empty; give a column name or a comma-separated list");
        }
        for (List<String> g : x) {
            if (g.contains(idCol)) {
                throw new IllegalArgumentException("--id-col '" + idCol + "' is also in --independent-varname " + (x.size() == 1 ? g : x)
                        + "; the id column cannot be a feature");
            }
        }
        SampleSource rows = SampleSource.open(source, store, x, List.of(idCol));
        List<String> ids = new ArrayList<>();
        int n = x.size();
        float[][] values = new float[n][1024];
        int[] used = new int[n];
        int[][] shape = new int[n][];
        rows.read((xGroups, rowShapes, yValues, yArrays, position) -> {
            String y = yValues[0];
            double[] yArray = yArrays[0];
            if (yArray != null || y == null) {
                throw new IllegalArgumentException(rows.describe() + ": --id-col '" + idCol + "' " + rows.positionWord() + " " + position
                        + (y == null && yArray == null ? " is empty (NULL)" : " holds an array")
                        + "; give every row a scalar id");
            }
            for (int g = 0; g < n; g++) {
                double[] xs = xGroups[g];
                if (shape[g] == null) {
                    shape[g] = rowShapes[g].clone();
                } else if (!Arrays.equals(shape[g], rowShapes[g])) {
                    throw new IllegalArgumentException(rows.describe() + ": " + rows.positionWord() + " " + position + " has X of shape "
                            + Arrays.toString(rowShapes[g]) + " but the first row's X has " + Arrays.toString(shape[g])
                            + "; every X needs the same shape");
                }
                if (used[g] + xs.length > values[g].length) {
                    values[g] = Arrays.copyOf(values[g], Math.max(values[g].length * 2, used[g] + xs.length));
                }
                for (int i = 0; i < xs.length; i++) {
                    float f = normalizingConst == 1.0 ? (float) xs[i] : (float) (xs[i] / normalizingConst);
                    values[g][used[g] + i] = Float.isInfinite(f) ? Numbers.float32(xs[i], normalizingConst, rows.describe() + ": "
                            + rows.positionWord() + " " + position) : f;
                }
                used[g] += xs.length;
            }
            ids.add(y);
        });
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(rows.describe() + ": has no rows; give a source with rows to predict");
        }
        ColumnType idType = ColumnType.TEXT;
        if (source instanceof SourceSpec.Table t) {
            ColumnType type = store.schema(t.table()).columns().get(store.schema(t.table()).indexOf(idCol)).type();
            idType = type == ColumnType.INT || type == ColumnType.BIGINT ? type : ColumnType.TEXT;
        }
        List<float[]> xs = new ArrayList<>();
        List<List<Integer>> shapes = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            xs.add(Arrays.copyOf(values[g], used[g]));
            shapes.add(Arrays.stream(shape[g]).boxed().toList());
        }
        return new RawRows(ids, idType, xs, shapes);
    }
}
