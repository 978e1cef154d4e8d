package io.hopper.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the hopper command in-process on one store and captures what it prints. */
final class CliRun {
    private final String store;

    /** A runner that passes {@code --store store} before every command. */
    CliRun(String store) {
        this.store = store;
    }

    /** The outcome of one run: exit status, standard output and standard error. */
    record Result(int status, String out, String err) {
    }

    /** Runs {@code hopper --store STORE args...}. */
    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--store", store));
        all.addAll(List.of(args));
        int status = HopperCli.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed and returns its standard output. */
    String ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.status(), () -> String.join(" ", args) + " failed: " + r.err());
        return r.out();
    }

    /** The table names {@code hopper table list} prints. */
    List<String> tables() {
        return ok("table", "list").strip().lines().toList();
    }

    /**
     * Runs a command that must be refused as bad input: exit status 2, one line {@code hopper: error: ...} holding
     * every part, and the same tables afterwards as before.
     */
    Result refused(List<String> args, String... parts) {
        List<String> before = tables();
        Result r = run(args.toArray(String[]::new));
        String what = String.join(" ", args);
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status(), () -> what + ": " + r.err());
        assertTrue(r.err().startsWith("hopper: error: ") && r.err().endsWith("\n"), () -> what + ": " + r.err());
        assertEquals(1, r.err().lines().count(), () -> what + ": one line: " + r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), () -> what + ": '" + r.err().strip() + "' lacks '" + p + "'");
        }
        assertEquals(before, tables(), () -> what + ": no table is left behind");
        return r;
    }

    /** The path of a test file under /data on the classpath. */
    static String data(String name) {
        URL url = CliRun.class.getResource("/data/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource /data/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A test resource of this module, as a path. */
    static Path resource(String name) {
        URL url = CliRun.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Packs iris into table {@code iris} (3 partitions, seed 1) and loads MADlib's iris MLP as model 1 of {@code arch}. */
    void irisWithArchitecture() {
        ok("preprocess-training", "--source", "csv:" + resource("iris.csv"), "--output-table", "iris",
                "--dependent-varname", "species", "--independent-varname", "sepal_length,sepal_width,petal_length,petal_width",
                "--partitions", "3", "--seed", "1");
        ok("load-keras-model", "--model-arch-table", "arch", "--model-arch", resource("iris_mlp.json").toString());
    }
}
