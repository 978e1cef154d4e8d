package io.hopper.cli;

import io.hopper.store.FileStore;
import io.hopper.store.PostgresStore;
import io.hopper.store.Row;
import io.hopper.store.Store;
import io.hopper.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations against real processes: the hopper command is killed (halted by the commit-point test hook, as a
 * SIGKILL would) at each commit point of preprocess, fit, warm start and drop, and the store is then all as before
 * or all as after; concurrent load-keras-model and generate-model-configs processes on one table keep every row
 * with distinct keys, in a directory and in PostgreSQL (HOPPER_TEST_PG_URL; the PostgreSQL parts are skipped when
 * the server is unreachable, unless CI=true).
 */
class StoreOperationsIT {
    private static final String HALT = "hopper.test.haltAtCommitPoint";
    private static final int HALTED = 86;
    private static final String IRIS_X = CliFixture.IRIS_X;
    private static final String ADAM = "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']";

    @TempDir
    Path dir;

    /** The exit status and output of one child process. */
    private record Child(int status, String output) {
    }

    private static Process start(String store, Integer haltAt, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
        if (haltAt != null) {
            cmd.add("-D" + HALT + "=" + haltAt);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HopperCli.class.getName(), "--store", store));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static Child finish(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the child finishes");
        return new Child(p.exitValue(), out);
    }

    private static Child runChild(String store, Integer haltAt, String... args) throws IOException, InterruptedException {
        return finish(start(store, haltAt, List.of(args)));
    }

    /** Every table of the store with a digest of its rows (read through the store, so checksums are verified). */
    private static Map<String, String> snapshot(Store store) {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String t : store.listTables()) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            store.scan(t, r -> sha.update(rowBytes(r)));
            tables.put(t, HexFormat.of().formatHex(sha.digest()));
        }
        return tables;
    }

    private static byte[] rowBytes(Row r) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            s.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v)).append('|');
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * Runs the command on a fresh copy of {@code base} halting at commit point 1, 2, ... until a run ends without
     * halting, and checks after each that the tables of {@code touched} are all as before or all as after (the
     * after state being the one the full run leaves; tables whose content depends on the time are compared by
     * presence only when {@code presenceOnly}).
     */
    private int killAtEachCommitPoint(Path base, Set<String> touched, String... args) throws Exception {
        return killAtEachCommitPoint(base, touched, Set.of(), args);
    }

    /**
     * {@link #killAtEachCommitPoint(Path, Set, String...)} for a command that also writes {@code others} in operations
     * of their own (a fit's checkpoint, replaced while it trains): their content is not checked, the outputs must
     * appear all at once at some commit point and stay, and from then on none of {@code others} is left (the fit's
     * final write drops its checkpoint in the outputs' operation).
     */
    private int killAtEachCommitPoint(Path base, Set<String> touched, Set<String> others, String... args) throws Exception {
        int firstAll = 0;
        Map<String, String> before;
        try (Store s = new FileStore(base)) {
            before = snapshot(s);
        }
        int points = 0;
        for (int n = 1; n < 50; n++) {
            Path copy = dir.resolve("run-" + n + "-" + System.nanoTime());
            copyTree(base, copy);
            Child c = runChild(copy.toString(), n, args);
            if (c.status() == 0) {
                break;
            }
            assertEquals(HALTED, c.status(), () -> "halted at the commit point: " + c.output());
            points = n;
            try (FileStore s = new FileStore(copy)) {
                Map<String, String> now = snapshot(s); // opening and listing recovers a committed operation
                List<String> changed = new ArrayList<>();
                for (String t : touched) {
                    if (!java.util.Objects.equals(before.get(t), now.get(t))) {
                        changed.add(t);
                    }
                }
                int k = n;
                assertTrue(changed.isEmpty() || changed.size() == touched.size(),
                        () -> "killed at commit point " + k + ": only " + changed + " of " + touched + " changed");
                for (String t : before.keySet()) {
                    if (!touched.contains(t) && !others.contains(t)) {
                        assertEquals(before.get(t), now.get(t), "an untouched table is intact");
                    }
                }
                if (n == 1) {
                    assertEquals(0, changed.size(), "before the journal nothing is visible");
                }
                if (firstAll == 0 && changed.size() == touched.size()) {
                    firstAll = n;
                }
                assertEquals(firstAll == 0 ? 0 : touched.size(), changed.size(),
                        "from the outputs' journal on, everything is visible, and stays");
                if (firstAll != 0) {
                    for (String t : others) {
                        assertFalse(now.containsKey(t), () -> "killed at commit point " + k + ": the outputs are there, so '" + t
                                + "' went in the same operation");
                    }
                }
                try (Stream<Path> ops = Files.list(copy.resolve(".ops"))) {
                    assertEquals(0, ops.count(), "recovery leaves no operation behind");
                }
            }
        }
        return points;
    }

    private Path irisStore() throws Exception {
        Path base = dir.resolve("base");
        String store = base.toString();
        CliRun cli = new CliRun(store);
        cli.ok("preprocess-training", "--source", "csv:" + CliRun.data("iris.csv"), "--output-table", "iris",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--partitions", "2", "--seed", "1");
        cli.ok("load-keras-model", "--model-arch-table", "arch", "--model-arch", CliFixture.resource("iris_mlp.json").toString());
        cli.ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst", "--model-id-list", "1",
                "--compile-params-list", ADAM, "--fit-params-list", "batch_size=16, epochs=1");
        return base;
    }

    @Test
    void killedPreprocessFitWarmStartAndDropLeaveTheStoreAsBeforeOrAsAfter() throws Exception {
        Path base = irisStore();
        int preprocess = killAtEachCommitPoint(base, Set.of("iris2", "iris2_summary"), "preprocess-training", "--source",
                "csv:" + CliRun.data("iris.csv"), "--output-table", "iris2", "--dependent-varname", "species",
                "--independent-varname", IRIS_X, "--partitions", "2");
        assertEquals(5, preprocess, "staged, journal, two tables, journal removed");

        String[] fit = {"fit-multiple-model", "--source-table", "iris", "--model-selection-table", "mst",
                "--model-output-table", "out", "--num-iterations", "1", "--workers", "2"};
        Set<String> outputs = Set.of("out", "out_info", "out_summary", "out_schedule", "out_leaderboard");
        // the fit also replaces its checkpoint (at the start and at each iteration's end); the outputs' operation drops it
        Set<String> others = Set.of("out_checkpoint");
        assertTrue(killAtEachCommitPoint(base, outputs, others, fit) >= 7);

        new CliRun(base.toString()).ok(fit);
        String[] warm = {"fit-multiple-model", "--source-table", "iris", "--model-selection-table", "mst",
                "--model-output-table", "out", "--num-iterations", "1", "--workers", "2", "--warm-start"};
        assertTrue(killAtEachCommitPoint(base, outputs, others, warm) >= 7);

        assertEquals(8, killAtEachCommitPoint(base, outputs, others, "table", "drop", "out"), "staged, journal, five tables (with the leaderboard), journal removed");
    }

    @Test
    void concurrentLoadsAndGeneratesOnADirectoryKeepEveryRow() throws Exception {
        concurrentAppends(dir.resolve("store").toString(), () -> new FileStore(dir.resolve("store")));
    }

    @Test
    void concurrentLoadsAndGeneratesOnPostgresKeepEveryRow() throws Exception {
        String url = postgres("hopper_ops_it");
        concurrentAppends(url, () -> new PostgresStore(url));
    }

    @Test
    void killedPreprocessOnPostgresLeavesNothingOrBoth() throws Exception {
        String url = postgres("hopper_ops_kill_it");
        for (int n = 1; n <= 3; n++) {
            String table = "iris_k" + n;
            Child c = runChild(url, n, "preprocess-training", "--source", "csv:" + CliRun.data("iris.csv"), "--output-table",
                    table, "--dependent-varname", "species", "--independent-varname", IRIS_X, "--partitions", "2");
            try (Store s = new PostgresStore(url)) {
                boolean both = s.exists(table) && s.exists(table + "_summary");
                boolean none = !s.exists(table) && !s.exists(table + "_summary");
                if (n == 1) {
                    assertEquals(HALTED, c.status(), c.output());
                    assertTrue(none, "killed before COMMIT: nothing");
                } else if (n == 2) {
                    assertEquals(HALTED, c.status(), c.output());
                    assertTrue(both, "killed after COMMIT: both");
                    assertEquals(150, s.readAll(table).stream().mapToInt(r -> ((List<?>) r.get(3)).isEmpty() ? 0
                            : (Integer) ((List<?>) r.get(3)).get(0)).sum(), "every row packed");
                } else {
                    assertEquals(0, c.status(), c.output());
                    assertTrue(both);
                }
            }
        }
    }

    /** A store opener for the checks after the children ran. */
    private interface Opener {
        Store open();
    }

    private void concurrentAppends(String store, Opener opener) throws Exception {
        int n = 4;
        List<Process> loads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            loads.add(start(store, null, List.of("load-keras-model", "--model-arch-table", "arch", "--model-arch",
                    CliFixture.resource("iris_mlp.json").toString(), "--name", "m" + i)));
        }
        Set<String> printedIds = new TreeSet<>();
        for (Process p : loads) {
            Child c = finish(p);
            assertEquals(0, c.status(), c.output());
            printedIds.add(c.output().strip().lines().reduce((a, b) -> b).orElse(""));
        }
        assertEquals(Set.of("1", "2", "3", "4"), printedIds, "every load got its own model_id");
        try (Store s = opener.open()) {
            List<Row> rows = s.readAll("arch");
            assertEquals(n, rows.size(), "no load lost its row");
            assertEquals(Set.of("m0", "m1", "m2", "m3"), new TreeSet<>(rows.stream().map(r -> (String) r.get(3)).toList()));
        }

        List<Process> generates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String compile = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'], 'lr': [0.00" + (i + 1)
                    + ", 0.0" + (i + 1) + "]}], 'metrics': ['accuracy']}";
            generates.add(start(store, null, List.of("generate-model-configs", "--model-arch-table", "arch",
                    "--model-selection-table", "mst", "--model-id-list", "1", "--compile-params-grid", compile,
                    "--fit-params-grid", "{'batch_size': [16], 'epochs': [1]}")));
        }
        for (Process p : generates) {
            Child c = finish(p);
            assertEquals(0, c.status(), c.output());
        }
        try (Store s = opener.open()) {
            List<Row> rows = s.readAll("mst");
            assertEquals(2 * n, rows.size(), "no generate lost its rows");
            assertEquals(2 * n, new TreeSet<>(rows.stream().map(r -> (Integer) r.get(0)).toList()).size(), "no mst_key twice");
            assertTrue(s.exists("mst_summary"));
        }
    }

    /** A URL on a fresh schema of the test server, or the test is skipped when there is none. */
    private static String postgres(String schema) {
        return TestPostgres.freshSchema(schema);
    }
}
