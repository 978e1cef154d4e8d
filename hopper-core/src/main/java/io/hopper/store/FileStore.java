package io.hopper.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A store in a directory: one sub-directory per table with a {@code table.json} and binary data files, laid out as
 * docs/store-format.md describes (never Java serialization).
 *
 * <p>A table with a partition column keeps one data file per partition value, so {@link #scanPartition} opens only
 * that file. Writers build the table in a temporary directory inside the store and publish it with one atomic
 * rename on commit; {@link #replace} writes the new data beside the old and swaps {@code table.json} atomically.
 * The directory is created on the first write. Readers that overlap a replace or drop of the same table in another
 * thread or process may fail; they never see a mix of old and new rows.
 */
public final class FileStore implements Store {
    /** The format name in every {@code table.json}. */
    public static final String FORMAT = "hopper-table";
    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The name of the metadata file of a table. */
    public static final String META_FILE = "table.json";
    /** The default store directory, relative to the working directory. */
    public static final String DEFAULT_DIRECTORY = "hopper-store";

    private static final Pattern DATA_DIR = Pattern.compile("data-[0-9a-f]{32}");
    private static final int IO_BUFFER = 1 << 16;

    private final Path root;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * A store in the given directory, which need not exist yet.
     *
     * @param root the store directory
     */
    public FileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The store directory. */
    public Path root() {
        return root;
    }

    @Override
    public List<String> listTables() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(name -> TableNames.isIdentifier(name) && Files.isRegularFile(root.resolve(name).resolve(META_FILE)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the tables in " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String table) {
        return Files.isRegularFile(tableDir(table).resolve(META_FILE));
    }

    @Override
    public Schema schema(String table) {
        return readMeta(table).schema();
    }

    @Override
    public Optional<String> partitionColumn(String table) {
        return Optional.ofNullable(readMeta(table).partitionColumn());
    }

    @Override
    public TableWriter create(String table, Schema schema, String partitionColumn) {
        return new FileTableWriter(table, schema, partitionColumn, false);
    }

    @Override
    public void replace(String table, Schema schema, List<Row> rows) {
        try (FileTableWriter w = new FileTableWriter(table, schema, null, true)) {
            for (Row r : rows) {
                w.add(r);
            }
            w.commit();
        }
    }

    @Override
    public void scan(String table, Consumer<Row> consumer) {
        Meta meta = readMeta(table);
        read(table, meta, meta.files(), consumer);
    }

    @Override
    public void scanPartition(String table, int partition, Consumer<Row> consumer) {
        Meta meta = readMeta(table);
        if (meta.partitionColumn() == null) {
            throw StoreChecks.notPartitioned(table, this);
        }
        read(table, meta, meta.files().stream().filter(f -> f.partition() == partition).toList(), consumer);
    }

    @Override
    public void drop(String table) {
        Path dir = tableDir(table);
        if (!exists(table)) {
            throw StoreChecks.missing(table, this);
        }
        Path trash = root.resolve(".drop-" + table + "-" + UUID.randomUUID());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw StoreChecks.missing(table, this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot drop table '" + table + "' in " + describe() + ": " + e.getMessage(), e);
        }
        deleteTree(trash);
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    /** Nothing to release: every operation opens and closes its own files. */
    @Override
    public void close() {
    }

    private Path tableDir(String table) {
        return root.resolve(TableNames.requireTable(table));
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    /** One data file: the partition value it holds (or null in an unpartitioned table) and its row count. */
    private record DataFile(Integer partition, long rows) {
        String fileName() {
            return partition == null ? "rows.bin" : "part-" + partition + ".bin";
        }
    }

    /** The content of a table.json. */
    private record Meta(Schema schema, String partitionColumn, long rows, Instant created, String dataDir,
                        List<DataFile> files) {
    }

    private Meta readMeta(String table) {
        Path file = tableDir(table).resolve(META_FILE);
        JsonNode node;
        try {
            node = json.readTree(file.toFile());
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw StoreChecks.missing(table, this);
        } catch (IOException e) {
            throw damaged(table, file, e.getMessage());
        }
        if (!FORMAT.equals(node.path("format").asText())) {
            throw damaged(table, file, "format is '" + node.path("format").asText() + "', not '" + FORMAT + "'");
        }
        int version = node.path("version").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new IllegalStateException("table '" + table + "' in " + describe() + " was written in format version "
                    + version + " by a newer Hopper; this Hopper reads up to version " + FORMAT_VERSION + "; upgrade Hopper");
        }
        if (version < 1) {
            throw damaged(table, file, "format version is missing or below 1");
        }
        try {
            List<Column> columns = new ArrayList<>();
            for (JsonNode c : node.path("columns")) {
                columns.add(new Column(c.path("name").asText(), ColumnType.valueOf(c.path("type").asText())));
            }
            Schema schema = new Schema(columns);
            String partitionColumn = node.path("partition_column").isTextual() ? node.get("partition_column").asText() : null;
            StoreChecks.partitionIndex(table, schema, partitionColumn);
            String dataDir = node.path("data").asText();
            if (!DATA_DIR.matcher(dataDir).matches()) {
                throw new IllegalArgumentException("data directory '" + dataDir + "' is not data-<32 hex digits>");
            }
            List<DataFile> files = new ArrayList<>();
            for (JsonNode f : node.path("files")) {
                Integer partition = f.path("partition").isInt() ? f.get("partition").asInt() : null;
                if ((partition == null) != (partitionColumn == null)) {
                    throw new IllegalArgumentException("a file's partition does not match the partition column");
                }
                files.add(new DataFile(partition, f.path("rows").asLong()));
            }
            long rows = node.path("rows").asLong(-1);
            if (rows != files.stream().mapToLong(DataFile::rows).sum()) {
                throw new IllegalArgumentException("rows " + rows + " is not the sum of the files' rows");
            }
            return new Meta(schema, partitionColumn, rows, Instant.parse(node.path("created").asText()), dataDir, List.copyOf(files));
        } catch (RuntimeException e) {
            throw damaged(table, file, e.getMessage());
        }
    }

    private void writeMeta(Path file, Meta meta) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("format", FORMAT);
        node.put("version", FORMAT_VERSION);
        node.put("created", meta.created().toString());
        ArrayNode columns = node.putArray("columns");
        for (Column c : meta.schema().columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type().name());
        }
        node.put("partition_column", meta.partitionColumn());
        node.put("rows", meta.rows());
        node.put("data", meta.dataDir());
        ArrayNode files = node.putArray("files");
        for (DataFile f : meta.files()) {
            files.addObject().put("partition", f.partition()).put("file", f.fileName()).put("rows", f.rows());
        }
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            out.write('\n');
            out.getFD().sync();
        }
    }

    private IllegalStateException damaged(String table, Path file, String why) {
        return new IllegalStateException("table '" + table + "' in " + describe() + " is damaged: " + file + ": " + why
                + "; drop it with `hopper table drop " + table + "` and write it again");
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /** Reads the files and hands their rows to the consumer in the order written (a merge on row numbers). */
    private void read(String table, Meta meta, List<DataFile> files, Consumer<Row> consumer) {
        Path dataDir = tableDir(table).resolve(meta.dataDir());
        List<PartReader> readers = new ArrayList<>();
        try {
            PriorityQueue<PartReader> queue = new PriorityQueue<>(Comparator.comparingLong(PartReader::rowNumber));
            for (DataFile f : files) {
                PartReader r = new PartReader(table, meta.schema(), dataDir.resolve(f.fileName()), f.rows());
                readers.add(r);
                if (r.advance()) {
                    queue.add(r);
                }
            }
            while (!queue.isEmpty()) {
                PartReader r = queue.poll();
                consumer.accept(r.row());
                if (r.advance()) {
                    queue.add(r);
                }
            }
        } finally {
            for (PartReader r : readers) {
                r.close();
            }
        }
    }

    /** Reads the rows of one data file. */
    private final class PartReader implements Closeable {
        private final String table;
        private final Schema schema;
        private final Path file;
        private final DataInputStream in;
        private long remaining;
        private long rowNumber;
        private Row row;

        PartReader(String table, Schema schema, Path file, long rows) {
            this.table = table;
            this.schema = schema;
            this.file = file;
            this.remaining = rows;
            try {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), IO_BUFFER));
            } catch (IOException e) {
                throw damaged(table, file, "cannot open: " + e);
            }
            try {
                if (in.readInt() != RowCodec.MAGIC) {
                    throw damaged(table, file, "not a Hopper data file");
                }
                int version = in.readInt();
                if (version != FORMAT_VERSION) {
                    throw damaged(table, file, "data file version " + version + " in a version " + FORMAT_VERSION + " table");
                }
            } catch (IOException e) {
                close();
                throw damaged(table, file, e.toString());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        boolean advance() {
            try {
                if (remaining == 0) {
                    if (in.read() != -1) {
                        throw damaged(table, file, "it holds more rows than " + META_FILE + " says");
                    }
                    return false;
                }
                rowNumber = in.readLong();
                row = RowCodec.read(in, schema);
                remaining--;
                return true;
            } catch (IOException e) {
                throw damaged(table, file, e.toString());
            }
        }

        long rowNumber() {
            return rowNumber;
        }

        Row row() {
            return row;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** An open data file of a writer. */
    private static final class PartWriter {
        final Integer partition;
        final FileOutputStream file;
        final DataOutputStream out;
        long rows;

        PartWriter(Path dir, Integer partition) throws IOException {
            this.partition = partition;
            this.file = new FileOutputStream(dir.resolve(new DataFile(partition, 0).fileName()).toFile());
            this.out = new DataOutputStream(new BufferedOutputStream(file, IO_BUFFER));
            out.writeInt(RowCodec.MAGIC);
            out.writeInt(FORMAT_VERSION);
        }

        void finish() throws IOException {
            out.flush();
            file.getFD().sync();
            out.close();
        }
    }

    private enum WriterState { OPEN, COMMITTED, CLOSED }

    /** Writes a table into a staging directory inside the store and publishes it on commit. */
    private final class FileTableWriter implements TableWriter {
        private final String table;
        private final Schema schema;
        private final String partitionColumn;
        private final int partitionIndex;
        private final boolean replace;
        private final Path stage;
        private final String dataName;
        private final Path dataDir;
        private final Map<Integer, PartWriter> parts = new LinkedHashMap<>();
        private long rows;
        private WriterState state = WriterState.OPEN;

        FileTableWriter(String table, Schema schema, String partitionColumn, boolean replace) {
            TableNames.requireTable(table);
            this.table = table;
            this.schema = schema;
            this.partitionColumn = partitionColumn;
            this.partitionIndex = StoreChecks.partitionIndex(table, schema, partitionColumn);
            this.replace = replace;
            if (!replace && exists(table)) {
                throw StoreChecks.alreadyExists(table, FileStore.this);
            }
            this.dataName = "data-" + UUID.randomUUID().toString().replace("-", "");
            try {
                Files.createDirectories(root);
                this.stage = Files.createDirectory(root.resolve(".tmp-" + table + "-" + UUID.randomUUID()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write table '" + table + "' in " + describe() + ": " + e, e);
            }
            this.dataDir = stage.resolve(dataName);
            try {
                Files.createDirectory(dataDir);
                if (partitionIndex < 0) {
                    parts.put(null, new PartWriter(dataDir, null));
                }
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void add(Row row) {
            requireOpen();
            StoreChecks.checkRow(table, schema, row);
            Integer partition = partitionIndex < 0 ? null : StoreChecks.partitionValue(table, schema, partitionIndex, row);
            try {
                PartWriter part = parts.get(partition);
                if (part == null) {
                    part = new PartWriter(dataDir, partition);
                    parts.put(partition, part);
                }
                part.out.writeLong(rows);
                RowCodec.write(part.out, schema, row);
                part.rows++;
                rows++;
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void commit() {
            requireOpen();
            List<DataFile> files = new ArrayList<>();
            try {
                for (PartWriter p : parts.values()) {
                    p.finish();
                    files.add(new DataFile(p.partition, p.rows));
                }
                files.sort(Comparator.comparing(DataFile::partition, Comparator.nullsFirst(Comparator.naturalOrder())));
                writeMeta(stage.resolve(META_FILE), new Meta(schema, partitionColumn, rows, Instant.now(), dataName, files));
                Path target = root.resolve(table);
                if (replace && exists(table)) {
                    Files.move(dataDir, target.resolve(dataName), StandardCopyOption.ATOMIC_MOVE);
                    Files.move(stage.resolve(META_FILE), target.resolve(META_FILE), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    state = WriterState.COMMITTED;
                    deleteOldData(target);
                    deleteTree(stage);
                } else {
                    if (exists(table)) {
                        throw StoreChecks.alreadyExists(table, FileStore.this);
                    }
                    Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
                    state = WriterState.COMMITTED;
                }
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw StoreChecks.alreadyExists(table, FileStore.this);
            } catch (IOException e) {
                throw failed(e);
            } finally {
                close();
            }
        }

        /** Deletes what the replaced table left in its directory: everything but table.json and the new data. */
        private void deleteOldData(Path target) throws IOException {
            try (Stream<Path> children = Files.list(target)) {
                for (Path p : children.toList()) {
                    String name = p.getFileName().toString();
                    if (!name.equals(META_FILE) && !name.equals(dataName)) {
                        deleteTree(p);
                    }
                }
            }
        }

        @Override
        public void close() {
            if (state == WriterState.OPEN) {
                state = WriterState.CLOSED;
                for (PartWriter p : parts.values()) {
                    try {
                        p.out.close();
                    } catch (IOException e) {
                        // the staging directory goes anyway
                    }
                }
                deleteTree(stage);
            }
        }

        private void requireOpen() {
            if (state != WriterState.OPEN) {
                throw new IllegalStateException("the writer of table '" + table + "' is " + state.name().toLowerCase()
                        + "; start a new writer with create");
            }
        }

        private UncheckedIOException failed(IOException e) {
            close();
            return new UncheckedIOException("cannot write table '" + table + "' in " + describe() + ": " + e, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e, e);
        }
    }
}
