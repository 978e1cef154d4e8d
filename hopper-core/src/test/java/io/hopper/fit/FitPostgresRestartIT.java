package io.hopper.fit;

import io.hopper.fit.FitSpec.Schedule;
import io.hopper.store.PostgresStore;
import io.hopper.store.PrivatePostgres;
import io.hopper.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fit on a PostgreSQL server that is stopped and started again while it trains: within --store-retry the fit goes
 * on and gives the weights of an undisturbed fit; past it the fit stops with its checkpoint in place and --resume
 * finishes it with the same weights. Runs a private server ({@link PrivatePostgres}) on port 5412.
 */
class FitPostgresRestartIT {
    static PrivatePostgres server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = new PrivatePostgres(Path.of("/tmp/hopper-pg-fit-restart-it"), 5412);
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null && server.url() != null) {
            server.stop();
        }
    }

    private static FitSpec.Builder spec(String out) {
        return FitFixture.spec("iris", out, "mst", 4).optValidationTable("iris_v").optMetricsComputeFrequency(2)
                .optSchedule(Schedule.ROTATION).optSeed(3).optWorkers(2).optCheckpointEvery(Duration.ZERO);
    }

    /** A listener that stops the server once, after {@code units} units, and starts it again {@code downMillis} later. */
    private static ProgressListener outage(int units, long downMillis, CompletableFuture<Void> restarted) {
        AtomicBoolean done = new AtomicBoolean();
        return new ProgressListener() {
            @Override
            public void onProgress(FitProgress p) {
                if (p.unitsDone() >= units && done.compareAndSet(false, true)) {
                    server.stop();
                    CompletableFuture.runAsync(() -> {
                        try {
                            Thread.sleep(downMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        server.start();
                    }).whenComplete((v, e) -> restarted.complete(null));
                }
            }
        };
    }

    @Test
    void aFitOutlivesAServerRestartAndOneThatOutlastsTheRetryIsResumed() {
        FitFixture files = new FitFixture(dir.resolve("files"));
        files.iris("iris", null);
        files.arch("arch", 3);
        files.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        new FitMultipleModel(files.store, spec("clean").build(), ProgressListener.NONE).run();
        Map<Integer, Object> expected = files.byKey("clean", "model_state");

        try (PostgresStore pg = new PostgresStore(server.url() + "&currentSchema=public", 4, Duration.ofSeconds(60))) {
            for (String t : pg.listTables()) {
                pg.drop(t);
            }
            FitFixture f = new FitFixture(dir.resolve("pg"), pg);
            f.iris("iris", null);
            f.arch("arch", 3);
            f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));

            CompletableFuture<Void> restarted = new CompletableFuture<>();
            new FitMultipleModel(pg, spec("through").build(), outage(10, 3000, restarted)).run();
            restarted.join();
            Map<Integer, Object> through = f.byKey("through", "model_state");
            expected.forEach((k, v) -> assertArrayEquals((byte[]) v, (byte[]) through.get(k), "through a restart: mst " + k));
        }

        try (PostgresStore impatient = new PostgresStore(server.url(), 4, Duration.ofSeconds(2))) {
            FitFixture f = new FitFixture(dir.resolve("pg2"), impatient);
            CompletableFuture<Void> restarted = new CompletableFuture<>();
            assertThrows(StoreUnavailableException.class,
                    () -> new FitMultipleModel(impatient, spec("stopped").build(), outage(14, 6000, restarted)).run());
            restarted.join();
            assertTrue(impatient.exists("stopped_checkpoint"), "the checkpoint is in place");
            assertFalse(impatient.exists("stopped"));
            FitResult r = new FitMultipleModel(impatient, spec("stopped").optResume(true).build(), ProgressListener.NONE).run();
            assertTrue(r.resumed().startsWith("resumed at iteration "), r.resumed());
            Map<Integer, Object> resumed = f.byKey("stopped", "model_state");
            expected.forEach((k, v) -> assertArrayEquals((byte[]) v, (byte[]) resumed.get(k), "stopped and resumed: mst " + k));
            assertEquals(4 * 3 * 2, f.schedule("stopped", "train").size());
        }
    }
}
