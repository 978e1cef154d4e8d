package io.hopper.fit;

import io.hopper.store.ColumnType;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputTablesTest {
    @TempDir
    Path dir;

    private static SummaryRow summaryRow() {
        return new SummaryRow("s", Optional.empty(), "o", "o_info", "y", "x", "a", "m", 1, 1, false, Optional.empty(),
                Optional.of("d"), "t0", "t1", "v", 3, Optional.of(Arrays.asList("a", null, "c")), "text", 1.0, List.of(1), 7L,
                "async", 2, false, "java", "os", "f", Optional.empty(), Optional.of("{}"));
    }

    @Test
    void typedRowsRoundTripThroughTheirCodecs() {
        try (Store store = new FileStore(dir)) {
            ModelRow model = new ModelRow(1, new byte[] {1, 2, 3, 4}, "{}", new byte[] {5});
            InfoRow info = new InfoRow(1, 2, "loss='mse'", "batch_size=1", 0.5, List.of(1.0), Optional.of("accuracy"), "mse",
                    List.of(0.5, Double.NaN), Optional.of(List.of(0.1, 0.2)), Optional.empty(), Optional.empty(), "ok");
            ScheduleRow unit = new ScheduleRow(1, 1, 0, 0, "train", 0.5, 1.5, "local", 2);
            OutputTables.write(store, "o", List.of(model), List.of(info), summaryRow(), List.of(unit), false);
            ModelRow m = OutputTables.readModels(store, "o").get(0);
            assertEquals(List.of(1, "{}"), List.of(m.mstKey(), m.modelArch()));
            assertArrayEquals(model.modelWeights(), m.modelWeights());
            assertEquals(List.of(info), OutputTables.readInfos(store, "o"));
            assertEquals(summaryRow(), OutputTables.readSummary(store, "o"));
            assertEquals(List.of(unit), OutputTables.readSchedule(store, "o"));
            Row raw = store.readAll("o_info").get(0);
            assertEquals(0.2, raw.get(OutputTables.INFO.indexOf("training_metrics_final")), "finals are the curves' last values");
            assertEquals(null, raw.get(OutputTables.INFO.indexOf("validation_loss_final")));
        }
    }

    @Test
    void aMultiOutputFitsInfoAddsEachOutputsFinalValues() {
        try (Store store = new FileStore(dir)) {
            ModelRow model = new ModelRow(1, new byte[] {1, 2, 3, 4}, "{}", new byte[] {5});
            InfoRow.PerOutput outputs = new InfoRow.PerOutput(List.of("a", "b"), List.of(0.5, 0.25), List.of(0.9, 0.8), List.of(), List.of());
            InfoRow info = new InfoRow(1, 2, "loss=['mse', 'mse']", "batch_size=1", 0.5, List.of(1.0), Optional.of("accuracy"), "mse",
                    List.of(0.75), Optional.of(List.of(0.85)), Optional.empty(), Optional.empty(), "ok", Optional.of(outputs));
            InfoRow none = new InfoRow(2, 2, "loss=['mse', 'mse']", "batch_size=1", 0.5, List.of(), Optional.of("accuracy"), "mse",
                    List.of(), Optional.of(List.of()), Optional.empty(), Optional.empty(), "failed at iteration 1: x");
            OutputTables.write(store, "o", List.of(model), List.of(info, none), summaryRow(), List.of(), false);
            assertEquals(OutputTables.INFO_MULTI_OUTPUT, store.schema("o_info"));
            assertTrue(OutputTables.isInfo(store.schema("o_info")));
            assertEquals(List.of(info, none), OutputTables.readInfos(store, "o"));
            Row raw = store.readAll("o_info").get(0);
            assertEquals(List.of(0.5, 0.25), raw.get(OutputTables.INFO_MULTI_OUTPUT.indexOf("training_loss_per_output_final")));
            assertEquals(null, raw.get(OutputTables.INFO_MULTI_OUTPUT.indexOf("validation_loss_per_output_final")));
        }
    }

    @Test
    void aSummaryWithoutAFitsColumnsIsRefusedByName() {
        try (Store store = new FileStore(dir)) {
            store.write("o_summary", Schema.of("a", ColumnType.INT), List.of(Row.of(1)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputTables.readSummary(store, "o"));
            assertTrue(e.getMessage().contains("'o_summary' lacks the columns"), e.getMessage());
        }
    }

    @Test
    void namesOAndItsCompanions() {
        assertEquals(List.of("o", "o_info", "o_summary", "o_schedule"), OutputTables.names("o"));
    }

    @Test
    void writesAllFourOrNothingNew() {
        try (Store store = new FileStore(dir)) {
            store.write("o_info", Schema.of("a", ColumnType.INT), List.of());
            // o_schedule and o_summary are written first, then o_info exists: they must be dropped again.
            assertThrows(IllegalArgumentException.class,
                    () -> OutputTables.write(store, "o", List.of(), List.of(), summaryRow(), List.of(), false));
            assertEquals(List.of("o_info"), store.listTables());
            store.drop("o_info");
            OutputTables.write(store, "o", List.of(), List.of(), summaryRow(), List.of(), false);
            assertEquals(List.of("o", "o_info", "o_schedule", "o_summary"), store.listTables());
            assertEquals(OutputTables.INFO, store.schema("o_info"));
            OutputTables.write(store, "o", List.of(new ModelRow(1, new byte[4], "{}", new byte[8])), List.of(), summaryRow(), List.of(), true);
            assertEquals(1, store.readAll("o").size());
        }
    }
}
