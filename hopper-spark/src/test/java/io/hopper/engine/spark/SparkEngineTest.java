package io.hopper.engine.spark;

import io.hopper.automl.AutoMl;
import io.hopper.automl.AutomlResult;
import io.hopper.automl.AutomlSpec;
import io.hopper.fit.FitResult;
import io.hopper.fit.ProgressListener;
import io.hopper.fit.RunOptions;
import io.hopper.model.ModelArchTable;
import io.hopper.fit.FitSpec.Schedule;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitFailedException;
import io.hopper.engine.UnitTask;
import io.hopper.mop.Unit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine in local mode (tasks in this JVM) under the real fit: the embedded engine's outputs, store reads
 * with and without caching, broadcast states.
 */
class SparkEngineTest {
    private static final String MASTER = "local[2]";

    @TempDir
    static Path dir;
    static FitFixture f;

    @BeforeAll
    static void pack() {
        f = new FitFixture(dir);
        f.mst("mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
    }

    @AfterAll
    static void close() {
        f.close();
    }

    private static EngineFactory spark() {
        return SparkEngines.factory(Optional.of(MASTER), f.storeLocation);
    }

    @Test
    void rotationGivesTheEmbeddedEnginesModelsAndCachingReadsEachPartitionOnce() {
        f.fitEmbedded(FitFixture.spec("local_out", "mst", 2).optSchedule(Schedule.ROTATION).optUseCaching(true).build());
        AtomicReference<SparkEngine> engine = new AtomicReference<>();
        FitResult r = f.fit(FitFixture.spec("spark_out", "mst", 2).optSchedule(Schedule.ROTATION).optUseCaching(true)
                .build(), (store, placement, caching) -> {
                    engine.set((SparkEngine) spark().start(store, placement, caching));
                    return engine.get();
                });
        f.assertSameModels("local_out", "spark_out");
        assertEquals(f.byKey("local_out_info", "training_loss"), f.byKey("spark_out_info", "training_loss"));
        assertEquals(3, r.storeReads(), "each partition read once per fit");
        assertEquals(0, ExecutorUnits.cachedPartitions(), "the engine freed its cache when the fit ended");
        assertEquals(List.of("driver"), engine.get().executorIds());
        f.checkSchedule("spark_out", 2, 2);
    }

    @Test
    void hyperbandWithRotationAndASeedGivesTheEmbeddedWeightsOnSpark() {
        AutomlSpec.Builder search = AutomlSpec.builder().setSourceTable(FitFixture.TABLE).setModelArchTable("arch")
                .setModelIds(List.copyOf(ModelArchTable.ids(f.store, "arch"))).setFitParamsGrid("{'batch_size': [8, 16], 'epochs': [1]}")
                .setCompileParamsGrid("{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
                        + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}")
                .optMethod(AutomlSpec.Method.HYPERBAND).optAutomlParams("R=3, eta=3").optValidationTable(FitFixture.VALIDATION)
                .optRunOptions(RunOptions.DEFAULTS.withSeed(5).withWorkers(2).withSchedule(Schedule.ROTATION).withCaching(true));
        AutomlResult local = new AutoMl(f.store, search.setModelOutputTable("hb_local").setModelSelectionTable("hb_local_mst").build(),
                ProgressListener.NONE).run();
        AutomlResult spark = new AutoMl(f.store, search.setModelOutputTable("hb_spark").setModelSelectionTable("hb_spark_mst").build(),
                ProgressListener.NONE, spark()).run();
        assertEquals(local.trials(), spark.trials(), "the same configurations stopped at the same rounds with the same scores");
        f.assertSameModels("hb_local", "hb_spark");
        assertEquals(f.byKey("hb_local_info", "validation_loss"), f.byKey("hb_spark_info", "validation_loss"));
        assertEquals(f.store.schema("hb_local_info"), f.store.schema("hb_spark_info"));
        assertTrue(f.schedule("hb_spark", "train").size() > 0);
        assertEquals(0, ExecutorUnits.cachedPartitions(), "the engine freed its cache when the search ended");
    }

    @Test
    void aMultiIoTableTrainsOnSparkAsOnTheEmbeddedEngineWithEachOutputsValues() throws java.io.IOException {
        int id = f.multiIo(dir, "multi", "arch_mio");
        io.hopper.model.ModelSelectionTable.load(f.store, "arch_mio", "mst_mio", List.of(id), List.of("loss=['categorical_crossentropy',"
                + " 'categorical_crossentropy'], loss_weights=[1.0, 0.5], optimizer='Adam(lr=0.01)', metrics=['accuracy']"),
                List.of("batch_size=16, epochs=1"));
        java.util.function.Function<String, io.hopper.fit.FitSpec> spec = out -> io.hopper.fit.FitSpec.builder().setSourceTable("multi")
                .optValidationTable("multi_v").setModelOutputTable(out).setModelSelectionTable("mst_mio").setNumIterations(2).optWorkers(2)
                .optSeed(11).optSchedule(Schedule.ROTATION).optUseCaching(true).build();
        f.fitEmbedded(spec.apply("mio_local"));
        f.fit(spec.apply("mio_spark"), spark());
        f.assertSameModels("mio_local", "mio_spark");
        assertEquals(f.byKey("mio_local_info", "validation_loss_per_output_final"), f.byKey("mio_spark_info",
                "validation_loss_per_output_final"), "the executors report every output's loss");
        assertEquals(2, ((List<?>) f.byKey("mio_spark_info", "validation_loss_per_output_final").get(1)).size());
    }

    @Test
    void readsThePartitionForEveryUnitWithoutCaching() {
        FitResult r = f.fit(FitFixture.spec("nocache", "mst", 2).optValidationTable(FitFixture.VALIDATION).build(), spark());
        int units = 2 * 3 * 2 + 2 * 3 * 2; // train units of 2 iterations, eval units on both tables at the end
        assertEquals(units, r.storeReads());
        f.checkSchedule("nocache", 2, 2);
    }

    @Test
    void broadcastStatesGiveTheSameModels() {
        f.fit(FitFixture.spec("inline", "mst", 1).optSchedule(Schedule.ROTATION).build(), spark());
        SparkEngineConfig broadcastAll = new SparkEngineConfig(Optional.of(MASTER), f.storeLocation, false,
                OptionalInt.empty(), SparkEngineConfig.DEFAULT_LOCALITY_WAIT, 0, SparkEngineConfig.DEFAULT_EXECUTOR_WAIT,
                Map.of());
        f.fit(FitFixture.spec("broadcast", "mst", 1).optSchedule(Schedule.ROTATION).build(),
                (store, placement, caching) -> SparkEngine.start(broadcastAll, placement));
        f.assertSameModels("inline", "broadcast");
    }

    @Test
    void placesPartitionsOnTheSlotsOfTheMaster() {
        try (SparkEngine engine = SparkEngine.start(SparkEngineConfig.of(Optional.of("local[2]"), f.storeLocation,
                false, OptionalInt.empty()), 3)) {
            assertEquals(io.hopper.mop.Placement.roundRobin(3, 2), engine.placement());
        }
    }

    @Test
    void refusesToStartWithoutAMaster() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEngine.start(
                SparkEngineConfig.of(Optional.empty(), f.storeLocation, false, OptionalInt.empty()), 3));
        assertTrue(e.getMessage().contains("--spark-master"), e.getMessage());
    }

    @Test
    void shipsTheDriversJarsButNotSparksOwn(@TempDir Path tmp) throws Exception {
        Path sparkJars = Files.createDirectories(tmp.resolve("spark-home/jars"));
        Path spark = Files.createFile(sparkJars.resolve("spark-core_2.13-4.1.1.jar"));
        Path hopper = Files.createFile(tmp.resolve("hopper-core.jar"));
        String classPath = String.join(File.pathSeparator, spark.toString(), hopper.toString(),
                tmp.resolve("classes").toString(), tmp.resolve("missing.jar").toString());
        assertEquals(List.of(hopper.toString()), SparkEngine.applicationJars(classPath, Optional.of(sparkJars)));
        assertEquals(List.of(spark.toString(), hopper.toString()), SparkEngine.applicationJars(classPath, Optional.empty()));
    }

    @Test
    void aUnitThatFailsOnceRunsAgainOnAnotherSlotAndTheModelsAreUndisturbed() {
        f.fitEmbedded(FitFixture.spec("retry_local", "mst", 2).optSchedule(Schedule.ROTATION).build());
        List<String> attempts = new CopyOnWriteArrayList<>();
        FitResult r = f.fit(FitFixture.spec("retry_spark", "mst", 2).optSchedule(Schedule.ROTATION).build(),
                (store, placement, caching) -> {
                    SparkEngine engine = (SparkEngine) spark().start(store, placement, caching);
                    engine.injectFaults((task, worker, attempt) -> {
                        if (task.unit().equals(new Unit(1, 0, 2)) && task.phase() == Phase.TRAIN) {
                            attempts.add(worker + "#" + attempt);
                            if (attempt == 1) {
                                throw new IllegalStateException("injected fault");
                            }
                        }
                    });
                    return engine;
                });
        assertEquals(List.of("0#1", "1#2"), attempts, "retried once, on the other slot");
        f.assertSameModels("retry_local", "retry_spark");
        assertEquals("ok", r.models().get(0).status());
    }

    @Test
    void aUnitThatFailsOnTheExecutorEveryTimeFailsAfterThreeAttempts() {
        try (SparkEngine engine = SparkEngine.start(SparkEngineConfig.of(Optional.of(MASTER), f.storeLocation, false,
                OptionalInt.empty()), 3)) {
            io.hopper.model.params.CompileParams compile = io.hopper.model.params.ParamParser.parseCompile(
                    "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']");
            UnitTask broken = new UnitTask(new Unit(1, 0, 1), Phase.TRAIN, FitFixture.TABLE, new ModelSpec(FitFixture.archJson(),
                    compile, io.hopper.model.params.ParamParser.parseFit("batch_size=16")), new byte[] {1, 2, 3}, 7);
            CompletionException e = assertThrows(CompletionException.class, () -> engine.submit(broken).join());
            UnitFailedException failed = assertInstanceOf(UnitFailedException.class, e.getCause());
            assertEquals(3, failed.attempts());
        }
    }
}
