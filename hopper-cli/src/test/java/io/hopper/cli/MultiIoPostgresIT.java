package io.hopper.cli;

import io.hopper.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link MultiIoCommandsTest}'s flow on a PostgreSQL store (HOPPER_TEST_PG_URL, default the server
 * .ci/start-postgres.sh starts), in a fresh schema {@code hopper_multi_io_it}: the packed tables get MADlib 1.20's
 * x_0.., y_0.. columns there. Skipped when the server is unreachable, unless CI=true.
 */
class MultiIoPostgresIT {
    private static final String SCHEMA_NAME = "hopper_multi_io_it";

    @TempDir
    Path dir;

    @Test
    void twoInputModelsTrainEvaluatePredictAndExportOnPostgres() throws IOException {
        MultiIoCommandsTest.flow(new CliRun(TestPostgres.freshSchema(SCHEMA_NAME)), dir);
    }
}
