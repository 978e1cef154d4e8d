package io.hopper.fit;

import io.hopper.fit.FitSpec;
import io.hopper.store.PostgresStore;
import io.hopper.store.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fit on the PostgreSQL store (HOPPER_TEST_PG_URL, default the server .ci/start-postgres.sh sets up) gives the same
 * models as on the file store. Skipped when the server is unreachable, unless CI=true; works in schema
 * {@code hopper_fit_it}.
 */
class FitMultipleModelIT {
    private static final String SCHEMA_NAME = "hopper_fit_it";

    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void server() {
        url = TestPostgres.freshSchema(SCHEMA_NAME);
    }

    private static void prepare(FitFixture f) {
        f.iris("iris", null);
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
    }

    @Test
    void postgresAndFileStoresGiveTheSameModels() {
        FitFixture files = new FitFixture(dir);
        try (PostgresStore pg = new PostgresStore(url)) {
            FitFixture postgres = new FitFixture(dir, pg);
            prepare(files);
            prepare(postgres);
            for (FitFixture f : List.of(files, postgres)) {
                for (boolean caching : new boolean[] {false, true}) {
                    new FitMultipleModel(f.store, FitFixture.spec("iris", caching ? "cached" : "uncached", "mst", 2)
                            .optValidationTable("iris_v").optSchedule(FitSpec.Schedule.ROTATION).optUseCaching(caching).build(),
                            ProgressListener.NONE).run();
                }
            }
            Map<Integer, Object> expected = files.byKey("cached", "model_state");
            for (String out : List.of("cached", "uncached")) {
                Map<Integer, Object> actual = postgres.byKey(out, "model_state");
                assertEquals(expected.keySet(), actual.keySet());
                expected.forEach((k, v) -> assertArrayEquals((byte[]) v, (byte[]) actual.get(k), out + " mst " + k));
                assertEquals(files.byKey("cached_info", "validation_loss"), postgres.byKey(out + "_info", "validation_loss"));
            }
        }
    }
}
