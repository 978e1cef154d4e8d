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
import java.util.List;
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
            DeleteKerasModelCommand.class,
            ArchSummaryCommand.class,
            LoadModelSelectionTableCommand.class,
            GenerateModelConfigsCommand.class,
            FitMultipleModelCommand.class,
            AutomlCommand.class,
            HyperbandScheduleCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            PredictByomCommand.class,
            ExportModelCommand.class,
            ReportCommand.class
        })
public final class HopperCli implements Runnable {

    /** Exit status for bad input: usage or validation errors. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status for a failure at run time. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--store", paramLabel = "LOCATION", scope = CommandLine.ScopeType.INHERIT,
            description = "Where tables live: a directory or jdbc:postgresql://host:port/db?user=u (default: $HOPPER_STORE or ./hopper-store).")
    private String store;

    @Option(names = "--store-retry", scope = CommandLine.ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "" + PostgresStore.DEFAULT_RETRY_SECONDS,
            description = "How long a PostgreSQL store (this process's and, with --engine spark, the executors') retries, with backoff, when the connection drops or the server restarts (default: ${DEFAULT-VALUE}; 0 = never).")
    private long storeRetrySeconds;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces with errors.")
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

    /** How long a PostgreSQL store retries (--store-retry): the driver's and the Spark executors'. */
    java.time.Duration storeRetry() {
        if (storeRetrySeconds < 0) {
            throw new IllegalArgumentException("--store-retry " + storeRetrySeconds + " is negative; give 0 (no retry) or more seconds");
        }
        return java.time.Duration.ofSeconds(storeRetrySeconds);
    }

    /** The API on this run's store, opened on first use and closed when the command ends. */
    Hopper hopper() {
        if (hopper == null) {
            hopper = Hopper.open(storeLocation(), storeRetry());
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
        cli.setExecutionStrategy(parseResult -> {
            // picocli lets --help win over unknown words (`hopper fit --help` would print the top-level help): refuse them first
            for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
                if (!pr.unmatched().isEmpty()) {
                    throw new CommandLine.UnmatchedArgumentException(pr.commandSpec().commandLine(), pr.unmatched());
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setParameterExceptionHandler((ex, args2) -> {
            err.println("hopper: error: " + oneLine(withSuggestions(ex)));
            if (root.debug) {
                ex.printStackTrace(err);
            }
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Error fatal = fatalCause(ex);
            if (fatal != null) {
                return fatal(fatal, err, root.debug);
            }
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
        } catch (OutOfMemoryError | StackOverflowError e) {
            return fatal(e, err, root.debug);
        } finally {
            if (root.hopper != null) {
                root.hopper.close();
            }
            out.flush();
            err.flush();
        }
    }

    /** The first OutOfMemoryError or StackOverflowError in the cause chain, or null. */
    private static Error fatalCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
                return (Error) t;
            }
        }
        return null;
    }

    /** One line for running out of heap or stack, saying what to change; exit status 1. */
    static int fatal(Error e, PrintWriter err, boolean debug) {
        if (e instanceof OutOfMemoryError) {
            err.println("hopper: error: out of memory (" + oneLine(String.valueOf(e.getMessage())) + ", Java heap at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); give the JVM more heap (e.g. HOPPER_JAVA_OPTS=-Xmx8g) or"
                    + " make the input smaller (smaller files or lines, fewer --workers, configurations or --num-configs)");
        } else {
            err.println("hopper: error: the input is nested too deeply or recurses too far (stack overflow); flatten the input"
                    + " (arrays, parameter strings, Keras JSON) or give the JVM a larger stack (e.g. HOPPER_JAVA_OPTS=-Xss16m)");
        }
        if (debug) {
            e.printStackTrace(err);
        }
        return EXIT_FAILURE;
    }

    /**
     * The message of a command-line error, with picocli's "did you mean" suggestions for a misspelled option or
     * command. An unknown word is reported even when picocli found a missing required option first, since the
     * misspelling is usually why the option is missing.
     */
    static String withSuggestions(CommandLine.ParameterException ex) {
        CommandLine.ParameterException shown = ex;
        if (!(ex instanceof CommandLine.UnmatchedArgumentException)) {
            for (CommandLine c = ex.getCommandLine(); c != null; c = c.getParent()) {
                if (!c.getUnmatchedArguments().isEmpty()) {
                    shown = new CommandLine.UnmatchedArgumentException(c, c.getUnmatchedArguments());
                    break;
                }
            }
        }
        String msg = describe(shown);
        if (shown instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            msg += "; did you mean " + u.getSuggestions().stream().limit(3).map(x -> "'" + x + "'")
                    .collect(java.util.stream.Collectors.joining(" or ")) + "?";
        }
        return msg;
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return msg;
    }

    /** The longest error message printed; longer ones are cut with a note of their length. */
    static final int MAX_MESSAGE_CHARS = 1000;

    /**
     * An error message as one line: line breaks become spaces, other control characters (a terminal escape
     * sequence in a CSV header, say) are shown as Unicode escapes, and a message longer than
     * {@link #MAX_MESSAGE_CHARS} is cut.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String flat = s.replaceAll("\\s*\\R\\s*", " ").trim();
        StringBuilder b = new StringBuilder(Math.min(flat.length(), MAX_MESSAGE_CHARS + 16));
        for (int i = 0; i < flat.length() && b.length() < MAX_MESSAGE_CHARS; i++) {
            char c = flat.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= MAX_MESSAGE_CHARS && flat.length() > MAX_MESSAGE_CHARS) {
            b.setLength(MAX_MESSAGE_CHARS);
            b.append("... (").append(flat.length()).append(" characters)");
        }
        return b.toString();
    }

    /** Supplies {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.describe()};
        }
    }
}
