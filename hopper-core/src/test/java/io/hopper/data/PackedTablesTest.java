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

    @Test
    void formatTwoNamesEveryInputAndOutputAndRoundTripsItsSummary() {
        assertEquals(PackedTables.SCHEMA, PackedTables.schema(1, 1));
        assertEquals(PackedTables.SUMMARY_SCHEMA, PackedTables.summarySchema(1, 1));
        assertEquals(List.of("__dist_key__", "x_0", "x_1", "y_0", "x_0_shape", "x_1_shape", "y_0_shape", "buffer_id"),
                PackedTables.schema(2, 1).names());
        assertArrayEquals(new int[] {2, 1}, PackedTables.layout(PackedTables.schema(2, 1)));
        assertArrayEquals(new int[] {1, 1}, PackedTables.layout(PackedTables.SCHEMA));
        assertEquals(null, PackedTables.layout(Schema.of("x_0", ColumnType.BYTES)));
        assertTrue(PackedTables.summarySchema(1, 2).names().containsAll(List.of("y_0_class_values", "y_1_class_values", "x_0_sample_shape")));
        try (Store store = new FileStore(dir)) {
            PackedSummary s = new PackedSummary("csv:a.csv", "t", List.of(new PackedSummary.Input(List.of("a", "b"), List.of(2)),
                    new PackedSummary.Input(List.of("c"), List.of(2, 2))),
                    List.of(new PackedSummary.Output("y", "text", Arrays.asList(null, "p"), 3),
                            new PackedSummary.Output("z", "double precision[]", List.of(), 4)),
                    5, 255.0, PackedSummary.ALL_SEGMENTS, 2, 9L, null, PackedTables.MULTI_IO_VERSION, 10, 2);
            store.write("t_summary", PackedTables.summarySchema(s), List.of(PackedTables.summaryRow(s)));
            assertEquals(s, PackedTables.readSummary(store, "t"));
            assertEquals("2 inputs (x_0: [2], x_1: [2, 2]) and 2 outputs (y_0: 3 classes, y_1: 4 classes)", s.describeIo());
            // a format-2 summary that claims format 1 is refused
            PackedSummary wrong = new PackedSummary("csv:a.csv", "u", s.inputs(), s.outputs(), 5, 255.0, PackedSummary.ALL_SEGMENTS, 2,
                    9L, null, PackedTables.FORMAT_VERSION, 10, 2);
            store.write("u_summary", PackedTables.summarySchema(wrong), List.of(PackedTables.summaryRow(wrong)));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> PackedTables.readSummary(store, "u"));
            assertTrue(e.getMessage().contains("format version 1 but this Hopper reads 2"), e.getMessage());
        }
    }

    @Test
    void decodesEveryInputAndOutputOfAFormatTwoRow() {
        byte[] x0 = new byte[4];
        Bytes.putFloat(x0, 0, 2.5f);
        byte[] x1 = new byte[8];
        Bytes.putFloat(x1, 4, 3f);
        byte[] y0 = new byte[4];
        Bytes.putShort(y0, 2, (short) 1);
        PackedBuffer b = PackedTables.decode(Row.of(1, x0, x1, y0, List.of(1, 1), List.of(1, 2), List.of(1, 2), 4), 2, 1);
        assertEquals(2, b.inputs());
        assertArrayEquals(new float[] {2.5f}, b.x(0));
        assertArrayEquals(new float[] {0f, 3f}, b.x(1));
        assertArrayEquals(new short[] {0, 1}, b.y(0));
        assertEquals(List.of(2), b.sampleShape(1));
        assertEquals(4, b.bufferId());
    }
}
