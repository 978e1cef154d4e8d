package io.hopper.engine.spark;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec.Schedule;
import io.hopper.store.PostgresStore;
import io.hopper.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Spark engine's tasks read partitions from the PostgreSQL store by its URL (HOPPER_TEST_PG_URL, default the
 * server .ci/start-postgres.sh sets up): with caching each partition is selected once, and the models equal those
 * of the embedded engine on a file store. Skipped when the server is unreachable, unless CI=true.
 */
class SparkPostgresIT {
    private static final String SCHEMA_NAME = "hopper_spark_it";

    @TempDir
    Path dir;

    private static String url() {
        return TestPostgres.freshSchema(SCHEMA_NAME);
    }

    @Test
    void tasksReadThePostgresStoreOncePerPartitionWithCaching() {
        String url = url();
        try (FitFixture files = new FitFixture(dir); FitFixture pg = new FitFixture(url, new PostgresStore(url))) {
            for (FitFixture f : List.of(files, pg)) {
                f.mst("mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
            }
            files.fitEmbedded(FitFixture.spec("out", "mst", 2).optSchedule(Schedule.ROTATION).build());
            FitResult r = pg.fit(FitFixture.spec("out", "mst", 2).optSchedule(Schedule.ROTATION).optUseCaching(true)
                    .optValidationTable(FitFixture.VALIDATION).build(),
                    SparkEngines.factory(Optional.of("local[2]"), url));
            assertEquals(3 + 3, r.storeReads());
            for (String column : List.of("model_weights", "model_state")) {
                var expected = files.byKey("out", column);
                var actual = pg.byKey("out", column);
                assertEquals(expected.keySet(), actual.keySet());
                expected.forEach((k, v) -> assertArrayEquals((byte[]) v, (byte[]) actual.get(k), column + " of mst " + k));
            }
        }
    }
}
