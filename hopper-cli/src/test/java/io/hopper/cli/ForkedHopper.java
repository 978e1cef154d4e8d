package io.hopper.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hopper command in a JVM of its own (this test JVM's classpath and the launcher's JVM options), so that a test
 * can kill it with SIGKILL at a chosen moment: {@code pauseAt} (the fit's {@code hopper.test.pause-at} hook, e.g.
 * {@code train-unit:4}) makes the process stop for good at that point and say so on stderr.
 */
final class ForkedHopper implements AutoCloseable {
    private final Process process;
    private final List<String> stderr = new ArrayList<>();
    private final Thread reader;
    private final StringBuilder stdout = new StringBuilder();
    private final Thread outReader;

    /** Starts {@code hopper --store STORE args...}, pausing at {@code pauseAt} when it is not null. */
    ForkedHopper(Path store, String pauseAt, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path")));
        if (pauseAt != null) {
            cmd.add("-Dhopper.test.pause-at=" + pauseAt);
        }
        cmd.add(HopperCli.class.getName());
        cmd.addAll(List.of("--store", store.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MALLOC_MMAP_THRESHOLD_", "1073741824");
        pb.environment().put("MALLOC_TRIM_THRESHOLD_", "1073741824");
        process = pb.start();
        reader = daemon(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.add(line);
                        stderr.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process died
            }
        });
        outReader = daemon(() -> {
            try {
                String all = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (stdout) {
                    stdout.append(all);
                }
            } catch (IOException e) {
                // the process died
            }
        });
    }

    private static Thread daemon(Runnable body) {
        Thread t = new Thread(body, "forked-hopper-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until a line of stderr contains {@code text}; fails when the process ends first or after the timeout. */
    void awaitStderr(String text, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (stderr) {
            while (stderr.stream().noneMatch(l -> l.contains(text))) {
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("hopper ended (status " + process.exitValue() + ") before printing '" + text + "': " + stderr);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("hopper did not print '" + text + "' within " + timeoutSeconds + " s: " + stderr);
                }
                stderr.wait(Math.min(200, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
        }
    }

    /** Kills the process with SIGKILL (no shutdown hook, no finally block runs) and waits for it to be gone. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to end and returns its exit status. */
    int await(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("hopper did not end within " + timeoutSeconds + " s: " + stderr());
        }
        reader.join(5000);
        outReader.join(5000);
        return process.exitValue();
    }

    /** What it printed on stderr so far. */
    String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** What it printed on stdout (complete once it ended). */
    String stdout() {
        synchronized (stdout) {
            return stdout.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
