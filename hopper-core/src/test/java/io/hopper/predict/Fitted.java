package io.hopper.predict;

import io.hopper.fit.FitSpec;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.fit.FitMultipleModel;
import io.hopper.fit.ProgressListener;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.store.FileStore;
import io.hopper.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Test data: iris (normalized by 2) packed into 3 partitions, its validation table, MADlib's iris MLP, and a fit of
 * two configurations ("multi") and of one ("single") for 3 iterations.
 */
final class Fitted {
    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";
    static final double NORMALIZING_CONST = 2.0;

    final Store store;
    final Path dir;

    Fitted(Path dir) {
        this.dir = dir;
        this.store = new FileStore(dir.resolve("store"));
        Path iris = resource("data/iris.csv");
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(iris))
                .setOutputTable("iris").setDependentVarname("species").setIndependentVarname(IRIS_X).optPartitions(3).optSeed(7)
                .optNormalizingConst(NORMALIZING_CONST).build());
        new ValidationPreprocessor(store).preprocess(ValidationPreprocessSpec.builder().setSource(new SourceSpec.Csv(iris))
                .setOutputTable("iris_v").setTrainingPreprocessorTable("iris").setDependentVarname("species")
                .setIndependentVarname(IRIS_X).build());
        ModelArchTable.load(store, "arch", text("keras/01_madlib_iris_mlp_keras216.json"), null, "mlp", null);
        String adam = "loss='categorical_crossentropy', optimizer='Adam(lr=%s)', metrics=['accuracy']";
        ModelSelectionTable.load(store, "arch", "mst", List.of(1), List.of(String.format(adam, "0.01"), String.format(adam, "0.001")),
                List.of("batch_size=16, epochs=1"));
        ModelSelectionTable.load(store, "arch", "mst1", List.of(1), List.of(String.format(adam, "0.01")), List.of("batch_size=16, epochs=1"));
        fit("mst", "multi");
        fit("mst1", "single");
    }

    void fit(String mst, String out) {
        new FitMultipleModel(store, FitSpec.builder().setSourceTable("iris").setModelOutputTable(out).setModelSelectionTable(mst)
                .setNumIterations(3).optWorkers(2).optSeed(11).optValidationTable("iris_v").build(), ProgressListener.NONE).run();
    }

    static Path resource(String name) {
        try {
            return Path.of(Fitted.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try (InputStream in = Fitted.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
