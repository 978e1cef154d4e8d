package io.hopper.store;

import static io.hopper.store.StoreTestRows.ALL_TYPES;
import static io.hopper.store.StoreTestRows.allTypesRows;
import static io.hopper.store.StoreTestRows.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    private static final Schema PACKED = Schema.of("buffer_id", ColumnType.INT, "part", ColumnType.INT, "x", ColumnType.BYTES);

    @TempDir
    Path tmp;

    private FileStore store() {
        return new FileStore(tmp.resolve("store"));
    }

    /** The entries of a directory, without the store's lock files and its operations directory when empty. */
    private static List<String> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals(".locks") && !(p.getFileName().toString().equals(".ops") && isEmpty(p)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> dataFiles(Path tableDir) throws IOException {
        try (Stream<Path> s = Files.walk(tableDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".bin")).sorted().toList();
        }
    }

    /** Packed-table rows: buffer i goes to partition i % 3. */
    private static List<Row> packedRows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(Row.of(i, i % 3, new byte[] {(byte) i, (byte) (i * 7)}));
        }
        return rows;
    }

    private static void writePacked(Store store, String table) {
        try (TableWriter w = store.create(table, PACKED, "part")) {
            packedRows().forEach(w::add);
            w.commit();
        }
    }

    private static List<Integer> bufferIds(List<Row> rows) {
        return rows.stream().map(r -> (Integer) r.get(0)).toList();
    }

    @Test
    void roundTripsEveryColumnType() throws IOException {
        FileStore store = store();
        assertFalse(Files.exists(store.root()), "the directory appears only on the first write");
        store.write("all_types", ALL_TYPES, allTypesRows());
        assertRowsEqual(allTypesRows(), store.readAll("all_types"));
        assertEquals(ALL_TYPES, store.schema("all_types"));
        assertEquals(Optional.empty(), store.partitionColumn("all_types"));

        JsonNode meta = new ObjectMapper().readTree(store.root().resolve("all_types").resolve("table.json").toFile());
        assertEquals("hopper-table", meta.get("format").asText());
        assertEquals(2, meta.get("version").asInt());
        assertEquals(4, meta.get("rows").asInt());
        assertTrue(meta.get("files").get(0).get("crc32c").asText().matches("[0-9a-f]{8}"), meta.toString());
        assertEquals("BYTES", meta.get("columns").get(5).get("type").asText());
        assertTrue(meta.get("created").asText().endsWith("Z"), meta.toString());
    }

    @Test
    void emptyTableRoundTrips() {
        FileStore store = store();
        store.write("empty", ALL_TYPES, List.of());
        assertEquals(List.of(), store.readAll("empty"));
        assertEquals(ALL_TYPES, store.schema("empty"));
    }

    @Test
    void partitionedTableKeepsOneFilePerPartitionAndScanReadsOnlyItsOwn() throws IOException {
        FileStore store = store();
        writePacked(store, "packed");
        Path dir = store.root().resolve("packed");
        List<Path> files = dataFiles(dir);
        assertEquals(List.of("part-0.bin", "part-1.bin", "part-2.bin"), files.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(Optional.of("part"), store.partitionColumn("packed"));

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), bufferIds(store.readAll("packed")), "whole scan keeps the write order");
        List<Row> part1 = new ArrayList<>();
        store.scanPartition("packed", 1, part1::add);
        assertEquals(List.of(1, 4, 7), bufferIds(part1));

        // remove the other partitions' files: partition 1 still reads, so it never touched them
        Files.delete(files.get(0));
        Files.delete(files.get(2));
        List<Row> again = new ArrayList<>();
        store.scanPartition("packed", 1, again::add);
        assertRowsEqual(part1, again);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.readAll("packed"));
        assertTrue(e.getMessage().contains("table 'packed'") && e.getMessage().contains("is damaged"), e.getMessage());

        List<Row> none = new ArrayList<>();
        store.scanPartition("packed", 42, none::add);
        assertEquals(List.of(), none, "a partition value with no rows is empty");
    }

    @Test
    void partitionColumnRules() {
        FileStore store = store();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> store.create("t", PACKED, "nope"));
        assertTrue(missing.getMessage().startsWith("partition column 'nope' is not a column of table 't'"), missing.getMessage());
        IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class, () -> store.create("t", PACKED, "x"));
        assertTrue(notInt.getMessage().contains("'x' of table 't' is BYTES; a partition column must be INT"), notInt.getMessage());
        try (TableWriter w = store.create("t", PACKED, "part")) {
            IllegalArgumentException nullPart = assertThrows(IllegalArgumentException.class, () -> w.add(Row.of(1, null, null)));
            assertTrue(nullPart.getMessage().contains("partition column 'part' is null"), nullPart.getMessage());
        }
        store.write("plain", PACKED, packedRows());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class, () -> store.scanPartition("plain", 0, r -> { }));
        assertTrue(plain.getMessage().startsWith("table 'plain' in directory ") && plain.getMessage().contains("has no partition column"),
                plain.getMessage());
    }

    @Test
    void writerClosedWithoutCommitLeavesNothing() throws IOException {
        FileStore store = store();
        try (TableWriter w = store.create("t", PACKED, "part")) {
            w.add(packedRows().get(0));
        }
        assertFalse(store.exists("t"));
        assertEquals(List.of(), children(store.root()), "no table and no staging directory");
    }

    @Test
    void exceptionMidWriteLeavesNothing() throws IOException {
        FileStore store = store();
        store.write("keep", PACKED, packedRows());
        RuntimeException boom = assertThrows(RuntimeException.class, () -> {
            try (TableWriter w = store.create("t", PACKED, null)) {
                w.add(packedRows().get(0));
                throw new RuntimeException("boom");
            }
        });
        assertEquals("boom", boom.getMessage());
        assertEquals(List.of("keep"), children(store.root()));
        assertEquals(List.of("keep"), store.listTables());
    }

    @Test
    void wrongValueTypeRefusedAtAddNamingColumnAndTable() throws IOException {
        FileStore store = store();
        try (TableWriter w = store.create("typed", ALL_TYPES, null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.add(Row.of("1", null, null, null, null, null, null, null, null)));
            assertEquals("table 'typed' column 'i' is INT but got a String; pass an Integer or null", e.getMessage());
            IllegalArgumentException arr = assertThrows(IllegalArgumentException.class,
                    () -> w.add(Row.of(null, null, null, null, null, null, List.of(1L), null, null)));
            assertTrue(arr.getMessage().startsWith("table 'typed' column 'ia' is INT_ARRAY but got a List holding a Long"), arr.getMessage());
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class, () -> w.add(Row.of(1, 2L)));
            assertTrue(width.getMessage().startsWith("table 'typed' has 9 columns"), width.getMessage());
            w.add(Row.of(1, null, null, null, null, null, null, null, null));
            w.commit();
            assertThrows(IllegalStateException.class, () -> w.add(Row.of(1, null, null, null, null, null, null, null, null)));
        }
        assertEquals(1, store.readAll("typed").size(), "refused rows are not written");
    }

    @Test
    void duplicateCreateRefusedAndExistingTableIntact() {
        FileStore store = store();
        store.write("t", PACKED, packedRows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.create("t", PACKED, null));
        assertEquals("table 't' already exists in directory " + store.root()
                + "; drop it first with `hopper table drop t` or choose another name", e.getMessage());
        assertRowsEqual(packedRows(), store.readAll("t"));
    }

    @Test
    void secondWriterOfTheSameTableWaitsThenIsRefusedNamingTheFirst() throws IOException {
        FileStore store = new FileStore(tmp.resolve("store"), java.time.Duration.ofMillis(300));
        try (TableWriter first = store.create("t", PACKED, null)) {
            first.add(packedRows().get(0));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.create("t", PACKED, null));
            assertTrue(e.getMessage().startsWith("table 't' in directory " + store.root() + " is being written by pid "
                    + ProcessHandle.current().pid() + " on host "), e.getMessage());
            assertTrue(e.getMessage().endsWith("waited 0 s: run this again when that process has finished"), e.getMessage());
            first.commit();
        }
        assertThrows(IllegalArgumentException.class, () -> store.create("t", PACKED, null), "after the commit it exists");
        assertEquals(List.of(0), bufferIds(store.readAll("t")));
        assertEquals(List.of("t"), children(store.root()));
    }

    @Test
    void missingTableMessages() {
        FileStore store = store();
        String expected = "table 'nope' does not exist in directory " + store.root() + "; `hopper table list` shows the tables";
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.schema("nope")).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.readAll("nope")).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.scanPartition("nope", 0, r -> { })).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.drop("nope")).getMessage());
        assertFalse(store.exists("nope"));
    }

    @Test
    void pathAndSqlLikeNamesRefusedBeforeTouchingFiles() throws IOException {
        Path root = tmp.resolve("inner").resolve("store");
        FileStore store = new FileStore(root);
        for (String name : List.of("x; drop table y", "../etc", "..", "a/b", "/tmp/x")) {
            assertThrows(IllegalArgumentException.class, () -> store.create(name, PACKED, null), name);
            assertThrows(IllegalArgumentException.class, () -> store.exists(name), name);
            assertThrows(IllegalArgumentException.class, () -> store.readAll(name), name);
            assertThrows(IllegalArgumentException.class, () -> store.drop(name), name);
            assertThrows(IllegalArgumentException.class, () -> store.replace(name, PACKED, List.of()), name);
        }
        assertEquals(List.of(), children(tmp), "nothing was created anywhere");
    }

    @Test
    void replaceSwapsSchemaAndRowsAndRemovesOldData() throws IOException {
        FileStore store = store();
        writePacked(store, "t");
        Schema other = Schema.of("name", ColumnType.TEXT);
        store.replace("t", other, List.of(Row.of("a"), Row.of("b")));
        assertEquals(other, store.schema("t"));
        assertEquals(Optional.empty(), store.partitionColumn("t"));
        assertEquals(List.of("a", "b"), store.readAll("t").stream().map(r -> r.get(0)).toList());
        List<String> left = children(store.root().resolve("t"));
        assertEquals(2, left.size(), left.toString());
        assertEquals(1, dataFiles(store.root().resolve("t")).size());
        assertEquals(List.of("t"), children(store.root()), "no staging directory left");

        store.replace("fresh", other, List.of(Row.of("z")));
        assertEquals(List.of("z"), store.readAll("fresh").stream().map(r -> r.get(0)).toList());
    }

    @Test
    void failedReplaceKeepsTheOldTable() {
        FileStore store = store();
        store.write("t", PACKED, packedRows());
        assertThrows(IllegalArgumentException.class, () -> store.replace("t", PACKED, List.of(Row.of("wrong", 0, null))));
        assertRowsEqual(packedRows(), store.readAll("t"));
    }

    @Test
    void dropRemovesTheDirectory() throws IOException {
        FileStore store = store();
        store.write("t", PACKED, packedRows());
        store.drop("t");
        assertFalse(store.exists("t"));
        assertEquals(List.of(), children(store.root()));
        store.write("t", PACKED, List.of());
        assertEquals(List.of(), store.readAll("t"), "the name is free again");
    }

    @Test
    void listIsSortedAndIgnoresOtherEntries() throws IOException {
        FileStore store = store();
        assertEquals(List.of(), store.listTables());
        for (String name : List.of("zeta", "Alpha", "mid", "_under")) {
            store.write(name, PACKED, List.of());
        }
        Files.createDirectories(store.root().resolve("not_a_table"));
        Files.createDirectories(store.root().resolve(".tmp-x-123"));
        Files.writeString(store.root().resolve("stray.txt"), "x");
        assertEquals(List.of("Alpha", "_under", "mid", "zeta"), store.listTables());
    }

    @Test
    void tableFromANewerFormatIsAClearError() throws IOException {
        FileStore store = store();
        store.write("t", PACKED, packedRows());
        Path metaFile = store.root().resolve("t").resolve("table.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = (ObjectNode) json.readTree(metaFile.toFile());
        meta.put("version", 3);
        json.writeValue(metaFile.toFile(), meta);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.readAll("t"));
        assertTrue(e.getMessage().startsWith("table 't' in directory ") && e.getMessage().contains("format version 3 by a newer Hopper")
                && e.getMessage().endsWith("upgrade Hopper"), e.getMessage());
    }

    @Test
    void tamperedDataDirectoryNameIsRefused() throws IOException {
        FileStore store = store();
        store.write("t", PACKED, packedRows());
        Path metaFile = store.root().resolve("t").resolve("table.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = (ObjectNode) json.readTree(metaFile.toFile());
        meta.put("data", "../../elsewhere");
        json.writeValue(metaFile.toFile(), meta);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.readAll("t"));
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
    }

    @Test
    void truncatedDataFileIsDamaged() throws IOException {
        FileStore store = store();
        store.write("t", ALL_TYPES, allTypesRows());
        Path file = dataFiles(store.root().resolve("t")).get(0);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.readAll("t"));
        assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains("rows.bin"), e.getMessage());
    }

    @Test
    void aFlippedByteAnywhereInAnyDataFileIsDetectedNamingTableAndFile() throws IOException {
        FileStore store = store();
        store.write("typed", ALL_TYPES, allTypesRows());
        writePacked(store, "packed");
        for (String table : List.of("typed", "packed")) {
            for (Path file : dataFiles(store.root().resolve(table))) {
                byte[] good = Files.readAllBytes(file);
                for (int at = 0; at < good.length; at++) {
                    byte[] bad = good.clone();
                    bad[at] ^= (byte) (1 << (at % 8));
                    Files.write(file, bad);
                    int offset = at;
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.readAll(table),
                            () -> table + " " + file.getFileName() + " byte " + offset);
                    assertTrue(e.getMessage().startsWith("table '" + table + "' in directory ") && e.getMessage().contains(" is damaged")
                            && e.getMessage().contains(file.getFileName().toString()), e.getMessage());
                    assertTrue(e.getMessage().contains("does not match its CRC-32C") || e.getMessage().contains("not a Hopper data file")
                            || e.getMessage().contains("data file version"), e.getMessage());
                    assertTrue(e.getMessage().endsWith("then run the command that wrote it)")
                            || e.getMessage().endsWith("and write it again from its source"), e.getMessage());
                    assertEquals(1, e.getMessage().lines().count());
                }
                Files.write(file, good);
            }
            assertEquals(table.equals("typed") ? 4 : 10, store.readAll(table).size(), "restored, it reads again");
        }
    }

    @Test
    void aStoreWrittenInFormatVersion1StillReads() throws Exception {
        Path fixture = Path.of(FileStoreTest.class.getResource("store-v1").toURI());
        Path copy = tmp.resolve("v1");
        try (Stream<Path> all = Files.walk(fixture)) {
            for (Path p : all.toList()) {
                Path target = copy.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        FileStore store = new FileStore(copy);
        assertEquals(List.of("arch", "iris_packed", "iris_packed_summary", "mst", "mst_summary"), store.listTables());
        assertEquals(4, store.readAll("iris_packed").size());
        List<Row> part = new ArrayList<>();
        store.scanPartition("iris_packed", 1, part::add);
        assertEquals(2, part.size());
        assertEquals(1, store.readAll("arch").size());
        assertEquals(1, store.readAll("mst").size());
        store.replace("mst", store.schema("mst"), store.readAll("mst"));
        JsonNode meta = new ObjectMapper().readTree(copy.resolve("mst").resolve("table.json").toFile());
        assertEquals(FileStore.FORMAT_VERSION, meta.get("version").asInt(), "a rewritten table takes the current version");
        assertEquals(1, store.readAll("mst").size());
    }

    @Test
    void concurrentReadModifyWriteOperationsNeverLoseRows() throws Exception {
        StoreTestRows.assertConcurrentReadModifyWritesKeepEveryRow(store(), 4, 10);
    }

    @Test
    void readersDuringReplacesSeeOldOrNewNeverDamaged() throws Exception {
        FileStore store = store();
        Schema schema = Schema.of("gen", ColumnType.INT, "part", ColumnType.INT);
        store.write("t", schema, List.of(Row.of(0, 0), Row.of(0, 1)));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int g = 1; g <= 100; g++) {
                    store.replace("t", schema, List.of(Row.of(g, 0), Row.of(g, 1), Row.of(g, 2)));
                }
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                stop.set(true); // a failed writer must not leave the readers reading forever
            }
        });
        writer.start();
        int reads = 0;
        while (!stop.get() || reads < 10) {
            List<Row> rows = new FileStore(store.root()).readAll("t");
            long generations = rows.stream().map(r -> r.get(0)).distinct().count();
            assertEquals(1, generations, "one version at a time: " + rows);
            reads++;
        }
        writer.join();
        assertEquals(null, failure.get());
        assertEquals(3, store.readAll("t").size());
    }

    @Test
    void anOperationChangesAllItsTablesOrNone() {
        FileStore store = store();
        store.write("a", PACKED, packedRows());
        try (StoreOperation op = store.begin(List.of("a", "b", "c"))) {
            op.drop("a");
            op.write("b", PACKED, packedRows());
            assertFalse(op.exists("a"));
            assertTrue(op.exists("b"));
            assertFalse(store.exists("b"), "nothing visible before commit");
        }
        assertEquals(List.of("a"), store.listTables(), "closed without commit: nothing changed");
        try (StoreOperation op = store.begin(List.of("a", "b"))) {
            op.drop("a");
            op.write("b", PACKED, packedRows());
            IllegalStateException notLocked = assertThrows(IllegalStateException.class, () -> op.write("c", PACKED, List.of()));
            assertTrue(notLocked.getMessage().contains("'c' is not one of the tables [a, b]"), notLocked.getMessage());
            op.commit();
        }
        assertEquals(List.of("b"), store.listTables());
    }
}
