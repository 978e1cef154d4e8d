package io.hopper.cli;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.fit.OutputTables;
import io.hopper.fit.RunOptions;
import io.hopper.report.FitRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code hopper fit-multiple-model}: MADlib's madlib_keras_fit_multiple_model with Model Hopper Parallelism; prints
 * one line per configuration and the tables written, and the memory estimate and progress on stderr.
 */
@Command(name = "fit-multiple-model", sortOptions = false, showDefaultValues = true,
        description = "Train every configuration of an mst table over a packed table with Model Hopper Parallelism; "
                + "writes O, O_info, O_summary, O_schedule and O_leaderboard.")
final class FitMultipleModelCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Spec
    CommandSpec spec;

    @Mixin
    ProgressOptions progressOptions;

    @Option(names = "--source-table", paramLabel = "S", description = "The packed training table (required unless --replay).")
    String sourceTable;

    @Option(names = "--model-output-table", required = true, paramLabel = "O", description = "The output model table (must not exist unless --warm-start).")
    String outputTable;

    @Option(names = "--model-selection-table", paramLabel = "M", description = "The mst table (required unless --replay).")
    String mstTable;

    @Option(names = "--num-iterations", paramLabel = "N",
            description = "Iterations: each trains every configuration once on every partition (required unless --replay).")
    Integer numIterations;

    @Option(names = "--validation-table", paramLabel = "V", description = "A packed validation table of the source.")
    String validationTable;

    @Option(names = "--metrics-compute-frequency", paramLabel = "F", description = "Compute metrics every F iterations and at the last (default: N).")
    Integer metricsComputeFrequency;

    @Option(names = "--warm-start", description = "Continue from O's weights and optimizer state; new mst keys start fresh.")
    boolean warmStart;

    @Option(names = "--name", description = "A name for O_summary.")
    String name;

    @Option(names = "--description", description = "A description for O_summary.")
    String description;

    @Mixin
    RunOptionsMixin run;

    @Option(names = "--seed", defaultValue = "" + FitSpec.DEFAULT_SEED, paramLabel = "S", description = "Seed of every random draw.")
    long seed;

    @Option(names = "--replay", paramLabel = "O_DONE",
            description = "Re-run the finished fit O_DONE from its recorded provenance into --model-output-table; same weights.")
    String replay;

    @Option(names = "--resume",
            description = "Continue the interrupted run of O from its checkpoint O_checkpoint (give the same arguments); only units not done run.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "Within an iteration, checkpoint after a finished unit at most this often; 0 = at iteration ends only.")
    long checkpointEvery;

    @Option(names = "--report-out", paramLabel = "FILE.html", description = "Where to write the HTML report (default: <store>/html-reports/O.html).")
    Path reportOut;

    @Override
    public void run() {
        RunOptions options = run.options(seed);
        if (replay != null) {
            if (resume) {
                throw new IllegalArgumentException("--resume continues an interrupted fit-multiple-model run, not a replay; leave out "
                        + "--resume (a replay that was interrupted is simply run again)");
            }
            if (sourceTable != null || mstTable != null || numIterations != null) {
                throw new IllegalArgumentException("--replay '" + replay + "' takes the tables, iterations and settings from its record;"
                        + " leave out --source-table, --model-selection-table and --num-iterations");
            }
            PrintWriter err = spec.commandLine().getErr();
            print(root.hopper().replayFit(replay, outputTable, progressOptions.on(err)));
            return;
        }
        for (String[] required : new String[][] {{"--source-table", sourceTable}, {"--model-selection-table", mstTable},
            {"--num-iterations", numIterations == null ? null : numIterations.toString()}}) {
            if (required[1] == null) {
                throw new IllegalArgumentException(required[0] + " is required (or --replay O_DONE); give it");
            }
        }
        FitSpec.Builder b = FitSpec.builder().setSourceTable(sourceTable).setModelOutputTable(outputTable)
                .setModelSelectionTable(mstTable).setNumIterations(numIterations).optWarmStart(warmStart)
                .optRunOptions(options).optValidationTable(validationTable).optName(name).optDescription(description)
                .optResume(resume).optCheckpointEvery(java.time.Duration.ofSeconds(checkpointEvery));
        if (metricsComputeFrequency != null) {
            b.optMetricsComputeFrequency(metricsComputeFrequency);
        }
        FitSpec fit = b.build();
        PrintWriter err = spec.commandLine().getErr();
        io.hopper.fit.ProgressListener progress = progressOptions.on(err);
        print(run.engine == RunOptionsMixin.EngineKind.SPARK
                ? root.hopper().fitMultipleModel(fit, progress, run.engines(root.storeLocation(), root.storeRetry()))
                : root.hopper().fitMultipleModel(fit, progress));
    }

    private void print(FitResult result) {
        PrintWriter out = root.out();
        FitRecord.read(root.hopper().store(), outputTable).leaderboardTable().lines().forEach(out::println);
        out.println(String.format(Locale.ROOT, "trained %d configurations for %d iterations on %d workers in %.1f s; wrote %s",
                result.models().size(), result.metricsIters().get(result.metricsIters().size() - 1), result.workers(), result.trainingSeconds(),
                String.join(", ", OutputTables.written(root.hopper().store(), outputTable))));
        if (!result.resumed().isEmpty()) {
            out.println(result.resumed());
        }
        out.println("report: " + root.hopper().report(outputTable, Optional.ofNullable(reportOut)).toAbsolutePath());
    }

}
