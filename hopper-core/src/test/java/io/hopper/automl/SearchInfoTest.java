package io.hopper.automl;

import io.hopper.fit.InfoRow;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchInfoTest {
    private static InfoRow info(int key) {
        return new InfoRow(key, 1, "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)'", "batch_size=8", 1.5,
                List.of(0.5, 1.0), Optional.empty(), "categorical_crossentropy", List.of(0.9, 0.7), Optional.empty(),
                Optional.empty(), Optional.empty(), "ok");
    }

    @Test
    void pbtsLineageRoundTripsThroughItsColumns() {
        Schema schema = SearchInfo.schema(AutomlSpec.Method.PBT);
        assertTrue(schema.names().containsAll(List.of("exploit_iters", "exploit_donors", "exploit_donor_iters", "exploit_changes")));
        List<Pbt.Exploit> lineage = List.of(
                new Pbt.Exploit(4, 2, 1, 2, List.of(new Pbt.Change("lr", "0.01", "0.012"), new Pbt.Change("beta_2", "0.999", "0.9988"))),
                new Pbt.Exploit(4, 4, 3, 3, List.of()));
        SearchInfo row = new SearchInfo(info(4), List.of(2, 4), 4, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.of(lineage));
        Row r = row.toRow();
        assertEquals(List.of("lr 0.01 -> 0.012, beta_2 0.999 -> 0.9988", ""), r.get(schema.indexOf("exploit_changes")));
        assertEquals(List.of(1, 3), r.get(schema.indexOf("exploit_donors")));
        assertEquals(row, SearchInfo.fromRow(r, schema));
        SearchInfo none = new SearchInfo(info(2), List.of(2, 4), 4, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.of(List.of()));
        assertEquals(none, SearchInfo.fromRow(none.toRow(), schema));
    }

    @Test
    void otherMethodsHaveNoLineageColumnsAndABrokenChangeIsABrokenTable() {
        Schema tpe = SearchInfo.schema(AutomlSpec.Method.TPE);
        assertFalse(tpe.has("exploit_iters") || tpe.has("rung") || tpe.has("s"));
        SearchInfo row = new SearchInfo(info(1), List.of(3), 3, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty());
        assertEquals(row, SearchInfo.fromRow(row.toRow(), tpe));
        Schema pbt = SearchInfo.schema(AutomlSpec.Method.PBT);
        List<Object> values = new java.util.ArrayList<>(new SearchInfo(info(1), List.of(2), 2, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.of(List.of(new Pbt.Exploit(1, 1, 2, 1, List.of())))).toRow().values());
        values.set(pbt.indexOf("exploit_changes"), List.of("lr went up"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SearchInfo.fromRow(Row.of(values), pbt));
        assertTrue(e.getMessage().contains("'lr went up'"), e.getMessage());
    }
}
