package io.hopper.engine.spark;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkEngineConfigTest {
    private static SparkEngineConfig withMaster(String master) {
        return SparkEngineConfig.of(Optional.of(master), "/data/store", false, OptionalInt.empty());
    }

    @Test
    void acceptsSparksMasters() {
        for (String m : new String[] {"local", "local[2]", "local[*]", "local[2,3]", "local-cluster[2,1,1024]",
                "spark://127.0.0.1:7077", "yarn", "k8s://https://host:6443"}) {
            assertEquals(Optional.of(m), withMaster(m).master());
        }
    }

    @Test
    void refusesAnUnknownMasterNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withMaster("mesos://x:5050"));
        assertTrue(e.getMessage().startsWith("--spark-master 'mesos://x:5050' is not a Spark master"), e.getMessage());
    }

    @Test
    void refusesBadSettingsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkEngineConfig.of(Optional.of("local[2]"), " ",
                false, OptionalInt.empty())).getMessage().startsWith("--store"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkEngineConfig.of(Optional.of("local[2]"), "s",
                false, OptionalInt.of(0))).getMessage().startsWith("--workers=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparkEngineConfig(Optional.empty(), "s", false,
                OptionalInt.empty(), Duration.ZERO, 1, Duration.ofSeconds(1), Map.of(), Duration.ZERO)).getMessage()
                .startsWith("spark.locality.wait"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparkEngineConfig(Optional.empty(), "s", false,
                OptionalInt.empty(), Duration.ofSeconds(1), -1, Duration.ofSeconds(1), Map.of(), Duration.ZERO)).getMessage()
                .startsWith("broadcast threshold=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SparkEngineConfig(Optional.empty(), "s", false,
                OptionalInt.empty(), Duration.ofSeconds(1), 1, Duration.ofSeconds(-1), Map.of(), Duration.ZERO)).getMessage()
                .startsWith("executor wait"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SparkEngineConfig.of(Optional.of("local[2]"), "s", false,
                OptionalInt.empty()).withStoreRetry(Duration.ofSeconds(-1))).getMessage().startsWith("--store-retry -1"));
    }

    @Test
    void executorsRetryTheStoreAsLongAsGiven() {
        SparkEngineConfig config = SparkEngineConfig.of(Optional.of("local[2]"), "s", false, OptionalInt.empty());
        assertEquals(io.hopper.store.PostgresStore.DEFAULT_RETRY, config.storeRetry());
        assertEquals(Duration.ofSeconds(7), config.withStoreRetry(Duration.ofSeconds(7)).storeRetry());
        assertEquals(Duration.ofSeconds(7), config.withStoreRetry(Duration.ofSeconds(7)).withSparkConf(Map.of("a", "b")).storeRetry());
    }

    @Test
    void readsSlotsAndExecutorsFromTheMaster() {
        assertEquals(3, SparkEngineConfig.localSlots("local[3]"));
        assertEquals(1, SparkEngineConfig.localSlots("local"));
        assertEquals(Runtime.getRuntime().availableProcessors(), SparkEngineConfig.localSlots("local[*]"));
        assertTrue(SparkEngineConfig.isLocal("local[2,4]"));
        assertFalse(SparkEngineConfig.isLocal("local-cluster[2,1,1024]"));
        assertEquals(OptionalInt.of(2), SparkEngineConfig.clusterExecutors("local-cluster[2,1,1024]"));
        assertEquals(OptionalInt.empty(), SparkEngineConfig.clusterExecutors("spark://h:7077"));
    }

    @Test
    void addsSparkSettings() {
        SparkEngineConfig c = withMaster("local[1]").withSparkConf(Map.of("spark.executor.cores", "2"));
        assertEquals(Map.of("spark.executor.cores", "2"), c.sparkConf());
        assertEquals(SparkEngineConfig.DEFAULT_LOCALITY_WAIT, c.localityWait());
    }
}
