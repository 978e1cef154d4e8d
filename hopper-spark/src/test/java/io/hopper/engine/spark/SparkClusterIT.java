package io.hopper.engine.spark;

import io.hopper.engine.ModelSpec;
import io.hopper.engine.local.LocalEngine;
import io.hopper.mop.Configurations;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.Placement;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.store.FileStore;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine on a real multi-JVM cluster on this machine ({@code local-cluster[2,1,1024]}: two executor
 * JVMs launched from the generated SPARK_HOME): MADlib's iris scenarios give the embedded engine's weights,
 * caching reads each partition once, and a fit survives the kill -9 of an executor.
 */
class SparkClusterIT {
    private static final String MASTER = "local-cluster[2,1,1024]";
    private static final long SEED = 3;

    @TempDir
    static Path dir;
    static IrisFixture iris;
    static JavaSparkContext jsc;

    @BeforeAll
    static void startCluster() {
        iris = new IrisFixture(dir);
        // The context outlives each engine, so the executor JVMs start once for the whole class.
        jsc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(SparkEngine.sparkConf(config(true))));
    }

    @AfterAll
    static void stopCluster() {
        jsc.stop();
    }

    private static SparkEngineConfig config(boolean caching) {
        return SparkEngineConfig.of(Optional.of(MASTER), iris.storeDir.toString(), caching, OptionalInt.empty());
    }

    private static MopDriver.Outcome embedded(Map<Integer, ModelSpec> specs, int iterations) throws Exception {
        try (FileStore store = new FileStore(iris.storeDir);
             LocalEngine local = new LocalEngine(store, Placement.roundRobin(3, 2), false)) {
            return MopDriver.run(local, IrisFixture.TABLE, specs, iterations, SEED);
        }
    }

    private static void assertSameWeights(Map<Integer, ModelSpec> specs, MopDriver.Outcome expected, MopDriver.Outcome actual) {
        for (int k : specs.keySet()) {
            assertArrayEquals(expected.states().get(k), actual.states().get(k), "weights of mst " + k);
        }
        assertEquals(expected.loss(), actual.loss());
    }

    @Test
    void threeLearningRatesGiveTheEmbeddedWeightsAndCachingReadsEachPartitionOnce() throws Exception {
        Map<Integer, ModelSpec> specs = IrisFixture.configs(List.of("0.01", "0.001", "0.0001"), "batch_size=50, epochs=1");
        int iterations = 4;
        MopDriver.Outcome spark;
        try (SparkEngine engine = SparkEngine.start(config(true), 3)) {
            assertEquals(2, engine.executorIds().size(), "two executor JVMs");
            assertEquals(Placement.roundRobin(3, 2), engine.placement());
            spark = MopDriver.run(engine, IrisFixture.TABLE, specs, iterations, SEED);
            assertEquals(3, engine.storeReads(), "each partition read once per fit");
            Set<String> used = new HashSet<>();
            for (SparkRun r : engine.runs()) {
                used.add(r.executorId());
                assertEquals(engine.executorIds().get(r.worker()), r.executorId(),
                        "unit " + r.unit() + " stays on the executor of its worker");
            }
            assertEquals(Set.copyOf(engine.executorIds()), used);
        }
        assertSameWeights(specs, embedded(specs, iterations), spark);
        ScheduleInvariants.check(spark.executed(), new Configurations(List.copyOf(specs.keySet())), 3);
        assertTrue(spark.loss().get(2) < spark.initialLoss().get(2), "lr 0.001 learns: " + spark.initialLoss() + " -> "
                + spark.loss());
        assertTrue(spark.accuracy().values().stream().allMatch(a -> a >= 0 && a <= 1));
    }

    @Test
    void withoutCachingEveryUnitReadsItsPartition() throws Exception {
        Map<Integer, ModelSpec> specs = IrisFixture.configs(List.of("0.01", "0.001"), "batch_size=16, epochs=1");
        try (SparkEngine engine = SparkEngine.start(config(false), 3)) {
            MopDriver.Outcome spark = MopDriver.run(engine, IrisFixture.TABLE, specs, 2, SEED);
            int units = specs.size() * 3 * 4; // before and after: eval units; between: train units of 2 iterations
            assertEquals(units, engine.storeReads());
            assertSameWeights(specs, embedded(specs, 2), spark);
        }
    }

    @Test
    void aFitSurvivesTheKillOfAnExecutorAndLosesNoState() throws Exception {
        Map<Integer, ModelSpec> specs = IrisFixture.configs(List.of("0.01", "0.001", "0.003", "0.0003"),
                "batch_size=4, epochs=1");
        int iterations = 3;
        MopDriver.Outcome spark;
        try (SparkEngine engine = SparkEngine.start(config(true), 3)) {
            CompletableFuture<MopDriver.Outcome> fit = CompletableFuture.supplyAsync(() -> {
                try {
                    return MopDriver.run(engine, IrisFixture.TABLE, specs, iterations, SEED);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (engine.runs().size() < 5) {
                Thread.sleep(20);
            }
            ProcessHandle executor = executorJvms().get(0);
            executor.destroyForcibly();
            executor.onExit().get(30, TimeUnit.SECONDS);
            spark = fit.get(5, TimeUnit.MINUTES);
            List<SparkRun> runs = engine.runs();
            assertTrue(runs.stream().anyMatch(r -> !engine.executorIds().contains(r.executorId())
                            || !r.executorId().equals(engine.executorIds().get(r.worker()))),
                    "some units moved off the killed executor: " + runs);
        }
        // Every configuration visited every partition once per iteration, and no state was lost: the weights are
        // those of the embedded engine.
        List<ExecutedUnit> executed = spark.executed();
        assertEquals(specs.size() * 3 * iterations, executed.size());
        ScheduleInvariants.check(executed, new Configurations(List.copyOf(specs.keySet())), 3);
        assertSameWeights(specs, embedded(specs, iterations), spark);
    }

    /** The executor JVMs this driver launched (the local-cluster's workers run inside this JVM). */
    private static List<ProcessHandle> executorJvms() {
        List<ProcessHandle> found = ProcessHandle.current().descendants().filter(SparkClusterIT::isExecutor).toList();
        assertTrue(!found.isEmpty(), "no executor JVM found among this JVM's descendants");
        return found;
    }

    private static boolean isExecutor(ProcessHandle p) {
        try {
            // /proc's command line: ProcessHandle.Info drops command lines as long as an executor's classpath.
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    StandardCharsets.ISO_8859_1).contains("CoarseGrainedExecutorBackend");
        } catch (IOException e) {
            return false; // it ended meanwhile
        }
    }
}
