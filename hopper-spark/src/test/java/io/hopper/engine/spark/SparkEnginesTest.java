package io.hopper.engine.spark;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkEnginesTest {
    @Test
    void makesDirectoriesAbsoluteForExecutorsAndKeepsUrls() {
        assertEquals(Path.of("hopper-store").toAbsolutePath().normalize().toString(),
                SparkEngines.executorStoreLocation("./hopper-store"));
        assertEquals("/data/store", SparkEngines.executorStoreLocation("/data/store"));
        String url = "jdbc:postgresql://db:5432/hopper?user=u";
        assertEquals(url, SparkEngines.executorStoreLocation(url));
    }

    @Test
    void givesExecutorsTheStoreRetry() {
        SparkEngineConfig config = SparkEngines.config(java.util.Optional.of("local[2]"), "/data/store", true,
                java.time.Duration.ofSeconds(9));
        assertEquals(java.time.Duration.ofSeconds(9), config.storeRetry());
        assertEquals("/data/store", config.storeLocation());
        assertTrue(config.useCaching());
    }

    @Test
    void refusesAnEmptyStore() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEngines.executorStoreLocation(""));
        assertTrue(e.getMessage().startsWith("--store"), e.getMessage());
    }
}
