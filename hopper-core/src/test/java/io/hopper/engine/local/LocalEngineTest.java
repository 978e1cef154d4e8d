package io.hopper.engine.local;

import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitTask;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.Placement;
import io.hopper.mop.Unit;
import io.hopper.store.FileStore;
import io.hopper.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalEngineTest {
    @TempDir
    Path dir;

    private Store store;
    private ModelSpec model;
    private byte[] initial;

    @BeforeEach
    void prepare() throws URISyntaxException, IOException {
        store = new FileStore(dir);
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(Path.of(getClass().getResource("/iris.csv").toURI()))).setOutputTable("iris")
                .setDependentVarname("species").setIndependentVarname("sepal_length,sepal_width,petal_length,petal_width")
                .optPartitions(3).optSeed(1).build());
        String json;
        try (InputStream in = getClass().getResourceAsStream("/keras/01_madlib_iris_mlp_keras216.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        model = new ModelSpec(json, ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']"),
                ParamParser.parseFit("batch_size=16, epochs=1"));
        try (TrainableModel m = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(json)), model.compile(), 5)) {
            initial = m.exportState();
        }
    }

    private UnitTask task(int mst, int partition, Phase phase, byte[] state) {
        return new UnitTask(new Unit(mst, partition, 1), phase, "iris", model, state, 42);
    }

    @Test
    void runsUnitsOnTheWorkerThatOwnsThePartition() {
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 2), false)) {
            assertEquals(0, engine.submit(task(1, 2, Phase.TRAIN, initial)).join().worker());
            assertEquals(1, engine.submit(task(1, 1, Phase.TRAIN, initial)).join().worker());
        }
    }

    @Test
    void everyUnitStartsFromItsTasksState() {
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 1), true)) {
            UnitResult first = engine.submit(task(1, 0, Phase.TRAIN, initial)).join();
            assertFalse(java.util.Arrays.equals(initial, first.state()), "training changes the state");
            assertTrue(Double.isFinite(first.loss()) && first.samples() > 0);
            engine.submit(task(1, 1, Phase.TRAIN, first.state())).join();
            engine.submit(task(2, 0, Phase.TRAIN, initial)).join();
            UnitResult again = engine.submit(task(1, 0, Phase.TRAIN, initial)).join();
            assertArrayEquals(first.state(), again.state(), "same task, same result, whatever ran before");
            UnitResult eval = engine.submit(task(1, 0, Phase.EVAL, first.state())).join();
            assertSame(first.state(), eval.state(), "evaluation keeps the state");
            assertTrue(eval.metric().isPresent() && eval.samples() > 0);
        }
    }

    @Test
    void cachingReadsEachPartitionOncePerTable() {
        for (boolean caching : new boolean[] {true, false}) {
            try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 3), caching)) {
                for (int i = 0; i < 3; i++) {
                    engine.submit(task(1, 0, Phase.TRAIN, initial)).join();
                    engine.submit(task(1, 0, Phase.EVAL, initial)).join();
                }
                engine.submit(task(1, 1, Phase.EVAL, initial)).join();
                assertEquals(caching ? 2 : 7, engine.storeReads(), "caching=" + caching);
            }
        }
    }

    @Test
    void aFailingUnitFailsItsFutureOnly() {
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 1), false)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> engine.submit(task(1, 0, Phase.TRAIN, new byte[] {1, 2, 3})).join());
            assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
            assertTrue(Double.isFinite(engine.submit(task(1, 0, Phase.TRAIN, initial)).join().loss()));
        }
    }
}
