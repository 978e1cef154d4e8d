package io.hopper.engine.spark;

import io.hopper.engine.EngineFactory;
import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.fit.FitSpec.Schedule;
import io.hopper.fit.OutputTables;
import io.hopper.store.Row;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine on a real multi-JVM cluster on this machine ({@code local-cluster[2,1,1024]}: two executor
 * JVMs launched from the generated SPARK_HOME) under the real fit: MADlib's iris scenarios give the embedded
 * engine's models, units stay on their partition's executor, caching reads each partition once, and a fit
 * survives the kill -9 of an executor JVM.
 */
class SparkClusterIT {
    private static final String MASTER = "local-cluster[2,1,1024]";

    @TempDir
    static Path dir;
    static FitFixture f;
    static JavaSparkContext jsc;

    @BeforeAll
    static void startCluster() {
        f = new FitFixture(dir);
        // The context outlives each fit's engine, so the executor JVMs start once for the whole class.
        jsc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(SparkEngine.sparkConf(
                SparkEngineConfig.of(Optional.of(MASTER), f.storeLocation, true, java.util.OptionalInt.empty()))));
    }

    @AfterAll
    static void stopCluster() {
        jsc.stop();
        f.close();
    }

    /** The Spark engine factory, remembering the engine it started. */
    private static EngineFactory spark(AtomicReference<SparkEngine> started) {
        EngineFactory factory = SparkEngines.factory(Optional.of(MASTER), f.storeLocation);
        return (store, placement, caching) -> {
            started.set((SparkEngine) factory.start(store, placement, caching));
            return started.get();
        };
    }

    @Test
    void threeLearningRatesSixIterationsGiveTheEmbeddedModelsOnTwoExecutors() {
        f.mst("mst3", List.of("0.01", "0.001", "0.0001"), List.of("batch_size=50, epochs=1"));
        f.fitEmbedded(FitFixture.spec("local3", "mst3", 6).optValidationTable(FitFixture.VALIDATION)
                .optMetricsComputeFrequency(2).optSchedule(Schedule.ROTATION).optUseCaching(true).build());
        AtomicReference<SparkEngine> engine = new AtomicReference<>();
        FitResult r = f.fit(FitFixture.spec("spark3", "mst3", 6).optValidationTable(FitFixture.VALIDATION)
                .optMetricsComputeFrequency(2).optSchedule(Schedule.ROTATION).optUseCaching(true).build(), spark(engine));

        f.assertSameModels("local3", "spark3");
        assertEquals(f.byKey("local3_info", "validation_loss"), f.byKey("spark3_info", "validation_loss"));
        assertEquals(List.of(2, 4, 6), r.metricsIters());
        assertEquals(3 + 3, r.storeReads(), "each partition of the training and validation tables read once");
        f.checkSchedule("spark3", 3, 6);
        assertEquals(3 * 3 * 3 * 2, f.schedule("spark3", "eval").size());
        @SuppressWarnings("unchecked")
        List<Double> loss = (List<Double>) f.byKey("spark3_info", "training_loss").get(2);
        assertTrue(loss.get(2) < loss.get(0), "lr 0.001 learns: " + loss);

        List<String> executors = engine.get().executorIds();
        assertEquals(2, executors.size(), "two executor JVMs");
        for (SparkRun run : engine.get().runs()) {
            assertEquals(executors.get(run.worker()), run.executorId(), run.unit() + " ran on its worker's executor");
        }
        assertEquals(Set.copyOf(executors), engine.get().runs().stream().map(SparkRun::executorId).collect(Collectors.toSet()));
        // O_schedule records the executor of every unit: the one its worker (and so its cached partition) is pinned to
        int executorColumn = OutputTables.SCHEDULE.indexOf("executor");
        int workerColumn = OutputTables.SCHEDULE.indexOf("worker");
        for (Row row : f.store.readAll(OutputTables.schedule("spark3"))) {
            assertEquals(executors.get((Integer) row.get(workerColumn)), row.get(executorColumn), row.toString());
        }
    }

    @Test
    void aSmallMnistRunGivesTheEmbeddedModel() {
        f.mnist("mnist", "mnist_mst");
        FitSpec.Builder spec = FitSpec.builder().setSourceTable("mnist").setModelSelectionTable("mnist_mst")
                .setNumIterations(1).optWorkers(2).optSeed(5).optSchedule(Schedule.ROTATION).optUseCaching(true);
        f.fitEmbedded(spec.setModelOutputTable("mnist_local").build());
        FitResult r = f.fit(spec.setModelOutputTable("mnist_spark").build(), spark(new AtomicReference<>()));
        f.assertSameModels("mnist_local", "mnist_spark");
        assertEquals(3, r.storeReads());
        double accuracy = r.models().get(0).trainingMetric().orElseThrow();
        assertTrue(accuracy > 0.8, "one pass over 10,000 digits reaches " + accuracy);
    }

    @Test
    void fourConfigurationsAsyncWithoutCachingReadForEveryUnit() {
        f.mst("mst4", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1", "batch_size=32, epochs=1"));
        FitResult r = f.fit(FitFixture.spec("spark4", "mst4", 3).build(), spark(new AtomicReference<>()));
        int units = 4 * 3 * 3 + 4 * 3; // train units, then eval units at the last iteration
        assertEquals(units, r.storeReads());
        f.checkSchedule("spark4", 4, 3);
        assertTrue(r.models().stream().allMatch(m -> m.status().equals("ok")), r.models().toString());
    }

    @Test
    void aFitSurvivesTheKillOfAnExecutorMidUnitAndLosesNoState() throws Exception {
        f.mst("mstk", List.of("0.01", "0.001", "0.003", "0.0003"), List.of("batch_size=1, epochs=1"));
        int iterations = 3;
        // Kills, with SIGKILL, the executor JVM that the 8th task started on, while that task runs.
        AtomicInteger tasksStarted = new AtomicInteger();
        AtomicInteger tasksFailed = new AtomicInteger();
        SparkListener killer = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                if (tasksStarted.incrementAndGet() == 8) {
                    executorJvm(start.taskInfo().executorId()).destroyForcibly();
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().failed() || end.taskInfo().killed()) {
                    tasksFailed.incrementAndGet();
                }
            }
        };
        jsc.sc().addSparkListener(killer);
        AtomicReference<SparkEngine> engine = new AtomicReference<>();
        try {
            f.fit(FitFixture.spec("killed", "mstk", iterations).optSchedule(Schedule.ROTATION).optUseCaching(true).build(),
                    spark(engine));
            for (int i = 0; i < 100 && tasksFailed.get() == 0; i++) {
                Thread.sleep(100); // the listener hears of the lost task asynchronously
            }
        } finally {
            jsc.sc().removeSparkListener(killer);
        }
        assertTrue(tasksFailed.get() >= 1, "the kill hit a running unit, which Spark ran again");
        List<SparkRun> runs = engine.get().runs();
        List<String> started = engine.get().executorIds();
        assertTrue(runs.stream().anyMatch(r -> !r.executorId().equals(started.get(r.worker()))),
                "units moved off the killed executor");
        // Every configuration visited every partition once per iteration, and no state was lost: the models are
        // those of the embedded engine.
        f.checkSchedule("killed", 4, iterations);
        f.fitEmbedded(FitFixture.spec("unkilled", "mstk", iterations).optSchedule(Schedule.ROTATION).build());
        f.assertSameModels("unkilled", "killed");
        Map<Integer, Object> status = f.byKey("killed_info", "status");
        assertTrue(status.values().stream().allMatch("ok"::equals), status.toString());
    }

    /** The JVM of executor {@code executorId}, a descendant of this JVM (the local-cluster's workers run here). */
    private static ProcessHandle executorJvm(String executorId) {
        String marker = "CoarseGrainedExecutorBackend";
        String id = "\0--executor-id\0" + executorId + "\0";
        return ProcessHandle.current().descendants().filter(p -> {
            String cmd = commandLine(p);
            return cmd.contains(marker) && cmd.contains(id);
        }).findFirst().orElseThrow(() -> new IllegalStateException("no JVM of executor " + executorId));
    }

    private static String commandLine(ProcessHandle p) {
        try {
            // /proc's command line: ProcessHandle.Info drops command lines as long as an executor's classpath.
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // it ended meanwhile
        }
    }
}
