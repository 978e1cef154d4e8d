package io.hopper.store;

import io.hopper.store.FileTableMeta.DataFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes one table of an operation into its staging directory; the operation publishes it. */
final class FileTableWriter implements TableWriter {
    /** Where a writer is: open for rows, committed (staged in its operation) or closed without a commit. */
    private enum State { OPEN, COMMITTED, CLOSED }

    private final FileOperation operation;
    private final String table;
    private final Schema schema;
    private final String partitionColumn;
    private final int partitionIndex;
    private final Path stage;
    private final String dataName;
    private final Path dataDir;
    private final Map<Integer, DataFileWriter> parts = new LinkedHashMap<>();
    private long rows;
    private State state = State.OPEN;

    FileTableWriter(FileOperation operation, String table, Schema schema, String partitionColumn, Path stage) {
        this.operation = operation;
        this.table = table;
        this.schema = schema;
        this.partitionColumn = partitionColumn;
        this.partitionIndex = StoreChecks.partitionIndex(table, schema, partitionColumn);
        this.stage = stage;
        this.dataName = FileTableMeta.newDataDir();
        this.dataDir = stage.resolve(dataName);
        try {
            Files.createDirectories(dataDir);
            if (partitionIndex < 0) {
                parts.put(null, new DataFileWriter(dataDir, null));
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
            DataFileWriter part = parts.get(partition);
            if (part == null) {
                part = new DataFileWriter(dataDir, partition);
                parts.put(partition, part);
            }
            part.write(rows, schema, row);
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
            for (DataFileWriter p : parts.values()) {
                files.add(p.finish());
            }
            files.sort(Comparator.comparing(DataFile::partition, Comparator.nullsFirst(Comparator.naturalOrder())));
            byte[] meta = new FileTableMeta(FileStore.FORMAT_VERSION, schema, partitionColumn, rows, Instant.now(), dataName, files)
                        .toBytes();
            DirectoryFiles.writeSynced(stage.resolve(FileStore.META_FILE), meta);
            DirectoryFiles.syncDirectory(dataDir);
            state = State.COMMITTED;
            operation.staged(table);
        } catch (IOException e) {
            throw failed(e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (state == State.OPEN) {
            state = State.CLOSED;
            for (DataFileWriter p : parts.values()) {
                p.abandon();
            }
            DirectoryFiles.deleteTree(stage);
        }
    }

    /** The table this writer writes. */
    String table() {
        return table;
    }

    /** Whether rows may still be added (neither committed nor closed). */
    boolean isOpen() {
        return state == State.OPEN;
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the writer of table '" + table + "' is " + state.name().toLowerCase()
                    + "; start a new writer with create");
        }
    }

    private UncheckedIOException failed(IOException e) {
        close();
        return new UncheckedIOException("cannot write table '" + table + "' in " + operation.store().describe() + ": " + e, e);
    }
}
