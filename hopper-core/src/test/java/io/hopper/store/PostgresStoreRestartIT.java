package io.hopper.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL store outlives a server restart: operations retry with backoff for up to the store's retry time,
 * then give up with a {@link StoreUnavailableException}. Runs a private server ({@link PrivatePostgres}) on port
 * 5411 in /tmp/hopper-pg-restart-it, which it stops and starts.
 */
class PostgresStoreRestartIT {
    static final int PORT = 5411;
    static PrivatePostgres server;

    @BeforeAll
    static void start() {
        server = new PrivatePostgres(Path.of("/tmp/hopper-pg-restart-it"), PORT);
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null && server.url() != null) {
            server.stop();
        }
    }

    /** Starts the server again after {@code millis}, in the background. */
    private static CompletableFuture<Void> restartAfter(long millis) {
        return CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.start();
        });
    }

    @Test
    void operationsWaitForARestartedServer() {
        Schema schema = Schema.of("k", ColumnType.INT, "v", ColumnType.TEXT);
        try (PostgresStore store = new PostgresStore(server.url(), 2, Duration.ofSeconds(60))) {
            if (store.exists("restart_t")) {
                store.drop("restart_t");
            }
            store.write("restart_t", schema, List.of(Row.of(1, "a"), Row.of(2, "b")));
            assertEquals(2, store.readAll("restart_t").size(), "the pool now holds a connection the restart will cut");
            server.stop();
            CompletableFuture<Void> restarted = restartAfter(3000);
            long start = System.nanoTime();
            store.replace("restart_t", schema, List.of(Row.of(3, "c")));
            assertTrue(System.nanoTime() - start > 1_000_000_000L, "the replace waited for the server");
            restarted.join();
            assertEquals("c", store.readAll("restart_t").get(0).get(1));
            server.stop();
            restarted = restartAfter(2000);
            List<Row> rows = store.readAll("restart_t");
            restarted.join();
            assertEquals(1, rows.size(), "a scan that had delivered nothing is retried whole");
            store.drop("restart_t");
        }
    }

    @Test
    void givesUpAfterItsRetryTimeWithOneLineThatNamesTheOption() {
        try (PostgresStore store = new PostgresStore(server.url(), 2, Duration.ofSeconds(2))) {
            server.stop();
            try {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, store::listTables);
                assertTrue(e.getMessage().contains("--store-retry 2") && e.getMessage().contains("resume"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } finally {
                server.start();
            }
            assertTrue(store.listTables().size() >= 0, "the store works again");
        }
        try (PostgresStore noRetry = new PostgresStore(server.url(), 0, Duration.ZERO)) {
            server.stop();
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, noRetry::listTables);
                assertFalse(e instanceof StoreUnavailableException, "no retry: the plain failure");
            } finally {
                server.start();
            }
        }
    }

    @Test
    void onlyConnectionFailuresAreTransient() {
        assertTrue(PostgresStore.isTransient(new IllegalStateException(new SQLException("gone", "08006"))));
        assertTrue(PostgresStore.isTransient(new SQLException("shutting down", "57P01")));
        assertFalse(PostgresStore.isTransient(new SQLException("syntax", "42601")));
        assertFalse(PostgresStore.isTransient(new IllegalStateException("no sql state")));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
                () -> new PostgresStore(server.url(), 0, Duration.ofSeconds(-1))));
    }
}
