package io.hopper.fit;

import io.hopper.store.ColumnType;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutputTablesTest {
    @TempDir
    Path dir;

    private static Row summaryRow() {
        return Row.of(new ArrayList<>(Collections.nCopies(OutputTables.SUMMARY.size(), null)));
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
            OutputTables.write(store, "o", List.of(Row.of(1, new byte[4], "{}", new byte[8])), List.of(), summaryRow(), List.of(), true);
            assertEquals(1, store.readAll("o").size());
        }
    }
}
