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
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * A store in a directory: one sub-directory per table with a {@code table.json} and binary data files, laid out as
 * docs/store-format.md describes (never Java serialization).
 *
 * <p>A table with a partition column keeps one data file per partition value, so {@link #scanPartition} opens only
 * that file. Every data file has a CRC-32C in {@code table.json}, checked when the file is read. Writes are
 * operations ({@link #begin}): each locks its tables ({@code .locks/<table>}, an OS file lock naming its holder),
 * stages new tables in its own directory under {@code .ops/}, and commits by writing a journal
 * ({@code commit.json}) that names every table change; the changes are then applied by atomic renames. A reader
 * that meets a table with a journal waits until it is applied; a journal whose process died is completed by the next
 * process that opens the store, and an operation that died before its journal is rolled back (its directory
 * deleted). A process killed at any instant thus leaves each operation's tables all as before or all as after.
 */
public final class FileStore implements Store {
    /** The format name in every {@code table.json}. */
    public static final String FORMAT = "hopper-table";
    /** The format version this code writes and the newest it reads (2: data files with CRC-32C). */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this code reads (1: no checksums). */
    public static final int OLDEST_FORMAT_VERSION = 1;
    /** The name of the metadata file of a table. */
    public static final String META_FILE = "table.json";
    /** The default store directory, relative to the working directory. */
    public static final String DEFAULT_DIRECTORY = "hopper-store";
    /** How long a writer waits for another writer of the same table before it is refused. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);

    /** The version of the row encoding inside data files (unchanged since format version 1). */
    private static final int DATA_VERSION = 1;
    private static final String OPS = ".ops";
    private static final String LOCKS = ".locks";
    private static final String JOURNAL = "commit.json";
    private static final String OWNER = "owner";
    private static final String STAGE = "stage";
    private static final String DROPPED = "dropped";
    private static final Pattern DATA_DIR = Pattern.compile("data-[0-9a-f]{32}");
    private static final Pattern OP_DIR = Pattern.compile("op-[0-9a-f]{32}");
    private static final int IO_BUFFER = 1 << 16;
    private static final int READ_RETRIES = 5;

    private final Path root;
    private final Duration lockWait;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean recovered;

    /**
     * A store in the given directory, which need not exist yet; writers wait up to {@link #DEFAULT_LOCK_WAIT}.
     *
     * @param root the store directory
     */
    public FileStore(Path root) {
        this(root, DEFAULT_LOCK_WAIT);
    }

    /**
     * A store in the given directory, which need not exist yet.
     *
     * @param root the store directory
     * @param lockWait how long a writer waits for another writer of one of its tables before it is refused
     */
    public FileStore(Path root, Duration lockWait) {
        this.root = root.toAbsolutePath().normalize();
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("lock wait " + lockWait + " is negative; give zero or more");
        }
        this.lockWait = lockWait;
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("--store: '" + this.root + "' is a file, not a directory; give a directory"
                    + " (created on the first write) or a jdbc:postgresql://host:port/db?user=u URL");
        }
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
        settle(null);
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
        Path meta = tableDir(table).resolve(META_FILE);
        settle(table);
        return Files.isRegularFile(meta);
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
    public StoreOperation begin(Collection<String> tables) {
        return new FileOperation(tables);
    }

    @Override
    public void scan(String table, Consumer<Row> consumer) {
        read(table, null, consumer);
    }

    @Override
    public void scanPartition(String table, int partition, Consumer<Row> consumer) {
        read(table, partition, consumer);
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

    // ---- operations: locks, staging, journal, recovery --------------------------------------------------------

    /** One table change of a journal: put (a staged table replaces or becomes the table) or drop. */
    private record Change(String table, boolean put) {
    }

    /** A write operation: locks its tables, stages new tables under .ops/op-ID/stage, commits through a journal. */
    private final class FileOperation implements StoreOperation {
        private final Path dir;
        private final FileLocks.Held owner;
        private final List<FileLocks.Held> locks = new ArrayList<>();
        private final TreeSet<String> lockedTables = new TreeSet<>();
        /** The tables changed so far, in order: true for a staged table, false for a drop. */
        private final Map<String, Boolean> changes = new LinkedHashMap<>();
        private final List<FileTableWriter> writers = new ArrayList<>();
        private boolean finished;

        FileOperation(Collection<String> tables) {
            for (String t : tables) {
                lockedTables.add(TableNames.requireTable(t));
            }
            recoverOnce();
            this.dir = root.resolve(OPS).resolve("op-" + UUID.randomUUID().toString().replace("-", ""));
            this.owner = FileLocks.tryAcquire(dir.resolve(OWNER), true); // creates the directory, owner first
            try {
                if (owner == null) {
                    throw new IllegalStateException("cannot lock the new operation directory " + dir);
                }
                Files.createDirectories(dir.resolve(STAGE));
                for (String t : lockedTables) { // sorted, so two operations never wait for each other in a cycle
                    locks.add(FileLocks.acquire(root.resolve(LOCKS).resolve(t), lockWait, holder -> new IllegalStateException(
                            "table '" + t + "' in " + describe() + " is being written by " + holder + "; waited "
                                    + lockWait.toSeconds() + " s: run this again when that process has finished")));
                }
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException("cannot write in " + describe() + ": " + e, e);
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
        }

        @Override
        public boolean exists(String table) {
            Boolean change = changes.get(table);
            return change != null ? change : FileStore.this.exists(table);
        }

        @Override
        public TableWriter create(String table, Schema schema, String partitionColumn) {
            requireLocked(table);
            if (exists(table)) {
                throw StoreChecks.alreadyExists(table, FileStore.this);
            }
            return stage(table, schema, partitionColumn);
        }

        @Override
        public void replace(String table, Schema schema, List<Row> rows) {
            requireLocked(table);
            try (TableWriter w = stage(table, schema, null)) {
                for (Row r : rows) {
                    w.add(r);
                }
                w.commit();
            }
        }

        private FileTableWriter stage(String table, Schema schema, String partitionColumn) {
            deleteTree(dir.resolve(STAGE).resolve(table));
            changes.remove(table);
            FileTableWriter w = new FileTableWriter(this, table, schema, partitionColumn, dir.resolve(STAGE).resolve(table));
            writers.add(w);
            return w;
        }

        /** Called by a writer of this operation when its table is complete. */
        void staged(String table) {
            changes.put(table, true);
        }

        @Override
        public void drop(String table) {
            requireLocked(table);
            if (!exists(table)) {
                throw StoreChecks.missing(table, FileStore.this);
            }
            deleteTree(dir.resolve(STAGE).resolve(table));
            changes.put(table, false);
        }

        @Override
        public void commit() {
            requireOpen();
            for (FileTableWriter w : writers) {
                if (w.state == WriterState.OPEN) {
                    throw new IllegalStateException("the writer of table '" + w.table + "' is still open; commit or close it"
                            + " before the operation commits");
                }
            }
            finished = true;
            try {
                if (!changes.isEmpty()) {
                    CommitPoints.reach(); // 1: staged, nothing visible
                    writeJournal();
                    CommitPoints.reach(); // 2: committed
                    apply(dir);
                }
            } finally {
                close();
            }
        }

        private void writeJournal() {
            ObjectNode node = json.createObjectNode();
            node.put("format", "hopper-operation");
            node.put("version", 1);
            node.put("by", ProcessIdentity.self());
            ArrayNode list = node.putArray("changes");
            changes.forEach((t, put) -> list.addObject().put("table", t).put("change", put ? "put" : "drop"));
            try {
                Path tmp = dir.resolve(JOURNAL + ".tmp");
                writeSynced(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
                Files.move(tmp, dir.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit the operation on " + lockedTables + " in " + describe()
                        + ": " + e, e);
            }
        }

        @Override
        public void close() {
            if (!finished) {
                finished = true;
            }
            for (FileTableWriter w : writers) {
                w.close();
            }
            abort();
        }

        /** Deletes the operation's directory unless its journal is there (then it is applied later), and unlocks. */
        private void abort() {
            try {
                if (!Files.exists(dir.resolve(JOURNAL))) {
                    deleteTree(dir);
                }
            } finally {
                for (FileLocks.Held h : locks) {
                    h.close();
                }
                locks.clear();
                if (owner != null) {
                    owner.close();
                }
            }
        }

        private void requireLocked(String table) {
            requireOpen();
            if (!lockedTables.contains(TableNames.requireTable(table))) {
                throw new IllegalStateException("table '" + table + "' is not one of the tables " + lockedTables
                        + " this operation locked; name it in begin");
            }
        }

        private void requireOpen() {
            if (finished) {
                throw new IllegalStateException("the operation on " + lockedTables + " is finished; begin a new one");
            }
        }
    }

    /**
     * Applies a committed operation's journal: each change is one or two atomic renames and is skipped when done
     * already, so applying again after a crash completes it. Then deletes the old data and the journal.
     */
    private void apply(Path op) {
        List<Change> changes = readJournal(op);
        try {
            for (Change c : changes) {
                Path target = root.resolve(c.table());
                if (c.put()) {
                    putStaged(op.resolve(STAGE).resolve(c.table()), target);
                } else if (Files.exists(target)) {
                    Files.createDirectories(op.resolve(DROPPED));
                    Files.move(target, op.resolve(DROPPED).resolve(c.table()), StandardCopyOption.ATOMIC_MOVE);
                }
                CommitPoints.reach(); // 3, 4, ...: one table applied
            }
            syncDirectory(root);
            for (Change c : changes) {
                if (c.put()) {
                    deleteOldData(c.table());
                }
            }
            Files.delete(op.resolve(JOURNAL));
            CommitPoints.reach(); // last: the journal is gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply the operation " + op.getFileName() + " in " + describe() + ": " + e
                    + "; the next command on this store completes it", e);
        }
        deleteTree(op);
    }

    /** Moves a staged table into place: a new table by one rename, a replaced one by moving its data, then table.json. */
    private void putStaged(Path staged, Path target) throws IOException {
        if (!Files.exists(staged)) {
            return; // applied before a crash
        }
        if (!Files.isRegularFile(target.resolve(META_FILE))) {
            if (Files.exists(target)) {
                deleteTree(target); // the remains of a table whose drop was interrupted by hand
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        String dataName = json.readTree(staged.resolve(META_FILE).toFile()).path("data").asText();
        if (!DATA_DIR.matcher(dataName).matches()) {
            throw new IOException("staged table " + staged + " names data directory '" + dataName + "'");
        }
        if (Files.exists(staged.resolve(dataName))) {
            Files.move(staged.resolve(dataName), target.resolve(dataName), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged.resolve(META_FILE), target.resolve(META_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        deleteTree(staged);
    }

    /** Deletes what a replaced table left in its directory: everything but table.json and the data it names. */
    private void deleteOldData(String table) throws IOException {
        Path target = root.resolve(table);
        if (!Files.isRegularFile(target.resolve(META_FILE))) {
            return;
        }
        String current = json.readTree(target.resolve(META_FILE).toFile()).path("data").asText();
        try (Stream<Path> children = Files.list(target)) {
            for (Path p : children.toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(META_FILE) && !name.equals(current)) {
                    deleteTree(p);
                }
            }
        }
    }

    private List<Change> readJournal(Path op) {
        Path file = op.resolve(JOURNAL);
        try {
            JsonNode node;
            try {
                node = json.readTree(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                return List.of(); // applied and removed meanwhile
            }
            List<Change> changes = new ArrayList<>();
            for (JsonNode c : node.path("changes")) {
                String change = c.path("change").asText();
                if (!change.equals("put") && !change.equals("drop")) {
                    throw new IOException("unknown change '" + change + "'");
                }
                changes.add(new Change(TableNames.requireTable(c.path("table").asText()), change.equals("put")));
            }
            return changes;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the operation journal " + file + " in " + describe() + " is damaged: " + e.getMessage()
                    + "; its tables may be half-written: check them with `hopper table list`, then delete " + op, e);
        }
    }

    /** Completes or rolls back, once per store object, every operation whose process is gone. */
    private void recoverOnce() {
        if (!recovered) {
            recover(null);
            recovered = true;
        }
    }

    /**
     * Completes every committed operation whose process is gone and deletes every uncommitted one (only these with
     * {@code table == null}); with a table, waits while a live process applies a journal naming it.
     */
    private void settle(String table) {
        if (!recovered) {
            recoverOnce();
        } else if (table != null) {
            recover(table);
        }
    }

    private void recover(String table) {
        Path ops = root.resolve(OPS);
        if (!Files.isDirectory(ops)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> children = Files.list(ops)) {
            dirs = children.filter(p -> OP_DIR.matcher(p.getFileName().toString()).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + ops + ": " + e, e);
        }
        long deadline = System.nanoTime() + lockWait.toNanos();
        for (Path op : dirs) {
            while (true) {
                boolean committed = Files.exists(op.resolve(JOURNAL));
                if (table != null && (!committed || readJournal(op).stream().noneMatch(c -> c.table().equals(table)))) {
                    break;
                }
                FileLocks.Held owner = FileLocks.tryAcquire(op.resolve(OWNER), false);
                if (owner != null) {
                    try {
                        if (Files.exists(op.resolve(JOURNAL))) {
                            apply(op);
                        } else if (Files.isDirectory(op)) {
                            deleteTree(op);
                        }
                    } finally {
                        owner.close();
                    }
                    break;
                }
                if (!committed || !Files.exists(op.resolve(JOURNAL))) {
                    break; // a live operation that has not committed: nothing of it is visible
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("an operation of " + FileLocks.holder(op.resolve(OWNER)) + " on "
                            + describe() + " has committed but not finished applying after " + lockWait.toSeconds()
                            + " s; run this again later");
                }
                FileLocks.sleep();
            }
        }
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    /**
     * One data file: the partition value it holds (or null in an unpartitioned table), its row count and its
     * CRC-32C (null in a version 1 table).
     */
    private record DataFile(Integer partition, long rows, Long crc32c) {
        String fileName() {
            return fileName(partition);
        }

        static String fileName(Integer partition) {
            return partition == null ? "rows.bin" : "part-" + partition + ".bin";
        }
    }

    /** The content of a table.json. */
    private record Meta(int version, Schema schema, String partitionColumn, long rows, Instant created, String dataDir,
                        List<DataFile> files) {
    }

    private Meta readMeta(String table) {
        Path file = tableDir(table).resolve(META_FILE);
        settle(table);
        JsonNode node;
        try {
            node = json.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw StoreChecks.missing(table, this);
        } catch (IOException e) {
            throw damaged(table, file, e.getMessage());
        }
        if (node == null || !FORMAT.equals(node.path("format").asText())) {
            throw damaged(table, file, "format is '" + (node == null ? "" : node.path("format").asText()) + "', not '" + FORMAT + "'");
        }
        int version = node.path("version").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new IllegalStateException("table '" + table + "' in " + describe() + " was written in format version "
                    + version + " by a newer Hopper; this Hopper reads up to version " + FORMAT_VERSION + "; upgrade Hopper");
        }
        if (version < OLDEST_FORMAT_VERSION) {
            throw damaged(table, file, "format version is missing or below " + OLDEST_FORMAT_VERSION);
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
                Long crc = null;
                if (version >= 2) {
                    String hex = f.path("crc32c").asText();
                    if (!hex.matches("[0-9a-f]{8}")) {
                        throw new IllegalArgumentException("file " + DataFile.fileName(partition) + " has no crc32c of 8 hex digits");
                    }
                    crc = Long.parseLong(hex, 16);
                }
                files.add(new DataFile(partition, f.path("rows").asLong(), crc));
            }
            long rows = node.path("rows").asLong(-1);
            if (rows != files.stream().mapToLong(DataFile::rows).sum()) {
                throw new IllegalArgumentException("rows " + rows + " is not the sum of the files' rows");
            }
            return new Meta(version, schema, partitionColumn, rows, Instant.parse(node.path("created").asText()), dataDir,
                    List.copyOf(files));
        } catch (RuntimeException e) {
            throw damaged(table, file, e.getMessage());
        }
    }

    private byte[] metaBytes(Meta meta) throws IOException {
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
            files.addObject().put("partition", f.partition()).put("file", f.fileName()).put("rows", f.rows())
                    .put("crc32c", String.format("%08x", f.crc32c()));
        }
        byte[] text = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        byte[] withNewline = java.util.Arrays.copyOf(text, text.length + 1);
        withNewline[text.length] = '\n';
        return withNewline;
    }

    private IllegalStateException damaged(String table, Path file, String why) {
        return new IllegalStateException("table '" + table + "' in " + describe() + " is damaged: " + file + ": " + why
                + "; drop it with `hopper table drop " + table + "` and write it again from its source");
    }

    private IllegalStateException checksumMismatch(String table, Path file) {
        return new IllegalStateException("table '" + table + "' in " + describe() + " is damaged: data file " + file
                + " does not match its CRC-32C in " + META_FILE + " (the bytes changed on disk); re-create the table from"
                + " its source (drop it with `hopper table drop " + table + "`, then run the command that wrote it)");
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * Reads a table's files (one partition's, or all when {@code partition} is null) and hands their rows to the
     * consumer in the order written (a merge on row numbers). Every file is opened before the first row goes out;
     * a file deleted by a replace that committed meanwhile makes the read start again on the new version.
     */
    private void read(String table, Integer partition, Consumer<Row> consumer) {
        for (int attempt = 1; ; attempt++) {
            Meta meta = readMeta(table);
            if (partition != null && meta.partitionColumn() == null) {
                throw StoreChecks.notPartitioned(table, this);
            }
            List<DataFile> files = partition == null ? meta.files()
                    : meta.files().stream().filter(f -> f.partition().intValue() == partition).toList();
            Path dataDir = tableDir(table).resolve(meta.dataDir());
            List<PartReader> readers = new ArrayList<>();
            try {
                try {
                    for (DataFile f : files) {
                        readers.add(new PartReader(table, meta, dataDir.resolve(f.fileName()), f));
                    }
                } catch (NoSuchFileException e) {
                    if (attempt < READ_RETRIES && !meta.equals(readMetaOrNull(table))) {
                        continue; // replaced meanwhile: read the new version
                    }
                    throw damaged(table, dataDir.resolve(e.getFile() == null ? "?" : Path.of(e.getFile()).getFileName().toString()),
                            "missing");
                }
                PriorityQueue<PartReader> queue = new PriorityQueue<>(Comparator.comparingLong(PartReader::rowNumber));
                for (PartReader r : readers) {
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
                return;
            } finally {
                for (PartReader r : readers) {
                    r.close();
                }
            }
        }
    }

    private Meta readMetaOrNull(String table) {
        try {
            return readMeta(table);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** An input stream that keeps the CRC-32C and the count of the bytes read through it. */
    private static final class ChecksumInput extends FilterInputStream {
        private final Checksum crc = new CRC32C();
        private long count;

        ChecksumInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                crc.update(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[IO_BUFFER];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        /** Reads the rest of the file and returns the CRC-32C of all of it. */
        long finish() throws IOException {
            byte[] buffer = new byte[IO_BUFFER];
            while (read(buffer, 0, buffer.length) >= 0) {
                // counted by read
            }
            return crc.getValue();
        }
    }

    /** Reads the rows of one data file, checking its CRC-32C at the end (and on any decoding error). */
    private final class PartReader implements Closeable {
        private final String table;
        private final Schema schema;
        private final Path file;
        private final DataFile entry;
        private final ChecksumInput checked;
        private final DataInputStream in;
        private final long size;
        private long remaining;
        private long rowNumber;
        private Row row;

        PartReader(String table, Meta meta, Path file, DataFile entry) throws NoSuchFileException {
            this.table = table;
            this.schema = meta.schema();
            this.file = file;
            this.entry = entry;
            this.remaining = entry.rows();
            try {
                InputStream raw = Files.newInputStream(file);
                this.size = Files.size(file);
                this.checked = new ChecksumInput(new BufferedInputStream(raw, IO_BUFFER));
                this.in = new DataInputStream(checked);
            } catch (NoSuchFileException e) {
                throw e;
            } catch (IOException e) {
                throw damaged(table, file, "cannot open: " + e);
            }
            try {
                int magic = in.readInt();
                int version = in.readInt();
                if (magic != RowCodec.MAGIC || version != DATA_VERSION) {
                    throw corrupt(magic != RowCodec.MAGIC ? "not a Hopper data file"
                            : "data file version " + version + " in a version " + meta.version() + " table");
                }
            } catch (IOException e) {
                close();
                throw corrupt(e.toString());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        boolean advance() {
            try {
                if (remaining == 0) {
                    if (in.read() != -1) {
                        throw corrupt("it holds more rows than " + META_FILE + " says");
                    }
                    if (entry.crc32c() != null && checked.crc.getValue() != entry.crc32c()) {
                        throw checksumMismatch(table, file);
                    }
                    return false;
                }
                rowNumber = in.readLong();
                row = RowCodec.read(in, schema, size);
                remaining--;
                return true;
            } catch (IOException e) {
                throw corrupt(e.toString());
            } catch (RuntimeException e) {
                if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains(" is damaged: ")) {
                    throw e;
                }
                throw corrupt(e.toString());
            }
        }

        /** The error for bytes that do not decode: a checksum mismatch when the file has one that differs. */
        private IllegalStateException corrupt(String why) {
            if (entry.crc32c() != null) {
                try {
                    if (checked.finish() != entry.crc32c()) {
                        return checksumMismatch(table, file);
                    }
                } catch (IOException e) {
                    // report the decoding error
                }
            }
            return damaged(table, file, why);
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

    /** An output stream that keeps the CRC-32C of the bytes written through it. */
    private static final class ChecksumOutput extends FilterOutputStream {
        private final Checksum crc = new CRC32C();

        ChecksumOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
        }
    }

    /** An open data file of a writer. */
    private static final class PartWriter {
        final Integer partition;
        final FileOutputStream file;
        final ChecksumOutput checked;
        final DataOutputStream out;
        long rows;

        PartWriter(Path dir, Integer partition) throws IOException {
            this.partition = partition;
            this.file = new FileOutputStream(dir.resolve(DataFile.fileName(partition)).toFile());
            this.checked = new ChecksumOutput(file);
            this.out = new DataOutputStream(new BufferedOutputStream(checked, IO_BUFFER));
            out.writeInt(RowCodec.MAGIC);
            out.writeInt(DATA_VERSION);
        }

        DataFile finish() throws IOException {
            out.flush();
            file.getFD().sync();
            out.close();
            return new DataFile(partition, rows, checked.crc.getValue());
        }
    }

    private enum WriterState { OPEN, COMMITTED, CLOSED }

    /** Writes one table of an operation into its staging directory; the operation publishes it. */
    private final class FileTableWriter implements TableWriter {
        private final FileOperation operation;
        private final String table;
        private final Schema schema;
        private final String partitionColumn;
        private final int partitionIndex;
        private final Path stage;
        private final String dataName;
        private final Path dataDir;
        private final Map<Integer, PartWriter> parts = new LinkedHashMap<>();
        private long rows;
        private WriterState state = WriterState.OPEN;

        FileTableWriter(FileOperation operation, String table, Schema schema, String partitionColumn, Path stage) {
            this.operation = operation;
            this.table = table;
            this.schema = schema;
            this.partitionColumn = partitionColumn;
            this.partitionIndex = StoreChecks.partitionIndex(table, schema, partitionColumn);
            this.stage = stage;
            this.dataName = "data-" + UUID.randomUUID().toString().replace("-", "");
            this.dataDir = stage.resolve(dataName);
            try {
                Files.createDirectories(dataDir);
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
                    files.add(p.finish());
                }
                files.sort(Comparator.comparing(DataFile::partition, Comparator.nullsFirst(Comparator.naturalOrder())));
                byte[] meta = metaBytes(new Meta(FORMAT_VERSION, schema, partitionColumn, rows, Instant.now(), dataName, files));
                writeSynced(stage.resolve(META_FILE), meta);
                syncDirectory(dataDir);
                state = WriterState.COMMITTED;
                operation.staged(table);
            } catch (IOException e) {
                throw failed(e);
            } finally {
                close();
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

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(bytes);
            out.getFD().sync();
        }
    }

    /** Makes the renames and creations inside a directory durable (a no-op where directories cannot be opened). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform; the renames are still atomic
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
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // deleted meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e, e);
        }
    }
}
