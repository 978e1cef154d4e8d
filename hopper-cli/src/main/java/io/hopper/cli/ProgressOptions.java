package io.hopper.cli;

import io.hopper.fit.ConsoleProgress;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The progress option of the training commands, as a picocli mixin. */
final class ProgressOptions {
    @Option(names = {"-q", "--quiet"}, description = "No memory estimate and no progress on stderr (errors still go there).")
    boolean quiet;

    /**
     * The progress listener on {@code err}: a line that fits the terminal when stderr is one, plain log lines (one per
     * iteration, at least every 30 s) when it is not, nothing with --quiet.
     */
    ConsoleProgress on(PrintWriter err) {
        return new ConsoleProgress(err, ConsoleProgress.stderrMode(quiet), ConsoleProgress.terminalColumns());
    }
}
