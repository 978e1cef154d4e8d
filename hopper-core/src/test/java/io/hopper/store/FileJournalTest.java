package io.hopper.store;

import static io.hopper.store.StoreTestRows.ALL_TYPES;
import static io.hopper.store.StoreTestRows.allTypesRows;
import static io.hopper.store.StoreTestRows.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of the operations a dead process left: committed ones are completed, the others rolled back. */
class FileJournalTest {
    private static final String OP = "op-0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    /**
     * Builds, by hand, the directory of an operation of a dead process (its owner file is there, unlocked) that
     * staged a copy of {@code source} as {@code staged}.
     */
    private static Path stagedOperation(Path root, String source, String staged) throws IOException {
        Path op = root.resolve(FileJournal.OPS).resolve(OP);
        Path stage = op.resolve(FileJournal.STAGE).resolve(staged);
        Files.createDirectories(stage);
        Files.writeString(op.resolve(FileJournal.OWNER), "pid 1 on a machine that rebooted");
        try (Stream<Path> files = Files.walk(root.resolve(source))) {
            for (Path p : files.toList()) {
                Path target = stage.resolve(root.resolve(source).relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return op;
    }

    @Test
    void aCommittedOperationOfADeadProcessIsCompletedByTheNextStore() throws IOException {
        Path root = tmp.resolve("store");
        new FileStore(root).write("a", ALL_TYPES, allTypesRows());
        Path op = stagedOperation(root, "a", "b");
        Files.writeString(op.resolve(FileJournal.JOURNAL), """
                {"format": "hopper-operation", "version": 1, "by": "pid 1 on gone",
                 "changes": [{"table": "b", "change": "put"}, {"table": "a", "change": "drop"}]}
                """);

        FileStore next = new FileStore(root);
        assertEquals(List.of("b"), next.listTables(), "both changes applied: b put, a dropped");
        assertRowsEqual(allTypesRows(), next.readAll("b"));
        assertFalse(Files.exists(op), "the applied operation's directory is deleted");
    }

    @Test
    void anUncommittedOperationOfADeadProcessIsRolledBack() throws IOException {
        Path root = tmp.resolve("store");
        new FileStore(root).write("a", ALL_TYPES, allTypesRows());
        Path op = stagedOperation(root, "a", "c");

        FileStore next = new FileStore(root);
        assertEquals(List.of("a"), next.listTables(), "nothing of the operation is visible");
        assertFalse(Files.exists(op), "the staged table is deleted");
        assertFalse(next.exists("c"));
    }

    @Test
    void aDamagedJournalIsRefusedNamingItsFileAndWhatToDo() throws IOException {
        Path root = tmp.resolve("store");
        new FileStore(root).write("a", ALL_TYPES, allTypesRows());
        Path op = stagedOperation(root, "a", "b");
        Files.writeString(op.resolve(FileJournal.JOURNAL), """
                {"changes": [{"table": "b", "change": "rename"}]}
                """);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FileStore(root).listTables());
        assertTrue(e.getMessage().contains(op.resolve(FileJournal.JOURNAL) + " in directory " + root + " is damaged"),
                e.getMessage());
        assertTrue(e.getMessage().contains("unknown change 'rename'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("then delete " + op), e.getMessage());
    }
}
