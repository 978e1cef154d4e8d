package io.hopper.report;

import io.hopper.automl.AutomlSpec;
import io.hopper.automl.HyperbandSchedule;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads real automl outputs on iris ({@link Searches}) and checks them against O_info as stored. */
class SearchRecordTest {
    @TempDir
    static Path dir;
    private static Store store;

    @BeforeAll
    static void searches() throws Exception {
        store = Searches.build(dir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** O_info's INT column {@code column} by mst_key. */
    private static Map<Integer, Integer> column(String info, String column) {
        Schema schema = store.schema(info);
        Map<Integer, Integer> values = new TreeMap<>();
        for (Row r : store.readAll(info)) {
            values.put((Integer) r.get(0), (Integer) r.get(schema.indexOf(column)));
        }
        return values;
    }

    @Test
    void ashaStopsAtTheRungO_infoRecordsAndCountsEachRungsEntrants() {
        SearchRecord search = SearchRecord.read(store, "asha");
        assertEquals(AutomlSpec.Method.ASHA, search.method());
        assertEquals("R=4, eta=2, min_r=1, num_configs=6", search.params());
        Map<Integer, Integer> rung = column("asha_info", "rung");
        for (SearchRecord.Trial t : search.trials()) {
            int k = rung.get(t.mstKey());
            assertEquals(k == 2 ? "completed" : "rung " + k, search.stoppedAt(t), "mst_key " + t.mstKey());
            assertEquals(List.of(1, 2, 4).subList(0, k + 1), t.metricsIters(), "metrics at each rung reached");
        }
        List<SearchRecord.Promotion> promotions = search.promotions();
        assertEquals(List.of("rung 0", "rung 1", "rung 2"), promotions.stream().map(SearchRecord.Promotion::stage).toList());
        assertEquals(List.of(1, 2, 4), promotions.stream().map(SearchRecord.Promotion::iterations).toList());
        for (int k = 0; k < 3; k++) {
            int level = k;
            SearchRecord.Promotion p = promotions.get(k);
            assertEquals(rung.entrySet().stream().filter(e -> e.getValue() >= level).map(Map.Entry::getKey).toList(), p.entered());
            assertEquals(rung.entrySet().stream().filter(e -> e.getValue() > level).map(Map.Entry::getKey).toList(), p.wentOn());
            assertEquals(k == 2, p.last());
        }
        assertEquals(6, promotions.get(0).entered().size(), "every configuration starts at rung 0");
        assertTrue(promotions.get(0).wentOn().size() >= 3, "at least the final top half of rung 0 went on: " + promotions.get(0));
        assertFalse(search.fit().units().isEmpty(), "ASHA keeps its session's O_schedule");
        assertEquals(search.bestMstKey(), search.leaderboard().get(0).mstKey(), "rank 1 is O_summary's best_mst_key");
    }

    @Test
    void hyperbandPromotionsAreTheScheduleRoundsAndTheLeaderboardRanksAsTheSearch() {
        SearchRecord search = SearchRecord.read(store, "hb");
        Map<Integer, Integer> s = column("hb_info", "s");
        Map<Integer, Integer> i = column("hb_info", "i");
        List<HyperbandSchedule.Round> rounds = HyperbandSchedule.parse(search.params()).table();
        List<SearchRecord.Promotion> promotions = search.promotions();
        assertEquals(rounds.size(), promotions.size());
        for (int r = 0; r < rounds.size(); r++) {
            HyperbandSchedule.Round round = rounds.get(r);
            SearchRecord.Promotion p = promotions.get(r);
            assertEquals("bracket " + round.bracket() + " round " + round.round(), p.stage());
            assertEquals(round.configurations(), p.entered().size(), p.stage() + " holds the schedule's n_i");
            assertEquals(round.iterations(), p.iterations());
        }
        assertEquals(List.of(3, 1, 2), promotions.stream().map(p -> p.entered().size()).toList());
        assertEquals(List.of(1, 0, 0), promotions.stream().map(p -> p.wentOn().size()).toList());
        for (SearchRecord.Trial t : search.trials()) {
            boolean last = i.get(t.mstKey()) == s.get(t.mstKey());
            assertEquals(last ? "completed" : "bracket " + s.get(t.mstKey()) + " round " + i.get(t.mstKey()), search.stoppedAt(t));
        }
        List<FitRecord.Config> board = search.leaderboard();
        assertEquals(search.bestMstKey(), board.get(0).mstKey());
        for (int r = 1; r < board.size(); r++) {
            SearchRecord.Trial a = search.trial(board.get(r - 1).mstKey());
            SearchRecord.Trial b = search.trial(board.get(r).mstKey());
            assertTrue(a.iterations() > b.iterations() || a.iterations() == b.iterations()
                    && board.get(r - 1).rankingLoss() <= board.get(r).rankingLoss(), "trained longest first, then by validation loss");
        }
        assertFalse(search.fit().units().isEmpty(), "Hyperband runs as one session and keeps its O_schedule");
    }

    @Test
    void randomSearchCompletesEveryConfiguration() {
        SearchRecord search = SearchRecord.read(store, "rnd");
        assertTrue(search.trials().stream().allMatch(search::completed));
        assertEquals(1, search.promotions().size());
        assertEquals(2, search.promotions().get(0).entered().size());
        assertEquals(AutomlSpec.RankBy.LOSS, search.rankBy());
    }

    @Test
    void aTableThatIsNotASearchIsAOneLineError() {
        assertFalse(SearchRecord.isSearch(store, "iris"));
        assertTrue(SearchRecord.isSearch(store, "hb"));
        String m = assertThrows(IllegalArgumentException.class, () -> SearchRecord.read(store, "iris")).getMessage();
        assertTrue(m.startsWith("--model-table 'iris': no automl O_summary") && m.endsWith("give the output table of `hopper automl`"), m);
        String trial = assertThrows(IllegalArgumentException.class, () -> SearchRecord.read(store, "hb").trial(99)).getMessage();
        assertTrue(trial.contains("mst_key 99"), trial);
    }

    @Test
    void aRecordNeedsOneTrialPerConfiguration() {
        SearchRecord hb = SearchRecord.read(store, "hb");
        String m = assertThrows(IllegalArgumentException.class, () -> new SearchRecord(hb.fit(), hb.method(), hb.params(), hb.rankBy(),
                hb.bestMstKey(), hb.fitCalls(), hb.totalIterations(), hb.trials().subList(1, hb.trials().size()))).getMessage();
        assertTrue(m.startsWith("search record: 4 trials for 5 configurations"), m);
    }
}
