package io.hopper.cli;

import io.hopper.api.Hopper;
import io.hopper.store.PostgresStore;
import io.hopper.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code hopper} command: global options and the subcommands named after MADlib's functions.
 *
 * <p>Exit status 0 on success, 2 on bad input, 1 on a failure at run time; errors are one line on stderr that
 * begins {@code hopper: error: }, and {@code --debug} adds the stack trace.
 */
@Command(name = "hopper",
        description = "Model selection with Model Hopper Parallelism: train many configurations over partitioned data.",
        versionProvider = HopperCli.VersionProvider.class,
        sortOptions = false,
        subcommands = {
            TableCommand.class,
            PreprocessTrainingCommand.class,
            PreprocessValidationCommand.class,
            LoadKerasModelCommand.class,
            ArchSummaryCommand.class,
            LoadModelSelectionTableCommand.class,
            GenerateModelConfigsCommand.class,
            FitMultipleModelCommand.class,
            AutomlCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            ExportModelCommand.class,
            ReportCommand.class
        })
public final class HopperCli implements Runnable {

    /** Exit status for bad input: usage or validation errors. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for a failure at run time. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--store", paramLabel = "LOCATION",
            description = "Where tables live: a directory or jdbc:postgresql://host:port/db?user=u (default: $HOPPER_STORE or ./hopper-store).")
    private String store;

    @Option(names = "--store-retry", paramLabel = "SECONDS", defaultValue = "" + PostgresStore.DEFAULT_RETRY_SECONDS,
            description = "How long a PostgreSQL store retries, with backoff, when the connection drops or the server restarts (default: ${DEFAULT-VALUE}; 0 = never).")
    private long storeRetrySeconds;

    @Option(names = "--debug", description = "Print stack traces with errors.")
    private boolean debug;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    private boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT, description = "Show this help and exit.")
    private boolean helpRequested;

    private Hopper hopper;
    private PrintWriter out;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required; run `hopper --help` to list them");
    }

    /** The store location this run uses. */
    String storeLocation() {
        if (store != null) {
            return store;
        }
        String env = System.getenv("HOPPER_STORE");
        return env == null || env.isBlank() ? "./hopper-store" : env;
    }

    /** The API on this run's store, opened on first use and closed when the command ends. */
    Hopper hopper() {
        if (hopper == null) {
            if (storeRetrySeconds < 0) {
                throw new IllegalArgumentException("--store-retry " + storeRetrySeconds + " is negative; give 0 (no retry) or more seconds");
            }
            hopper = Hopper.open(storeLocation(), java.time.Duration.ofSeconds(storeRetrySeconds));
        }
        return hopper;
    }

    /** Standard output of this run. */
    PrintWriter out() {
        return out;
    }

    /** Runs the CLI with the process's streams and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.exit(status);
    }

    /** Runs the CLI and returns the exit status; the streams receive normal output and errors. */
    public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        Locale.setDefault(Locale.ROOT);
        HopperCli root = new HopperCli();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        root.out = out;
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args2) -> {
            err.println("hopper: error: " + oneLine(ex.getMessage()));
            if (root.debug) {
                ex.printStackTrace(err);
            }
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean badInput = ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException;
            err.println("hopper: error: " + oneLine(describe(ex)));
            if (root.debug) {
                ex.printStackTrace(err);
            } else if (!badInput) {
                err.println("hopper: run again with --debug for the stack trace");
            }
            return badInput ? EXIT_BAD_INPUT : EXIT_FAILURE;
        });
        try {
            return cli.execute(args);
        } finally {
            if (root.hopper != null) {
                root.hopper.close();
            }
            out.flush();
            err.flush();
        }
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return msg;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.describe()};
        }
    }
}
