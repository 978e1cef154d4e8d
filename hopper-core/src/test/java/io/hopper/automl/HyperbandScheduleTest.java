package io.hopper.automl;

import io.hopper.automl.HyperbandSchedule.Bracket;
import io.hopper.automl.HyperbandSchedule.Round;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperbandScheduleTest {

    private static List<List<Integer>> rows(HyperbandSchedule h) {
        return h.table().stream().map(r -> List.of(r.bracket(), r.round(), r.configurations(), r.iterations())).toList();
    }

    @Test
    void madlibDefaultR6Eta3() {
        HyperbandSchedule h = HyperbandSchedule.parse(HyperbandSchedule.DEFAULT_PARAMS);
        assertEquals(1, h.sMax());
        // s=1: n = floor(2/2) * 3 = 3, r = 2; s=0: n = floor(2/1) * 1 = 2, r = 6
        assertEquals(List.of(List.of(1, 0, 3, 2), List.of(1, 1, 1, 6), List.of(0, 0, 2, 6)), rows(h));
        assertEquals(5, h.totalConfigurations());
    }

    @Test
    void hyperbandPaperR81Eta3WithMadlibsBracketSizes() {
        HyperbandSchedule h = HyperbandSchedule.parse("R=81, eta=3");
        assertEquals(4, h.sMax());
        assertEquals(List.of(81, 27, 9, 6, 5), h.brackets().stream().map(Bracket::configurations).toList());
        assertEquals(List.of(
                List.of(4, 0, 81, 1), List.of(4, 1, 27, 3), List.of(4, 2, 9, 9), List.of(4, 3, 3, 27), List.of(4, 4, 1, 81),
                List.of(3, 0, 27, 3), List.of(3, 1, 9, 9), List.of(3, 2, 3, 27), List.of(3, 3, 1, 81),
                List.of(2, 0, 9, 9), List.of(2, 1, 3, 27), List.of(2, 2, 1, 81),
                List.of(1, 0, 6, 27), List.of(1, 1, 2, 81),
                List.of(0, 0, 5, 81)), rows(h));
    }

    @Test
    void everyRoundMatchesMadlibsFormulasForManyPairs() {
        for (int eta = 2; eta <= 5; eta++) {
            for (int r = eta; r <= 300; r += 7) {
                for (int skip = 0; skip <= 1; skip++) {
                    HyperbandSchedule h = new HyperbandSchedule(r, eta, skip);
                    int sMax = (int) Math.floor(Math.log(r) / Math.log(eta) + 1e-9);
                    assertEquals(sMax, h.sMax(), "R=" + r + " eta=" + eta);
                    List<Round> expected = new ArrayList<>();
                    for (int s = sMax; s >= skip; s--) {
                        int n = (int) Math.ceil(Math.floor((sMax + 1.0) / (s + 1)) * Math.pow(eta, s));
                        double rs = r * Math.pow(eta, -s);
                        for (int i = 0; i < s + 1 - skip; i++) {
                            expected.add(new Round(s, i, (int) Math.floor(n * Math.pow(eta, -i) + 1e-9),
                                    (int) Math.round(rs * Math.pow(eta, i))));
                        }
                    }
                    assertEquals(expected, h.table(), "R=" + r + " eta=" + eta + " skip_last=" + skip);
                }
            }
        }
    }

    @Test
    void roundsCutConfigurationsAndGrowIterationsUpToR() {
        HyperbandSchedule h = new HyperbandSchedule(100, 3, 0);
        for (Bracket b : h.brackets()) {
            List<Round> rounds = b.rounds();
            assertEquals(b.configurations(), rounds.get(0).configurations());
            assertEquals(100, rounds.get(rounds.size() - 1).iterations(), "the last round of every bracket trains to R");
            for (int i = 1; i < rounds.size(); i++) {
                assertTrue(rounds.get(i).configurations() >= 1);
                assertTrue(rounds.get(i).configurations() <= rounds.get(i - 1).configurations() / 3);
                assertTrue(rounds.get(i).iterations() > rounds.get(i - 1).iterations());
            }
        }
    }

    @Test
    void exactLogWhereFloatingPointMadlibUndercounts() {
        // Python's math.log(243, 3) is 4.999999999999999, so MADlib computes s_max = 4
        assertEquals(5, new HyperbandSchedule(243, 3, 0).sMax());
        assertEquals(3, new HyperbandSchedule(1000, 10, 0).sMax());
    }

    @Test
    void skipLastDropsLastRoundsAndSmallBrackets() {
        HyperbandSchedule h = HyperbandSchedule.parse("R=81, eta=3, skip_last=1");
        assertEquals(List.of(4, 3, 2, 1), h.brackets().stream().map(Bracket::s).toList());
        for (Bracket b : h.brackets()) {
            assertEquals(b.s(), b.rounds().size());
        }
        assertEquals(81 + 27 + 9 + 6, h.totalConfigurations());
    }

    @Test
    void invalidSettingsAreRefusedWithTheirValues() {
        IllegalArgumentException eta = assertThrows(IllegalArgumentException.class, () -> HyperbandSchedule.parse("R=6, eta=1"));
        assertTrue(eta.getMessage().contains("eta=1"), eta.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> HyperbandSchedule.parse("R=2, eta=3"));
        assertTrue(r.getMessage().contains("R=2"), r.getMessage());
        IllegalArgumentException skip = assertThrows(IllegalArgumentException.class, () -> HyperbandSchedule.parse("R=9, skip_last=3"));
        assertTrue(skip.getMessage().contains("skip_last=3") && skip.getMessage().contains("s_max=2"), skip.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> HyperbandSchedule.parse("R=9, num_configs=3"));
        assertTrue(key.getMessage().contains("'num_configs'") && key.getMessage().contains("skip_last"), key.getMessage());
    }

    @Test
    void paramsRoundTrip() {
        HyperbandSchedule h = new HyperbandSchedule(27, 3, 1);
        assertEquals(h, HyperbandSchedule.parse(h.params()));
    }
}
