package io.hopper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code hopper report}: writes the self-contained HTML report of a fit or an automl search and prints its path.
 */
@Command(name = "report", sortOptions = false,
        description = "Write one self-contained HTML file: leaderboard, learning curves, schedule Gantt chart and utilization "
                + "(for automl: also where each configuration stopped and the promotions).")
final class ReportCommand implements Runnable {
    @ParentCommand
    HopperCli root;


    @Option(names = "--model-table", required = true, paramLabel = "O", description = "The output model table of fit-multiple-model or automl.")
    String modelTable;

    @Option(names = "--out", paramLabel = "FILE.html", description = "Where to write it (default: <store>/html-reports/O.html).")
    Path out;

    @Override
    public void run() {
        root.out().println(root.hopper().report(modelTable, Optional.ofNullable(out)).toAbsolutePath());
    }
}
