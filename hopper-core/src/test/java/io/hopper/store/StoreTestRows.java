package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

/** Rows with every column type, and a row comparison that understands byte[], shared by the store tests. */
final class StoreTestRows {
    static final Schema ALL_TYPES = Schema.of(
            "i", ColumnType.INT, "l", ColumnType.BIGINT, "d", ColumnType.DOUBLE, "t", ColumnType.TEXT,
            "b", ColumnType.BOOLEAN, "x", ColumnType.BYTES, "ia", ColumnType.INT_ARRAY, "da", ColumnType.DOUBLE_ARRAY,
            "ta", ColumnType.TEXT_ARRAY);

    private StoreTestRows() {
    }

    /** Rows covering extremes, nulls everywhere, empty arrays and null array elements. */
    static List<Row> allTypesRows() {
        return List.of(
                Row.of(Integer.MIN_VALUE, Long.MAX_VALUE, -0.125, "héllo, \"wörld\"\n{x}", true,
                        new byte[] {0, -1, 127, -128}, List.of(1, -2, Integer.MAX_VALUE), List.of(0.5, -1e300, Double.MIN_VALUE),
                        List.of("a", "b,c", "", "NULL", "q\"uote")),
                Row.of(null, null, null, null, null, null, null, null, null),
                Row.of(0, 0L, Double.NaN, "", false, new byte[0], List.of(), List.of(), List.of()),
                Row.of(7, -1L, Double.POSITIVE_INFINITY, "漢字", false, new byte[] {5},
                        Arrays.asList(1, null, 3), Arrays.asList(null, 2.5), Arrays.asList("x", null)));
    }

    /** Asserts equal rows, comparing byte[] by content and doubles by bits. */
    static void assertRowsEqual(List<Row> expected, List<Row> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int r = 0; r < expected.size(); r++) {
            List<Object> e = expected.get(r).values();
            List<Object> a = actual.get(r).values();
            assertEquals(e.size(), a.size(), "values in row " + r);
            for (int i = 0; i < e.size(); i++) {
                if (e.get(i) instanceof byte[] eb) {
                    assertArrayEquals(eb, (byte[]) a.get(i), "row " + r + " column " + i);
                } else {
                    assertEquals(e.get(i), a.get(i), "row " + r + " column " + i);
                }
            }
        }
    }

    /**
     * Runs {@code threads} x {@code each} read-modify-write operations on table "counter" at once (each reads the
     * table and replaces it with one more row) and asserts that no row is lost and none appears twice: the store's
     * table locks make the operations one after another.
     */
    static void assertConcurrentReadModifyWritesKeepEveryRow(Store store, int threads, int each) throws Exception {
        Schema ids = Schema.of("id", ColumnType.INT);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    try (StoreOperation op = store.begin(List.of("counter"))) {
                        List<Row> rows = op.exists("counter") ? store.readAll("counter") : new java.util.ArrayList<>();
                        List<Row> more = new java.util.ArrayList<>(rows);
                        more.add(Row.of(rows.size() + 1));
                        op.replace("counter", ids, more);
                        op.commit();
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<Integer> got = store.readAll("counter").stream().map(r -> (Integer) r.get(0)).toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, threads * each).boxed().toList(), got, "every row, no key twice");
    }
}
