package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
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
     * operation directory", and the recovery deleted the live operation's directory). The OS lock is per process:
     * the recoveries run in another JVM.
     */
    @Test
    void operationsBeginningWhileAnotherProcessRecoversAreNeverTakenForDead() throws Exception {
        Path root = tmp.resolve("store");
        Path stop = tmp.resolve("stop");
        Process recoverer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Recoverer.class.getName(), root.toString(), stop.toString())
                .redirectErrorStream(true).start();
        List<String> failures;
        try {
            failures = replaceMany(root, 1000);
        } finally {
            Files.writeString(stop, "stop");
        }
        String output = new String(recoverer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, recoverer.waitFor(), output);
        assertTrue(output.startsWith("recoveries "), output);
        assertEquals(List.of(), failures);
    }

    /** The same with the recoveries in threads of this JVM (FileLocks' own set keeps threads apart). */
    @Test
    void operationsBeginningWhileOtherThreadsRecoverAreNeverTakenForDead() throws Exception {
        Path root = tmp.resolve("store");
        AtomicBoolean stop = new AtomicBoolean();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> recoverers = Stream.generate(() -> new Thread(() -> {
            try {
                while (!stop.get()) {
                    new FileStore(root).listTables();
                }
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        })).limit(2).toList();
        try {
            recoverers.forEach(Thread::start);
            failures.addAll(replaceMany(root, 500));
        } finally {
            stop.set(true);
            for (Thread t : recoverers) {
                t.join();
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Replaces table t of the store at {@code root} n times, one operation each; returns the failures' messages. */
    private static List<String> replaceMany(Path root, int n) throws Exception {
        FileStore store = new FileStore(root);
        Schema schema = Schema.of("n", ColumnType.INT);
        for (int i = 1; i <= n; i++) {
            try (StoreOperation op = store.begin(List.of("t"))) {
                op.replace("t", schema, List.of(Row.of(i))); // creates t the first time
                op.commit();
            } catch (RuntimeException e) {
                return List.of(e.getMessage());
            }
        }
        assertEquals(List.of(n), store.readAll("t").stream().map(r -> r.get(0)).toList());
        try (Stream<Path> left = Files.list(root.resolve(FileJournal.OPS))) {
            assertTrue(left.toList().isEmpty(), "every operation's directory is gone");
        }
        return List.of();
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
