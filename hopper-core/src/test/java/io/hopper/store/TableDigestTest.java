package io.hopper.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TableDigestTest {
    @TempDir
    Path dir;

    @Test
    void changesWithAnyValueTheOrderOrTheSchemaAndNotWithTheTablesName() {
        try (Store store = new FileStore(dir)) {
            Schema s = Schema.of("k", ColumnType.INT, "b", ColumnType.BYTES, "t", ColumnType.TEXT_ARRAY);
            store.write("a", s, List.of(Row.of(1, new byte[] {1}, List.of("x")), Row.of(2, null, null)));
            store.write("same", s, List.of(Row.of(1, new byte[] {1}, List.of("x")), Row.of(2, null, null)));
            store.write("byte", s, List.of(Row.of(1, new byte[] {2}, List.of("x")), Row.of(2, null, null)));
            store.write("order", s, List.of(Row.of(2, null, null), Row.of(1, new byte[] {1}, List.of("x"))));
            store.write("schema", Schema.of("k", ColumnType.INT, "b", ColumnType.BYTES, "u", ColumnType.TEXT_ARRAY),
                    List.of(Row.of(1, new byte[] {1}, List.of("x")), Row.of(2, null, null)));
            String a = TableDigest.sha256(store, "a");
            assertEquals(64, a.length());
            assertEquals(a, TableDigest.sha256(store, "same"));
            for (String other : List.of("byte", "order", "schema")) {
                assertNotEquals(a, TableDigest.sha256(store, other), other);
            }
            assertThrows(IllegalArgumentException.class, () -> TableDigest.sha256(store, "missing"));
        }
    }
}
