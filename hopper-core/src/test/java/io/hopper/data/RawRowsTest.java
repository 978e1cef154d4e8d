package io.hopper.data;

import io.hopper.store.FileStore;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawRowsTest {
    @TempDir
    Path dir;

    private Store store() {
        return new FileStore(dir.resolve("store"));
    }

    @Test
    void readsIdsAndArrayXDividedByTheNormalizingConstant() throws URISyntaxException {
        Path arrays = Path.of(RawRowsTest.class.getResource("/data/arrays.csv").toURI());
        try (Store store = store()) {
            RawRows rows = RawRows.read(new SourceSpec.Csv(arrays), store, "id", "x", 2.0);
            assertEquals("1", rows.ids().get(0));
            assertEquals("1", rows.id(0));
            assertEquals(io.hopper.store.ColumnType.TEXT, rows.idType());
            assertEquals(List.of(2), rows.sampleShape());
            assertEquals(2, rows.width());
            assertArrayEquals(new float[] {0.5f, 1.0f, 1.5f, 2.0f}, java.util.Arrays.copyOf(rows.x(), 4));
            assertEquals(rows.rows() * 2, rows.x().length);
        }
    }

    @Test
    void badRowsAreOneLineErrorsNamingTheSourceAndTheRow() throws IOException {
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "id,a,b\n1,1,2\n,3,4\n");
        try (Store store = store()) {
            String nullId = assertThrows(IllegalArgumentException.class,
                    () -> RawRows.read(new SourceSpec.Csv(csv), store, "id", "a,b", 1.0)).getMessage();
            assertTrue(nullId.contains("--id-col 'id' line 3 is empty (NULL)"), nullId);
            String idInX = assertThrows(IllegalArgumentException.class,
                    () -> RawRows.read(new SourceSpec.Csv(csv), store, "a", "a,b", 1.0)).getMessage();
            assertTrue(idInX.startsWith("--id-col 'a' is also in --independent-varname"), idInX);
            Files.writeString(csv, "id,a,b\n");
            String empty = assertThrows(IllegalArgumentException.class,
                    () -> RawRows.read(new SourceSpec.Csv(csv), store, "id", "a,b", 1.0)).getMessage();
            assertTrue(empty.contains("has no rows"), empty);
            String mismatch = assertThrows(IllegalArgumentException.class,
                    () -> new RawRows(List.of("1"), io.hopper.store.ColumnType.TEXT, new float[3], List.of(2))).getMessage();
            assertTrue(mismatch.contains("need 2 X values but got 3"), mismatch);
        }
    }

    @Test
    void readsOneXPerGroupForAModelOfSeveralInputs() throws IOException {
        Path csv = dir.resolve("g.csv");
        Files.writeString(csv, "id,a,b,c\n7,1,2,3\n8,4,5,6\n");
        try (Store store = store()) {
            RawRows rows = RawRows.read(new SourceSpec.Csv(csv), store, "id", List.of("a,b", "c,a"), 2.0);
            assertEquals(2, rows.xs().size());
            assertEquals(List.of(List.of(2), List.of(2)), rows.sampleShapes());
            assertArrayEquals(new float[] {0.5f, 1f, 2f, 2.5f}, rows.xs().get(0));
            assertArrayEquals(new float[] {1.5f, 0.5f, 3f, 2f}, rows.xs().get(1));
            String idInX = assertThrows(IllegalArgumentException.class,
                    () -> RawRows.read(new SourceSpec.Csv(csv), store, "id", List.of("a", "c,id"), 1.0)).getMessage();
            assertTrue(idInX.startsWith("--id-col 'id' is also in --independent-varname [[a], [c, id]]"), idInX);
        }
    }
}
