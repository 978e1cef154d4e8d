package io.hopper.store;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A PostgreSQL server of a test's own, started with the project's .ci/start-postgres.sh in its own directory and on
 * its own port, so that the test may stop and restart it (the shared server of the other tests is never touched).
 * Unavailable (no PostgreSQL 15 binaries, no script): the test is skipped, unless CI=true where it fails.
 */
public final class PrivatePostgres {
    private static final String PG_CTL = "/usr/lib/postgresql/15/bin/pg_ctl";

    private final Path script;
    private final Path dir;
    private final int port;
    private String url;

    /** A server in {@code dir} on 127.0.0.1:{@code port}; not started yet. */
    public PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.isRegularFile(here.resolve(".ci/start-postgres.sh"))) {
            here = here.getParent();
        }
        this.script = here == null ? null : here.resolve(".ci/start-postgres.sh");
    }

    /** Starts the server (initialising it on the first start) and returns its JDBC URL. */
    public String start() {
        if (script == null || !Files.isExecutable(Path.of(PG_CTL))) {
            unavailable("no .ci/start-postgres.sh above " + Path.of("").toAbsolutePath() + " or no " + PG_CTL);
        }
        List<String> out = run(List.of("bash", script.toString()));
        url = out.get(out.size() - 1).strip();
        return url;
    }

    /** Stops the server at once (fast shutdown: open connections are cut). */
    public void stop() {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(PG_CTL, "-D", dir.toString(), "-m", "fast", "-w", "stop"));
        run(cmd);
    }

    /** The URL {@link #start()} printed. */
    public String url() {
        return url;
    }

    private List<String> run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
            pb.environment().put("HOPPER_PG_DIR", dir.toString());
            pb.environment().put("HOPPER_PG_PORT", Integer.toString(port));
            Path err = Files.createTempFile("private-pg", ".log");
            pb.redirectError(err.toFile());
            Process p = pb.start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String log = Files.readString(err);
                Files.deleteIfExists(err);
                unavailable(String.join(" ", command) + " failed: " + log.strip());
            }
            Files.deleteIfExists(err);
            return stdout.lines().toList();
        } catch (IOException e) {
            unavailable(e.toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void unavailable(String why) {
        String message = "private PostgreSQL server unavailable: " + why;
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }
}
