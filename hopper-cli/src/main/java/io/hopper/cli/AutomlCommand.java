package io.hopper.cli;

import io.hopper.automl.AutomlResult;
import io.hopper.automl.AutomlSpec;
import io.hopper.automl.HyperbandSchedule;
import io.hopper.fit.OutputTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code hopper automl}: MADlib's madlib_keras_automl (Hyperband, hyperopt's TPE) plus ASHA, Population Based Training
 * and plain random search; prints where
 * each configuration stopped, the best one and the HTML report's path, and every fit's progress on stderr.
 */
@Command(name = "automl", sortOptions = false, showDefaultValues = true,
        description = "Search configurations drawn from parameter grids, stopping weak ones early (hyperband, asha), proposing "
                + "them from the results so far (tpe), letting the weak copy and perturb the strong (pbt) or not (random), in one "
                + "fit session; writes O, O_info (with bracket s and round i, rung, or pbt's lineage), O_summary, O_schedule, "
                + "O_leaderboard (ranked as the search ranks) and the mst table.")
final class AutomlCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Spec
    CommandSpec spec;

    @Mixin
    ProgressOptions progressOptions;

    @Option(names = "--source-table", required = true, paramLabel = "S", description = "The packed training table.")
    String sourceTable;

    @Option(names = "--model-output-table", required = true, paramLabel = "O", description = "The output model table (must not exist).")
    String outputTable;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table.")
    String archTable;

    @Option(names = "--model-selection-table", paramLabel = "M",
            description = "The mst table of the configurations drawn (must not exist; default: O_mst).")
    String mstTable;

    @Option(names = "--model-id-list", required = true, split = ",", paramLabel = "ID", description = "Model ids, comma-separated.")
    List<Integer> modelIds;

    @Option(names = "--compile-params-grid", required = true, paramLabel = "DICT",
            description = "As generate-model-configs, e.g. \"{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
                    + "[{'optimizer': ['Adam'], 'lr': [0.0001, 0.1, 'log']}], 'metrics': ['accuracy']}\".")
    String compileParamsGrid;

    @Option(names = "--fit-params-grid", required = true, paramLabel = "DICT",
            description = "As generate-model-configs, e.g. \"{'batch_size': [16, 64], 'epochs': [1]}\".")
    String fitParamsGrid;

    @Option(names = "--automl-method", defaultValue = "hyperband", paramLabel = "hyperband|asha|random|tpe|pbt",
            description = "hyperband: MADlib's brackets of successive halving; asha: asynchronous successive halving; "
                    + "random: every configuration trained to R; tpe: MADlib's hyperopt (Tree-structured Parzen Estimator); "
                    + "pbt: Population Based Training.")
    AutomlSpec.Method method;

    @Option(names = "--automl-params", paramLabel = "PARAMS",
            description = "hyperband: R, eta, skip_last (default \"" + HyperbandSchedule.DEFAULT_PARAMS + "\"); asha: R, eta, "
                    + "min_r, num_configs (e.g. \"R=9, eta=3, min_r=1, num_configs=27\"); random: R, num_configs; tpe: "
                    + "num_configs (20), num_iterations (5), algorithm=tpe|rand, bucket_size (MADlib's waves; default none), "
                    + "gamma (0.25), n_ei_candidates (24), n_startup (5); pbt: population, interval, iterations, quantile (0.25), "
                    + "resample_probability (0.25), e.g. \"population=8, interval=2, iterations=10\". Unknown keys are errors.")
    String automlParams;

    @Option(names = "--random-state", defaultValue = "0", paramLabel = "S",
            description = "Seed of the configuration draws and of every fit.")
    long randomState;

    @Option(names = "--validation-table", paramLabel = "V", description = "A packed validation table; configurations are ranked on it.")
    String validationTable;

    @Option(names = "--rank-by", defaultValue = "loss", paramLabel = "loss|metric",
            description = "Rank by the loss (lower is better) or by the compile_params metric in its own direction.")
    AutomlSpec.RankBy rankBy;

    @Option(names = "--name", description = "A name for O_summary.")
    String name;

    @Option(names = "--description", description = "A description for O_summary.")
    String description;

    @Mixin
    RunOptionsMixin run;

    @Option(names = "--resume",
            description = "Continue the interrupted search of O from its checkpoint O_checkpoint (give the same arguments): its "
                    + "decisions are replayed from the recorded results and only units not done run.")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "Checkpoint after a finished unit at most this often (besides whenever a configuration reaches its "
                    + "target); 0 = at targets only.")
    long checkpointEvery;

    @Option(names = "--report-out", paramLabel = "FILE.html", description = "Where to write the HTML report (default: <store>/html-reports/O.html).")
    Path reportOut;

    @Override
    public void run() {
        AutomlSpec.Builder b = AutomlSpec.builder().setSourceTable(sourceTable).setModelOutputTable(outputTable)
                .setModelArchTable(archTable).setModelSelectionTable(mstTable == null ? outputTable + "_mst" : mstTable)
                .setModelIds(modelIds).setCompileParamsGrid(compileParamsGrid).setFitParamsGrid(fitParamsGrid).optMethod(method)
                .optAutomlParams(automlParams).optRunOptions(run.options(randomState)).optValidationTable(validationTable)
                .optRankBy(rankBy).optName(name).optDescription(description).optResume(resume)
                .optCheckpointEvery(java.time.Duration.ofSeconds(checkpointEvery));
        AutomlSpec automl = b.build();
        PrintWriter err = spec.commandLine().getErr();
        AutomlResult result = root.hopper().automl(automl, progressOptions.on(err), run.engines(root.storeLocation(), root.storeRetry()));
        PrintWriter out = root.out();
        String ranked = (validationTable == null ? "training_" : "validation_") + rankBy.label();
        out.println("mst_key  stopped_at  iterations  " + ranked);
        for (AutomlResult.Trial t : result.trials()) {
            out.println(t.mstKey() + "  " + t.stage() + "  " + t.iterations() + "  " + String.format(Locale.ROOT, "%.4f", t.score()));
        }
        double best = result.trials().stream().filter(t -> t.mstKey() == result.bestMstKey()).findFirst().orElseThrow().score();
        out.println(String.format(Locale.ROOT, "best mst_key %d (%s %.4f); %d configurations, %d iterations in %d fits, %.1f s; "
                        + "wrote %s, %s", result.bestMstKey(), ranked, best, result.trials().size(), result.totalIterations(),
                result.fitCalls(), result.seconds(),
                String.join(", ", OutputTables.written(root.hopper().store(), outputTable)),
                automl.modelSelectionTable()));
        if (!result.resumed().isEmpty()) {
            out.println(result.resumed());
        }
        out.println("report: " + root.hopper().report(outputTable, Optional.ofNullable(reportOut)).toAbsolutePath());
    }
}
