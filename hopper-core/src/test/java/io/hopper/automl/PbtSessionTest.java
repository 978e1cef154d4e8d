package io.hopper.automl;

import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.MstEntry;
import io.hopper.model.params.SearchSpace;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PBT driving a simulated fit session ({@link SessionSimulator}). */
class PbtSessionTest {
    /** The fake model's state: progress (a double) and a counter of epochs trained since the first state. */
    private static final SessionSimulator.Model MODEL = new SessionSimulator.Model() {
        @Override
        public byte[] initial(MstEntry entry) {
            return ByteBuffer.allocate(12).putDouble(0).putInt(0).array();
        }

        @Override
        public byte[] train(MstEntry entry, byte[] state) {
            ByteBuffer b = ByteBuffer.wrap(state);
            double lr = entry.parsedCompileParams().optimizer().learningRate();
            double progress = b.getDouble() + 1 / (1 + Math.abs(Math.log10(lr) + 2.5));
            return ByteBuffer.allocate(12).putDouble(progress).putInt(b.getInt() + 1).array();
        }

        /** The mean progress per epoch: a configuration's quality whatever its epoch. */
        @Override
        public double loss(byte[] state) {
            ByteBuffer b = ByteBuffer.wrap(state);
            return 1 / (1 + b.getDouble() / Math.max(1, b.getInt()));
        }
    };

    private record Run(PbtSession driver, SessionSimulator.Result result, Map<Integer, List<byte[]>> statesByEpoch) {
    }

    private static Run run(Pbt.Params params, int partitions, int workers, long seed) {
        SearchSpace space = ConfigGrid.parse(TpeTest.COMPILE, TpeTest.FIT).space(Set.of(1), List.of(1));
        Random draws = new Random(seed);
        List<MstEntry> population = new ArrayList<>();
        List<SearchSpace.Point> points = new ArrayList<>();
        for (int k = 1; k <= params.population(); k++) {
            SearchSpace.Point p = space.sample(draws);
            MstEntry e = space.entry(p);
            population.add(new MstEntry(k, e.modelId(), e.compileParams(), e.fitParams()));
            points.add(p);
        }
        PbtSession driver = new PbtSession(new Pbt(params, space, seed), population, points, o -> Score.loss(o.trainingLoss()));
        SessionSimulator.Result r = SessionSimulator.run(driver, population, partitions, workers, seed, params.interval(), MODEL);
        return new Run(driver, r, Map.of());
    }

    @Test
    void theBottomCopiesTheTopEveryIntervalOfItsOwnWithoutABarrier() {
        Pbt.Params params = new Pbt.Params(6, 2, 8, 0.25, 0.25);
        for (int workers = 1; workers <= 3; workers++) {
            for (long seed = 1; seed <= 3; seed++) {
                Run run = run(params, 3, workers, seed);
                SessionSimulator.Result r = run.result();
                ScheduleInvariants.checkEpochs(r.executed(), 3);
                assertEquals(0, r.idleWithWork());
                Map<Integer, Integer> units = new HashMap<>();
                for (ExecutedUnit u : r.executed()) {
                    units.merge(u.unit().mstKey(), 1, Integer::sum);
                }
                for (int k = 1; k <= 6; k++) {
                    assertEquals(8, r.epochs().get(k), "configuration " + k + " trains its own 8 epochs");
                    assertEquals(8 * 3, units.get(k));
                }
                List<Pbt.Exploit> exploits = run.driver().exploits();
                assertTrue(!exploits.isEmpty(), "some configuration exploited another: workers " + workers + " seed " + seed + " " + r.events());
                for (Pbt.Exploit x : exploits) {
                    assertTrue(x.iteration() % 2 == 0 && x.iteration() < 8, "at its own interval: " + x);
                    assertTrue(x.donorKey() != x.mstKey());
                    assertEquals(List.of("lr"), x.changes().stream().map(Pbt.Change::setting).toList(), x.describe());
                    assertTrue(run.driver().lineage(x.mstKey()).contains(x));
                }
                // each replace gave the recipient a copy of its donor's state at the donor's ranked epoch, bit for bit
                assertEquals(exploits.size(), r.replacedStates().size());
                for (int i = 0; i < exploits.size(); i++) {
                    Pbt.Exploit x = exploits.get(i);
                    byte[] donorState = r.trained().get(x.donorKey()).get(x.donorIteration());
                    assertArrayEquals(donorState, r.replacedStates().get(i), x.describe());
                    assertTrue(donorState != r.replacedStates().get(i), "a copy, not the donor's array");
                }
                // replace happened only at an epoch end of the recipient, at its own interval
                r.events().stream().filter(e -> e.kind().equals("replace")).forEach(e -> assertEquals(0, e.epoch() % 2));
                if (workers > 1) {
                    assertTrue(exploits.stream().anyMatch(x -> x.donorIteration() != x.iteration()),
                            "a donor at another epoch than its recipient: no global barrier");
                }
            }
        }
    }

    @Test
    void theCopiedStateIsTheDonorsAtItsRankedEpochBitForBit() {
        Pbt.Params params = new Pbt.Params(4, 1, 4, 0.5, 0.0);
        Run run = run(params, 1, 1, 3);
        // one worker, one partition: configurations take turns; replay the fake model along the lineage
        List<Pbt.Exploit> exploits = run.driver().exploits();
        assertTrue(!exploits.isEmpty());
        Run again = run(params, 1, 1, 3);
        assertEquals(exploits, again.driver().exploits(), "one worker and one seed: the same search");
        for (int k = 1; k <= 4; k++) {
            assertArrayEquals(run.result().states().get(k), again.result().states().get(k));
            assertEquals(run.driver().entry(k), again.driver().entry(k));
        }
    }

    @Test
    void needsOneEntryAndPointPerMember() {
        SearchSpace space = ConfigGrid.parse(TpeTest.COMPILE, TpeTest.FIT).space(Set.of(1), List.of(1));
        Pbt pbt = new Pbt(new Pbt.Params(3, 1, 2, 0.25, 0.25), space, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PbtSession(pbt, List.of(), List.of(), o -> Score.loss(o.trainingLoss())));
        assertTrue(e.getMessage().startsWith("pbt: 0 configurations and 0 points for population=3"), e.getMessage());
    }
}
