package io.hopper.data;

import io.hopper.store.ColumnType;
import io.hopper.store.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Raw rows with an id column, read from the same sources as the preprocessors ({@code csv:PATH}, {@code table:NAME},
 * {@code idx:}): what predict reads. X is not normalized here.
 *
 * @param ids each row's id as text, in source order
 * @param idType the id column's type: INT or BIGINT for such table columns, TEXT otherwise
 * @param x every row's X values, row-major, in source order
 * @param sampleShape the shape of one row's X
 */
public record RawRows(List<String> ids, ColumnType idType, float[] x, List<Integer> sampleShape) {
    /** Validates and copies the lists (the X array is hot numeric data and is not copied). */
    public RawRows {
        ids = List.copyOf(ids);
        if (idType != ColumnType.INT && idType != ColumnType.BIGINT && idType != ColumnType.TEXT) {
            throw new IllegalArgumentException("raw rows: id type " + idType + "; use INT, BIGINT or TEXT");
        }
        sampleShape = List.copyOf(sampleShape);
        long width = sampleShape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        if ((long) ids.size() * width != x.length) {
            throw new IllegalArgumentException("raw rows: " + ids.size() + " ids with samples " + sampleShape + " need "
                    + (long) ids.size() * width + " X values but got " + x.length + "; give one X per id");
        }
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

    /** The number of X values of one row. */
    public int width() {
        return sampleShape.stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
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
        Varnames.requireColumn("--id-col", idCol);
        List<String> x = Varnames.requireColumns(Varnames.split(independentVarname));
        if (x.contains(idCol)) {
            throw new IllegalArgumentException("--id-col '" + idCol + "' is also in --independent-varname " + x
                    + "; the id column cannot be a feature");
        }
        SampleSource rows = SampleSource.open(source, store, List.of(x), List.of(idCol));
        List<String> ids = new ArrayList<>();
        float[][] values = {new float[1024]};
        int[] used = {0};
        int[][] shape = {null};
        rows.read((xGroups, rowShapes, yValues, yArrays, position) -> {
            double[] xs = xGroups[0];
            int[] rowShape = rowShapes[0];
            String y = yValues[0];
            double[] yArray = yArrays[0];
            if (yArray != null || y == null) {
                throw new IllegalArgumentException(rows.describe() + ": --id-col '" + idCol + "' " + rows.positionWord() + " " + position
                        + (y == null && yArray == null ? " is empty (NULL)" : " holds an array")
                        + "; give every row a scalar id");
            }
            if (shape[0] == null) {
                shape[0] = rowShape.clone();
            } else if (!Arrays.equals(shape[0], rowShape)) {
                throw new IllegalArgumentException(rows.describe() + ": " + rows.positionWord() + " " + position + " has X of shape "
                        + Arrays.toString(rowShape) + " but the first row's X has " + Arrays.toString(shape[0]) + "; every X needs the same shape");
            }
            if (used[0] + xs.length > values[0].length) {
                values[0] = Arrays.copyOf(values[0], Math.max(values[0].length * 2, used[0] + xs.length));
            }
            for (int i = 0; i < xs.length; i++) {
                float f = normalizingConst == 1.0 ? (float) xs[i] : (float) (xs[i] / normalizingConst);
                values[0][used[0] + i] = Float.isInfinite(f) ? Numbers.float32(xs[i], normalizingConst, rows.describe() + ": "
                        + rows.positionWord() + " " + position) : f;
            }
            used[0] += xs.length;
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
        return new RawRows(ids, idType, Arrays.copyOf(values[0], used[0]), Arrays.stream(shape[0]).boxed().toList());
    }
}
