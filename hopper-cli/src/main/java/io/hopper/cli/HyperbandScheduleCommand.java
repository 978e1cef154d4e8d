package io.hopper.cli;

import io.hopper.automl.HyperbandSchedule;
import io.hopper.store.TableRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Optional;

/**
 * {@code hopper hyperband-schedule}: MADlib's hyperband_schedule, the bracket table (s, i, n_i, r_i) as CSV, optionally
 * written to a table.
 */
@Command(name = "hyperband-schedule", sortOptions = false, showDefaultValues = true,
        description = "Print Hyperband's bracket table (MADlib's hyperband_schedule): per round, bracket s, round i, configurations n_i, iterations r_i.")
final class HyperbandScheduleCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--R", defaultValue = "6", paramLabel = "R", description = "The most iterations one configuration trains.")
    int maxIterations;

    @Option(names = "--eta", defaultValue = "3", paramLabel = "ETA", description = "The factor each round cuts configurations by.")
    int eta;

    @Option(names = "--skip-last", defaultValue = "0", paramLabel = "S", description = "How many last rounds each bracket skips.")
    int skipLast;

    @Option(names = "--output-table", paramLabel = "T", description = "Also write the table (columns s, i, n_i, r_i), as MADlib does.")
    String outputTable;

    @Override
    public void run() {
        List<HyperbandSchedule.Round> rounds = root.hopper().hyperbandSchedule(maxIterations, eta, skipLast, Optional.ofNullable(outputTable));
        root.out().print(TableRenderer.render(HyperbandSchedule.SCHEDULE_TABLE,
                rounds.stream().map(HyperbandSchedule.Round::toRow).toList(), TableRenderer.Format.CSV));
        root.out().flush();
    }
}
