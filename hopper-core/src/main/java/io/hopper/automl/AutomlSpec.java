package io.hopper.automl;

import io.hopper.fit.FitSpec;
import io.hopper.fit.RunOptions;
import io.hopper.automl.Asha;
import io.hopper.automl.HyperbandSchedule;
import io.hopper.automl.RandomParams;
import io.hopper.store.TableNames;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Hopper#automl} searches: MADlib's madlib_keras_automl parameters (Hyperband) plus ASHA and plain random
 * search, trained with fit-multiple-model.
 *
 * @param sourceTable the packed training table
 * @param modelOutputTable O (also O_info, O_summary); must not exist
 * @param modelArchTable the architecture table
 * @param modelSelectionTable the mst table of the configurations drawn; must not exist
 * @param modelIds the model ids to draw from
 * @param compileParamsGrid generate_model_configs' compile_params_grid
 * @param fitParamsGrid generate_model_configs' fit_params_grid
 * @param method hyperband, asha or random
 * @param automlParams the method's settings, checked strictly ({@link #hyperband()}, {@link #asha()}, {@link #random()},
 *     {@link #tpe()}, {@link #pbt()})
 * @param validationTable a packed validation table; configurations are ranked on it when present
 * @param rankBy rank by the loss (lower is better) or by the metric (in its own direction)
 * @param name a name for O_summary, if any
 * @param description a description for O_summary, if any
 * @param run the seed (random_state: of the configuration draws and of the training), workers, schedule, caching
 *     and memory limit, as a fit takes them
 * @param checkpointEvery write the session's checkpoint after a finished unit at most this often (besides its start and
 *     every configuration reaching its target); zero = those moments only
 * @param resume continue the interrupted search whose checkpoint {@code <out>_checkpoint} holds (same arguments)
 */
public record AutomlSpec(String sourceTable, String modelOutputTable, String modelArchTable, String modelSelectionTable,
                         List<Integer> modelIds, String compileParamsGrid, String fitParamsGrid, Method method,
                         String automlParams, Optional<String> validationTable, RankBy rankBy,
                         Optional<String> name, Optional<String> description, RunOptions run, java.time.Duration checkpointEvery,
                         boolean resume) {

    /** The search methods. */
    public enum Method {
        /** MADlib's Hyperband: brackets of successive halving. */
        HYPERBAND,
        /** Asynchronous successive halving. */
        ASHA,
        /** Every configuration trained to R: the baseline. */
        RANDOM,
        /** MADlib's hyperopt: configurations proposed by the Tree-structured Parzen Estimator (or at random). */
        TPE,
        /** Population Based Training: the bottom of the population copies the top and perturbs its settings. */
        PBT;

        /** The name as the command line and O_summary write it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What configurations are ranked by. */
    public enum RankBy {
        /** The loss: lower is better. */
        LOSS,
        /** The compile_params metric, in its own direction; every configuration must have one. */
        METRIC;

        /** The name as the command line and O_summary write it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates, including automl_params for the method. */
    public AutomlSpec {
        TableNames.requireTable(sourceTable);
        TableNames.requireTable(modelOutputTable);
        TableNames.requireTable(modelArchTable);
        TableNames.requireTable(modelSelectionTable);
        for (String longest : List.of(modelOutputTable + "_schedule", modelSelectionTable + "_summary")) {
            if (!TableNames.isIdentifier(longest)) {
                throw new IllegalArgumentException("automl: table '" + longest + "' that the search writes is too long (at most"
                        + " 63 characters); use a shorter --model-output-table or --model-selection-table");
            }
        }
        modelIds = List.copyOf(modelIds);
        if (modelIds.isEmpty()) {
            throw new IllegalArgumentException("automl: model id list is empty; give at least one model_id, e.g. --model-id-list 1");
        }
        Objects.requireNonNull(compileParamsGrid, "compileParamsGrid");
        Objects.requireNonNull(fitParamsGrid, "fitParamsGrid");
        Objects.requireNonNull(method, "method");
        automlParams = automlParams == null || automlParams.isBlank() ? "" : automlParams.strip();
        Objects.requireNonNull(validationTable, "validationTable").ifPresent(TableNames::requireTable);
        Objects.requireNonNull(rankBy, "rankBy");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(checkpointEvery, "checkpointEvery");
        if (checkpointEvery.isNegative()) {
            throw new IllegalArgumentException("--checkpoint-every " + checkpointEvery.toSeconds()
                    + " is negative; give 0 (at configurations' targets only) or more seconds");
        }
        switch (method) {
            case HYPERBAND -> HyperbandSchedule.parse(automlParams);
            case ASHA -> Asha.Params.parse(automlParams);
            case RANDOM -> RandomParams.parse(automlParams);
            case TPE -> HyperoptParams.parse(automlParams);
            case PBT -> Pbt.Params.parse(automlParams);
        }
    }

    /** random_state: the seed of the configuration draws and of the training. */
    public long randomState() {
        return run.seed();
    }

    /** The Hyperband schedule of automl_params (MADlib's defaults for missing keys). */
    public HyperbandSchedule hyperband() {
        return HyperbandSchedule.parse(automlParams);
    }

    /** ASHA's settings from automl_params. */
    public Asha.Params asha() {
        return Asha.Params.parse(automlParams);
    }

    /** Random search's settings from automl_params. */
    public RandomParams random() {
        return RandomParams.parse(automlParams);
    }

    /** TPE's (MADlib's hyperopt) settings from automl_params (MADlib's defaults for missing keys). */
    public HyperoptParams tpe() {
        return HyperoptParams.parse(automlParams);
    }

    /** PBT's settings from automl_params. */
    public Pbt.Params pbt() {
        return Pbt.Params.parse(automlParams);
    }

    /** A builder: setX for required fields, optX for optional ones. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AutomlSpec}. */
    public static final class Builder {
        private String sourceTable;
        private String modelOutputTable;
        private String modelArchTable;
        private String modelSelectionTable;
        private List<Integer> modelIds;
        private String compileParamsGrid;
        private String fitParamsGrid;
        private Method method = Method.HYPERBAND;
        private String automlParams;
        private String validationTable;
        private RankBy rankBy = RankBy.LOSS;
        private String name;
        private String description;
        private final RunOptions.Builder run = RunOptions.builder();
        private java.time.Duration checkpointEvery = io.hopper.fit.FitSpec.DEFAULT_CHECKPOINT_EVERY;
        private boolean resume;

        /** Optional: the least time between two checkpoints after units (default 60 s; zero = at targets only). */
        public Builder optCheckpointEvery(java.time.Duration every) {
            this.checkpointEvery = every;
            return this;
        }

        /** Optional: continue the interrupted search from its checkpoint (default false). */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Required: the packed training table. */
        public Builder setSourceTable(String table) {
            this.sourceTable = table;
            return this;
        }

        /** Required: the output model table. */
        public Builder setModelOutputTable(String table) {
            this.modelOutputTable = table;
            return this;
        }

        /** Required: the architecture table. */
        public Builder setModelArchTable(String table) {
            this.modelArchTable = table;
            return this;
        }

        /** Required: the mst table to create. */
        public Builder setModelSelectionTable(String table) {
            this.modelSelectionTable = table;
            return this;
        }

        /** Required: the model ids. */
        public Builder setModelIds(List<Integer> ids) {
            this.modelIds = ids;
            return this;
        }

        /** Required: compile_params_grid. */
        public Builder setCompileParamsGrid(String grid) {
            this.compileParamsGrid = grid;
            return this;
        }

        /** Required: fit_params_grid. */
        public Builder setFitParamsGrid(String grid) {
            this.fitParamsGrid = grid;
            return this;
        }

        /** Optional: the method (default hyperband). */
        public Builder optMethod(Method method) {
            this.method = method;
            return this;
        }

        /** Optional for hyperband (default {@value HyperbandSchedule#DEFAULT_PARAMS}), required otherwise. */
        public Builder optAutomlParams(String params) {
            this.automlParams = params;
            return this;
        }

        /** Optional: the seed (default 0). */
        public Builder optRandomState(long seed) {
            run.optSeed(seed);
            return this;
        }

        /** Optional: a packed validation table. */
        public Builder optValidationTable(String table) {
            this.validationTable = table;
            return this;
        }

        /** Optional: rank by loss (default) or metric. */
        public Builder optRankBy(RankBy rankBy) {
            this.rankBy = rankBy;
            return this;
        }

        /** Optional: a name. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** Optional: a description. */
        public Builder optDescription(String description) {
            this.description = description;
            return this;
        }

        /**
         * Optional: the workers, schedule, caching and memory limit, as a fit takes them (default
         * {@link RunOptions#DEFAULTS}); their seed is random_state ({@link #optRandomState} sets it too).
         */
        public Builder optRunOptions(RunOptions options) {
            run.optAll(options);
            return this;
        }

        /** Builds and validates. */
        public AutomlSpec build() {
            if (sourceTable == null || modelOutputTable == null || modelArchTable == null || modelSelectionTable == null
                    || modelIds == null || compileParamsGrid == null || fitParamsGrid == null) {
                throw new IllegalArgumentException("automl needs --source-table, --model-output-table, --model-arch-table, "
                        + "--model-selection-table, --model-id-list, --compile-params-grid and --fit-params-grid");
            }
            return new AutomlSpec(sourceTable, modelOutputTable, modelArchTable, modelSelectionTable, modelIds,
                    compileParamsGrid, fitParamsGrid, method, automlParams, Optional.ofNullable(validationTable),
                    rankBy, Optional.ofNullable(name), Optional.ofNullable(description), run.build(), checkpointEvery, resume);
        }
    }
}
