package io.hopper.engine.spark;

import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.engine.ModelSpec;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.store.FileStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Iris packed into 3 partitions in a file store, and MADlib's iris MLP with Adam configurations. */
final class IrisFixture {
    static final String TABLE = "iris_packed";
    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";

    final Path storeDir;

    /** Packs iris into {@value #TABLE} under {@code dir/store}. */
    IrisFixture(Path dir) {
        storeDir = dir.resolve("store");
        try (FileStore store = new FileStore(storeDir)) {
            new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder()
                    .setSource(new SourceSpec.Csv(resource("iris.csv"))).setOutputTable(TABLE)
                    .setDependentVarname("species").setIndependentVarname(IRIS_X).optPartitions(3).optSeed(7).build());
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(IrisFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String archJson() {
        try (InputStream in = IrisFixture.class.getResourceAsStream("/keras/01_madlib_iris_mlp_keras216.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MADlib's configurations: mst key k+1 = Adam with learning rate {@code rates[k]} and the given fit_params. */
    static Map<Integer, ModelSpec> configs(List<String> rates, String fitParams) {
        Map<Integer, ModelSpec> specs = new TreeMap<>();
        for (int k = 0; k < rates.size(); k++) {
            specs.put(k + 1, new ModelSpec(archJson(), ParamParser.parseCompile("loss='categorical_crossentropy', "
                    + "optimizer='Adam(lr=" + rates.get(k) + ")', metrics=['accuracy']"), ParamParser.parseFit(fitParams)));
        }
        return specs;
    }

    /** The initial state of configuration {@code mstKey}, drawn from {@code seed}. */
    static byte[] initialState(ModelSpec spec, long seed) {
        try (TrainableModel m = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(spec.archJson())),
                spec.compile(), seed)) {
            return m.exportState();
        }
    }
}
