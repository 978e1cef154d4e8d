package io.hopper.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The operation journals of a directory store: committing an operation ({@code .ops/op-ID/commit.json}), applying
 * a committed one by atomic renames, and recovering the operations of processes that died (completing the committed,
 * deleting the others), as docs/store-format.md describes.
 */
final class FileJournal {
    /** The directory of the operations in progress, under the store's root. */
    static final String OPS = ".ops";
    /** The journal file of a committed operation, in its directory. */
    static final String JOURNAL = "commit.json";
    /** The lock file an operation's process holds while it lives, in the operation's directory. */
    static final String OWNER = "owner";
    /** The directory of an operation's staged tables. */
    static final String STAGE = "stage";
    private static final String DROPPED = "dropped";
    private static final Pattern OP_DIR = Pattern.compile("op-[0-9a-f]{32}");

    private final FileStore store;
    private final Path root;
    private final Duration lockWait;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean recovered;

    FileJournal(FileStore store, Duration lockWait) {
        this.store = store;
        this.root = store.root();
        this.lockWait = lockWait;
    }

    /** One table change of a journal: put (a staged table replaces or becomes the table) or drop. */
record Change(String table, boolean put) {
}


    /**
     * Commits an operation: writes its journal (naming every change in order) into its directory, atomically.
     *
     * @param changes the changed tables in order: true for a staged table, false for a drop
     */
    void write(Path dir, Map<String, Boolean> changes, Collection<String> lockedTables) {
        ObjectNode node = json.createObjectNode();
        node.put("format", "hopper-operation");
        node.put("version", 1);
        node.put("by", ProcessIdentity.self());
        ArrayNode list = node.putArray("changes");
        changes.forEach((t, put) -> list.addObject().put("table", t).put("change", put ? "put" : "drop"));
        try {
            Path tmp = dir.resolve(JOURNAL + ".tmp");
            DirectoryFiles.writeSynced(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            Files.move(tmp, dir.resolve(JOURNAL), StandardCopyOption.ATOMIC_MOVE);
            DirectoryFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the operation on " + lockedTables + " in " + store.describe()
                    + ": " + e, e);
        }
    }


    /**
     * Applies a committed operation's journal: each change is one or two atomic renames and is skipped when done
     * already, so applying again after a crash completes it. Then deletes the old data and the journal.
     */
    void apply(Path op) {
        List<Change> changes = read(op);
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
            DirectoryFiles.syncDirectory(root);
            for (Change c : changes) {
                if (c.put()) {
                    deleteOldData(c.table());
                }
            }
            Files.delete(op.resolve(JOURNAL));
            CommitPoints.reach(); // last: the journal is gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply the operation " + op.getFileName() + " in " + store.describe() + ": " + e
                    + "; the next command on this store completes it", e);
        }
        DirectoryFiles.deleteTree(op);
    }

    /** Moves a staged table into place: a new table by one rename, a replaced one by moving its data, then table.json. */
    private void putStaged(Path staged, Path target) throws IOException {
        if (!Files.exists(staged)) {
            return; // applied before a crash
        }
        if (!Files.isRegularFile(target.resolve(FileStore.META_FILE))) {
            if (Files.exists(target)) {
                DirectoryFiles.deleteTree(target); // the remains of a table whose drop was interrupted by hand
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        String dataName = json.readTree(staged.resolve(FileStore.META_FILE).toFile()).path("data").asText();
        if (!FileTableMeta.DATA_DIR.matcher(dataName).matches()) {
            throw new IOException("staged table " + staged + " names data directory '" + dataName + "'");
        }
        if (Files.exists(staged.resolve(dataName))) {
            Files.move(staged.resolve(dataName), target.resolve(dataName), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staged.resolve(FileStore.META_FILE), target.resolve(FileStore.META_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        DirectoryFiles.deleteTree(staged);
    }

    /** Deletes what a replaced table left in its directory: everything but table.json and the data it names. */
    private void deleteOldData(String table) throws IOException {
        Path target = root.resolve(table);
        if (!Files.isRegularFile(target.resolve(FileStore.META_FILE))) {
            return;
        }
        String current = json.readTree(target.resolve(FileStore.META_FILE).toFile()).path("data").asText();
        try (Stream<Path> children = Files.list(target)) {
            for (Path p : children.toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(FileStore.META_FILE) && !name.equals(current)) {
                    DirectoryFiles.deleteTree(p);
                }
            }
        }
    }

    private List<Change> read(Path op) {
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
            throw new IllegalStateException("the operation journal " + file + " in " + store.describe() + " is damaged: " + e.getMessage()
                    + "; its tables may be half-written: check them with `hopper table list`, then delete " + op, e);
        }
    }

    /** Completes or rolls back, once per store object, every operation whose process is gone. */
    void recoverOnce() {
        if (!recovered) {
            recover(null);
            recovered = true;
        }
    }

    /**
     * Completes every committed operation whose process is gone and deletes every uncommitted one (only these with
     * {@code table == null}); with a table, waits while a live process applies a journal naming it.
     */
    void settle(String table) {
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
                if (table != null && (!committed || read(op).stream().noneMatch(c -> c.table().equals(table)))) {
                    break;
                }
                FileLocks.Held owner = FileLocks.tryAcquire(op.resolve(OWNER), false);
                if (owner != null) {
                    try {
                        if (Files.exists(op.resolve(JOURNAL))) {
                            apply(op);
                        } else if (Files.isDirectory(op)) {
                            DirectoryFiles.deleteTree(op);
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
                            + store.describe() + " has committed but not finished applying after " + lockWait.toSeconds()
                            + " s; run this again later");
                }
                FileLocks.sleep();
            }
        }
    }
}
