package io.hopper.engine.spark;

import io.hopper.engine.ModelSpec;
import io.hopper.engine.local.LocalEngine;
import io.hopper.mop.Configurations;
import io.hopper.mop.Placement;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.store.FileStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark engine in local mode (one JVM): same weights as the embedded engine, store reads with and without caching. */
class SparkEngineTest {
    private static final Map<Integer, ModelSpec> SPECS = IrisFixture.configs(List.of("0.01", "0.001"),
            "batch_size=16, epochs=1");
    private static final int ITERATIONS = 2;
    private static final long SEED = 5;

    @TempDir
    static Path dir;
    static IrisFixture iris;

    @BeforeAll
    static void pack() {
        iris = new IrisFixture(dir);
    }

    private static SparkEngineConfig config(boolean caching) {
        return SparkEngineConfig.of(Optional.of("local[2]"), iris.storeDir.toString(), caching, OptionalInt.empty());
    }

    @Test
    void trainsTheSameWeightsAsTheEmbeddedEngineAndReadsEachPartitionOnceWithCaching() throws Exception {
        MopDriver.Outcome embedded;
        try (FileStore store = new FileStore(iris.storeDir);
             LocalEngine local = new LocalEngine(store, Placement.roundRobin(3, 2), false)) {
            embedded = MopDriver.run(local, IrisFixture.TABLE, SPECS, ITERATIONS, SEED);
        }
        MopDriver.Outcome spark;
        long reads;
        try (SparkEngine engine = SparkEngine.start(config(true), 3)) {
            assertEquals(Placement.roundRobin(3, 2), engine.placement());
            assertEquals(List.of("driver"), engine.executorIds());
            spark = MopDriver.run(engine, IrisFixture.TABLE, SPECS, ITERATIONS, SEED);
            reads = engine.storeReads();
            assertTrue(engine.runs().stream().allMatch(r -> r.executorId().equals("driver")));
        }
        for (int k : SPECS.keySet()) {
            assertArrayEquals(embedded.states().get(k), spark.states().get(k), "mst " + k);
        }
        assertEquals(embedded.loss(), spark.loss());
        assertEquals(3, reads, "caching reads each partition once per fit");
        ScheduleInvariants.check(spark.executed(), new Configurations(List.copyOf(SPECS.keySet())), 3);
    }

    @Test
    void readsThePartitionForEveryUnitWithoutCaching() throws Exception {
        try (SparkEngine engine = SparkEngine.start(config(false), 3)) {
            MopDriver.run(engine, IrisFixture.TABLE, SPECS, 1, SEED);
            int units = SPECS.size() * 3 * 3; // eval before, train, eval after: one unit per configuration and partition each
            assertEquals(units, engine.storeReads());
            assertEquals(units, engine.runs().size());
        }
    }

    @Test
    void broadcastsStatesAboveTheThresholdWithTheSameResult() throws Exception {
        SparkEngineConfig broadcastAll = new SparkEngineConfig(Optional.of("local[1]"), iris.storeDir.toString(), true,
                OptionalInt.empty(), SparkEngineConfig.DEFAULT_LOCALITY_WAIT, 0, SparkEngineConfig.DEFAULT_EXECUTOR_WAIT,
                Map.of());
        MopDriver.Outcome inline;
        try (SparkEngine engine = SparkEngine.start(config(true), 3)) {
            inline = MopDriver.run(engine, IrisFixture.TABLE, SPECS, 1, SEED);
        }
        try (SparkEngine engine = SparkEngine.start(broadcastAll, 3)) {
            assertEquals(1, engine.placement().workers());
            MopDriver.Outcome broadcast = MopDriver.run(engine, IrisFixture.TABLE, SPECS, 1, SEED);
            for (int k : SPECS.keySet()) {
                assertArrayEquals(inline.states().get(k), broadcast.states().get(k));
            }
        }
    }

    @Test
    void refusesToStartWithoutAMaster() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEngine.start(
                SparkEngineConfig.of(Optional.empty(), iris.storeDir.toString(), false, OptionalInt.empty()), 3));
        assertTrue(e.getMessage().contains("--spark-master"), e.getMessage());
    }

    @Test
    void shipsTheDriversJarsButNotSparksOwn(@TempDir Path tmp) throws Exception {
        Path sparkJars = java.nio.file.Files.createDirectories(tmp.resolve("spark-home/jars"));
        Path spark = java.nio.file.Files.createFile(sparkJars.resolve("spark-core_2.13-4.1.1.jar"));
        Path hopper = java.nio.file.Files.createFile(tmp.resolve("hopper-core.jar"));
        String classPath = String.join(java.io.File.pathSeparator, spark.toString(), hopper.toString(),
                tmp.resolve("classes").toString(), tmp.resolve("missing.jar").toString());
        assertEquals(List.of(hopper.toString()), SparkEngine.applicationJars(classPath, Optional.of(sparkJars)));
        assertEquals(List.of(spark.toString(), hopper.toString()), SparkEngine.applicationJars(classPath, Optional.empty()));
    }
}
