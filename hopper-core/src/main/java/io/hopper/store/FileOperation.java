package io.hopper.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A write operation of the directory store: locks its tables ({@code .locks/<table>}), stages new tables under
 * {@code .ops/op-ID/stage}, and commits through the store's {@link FileJournal}.
 */
final class FileOperation extends LockingOperation {
    private static final String LOCKS = ".locks";

    private final FileStore store;
    private final Path dir;
    private final FileLocks.Held owner;
    private final List<FileLocks.Held> locks = new ArrayList<>();
    /** The tables changed so far, in order: true for a staged table, false for a drop. */
    private final Map<String, Boolean> changes = new LinkedHashMap<>();
    private final List<FileTableWriter> writers = new ArrayList<>();

    FileOperation(FileStore store, Collection<String> tables) {
        super(tables, TableNames::requireTable);
        this.store = store;
        store.journal().recoverOnce();
        this.dir = store.root().resolve(FileJournal.OPS).resolve("op-" + UUID.randomUUID().toString().replace("-", ""));
        this.owner = createOwned(dir);
        try {
            Files.createDirectories(dir.resolve(FileJournal.STAGE));
            for (String t : lockedTables()) { // sorted, so two operations never wait for each other in a cycle
                locks.add(FileLocks.acquire(store.root().resolve(LOCKS).resolve(t), store.lockWait(), holder -> new IllegalStateException(
                        "table '" + t + "' in " + store.describe() + " is being written by " + holder + "; waited "
                                + store.lockWait().toSeconds() + " s: run this again when that process has finished")));
            }
        } catch (IOException e) {
            abort();
            throw new UncheckedIOException("cannot write in " + store.describe() + ": " + e, e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Creates the operation's directory with its owner file, which appears already locked: another process's
     * recovery must never find the owner of a live operation free (it would take the operation for a dead one's).
     */
    private static FileLocks.Held createOwned(Path dir) {
        try {
            return FileLocks.createLocked(dir.resolve(FileJournal.OWNER), dir.resolve(FileJournal.OWNER + ".new"));
        } catch (RuntimeException e) {
            DirectoryFiles.deleteTree(dir);
            throw e;
        }
    }

    /** The store this operation writes. */
    FileStore store() {
        return store;
    }

    @Override
    public boolean exists(String table) {
        Boolean change = changes.get(table);
        return change != null ? change : store.exists(table);
    }

    @Override
    public TableWriter create(String table, Schema schema, String partitionColumn) {
        requireLocked(table);
        if (exists(table)) {
            throw StoreChecks.alreadyExists(table, store);
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
        DirectoryFiles.deleteTree(dir.resolve(FileJournal.STAGE).resolve(table));
        changes.remove(table);
        FileTableWriter w = new FileTableWriter(this, table, schema, partitionColumn, dir.resolve(FileJournal.STAGE).resolve(table));
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
            throw StoreChecks.missing(table, store);
        }
        DirectoryFiles.deleteTree(dir.resolve(FileJournal.STAGE).resolve(table));
        changes.put(table, false);
    }

    @Override
    public void commit() {
        requireOpen();
        for (FileTableWriter w : writers) {
            requireWriterClosed(w.table(), w.isOpen());
        }
        finish();
        try {
            if (!changes.isEmpty()) {
                CommitPoints.reach(); // 1: staged, nothing visible
                store.journal().write(dir, changes, lockedTables());
                CommitPoints.reach(); // 2: committed
                store.journal().apply(dir);
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        finish();
        for (FileTableWriter w : writers) {
            w.close();
        }
        abort();
    }

    /** Deletes the operation's directory unless its journal is there (then it is applied later), and unlocks. */
    private void abort() {
        try {
            if (!Files.exists(dir.resolve(FileJournal.JOURNAL))) {
                DirectoryFiles.deleteTree(dir);
            }
        } finally {
            for (FileLocks.Held h : locks) {
                h.close();
            }
            locks.clear();
            owner.close();
        }
    }
}
