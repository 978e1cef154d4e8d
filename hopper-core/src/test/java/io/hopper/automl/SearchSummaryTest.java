package io.hopper.automl;

import io.hopper.fit.InfoRow;
import io.hopper.fit.OutputTables;
import io.hopper.fit.SummaryRow;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSummaryTest {
    static SummaryRow fit() {
        return new SummaryRow("s", Optional.of("v"), "o", "o_info", "y", "x", "a", "o_mst", 3, 3, false, Optional.empty(),
                Optional.empty(), "t0", "t1", "v1", 3, Optional.of(List.of("a", "b", "c")), "text", 1.0, List.of(1, 3), 5L,
                "rotation", 2, true, "java", "os", "f", Optional.of("g"), Optional.empty());
    }

    @Test
    void aSearchsSummaryIsAFitsFollowedByItsOwnColumnsAndRoundTrips() {
        SearchSummary s = new SearchSummary(fit(), AutomlSpec.Method.ASHA, "R=3, eta=3, min_r=1, num_configs=3",
                AutomlSpec.RankBy.LOSS, 2, 1, 7);
        assertEquals(OutputTables.SUMMARY.columns(), SearchSummary.SCHEMA.columns().subList(0, OutputTables.SUMMARY.size()));
        assertEquals(s, SearchSummary.fromRow(s.toRow(), SearchSummary.SCHEMA));
        assertEquals(fit(), SummaryRow.fromRow(s.toRow(), SearchSummary.SCHEMA), "a fit's reader reads a search's summary");
        assertTrue(SearchSummary.isSearch(SearchSummary.SCHEMA));
        assertEquals(5L, s.toRow().get(SearchSummary.SCHEMA.indexOf("random_state")));
    }

    @Test
    void aSearchsInfoRowRoundTripsForEveryMethod() {
        InfoRow info = new InfoRow(1, 1, "loss='mse'", "batch_size=8", 1.0, List.of(0.1), Optional.empty(), "mse", List.of(0.5),
                Optional.empty(), Optional.of(List.of(0.6)), Optional.empty(), "ok");
        SearchInfo hb = new SearchInfo(info, List.of(1), 1, OptionalInt.of(1), OptionalInt.of(0), OptionalInt.empty());
        assertEquals(hb, SearchInfo.fromRow(hb.toRow(), SearchInfo.schema(AutomlSpec.Method.HYPERBAND)));
        SearchInfo asha = new SearchInfo(info, List.of(1), 1, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(0));
        assertEquals(asha, SearchInfo.fromRow(asha.toRow(), SearchInfo.schema(AutomlSpec.Method.ASHA)));
        SearchInfo random = new SearchInfo(info, List.of(1), 1, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
        assertEquals(random, SearchInfo.fromRow(random.toRow(), SearchInfo.schema(AutomlSpec.Method.RANDOM)));
        assertEquals(info, InfoRow.fromRow(asha.toRow(), SearchInfo.schema(AutomlSpec.Method.ASHA)));
    }
}
