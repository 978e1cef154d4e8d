package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory store's write operation: how it begins beside other processes' recoveries. */
class FileOperationTest {
    @TempDir
    Path tmp;

    /**
     * A store opened while another operation begins recovers the operations of dead processes: it must never take
     * the owner lock of one that is being created (that failed one run of the CI with "cannot lock the new
     * operation directory", and the recovery deleted the live operation's directory).
     */
    @Test
    void operationsBeginningWhileOtherStoresRecoverAreNeverTakenForDead() throws Exception {
        Path root = tmp.resolve("store");
        FileStore store = new FileStore(root);
        Schema schema = Schema.of("n", ColumnType.INT);
        store.write("t", schema, List.of(Row.of(0)));
        // the OS lock is per process (threads of one JVM are kept apart by FileLocks' own set): recover in another
        Path stop = tmp.resolve("stop");
        Process recoverer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Recoverer.class.getName(), root.toString(), stop.toString())
                .redirectErrorStream(true).start();
        List<Throwable> failures = new ArrayList<>();
        try {
            for (int i = 1; i <= 1000; i++) {
                try (StoreOperation op = store.begin(List.of("t"))) {
                    op.replace("t", schema, List.of(Row.of(i)));
                    op.commit();
                } catch (RuntimeException e) {
                    failures.add(e);
                    break;
                }
            }
        } finally {
            Files.writeString(stop, "stop");
        }
        String output = new String(recoverer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, recoverer.waitFor(), output);
        assertTrue(output.startsWith("recoveries "), output);
        assertEquals(List.of(), failures.stream().map(Throwable::getMessage).toList());
        assertEquals(List.of(1000), store.readAll("t").stream().map(r -> r.get(0)).toList());
        try (Stream<Path> left = Files.list(root.resolve(FileJournal.OPS))) {
            assertTrue(left.toList().isEmpty(), "every operation's directory is gone");
        }
    }

    /** Opens new store objects on a directory (each recovers once) until a stop file appears; prints how many. */
    public static final class Recoverer {
        private Recoverer() {
        }

        /** Arguments: the store directory and the stop file. */
        public static void main(String[] args) {
            Path root = Path.of(args[0]);
            Path stop = Path.of(args[1]);
            long n = 0;
            while (!Files.exists(stop)) {
                new FileStore(root).listTables();
                n++;
            }
            System.out.println("recoveries " + n);
        }
    }
}
