package io.hopper.data;

import io.hopper.store.ColumnType;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackedTablesTest {
    @TempDir
    Path dir;

    @Test
    void decodesLittleEndianFloatsAndShorts() {
        byte[] x = new byte[8];
        Bytes.putFloat(x, 0, 1.5f);
        Bytes.putFloat(x, 4, -2.25f);
        byte[] y = new byte[4];
        Bytes.putShort(y, 0, (short) 0);
        Bytes.putShort(y, 2, (short) 1);
        PackedBuffer b = PackedTables.decode(Row.of(0, x, y, List.of(1, 2), List.of(1, 2), 7));
        assertArrayEquals(new float[] {1.5f, -2.25f}, b.x());
        assertArrayEquals(new short[] {0, 1}, b.y());
        assertEquals(7, b.bufferId());
        assertEquals(List.of(2), b.sampleShape());
    }

    @Test
    void summaryRoundTripsThroughTheStoreWithANullClass() {
        try (Store store = new FileStore(dir)) {
            PackedSummary s = new PackedSummary("csv:a.csv", "t", "y", "a,b", "text", Arrays.asList(null, "a"), 3, 255.0, 4,
                    PackedSummary.ALL_SEGMENTS, 2, 9L, null, PackedTables.FORMAT_VERSION, List.of(28, 28, 1), 5, 2);
            store.write("t_summary", PackedTables.SUMMARY_SCHEMA, List.of(PackedTables.summaryRow(s)));
            assertEquals(s, PackedTables.readSummary(store, "t"));
        }
    }

    @Test
    void refusesTablesThatAreNotPacked() {
        try (Store store = new FileStore(dir)) {
            store.write("raw", Schema.of("a", ColumnType.INT), List.of(Row.of(1)));
            store.write("raw_summary", Schema.of("a", ColumnType.INT), List.of(Row.of(1)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackedTables.readPartition(store, "raw", 0));
            assertTrue(e.getMessage().contains("'raw' does not have the columns of a packed table"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> PackedTables.readSummary(store, "raw"));
            assertTrue(e.getMessage().contains("'raw_summary' does not have the columns"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> PackedTables.readPartition(store, "none", 0));
            assertTrue(e.getMessage().contains("packed table 'none' not found"), e.getMessage());
        }
    }

    @Test
    void refusesAnotherFormatVersion() {
        try (Store store = new FileStore(dir)) {
            PackedSummary s = new PackedSummary("csv:a.csv", "t", "y", "a", "text", List.of("a"), 3, 1.0, 1,
                    PackedSummary.ALL_SEGMENTS, 1, 1L, null, 99, List.of(1), 3, 1);
            store.write("t_summary", PackedTables.SUMMARY_SCHEMA, List.of(PackedTables.summaryRow(s)));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PackedTables.readSummary(store, "t"));
            assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        }
    }
}
