package io.hopper.fit;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a fit's memory estimate and its progress: on a terminal, one summary line rewritten in place (at most a few
 * times a second) that never exceeds the terminal's width; elsewhere (a log file, nohup, a notebook), one plain line
 * per iteration and at least every {@value #LOG_INTERVAL_MILLIS} ms; nothing when quiet.
 *
 * <p>Both forms give the same facts: the iteration, units done of total, elapsed time, the estimated remaining time
 * (ETA) and the best latest training loss with its mst_key. The terminal line drops the least important facts
 * (best loss, then the iteration, then the ETA) when the width is too small for all of them, and is cut to the width
 * as a last resort.
 */
public final class ConsoleProgress implements ProgressListener {
    /** Where the progress goes. */
    public enum Mode {
        /** One line rewritten in place. */
        TERMINAL,
        /** One plain line per iteration and at least every {@value #LOG_INTERVAL_MILLIS} ms. */
        LOG,
        /** No estimate, no progress. */
        QUIET
    }

    /** The longest silence between two log lines. */
    public static final long LOG_INTERVAL_MILLIS = 30_000;
    /** The width assumed when the terminal's is unknown. */
    public static final int DEFAULT_COLUMNS = 80;
    private static final long MIN_INTERVAL_MILLIS = 250;
    private static final String ERASE_TO_END_OF_LINE = "\u001b[K";

    private final PrintWriter out;
    private final Mode mode;
    private final int columns;
    private final long logIntervalMillis;
    private long lastPrinted = -MIN_INTERVAL_MILLIS;
    private boolean printed;
    private FitProgress last;
    private long lastReceivedNanos;
    private long lastLoggedNanos;
    private int loggedIteration;
    private boolean loggedLast;
    private ScheduledExecutorService timer;

    /**
     * A listener writing to {@code out}: a rewritten line on a terminal of the width {@link #terminalColumns()}, plain
     * log lines elsewhere.
     *
     * @param out usually stderr
     * @param terminal whether {@code out} is a terminal
     */
    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal ? Mode.TERMINAL : Mode.LOG, terminalColumns());
    }

    /**
     * A listener writing to {@code out}.
     *
     * @param out usually stderr
     * @param mode how progress is shown
     * @param columns the terminal's width, at least 1 (used in {@link Mode#TERMINAL})
     */
    public ConsoleProgress(PrintWriter out, Mode mode, int columns) {
        this(out, mode, columns, LOG_INTERVAL_MILLIS);
    }

    ConsoleProgress(PrintWriter out, Mode mode, int columns, long logIntervalMillis) {
        if (columns < 1 || logIntervalMillis < 1) {
            throw new IllegalArgumentException("progress: " + columns + " columns, log interval " + logIntervalMillis
                    + " ms; both must be positive");
        }
        this.out = out;
        this.mode = mode;
        this.columns = columns;
        this.logIntervalMillis = logIntervalMillis;
    }

    /**
     * Whether progress lines belong on stderr: the {@code hopper.terminal} system property when set (the
     * {@code hopper} launcher sets it from whether stderr is a terminal), else whether the JVM has a console.
     */
    public static boolean stderrIsTerminal() {
        String told = System.getProperty("hopper.terminal");
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    /**
     * The terminal's width: the {@code hopper.columns} system property (the {@code hopper} launcher asks the terminal
     * with {@code stty size}, since the JVM's stderr is a pipe through its warning filter), else the environment's
     * {@code COLUMNS}, else {@value #DEFAULT_COLUMNS}.
     */
    public static int terminalColumns() {
        for (String told : new String[] {System.getProperty("hopper.columns"), System.getenv("COLUMNS")}) {
            if (told != null && told.strip().matches("[1-9][0-9]{0,4}")) {
                return Integer.parseInt(told.strip());
            }
        }
        return DEFAULT_COLUMNS;
    }

    /** The mode for stderr: quiet when asked, else a rewritten line on a terminal and log lines elsewhere. */
    public static Mode stderrMode(boolean quiet) {
        return quiet ? Mode.QUIET : stderrIsTerminal() ? Mode.TERMINAL : Mode.LOG;
    }

    /** A listener on the process's stderr that shows progress when {@link #stderrIsTerminal()}. */
    public static ConsoleProgress onStderr() {
        return new ConsoleProgress(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                stderrIsTerminal());
    }

    @Override
    public synchronized void onEstimate(MemoryEstimate estimate, long limitBytes) {
        if (mode == Mode.QUIET) {
            return;
        }
        out.println("memory: " + estimate.describe() + ", limit " + MemoryEstimate.format(limitBytes));
        out.flush();
    }

    @Override
    public synchronized void onResume(String resumedAt) {
        if (mode == Mode.QUIET) {
            return;
        }
        out.println(resumedAt);
        out.flush();
    }

    @Override
    public synchronized void onProgress(FitProgress p) {
        last = p;
        lastReceivedNanos = System.nanoTime();
        switch (mode) {
            case TERMINAL -> {
                if (p.elapsedMillis() - lastPrinted < MIN_INTERVAL_MILLIS && p.unitsDone() < p.unitsTotal()) {
                    return;
                }
                lastPrinted = p.elapsedMillis();
                out.print("\r" + line(p, columns - 1) + ERASE_TO_END_OF_LINE);
                out.flush();
                printed = true;
            }
            case LOG -> {
                startTimer();
                boolean done = p.unitsDone() == p.unitsTotal();
                if (loggedIteration == 0) {
                    loggedIteration = p.iteration();
                }
                if (p.iteration() != loggedIteration || done && !loggedLast) {
                    // the iteration before this one has finished (or the whole fit has)
                    loggedIteration = p.iteration();
                    loggedLast = done;
                    log(p);
                }
            }
            case QUIET -> {
            }
        }
    }

    private void log(FitProgress p) {
        out.println("progress: " + String.join(", ", facts(p)));
        out.flush();
        lastLoggedNanos = System.nanoTime();
    }

    /** Starts the timer that logs the latest facts when nothing was logged for the interval. */
    private void startTimer() {
        if (timer != null) {
            return;
        }
        lastLoggedNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hopper-progress");
            t.setDaemon(true);
            return t;
        });
        long check = Math.max(1, logIntervalMillis / 10);
        timer.scheduleAtFixedRate(this::logIfSilent, check, check, TimeUnit.MILLISECONDS);
    }

    private synchronized void logIfSilent() {
        long now = System.nanoTime();
        if (last == null || loggedLast || now - lastLoggedNanos < logIntervalMillis * 1_000_000) {
            return;
        }
        long sinceLast = (now - lastReceivedNanos) / 1_000_000;
        log(new FitProgress(last.iteration(), last.iterations(), last.unitsDone(), last.unitsTotal(),
                last.elapsedMillis() + sinceLast, last.latestLosses()));
    }

    /**
     * The facts of a progress report, most important first: units, elapsed, ETA, iteration, best loss (the terminal
     * line drops them from the end when it is too narrow, then shows them in reading order).
     */
    static List<String> facts(FitProgress p) {
        List<String> facts = new ArrayList<>();
        facts.add("iteration " + p.iteration() + "/" + p.iterations());
        facts.add("units " + p.unitsDone() + "/" + p.unitsTotal() + " (" + (p.unitsTotal() == 0 ? 100 : 100 * p.unitsDone() / p.unitsTotal()) + "%)");
        facts.add("elapsed " + clock(p.elapsedMillis()));
        long remaining = p.estimatedRemainingMillis();
        facts.add("ETA " + (remaining < 0 ? "?" : clock(remaining)));
        best(p.latestLosses()).ifPresent(facts::add);
        return facts;
    }

    private static java.util.Optional<String> best(Map<Integer, Double> losses) {
        Map.Entry<Integer, Double> best = null;
        for (Map.Entry<Integer, Double> e : losses.entrySet()) {
            if (Double.isFinite(e.getValue()) && (best == null || e.getValue() < best.getValue())) {
                best = e;
            }
        }
        return best == null ? java.util.Optional.empty()
                : java.util.Optional.of("best loss " + Leaderboard.number(best.getValue()) + " (mst " + best.getKey() + ")");
    }

    /** The progress line in at most {@code width} characters (at least the units and the elapsed time unless cut). */
    static String line(FitProgress p, int width) {
        List<String> facts = facts(p);
        // drop order: best loss, iteration, ETA; units and elapsed stay
        String[] dropOrder = {"best loss", "iteration", "ETA"};
        String line = String.join("  ", facts);
        for (int i = 0; line.length() > width && i < dropOrder.length; i++) {
            String prefix = dropOrder[i];
            facts.removeIf(f -> f.startsWith(prefix));
            line = String.join("  ", facts);
        }
        return line.length() > width ? line.substring(0, Math.max(0, width)) : line;
    }

    private static String clock(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void onEnd() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (mode == Mode.LOG && last != null && !loggedLast) {
            loggedLast = true;
            log(last);
        }
        if (printed) {
            out.println();
            out.flush();
        }
    }
}
