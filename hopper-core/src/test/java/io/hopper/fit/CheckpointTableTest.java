package io.hopper.fit;

import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTableTest {
    @TempDir
    Path dir;

    /** A checkpoint with every kind of value: NaN and infinite losses, a partial iteration, a failure, a session. */
    static Checkpoint sample(int attempt) {
        Checkpoint.ConfigState ok = new Checkpoint.ConfigState(1, new byte[] {1, 2, 3, (byte) 0xff}, List.of(List.of(2, 0, 1), List.of(1)),
                OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), 0.25,
                new Checkpoint.Metrics(List.of(1), List.of(1.5), List.of(0.1 + 0.2), List.of(Double.NaN), List.of(0.4), List.of(1e-300),
                        Optional.of(new InfoRow.PerOutput(List.of("dense_4", "dense_5"), List.of(0.1 + 0.2, Double.NaN), List.of(0.5, 0.75),
                                List.of(), List.of()))));
        Checkpoint.ConfigState stopped = new Checkpoint.ConfigState(2, new byte[0], List.of(List.of(0, 1, 2), List.of()),
                OptionalInt.of(1), OptionalInt.of(2), Optional.of("boom: \"quoted\"\nline"), Double.POSITIVE_INFINITY,
                new Checkpoint.Metrics(List.of(1), List.of(1.5), List.of(Double.NEGATIVE_INFINITY), List.of(0.5), List.of(), List.of()));
        return new Checkpoint(attempt, 1, 1234.5, Map.of("--seed", "7", "--schedule", "rotation"),
                Map.of("iris", "ab12", "mst", "cd34"), List.of(ok, stopped),
                List.of(new Checkpoint.ScheduledUnit(1, 1, 2, 0, "train", 0.5, 10.25, "local", 1),
                        new Checkpoint.ScheduledUnit(2, 2, 1, 1, "eval", 11, 12, "exec-1", attempt)),
                attempt == 1 ? "" : "{\"rung\":3}");
    }

    static void assertSame(Checkpoint a, Checkpoint b) {
        assertEquals(a.attempt(), b.attempt());
        assertEquals(a.completedIterations(), b.completedIterations());
        assertEquals(a.elapsedMs(), b.elapsedMs());
        assertEquals(a.arguments(), b.arguments());
        assertEquals(a.fingerprints(), b.fingerprints());
        assertEquals(a.schedule(), b.schedule());
        assertEquals(a.session(), b.session());
        assertEquals(a.configs().size(), b.configs().size());
        for (int i = 0; i < a.configs().size(); i++) {
            Checkpoint.ConfigState x = a.configs().get(i);
            Checkpoint.ConfigState y = b.configs().get(i);
            assertArrayEquals(x.state(), y.state());
            assertEquals(x.mstKey(), y.mstKey());
            assertEquals(x.visitOrders(), y.visitOrders());
            assertEquals(x.divergedAt(), y.divergedAt());
            assertEquals(x.failedAt(), y.failedAt());
            assertEquals(x.failure(), y.failure());
            assertEquals(Double.doubleToRawLongBits(x.latestLoss()), Double.doubleToRawLongBits(y.latestLoss()));
            assertEquals(x.metrics(), y.metrics(), "doubles to the bit, NaN and infinities included");
            assertEquals(x.readState().isPresent(), y.readState().isPresent());
            x.readState().ifPresent(h -> assertArrayEquals(h, y.readState().get()));
        }
    }

    @Test
    void roundTripsASessionsReadStatesInRowsOfTheirOwn() {
        Checkpoint plain = sample(2);
        Checkpoint read = new Checkpoint(2, 0, 5, plain.arguments(), plain.fingerprints(), List.of(plain.configs().get(0)
                .withReadState(Optional.of(new byte[] {9, 8})), plain.configs().get(1)), plain.schedule(), plain.session());
        try (Store store = new FileStore(dir)) {
            CheckpointTable.write(store, "s", read);
            assertSame(read, CheckpointTable.read(store, "s").orElseThrow());
            List<Row> rows = store.readAll("s_checkpoint");
            assertEquals(4, rows.size(), "the run row, two configurations, one read state");
            assertEquals(CheckpointTable.READ_META, rows.get(3).get(2));
            store.replace("s_checkpoint", CheckpointTable.SCHEMA, List.of(rows.get(0), rows.get(1), rows.get(3), Row.of(7, new byte[1],
                    CheckpointTable.READ_META)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointTable.read(store, "s"));
            assertTrue(e.getMessage().contains("read states of configurations it does not hold: [7]"), e.getMessage());
        }
    }

    @Test
    void roundTripsEveryValueAndReplacesTheOldCheckpoint() {
        try (Store store = new FileStore(dir)) {
            assertTrue(CheckpointTable.read(store, "out").isEmpty());
            CheckpointTable.write(store, "out", sample(1));
            assertSame(sample(1), CheckpointTable.read(store, "out").orElseThrow());
            CheckpointTable.write(store, "out", sample(2));
            assertSame(sample(2), CheckpointTable.read(store, "out").orElseThrow());
            assertEquals(List.of("out_checkpoint"), store.listTables(), "one checkpoint per run");
            assertEquals(3, store.readAll("out_checkpoint").size(), "a run row and one row per configuration");
            CheckpointTable.remove(store, "out");
            assertEquals(List.of(), store.listTables());
            CheckpointTable.remove(store, "out");
        }
    }

    @Test
    void countsTrainUnitsAndFindsConfigurations() {
        assertEquals(1, sample(1).trainUnitsDone());
        assertEquals(List.of(1), sample(1).config(1).orElseThrow().visited(2));
        assertEquals(List.of(), sample(1).config(1).orElseThrow().visited(3));
        assertFalse(sample(1).config(3).isPresent());
    }

    @Test
    void refusesDamagedTablesAndNewerFormatsWithOneLine() {
        List<Row> rows = CheckpointTable.encode(sample(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointTable.decode("out_checkpoint", rows.subList(1, rows.size())));
        assertTrue(e.getMessage().startsWith("checkpoint 'out_checkpoint' is damaged") && e.getMessage().contains("hopper table drop out_checkpoint"),
                e.getMessage());
        List<Row> truncatedJson = List.of(Row.of(null, null, "{\"format\":\"hopper-checkpoint\",\"vers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CheckpointTable.decode("out_checkpoint", truncatedJson))
                .getMessage().contains("is damaged"));
        String newer = ((String) rows.get(0).get(2)).replace("\"version\":1", "\"version\":99");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CheckpointTable.decode("out_checkpoint", List.of(Row.of(null, null, newer))))
                .getMessage().contains("newer Hopper"));
        try (Store store = new FileStore(dir)) {
            store.write("x_checkpoint", io.hopper.store.Schema.of("a", io.hopper.store.ColumnType.INT), List.of());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> CheckpointTable.read(store, "x")).getMessage()
                    .contains("is not a Hopper checkpoint"));
        }
    }

    @Test
    void validatesItsRecords() {
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(0, 0, 0, Map.of(), Map.of(), List.of(), List.of(), ""));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint.ConfigState(1, new byte[0], List.of(), OptionalInt.empty(),
                OptionalInt.of(1), Optional.empty(), 0, Checkpoint.Metrics.NONE));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint.ScheduledUnit(1, 1, 0, 0, "train", 5, 4, "local", 1));
    }
}
