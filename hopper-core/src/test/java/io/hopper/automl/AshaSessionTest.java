package io.hopper.automl;

import io.hopper.automl.Asha.Job;
import io.hopper.automl.Asha.Params;
import io.hopper.model.params.MstEntry;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ASHA driving a simulated fit session ({@link SessionSimulator}: the dynamic scheduler in virtual time with random unit
 * durations, the driver called as the unit loop calls it); the trace is checked against the rule.
 */
class AshaSessionTest {

    /** What a simulated session did. */
    private record Run(List<AshaSession.Event> trace, List<ExecutedUnit> executed, int idleWithWork, Asha asha) {
    }

    /** A fake training loss: configuration c is as good as quality[c]; more epochs lower it. */
    private static double loss(double[] quality, int config, int epoch) {
        return quality[config] / epoch;
    }

    private static Run simulate(Params params, int partitions, int workers, long seed, double[] quality) {
        Asha asha = new Asha(params);
        List<Integer> keys = IntStream.range(0, params.numConfigs()).map(c -> 100 + c).boxed().toList();
        AshaSession driver = new AshaSession(asha, keys, o -> Score.loss(o.trainingLoss()));
        // a state is (mst_key, epochs trained); metrics only at the targets (the rungs)
        SessionSimulator.Model model = new SessionSimulator.Model() {
            @Override
            public byte[] initial(MstEntry entry) {
                return ByteBuffer.allocate(8).putInt(entry.mstKey()).putInt(0).array();
            }

            @Override
            public byte[] train(MstEntry entry, byte[] state) {
                ByteBuffer b = ByteBuffer.wrap(state);
                return ByteBuffer.allocate(8).putInt(b.getInt()).putInt(b.getInt() + 1).array();
            }

            @Override
            public double loss(byte[] state) {
                ByteBuffer b = ByteBuffer.wrap(state);
                return AshaSessionTest.loss(quality, b.getInt() - 100, b.getInt());
            }
        };
        List<MstEntry> table = keys.stream().map(k -> new MstEntry(k, 1, "loss='mse', optimizer='SGD'", "batch_size=8")).toList();
        SessionSimulator.Result r = SessionSimulator.run(driver, table, partitions, workers, seed, Integer.MAX_VALUE, model);
        return new Run(driver.trace(), r.executed(), r.idleWithWork(), asha);
    }

    private static double[] quality(int n, long seed) {
        SplittableRandom q = new SplittableRandom(seed);
        return IntStream.range(0, n).mapToDouble(i -> 0.1 + q.nextDouble()).toArray();
    }

    /**
     * Replays the trace on a fresh {@link Asha}: every promotion was, when it was made, in the top floor(m/eta) of the m
     * results of its rung known then; every result not promoted at once paused; at the end the final top 1/eta of
     * every rung went up.
     */
    private static void checkRule(Params params, List<AshaSession.Event> trace) {
        List<List<Double>> rungs = new ArrayList<>();
        params.rungIterations().forEach(r -> rungs.add(new ArrayList<>()));
        List<List<Integer>> promotedFrom = new ArrayList<>();
        params.rungIterations().forEach(r -> promotedFrom.add(new ArrayList<>()));
        double[][] scores = new double[params.numConfigs()][params.rungIterations().size()];
        for (AshaSession.Event e : trace) {
            Job j = e.job();
            if (e.result().isPresent()) {
                rungs.get(j.rung()).add(e.result().get().value());
                scores[j.config()][j.rung()] = e.result().get().value();
                continue;
            }
            if (j.rung() > 0) {
                List<Double> below = new ArrayList<>(rungs.get(j.rung() - 1));
                below.sort(Double::compare);
                int top = below.size() / params.eta();
                double mine = scores[j.config()][j.rung() - 1];
                assertTrue(top > 0 && mine <= below.get(top - 1), j + " promoted from outside the top " + top + " of " + below);
                promotedFrom.get(j.rung() - 1).add(j.config());
            }
        }
        for (int k = 0; k + 1 < params.rungIterations().size(); k++) {
            int rung = k;
            List<Integer> reached = IntStream.range(0, params.numConfigs()).filter(c -> scores[c][rung] > 0).boxed()
                    .sorted((a, b) -> Double.compare(scores[a][rung], scores[b][rung])).toList();
            List<Integer> finalTop = reached.subList(0, reached.size() / params.eta());
            assertTrue(promotedFrom.get(k).containsAll(finalTop), "rung " + k + ": the final top " + finalTop
                    + " all went up, promoted " + promotedFrom.get(k));
        }
    }

    @Test
    void aSessionFollowsTheRuleKeepsTheInvariantsAndNeverIdlesAWorkerWithWork() {
        Params params = new Params(9, 3, 1, 27);
        double[] quality = quality(27, 42);
        for (int workers = 1; workers <= 4; workers++) {
            for (long seed = 0; seed < 5; seed++) {
                Run run = simulate(params, 4, workers, seed, quality);
                checkRule(params, run.trace());
                ScheduleInvariants.checkEpochs(run.executed(), 4);
                assertEquals(0, run.idleWithWork(), "a worker idled while a unit was available");
                assertTrue(run.asha().finished(), "the session ended with the search");
                long starts = run.trace().stream().filter(e -> e.result().isEmpty() && e.job().rung() == 0).count();
                assertEquals(27, starts, "every configuration starts once");
                int lastRung0Result = -1;
                int firstPromotion = -1;
                for (int i = 0; i < run.trace().size(); i++) {
                    AshaSession.Event e = run.trace().get(i);
                    if (e.result().isPresent() && e.job().rung() == 0) {
                        lastRung0Result = i;
                    }
                    if (e.result().isEmpty() && e.job().rung() == 1 && firstPromotion < 0) {
                        firstPromotion = i;
                    }
                }
                assertTrue(firstPromotion >= 0 && firstPromotion < lastRung0Result,
                        "a promotion happens before rung 0 is full: no waiting for a rung to fill");
            }
        }
    }

    @Test
    void oneWorkerRunsOneJobAtATimeAndTheSeedReproducesTheTrace() {
        Params params = new Params(9, 3, 1, 9);
        double[] quality = quality(9, 7);
        Run a = simulate(params, 3, 1, 3, quality);
        assertEquals(a.trace(), simulate(params, 3, 1, 3, quality).trace());
        assertEquals(a.executed(), simulate(params, 3, 1, 3, quality).executed());
        assertNotEquals(a.executed().stream().map(ExecutedUnit::unit).toList(),
                simulate(params, 3, 1, 4, quality).executed().stream().map(ExecutedUnit::unit).toList(),
                "the seed draws the visit orders");
        for (int i = 0; i + 1 < a.trace().size(); i += 2) {
            AshaSession.Event started = a.trace().get(i);
            assertTrue(started.result().isEmpty(), "one worker: a job starts, then it reports, then the next");
            assertEquals(started.job(), a.trace().get(i + 1).job());
        }
    }

    @Test
    void needsOneKeyPerConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AshaSession(new Asha(new Params(9, 3, 1, 3)), List.of(1, 2), o -> Score.loss(o.trainingLoss())));
        assertTrue(e.getMessage().contains("num_configs=3"), e.getMessage());
    }
}
