package io.hopper.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopper.store.FileTableMeta.DataFile;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;

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

    private static final int READ_RETRIES = 5;

    private final Path root;
    private final Duration lockWait;
    private final ObjectMapper json = new ObjectMapper();
    private final FileJournal journal;

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
        this.journal = new FileJournal(this, lockWait);
    }

    /** The store directory. */
    public Path root() {
        return root;
    }

    /** How long a writer waits for another writer of one of its tables before it is refused. */
    Duration lockWait() {
        return lockWait;
    }

    /** The journals of this store's operations. */
    FileJournal journal() {
        return journal;
    }

    @Override
    public List<String> listTables() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        journal.settle(null);
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
        journal.settle(table);
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
        return new FileOperation(this, tables);
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

    // ---- metadata (table.json; writes go through FileOperation, its journal through FileJournal) ---------------

    /** A table's table.json, after any committed operation naming the table is applied; checked for its format. */
    private FileTableMeta readMeta(String table) {
        Path file = tableDir(table).resolve(META_FILE);
        journal.settle(table);
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
            return FileTableMeta.parse(table, node, version);
        } catch (RuntimeException e) {
            throw damaged(table, file, e.getMessage());
        }
    }

    /** The error for a table whose files are damaged: names the file, says why and how to recover. */
    IllegalStateException damaged(String table, Path file, String why) {
        return new IllegalStateException("table '" + table + "' in " + describe() + " is damaged: " + file + ": " + why
                + "; drop it with `hopper table drop " + table + "` and write it again from its source");
    }

    /** The error for a data file whose bytes do not match its CRC-32C. */
    IllegalStateException checksumMismatch(String table, Path file) {
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
            FileTableMeta meta = readMeta(table);
            if (partition != null && meta.partitionColumn() == null) {
                throw StoreChecks.notPartitioned(table, this);
            }
            List<DataFile> files = partition == null ? meta.files()
                    : meta.files().stream().filter(f -> f.partition().intValue() == partition).toList();
            Path dataDir = tableDir(table).resolve(meta.dataDir());
            List<DataFileReader> readers = new ArrayList<>();
            try {
                try {
                    for (DataFile f : files) {
                        readers.add(new DataFileReader(this, table, meta, dataDir.resolve(f.fileName()), f));
                    }
                } catch (NoSuchFileException e) {
                    if (attempt < READ_RETRIES && !meta.equals(readMetaOrNull(table))) {
                        continue; // replaced meanwhile: read the new version
                    }
                    throw damaged(table, dataDir.resolve(e.getFile() == null ? "?" : Path.of(e.getFile()).getFileName().toString()),
                            "missing");
                }
                PriorityQueue<DataFileReader> queue = new PriorityQueue<>(Comparator.comparingLong(DataFileReader::rowNumber));
                for (DataFileReader r : readers) {
                    if (r.advance()) {
                        queue.add(r);
                    }
                }
                while (!queue.isEmpty()) {
                    DataFileReader r = queue.poll();
                    consumer.accept(r.row());
                    if (r.advance()) {
                        queue.add(r);
                    }
                }
                return;
            } finally {
                for (DataFileReader r : readers) {
                    r.close();
                }
            }
        }
    }

    private FileTableMeta readMetaOrNull(String table) {
        try {
            return readMeta(table);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
