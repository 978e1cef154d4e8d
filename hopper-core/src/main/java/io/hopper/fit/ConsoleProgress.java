package io.hopper.fit;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints a fit's memory estimate and, when asked, one progress line rewritten in place (iteration, units done of
 * total, elapsed and estimated remaining time, latest losses) at most a few times a second.
 */
public final class ConsoleProgress implements ProgressListener {
    private static final long MIN_INTERVAL_MILLIS = 250;
    private static final int MAX_LOSSES = 4;

    private final PrintWriter out;
    private final boolean showProgress;
    private long lastPrinted = -MIN_INTERVAL_MILLIS;
    private boolean printed;

    /**
     * A listener writing to {@code out}.
     *
     * @param out usually stderr
     * @param showProgress whether to print progress lines (true on a terminal)
     */
    public ConsoleProgress(PrintWriter out, boolean showProgress) {
        this.out = out;
        this.showProgress = showProgress;
    }

    /**
     * Whether progress lines belong on stderr: the {@code hopper.terminal} system property when set (the
     * {@code hopper} launcher sets it from whether stderr is a terminal), else whether the JVM has a console.
     */
    public static boolean stderrIsTerminal() {
        String told = System.getProperty("hopper.terminal");
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    /** A listener on the process's stderr that shows progress when {@link #stderrIsTerminal()}. */
    public static ConsoleProgress onStderr() {
        return new ConsoleProgress(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                stderrIsTerminal());
    }

    @Override
    public void onEstimate(MemoryEstimate estimate, long limitBytes) {
        out.println("memory: " + estimate.describe() + ", limit " + MemoryEstimate.format(limitBytes));
        out.flush();
    }

    @Override
    public void onResume(String resumedAt) {
        out.println(resumedAt);
        out.flush();
    }

    @Override
    public void onProgress(FitProgress p) {
        if (!showProgress || (p.elapsedMillis() - lastPrinted < MIN_INTERVAL_MILLIS && p.unitsDone() < p.unitsTotal())) {
            return;
        }
        lastPrinted = p.elapsedMillis();
        out.print("\r" + line(p) + "  ");
        out.flush();
        printed = true;
    }

    /** The progress line. */
    static String line(FitProgress p) {
        String losses = p.latestLosses().entrySet().stream().limit(MAX_LOSSES)
                .map(e -> e.getKey() + ":" + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining(" "));
        String more = p.latestLosses().size() > MAX_LOSSES ? " ..." : "";
        long remaining = p.estimatedRemainingMillis();
        return "iteration " + p.iteration() + "/" + p.iterations() + "  units " + p.unitsDone() + "/" + p.unitsTotal()
                + "  elapsed " + clock(p.elapsedMillis()) + "  remaining " + (remaining < 0 ? "?" : "~" + clock(remaining))
                + (losses.isEmpty() ? "" : "  loss " + losses + more);
    }

    private static String clock(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void onEnd() {
        if (printed) {
            out.println();
            out.flush();
        }
    }
}
