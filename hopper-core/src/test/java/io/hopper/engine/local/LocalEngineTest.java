package io.hopper.engine.local;

import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitFailedException;
import io.hopper.engine.UnitFault;
import io.hopper.engine.UnitRetry;
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
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
    void aUnitThatAlwaysFailsFailsItsFutureOnlyAfterThreeAttemptsOnEveryWorker() {
        List<Integer> workersTried = new CopyOnWriteArrayList<>();
        UnitFault record = (t, worker, attempt) -> workersTried.add(worker);
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 3), false, record)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> engine.submit(task(1, 1, Phase.TRAIN, new byte[] {1, 2, 3})).join());
            UnitFailedException failed = assertInstanceOf(UnitFailedException.class, e.getCause());
            assertEquals(UnitRetry.MAX_ATTEMPTS, failed.attempts());
            assertEquals(new Unit(1, 1, 1), failed.unit());
            assertInstanceOf(IllegalArgumentException.class, failed.getCause());
            assertEquals(List.of(1, 2, 0), workersTried, "first on the owner, then on the next workers");
            assertTrue(Double.isFinite(engine.submit(task(1, 1, Phase.TRAIN, initial)).join().loss()));
        }
    }

    @Test
    void aUnitThatFailsOnceIsRetriedOnAnotherWorkerFromItsStartingStateWithTheSameResult() {
        UnitResult clean;
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 3), true)) {
            engine.submit(task(1, 0, Phase.TRAIN, initial)).join(); // a model on the worker that will fail mid-way
            clean = engine.submit(task(1, 0, Phase.TRAIN, initial)).join();
        }
        AtomicInteger failures = new AtomicInteger();
        UnitFault once = (t, worker, attempt) -> {
            if (t.unit().partition() == 0 && t.phase() == Phase.TRAIN && attempt == 1) {
                failures.incrementAndGet();
                throw new IllegalStateException("injected fault");
            }
        };
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 3), true, once)) {
            UnitResult retried = engine.submit(task(1, 0, Phase.TRAIN, initial)).join();
            assertEquals(1, failures.get());
            assertEquals(1, retried.worker(), "the retry ran on the next worker");
            assertArrayEquals(clean.state(), retried.state(), "a retry gives the result of an undisturbed unit");
            assertEquals(clean.loss(), retried.loss());
        }
    }

    @Test
    void anErrorOnAWorkerIsRetriedAndTheWorkerGoesOn() {
        AtomicInteger errors = new AtomicInteger();
        UnitFault error = (t, worker, attempt) -> {
            if (attempt == 1 && errors.getAndIncrement() == 0) {
                throw new StackOverflowError();
            }
        };
        try (LocalEngine engine = new LocalEngine(store, Placement.roundRobin(3, 1), false, error)) {
            UnitResult r = engine.submit(task(1, 0, Phase.TRAIN, initial)).join();
            assertTrue(Double.isFinite(r.loss()));
            assertEquals(0, r.worker(), "one worker: the retry runs on it");
            assertTrue(Double.isFinite(engine.submit(task(1, 1, Phase.TRAIN, initial)).join().loss()), "the worker still runs units");
        }
    }
}
