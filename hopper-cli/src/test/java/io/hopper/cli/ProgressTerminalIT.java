package io.hopper.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code hopper} launcher's fit progress in a real 80-column terminal: a tmux session of 80 x 24 runs
 * fit-multiple-model with 8 configurations under {@code script}, which records every byte the terminal receives.
 * Every piece of the progress line (between carriage returns and line feeds) must fit in 79 columns, so that it
 * never wraps, and the final screen must hold one progress line, not a stack of them. Skipped when tmux or script is
 * missing (scripts/test.sh installs tmux), unless CI=true.
 */
class ProgressTerminalIT {
    private static final int COLUMNS = 80;

    @TempDir
    Path dir;

    private static boolean has(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void progressFitsAnEightyColumnTerminalAndStaysOnOneLine() throws Exception {
        for (String tool : List.of("tmux", "script")) {
            if (!has(tool)) {
                String why = tool + " is not installed; scripts/test.sh installs it (apt-get install tmux)";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why);
                }
                Assumptions.abort(why);
            }
        }
        Path launcher = Path.of("..", "hopper").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(launcher), launcher + " is the hopper launcher");
        String store = dir.resolve("store").toString();
        CliRun cli = new CliRun(store);
        cli.irisWithArchitecture();
        cli.ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst", "--model-id-list", "1",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='SGD(lr=0.01)', metrics=['accuracy']",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='RMSprop(lr=0.001)', metrics=['accuracy']",
                "--fit-params-list", "batch_size=16, epochs=1", "--fit-params-list", "batch_size=8, epochs=1");

        Path raw = dir.resolve("terminal.raw");
        Path done = dir.resolve("done");
        String fit = launcher + " --store " + store + " fit-multiple-model --source-table iris --model-output-table models"
                + " --model-selection-table mst --num-iterations 8 --report-out " + dir.resolve("r.html");
        String session = "hopper-progress-" + ProcessHandle.current().pid();
        String inPane = "script -q -e -c '" + fit + "' " + raw + "; echo $? > " + done + "; sleep 600";
        assertEquals(0, run("tmux", "-L", session, "new-session", "-d", "-s", session, "-x", "" + COLUMNS, "-y", "24", inPane));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.exists(done) || Files.readString(done).isBlank()) {
                if (System.nanoTime() > deadline) {
                    fail("the fit did not end within 5 minutes; terminal so far: " + (Files.exists(raw) ? Files.readString(raw) : ""));
                }
                Thread.sleep(200);
            }
            String screen = output("tmux", "-L", session, "capture-pane", "-p", "-t", session);
            String bytes = Files.readString(raw, StandardCharsets.UTF_8);
            assertEquals("0", Files.readString(done).strip(), bytes);

            List<String> pieces = new ArrayList<>(Arrays.asList(bytes.replace("\u001b[K", "").split("[\r\n]")));
            pieces.removeIf(String::isEmpty);
            List<String> progress = pieces.stream().filter(s -> s.contains("units ")).toList();
            assertTrue(progress.size() >= 3, "the line was rewritten several times: " + progress);
            for (String piece : progress) {
                assertTrue(piece.length() < COLUMNS, "a progress line of " + piece.length() + " columns: '" + piece + "'");
            }
            assertTrue(progress.get(progress.size() - 1).contains("units ") && progress.get(progress.size() - 1).contains("(100%)"),
                    progress.get(progress.size() - 1));
            long onScreen = screen.lines().filter(l -> l.contains("units ")).count();
            assertEquals(1, onScreen, "one progress line on the screen, rewritten in place:\n" + screen);
            assertTrue(screen.contains("trained 8 configurations"), screen);
        } finally {
            run("tmux", "-L", session, "kill-server");
        }
    }
}
