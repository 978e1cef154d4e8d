package io.hopper.report;

import io.hopper.automl.AutomlSpec;
import io.hopper.automl.AutomlSpec.Method;
import io.hopper.fit.FitSpec;
import io.hopper.fit.RunOptions;
import io.hopper.api.Hopper;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.model.ModelArchTable;
import io.hopper.store.FileStore;
import io.hopper.store.Store;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real automl outputs on iris (3 partitions, MADlib's iris MLP, validation on iris itself) for report tests:
 * {@code asha} (R=4, eta=2, min_r=1, 6 configurations, 2 workers: rungs of 1, 2 and 4 iterations), {@code hb}
 * (Hyperband R=3, eta=3: bracket 1 starts 3 configurations, bracket 0 two) and {@code rnd} (random, R=1, 2
 * configurations, no validation table). A few seconds in all.
 */
final class Searches {
    private static final String X = "sepal_length,sepal_width,petal_length,petal_width";
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [8, 16], 'epochs': [1]}";

    private Searches() {
    }

    /** A store in {@code dir} holding the three searches' outputs. */
    static Store build(Path dir) throws IOException, URISyntaxException {
        Store store = new FileStore(dir.resolve("store"));
        Path iris = resource("/iris.csv");
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(iris))
                .setOutputTable("iris").setDependentVarname("species").setIndependentVarname(X).optPartitions(3).optSeed(7).build());
        new ValidationPreprocessor(store).preprocess(ValidationPreprocessSpec.builder().setSource(new SourceSpec.Csv(iris))
                .setOutputTable("iris_v").setTrainingPreprocessorTable("iris").setDependentVarname("species")
                .setIndependentVarname(X).build());
        ModelArchTable.load(store, "arch", Files.readString(resource("/keras/01_madlib_iris_mlp_keras216.json")), null, "mlp", null);
        Hopper hopper = Hopper.on(store);
        hopper.automl(spec("asha", Method.ASHA, "R=4, eta=2, min_r=1, num_configs=6").optValidationTable("iris_v")
                .optName("iris asha").build());
        hopper.automl(spec("hb", Method.HYPERBAND, "R=3, eta=3").optValidationTable("iris_v").build());
        hopper.automl(spec("rnd", Method.RANDOM, "R=1, num_configs=2").build());
        return store;
    }

    private static AutomlSpec.Builder spec(String out, Method method, String params) {
        return AutomlSpec.builder().setSourceTable("iris").setModelOutputTable(out).setModelArchTable("arch")
                .setModelSelectionTable(out + "_mst").setModelIds(List.of(1)).setCompileParamsGrid(COMPILE).setFitParamsGrid(FIT)
                .optMethod(method).optAutomlParams(params).optRunOptions(RunOptions.DEFAULTS.withSeed(5).withWorkers(2).withSchedule(FitSpec.Schedule.ROTATION));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Searches.class.getResource(name).toURI());
    }
}
