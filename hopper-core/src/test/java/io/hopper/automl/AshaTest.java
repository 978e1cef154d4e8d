package io.hopper.automl;

import io.hopper.automl.Asha.Job;
import io.hopper.automl.Asha.Params;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AshaTest {

    /** A fake loss: configuration c is intrinsically as good as quality[c]; more iterations lower every loss. */
    private static Score loss(double[] quality, Job job) {
        return Score.loss(quality[job.config()] / (1 + job.rung()));
    }

    @Test
    void rungsGrowByEtaUpToR() {
        assertEquals(List.of(1, 3, 9), new Params(9, 3, 1, 5).rungIterations());
        assertEquals(List.of(1, 3, 10), new Params(10, 3, 1, 5).rungIterations());
        // K = floor(log_2(20/2)) = 3: rungs 2, 4, 8 and R=20 at the top in place of 16
        assertEquals(List.of(2, 4, 8, 20), new Params(20, 2, 2, 5).rungIterations());
        Asha asha = new Asha(new Params(10, 3, 1, 5));
        assertEquals(1, asha.iterationsToTrain(new Job(0, 0)));
        assertEquals(2, asha.iterationsToTrain(new Job(0, 1)));
        assertEquals(7, asha.iterationsToTrain(new Job(0, 2)));
    }

    @Test
    void promotesAsSoonAsAConfigurationIsInTheTopThirdWithoutWaitingForTheRung() {
        Asha asha = new Asha(new Params(9, 3, 1, 9));
        List<Job> first = List.of(asha.next().orElseThrow(), asha.next().orElseThrow(), asha.next().orElseThrow());
        assertEquals(List.of(new Job(0, 0), new Job(1, 0), new Job(2, 0)), first);
        asha.report(first.get(0), Score.loss(0.5));
        asha.report(first.get(1), Score.loss(0.2));
        // two results: floor(2/3) = 0 can go up, so a new configuration starts
        assertEquals(new Job(3, 0), asha.next().orElseThrow());
        asha.report(first.get(2), Score.loss(0.9));
        // three results at rung 0 while six configurations have not even started: the best goes up now
        assertEquals(new Job(1, 1), asha.next().orElseThrow());
        assertEquals(new Job(4, 0), asha.next().orElseThrow(), "the top third is promoted once; then new configurations");
    }

    @Test
    void higherRungsPromoteFirstAndMetricsRankInTheirDirection() {
        Asha asha = new Asha(new Params(9, 3, 1, 9));
        double[] accuracy = {0.3, 0.9, 0.5, 0.8, 0.1, 0.2, 0.4, 0.6, 0.7};
        List<Job> done = new ArrayList<>();
        for (int k = 0; k < 9; k++) {
            Job j = asha.next().orElseThrow();
            assertEquals(new Job(k, 0), j, "no rung-0 results yet reported, so no promotion");
            done.add(j);
        }
        for (Job j : done) {
            asha.report(j, new Score(accuracy[j.config()], true));
        }
        // top 3 by accuracy: 1 (0.9), 3 (0.8), 8 (0.7)
        List<Job> promotions = List.of(asha.next().orElseThrow(), asha.next().orElseThrow(), asha.next().orElseThrow());
        assertEquals(List.of(new Job(1, 1), new Job(3, 1), new Job(8, 1)), promotions);
        assertEquals(Optional.empty(), asha.next(), "all started, nothing more to promote: wait");
        assertFalse(asha.finished());
        for (Job j : promotions) {
            asha.report(j, new Score(accuracy[j.config()], true));
        }
        assertEquals(new Job(1, 2), asha.next().orElseThrow());
        asha.report(new Job(1, 2), new Score(0.95, true));
        assertTrue(asha.finished());
        assertEquals(Optional.of(2), asha.rungReached(1));
        assertEquals(Optional.of(1), asha.rungReached(3));
        assertEquals(Optional.of(0), asha.rungReached(0));
    }

    /** One simulated run with {@code workers} workers and seeded random job durations: the jobs in start order. */
    private static List<Job> simulate(Params params, int workers, long seed, double[] quality, List<String> violations) {
        Asha asha = new Asha(params);
        Random random = new Random(seed);
        record Running(double end, Job job) {
        }
        PriorityQueue<Running> queue = new PriorityQueue<>((a, b) -> Double.compare(a.end(), b.end()));
        List<Job> started = new ArrayList<>();
        List<List<Double>> rungLosses = new ArrayList<>();
        for (int k = 0; k < params.rungIterations().size(); k++) {
            rungLosses.add(new ArrayList<>());
        }
        double now = 0;
        int idle = workers;
        while (true) {
            while (idle > 0) {
                Optional<Job> job = asha.next();
                if (job.isEmpty()) {
                    break;
                }
                Job j = job.get();
                if (j.rung() > 0) {
                    // the rule: j was in the top floor(m/eta) of the m results at its rung when promoted
                    List<Double> below = new ArrayList<>(rungLosses.get(j.rung() - 1));
                    below.sort(Double::compare);
                    double mine = quality[j.config()] / j.rung();
                    int top = below.size() / params.eta();
                    if (top == 0 || mine > below.get(top - 1)) {
                        violations.add(j + " promoted from outside the top " + top + " of " + below);
                    }
                }
                started.add(j);
                queue.add(new Running(now + asha.iterationsToTrain(j) * (0.5 + random.nextDouble()), j));
                idle--;
            }
            if (queue.isEmpty()) {
                break;
            }
            Running done = queue.poll();
            now = done.end();
            Score s = loss(quality, done.job());
            rungLosses.get(done.job().rung()).add(s.value());
            asha.report(done.job(), s);
            idle++;
        }
        if (!asha.finished()) {
            violations.add("the run ended before ASHA finished");
        }
        return started;
    }

    @Test
    void simulatedAsynchronousRunFollowsTheRulesAndIsReproducibleFromTheSeed() {
        Params params = new Params(27, 3, 1, 27);
        double[] quality = new double[27];
        Random q = new Random(42);
        for (int c = 0; c < quality.length; c++) {
            quality[c] = 0.1 + q.nextDouble();
        }
        List<String> violations = new ArrayList<>();
        List<Job> a = simulate(params, 4, 1, quality, violations);
        assertEquals(List.of(), violations);
        assertEquals(a, simulate(params, 4, 1, quality, violations), "same seed, same jobs");
        assertNotEquals(a, simulate(params, 4, 2, quality, violations), "another seed, other finishing order");
        assertEquals(List.of(), violations);

        assertEquals(27, a.stream().filter(j -> j.rung() == 0).count(), "every configuration starts once");
        for (int k = 1; k < params.rungIterations().size(); k++) {
            int rung = k;
            long reaching = a.stream().filter(j -> j.rung() == rung).count();
            long below = a.stream().filter(j -> j.rung() == rung - 1).count();
            assertTrue(reaching >= below / 3, "at least the final top third of rung " + (k - 1) + " goes up");
            assertTrue(reaching < below, "rung " + k + " holds fewer configurations than rung " + (k - 1));
        }
        int best = 0;
        for (int c = 1; c < quality.length; c++) {
            best = quality[c] < quality[best] ? c : best;
        }
        assertTrue(a.contains(new Job(best, 3)), "the best configuration reaches the top rung");
        assertEquals(a.size(), a.stream().distinct().count(), "no job runs twice");
    }

    @Test
    void promoteContinuesAConfigurationAtOnceOnlyInTheTopThirdOfItsRungSoFar() {
        Asha asha = new Asha(new Params(9, 3, 1, 9));
        Job a = asha.next().orElseThrow();
        asha.report(a, Score.loss(0.5));
        assertEquals(Optional.empty(), asha.promote(a.config()), "floor(1/3) = 0: nobody goes up yet");
        Job b = asha.next().orElseThrow();
        asha.report(b, Score.loss(0.7));
        assertEquals(Optional.empty(), asha.promote(b.config()));
        Job c = asha.next().orElseThrow();
        asha.report(c, Score.loss(0.1));
        assertEquals(Optional.of(new Job(c.config(), 1)), asha.promote(c.config()), "best of 3: up at once");
        assertEquals(new Job(3, 0), asha.next().orElseThrow(), "c is running, a is not in the top 1 of 3: a new one");
        asha.report(new Job(c.config(), 1), Score.loss(0.05));
        assertEquals(Optional.empty(), asha.promote(c.config()), "alone at rung 1");
        IllegalStateException running = assertThrows(IllegalStateException.class, () -> asha.promote(3));
        assertTrue(running.getMessage().contains("configuration 3"), running.getMessage());
    }

    @Test
    void reportingAJobThatIsNotRunningIsAnError() {
        Asha asha = new Asha(new Params(9, 3, 1, 3));
        Job j = asha.next().orElseThrow();
        asha.report(j, Score.loss(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> asha.report(j, Score.loss(1)));
        assertTrue(e.getMessage().contains("not running"), e.getMessage());
    }

    @Test
    void invalidParamsAreRefusedWithTheirValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Params.parse("R=9, eta=3"))
                .getMessage().contains("num_configs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Params.parse("R=2, eta=3, num_configs=3"))
                .getMessage().contains("R=2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Params.parse("eta=1, num_configs=3"))
                .getMessage().contains("eta=1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Params.parse("min_r=0, num_configs=3"))
                .getMessage().contains("min_r=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Params.parse("num_configs=3, skip_last=0"))
                .getMessage().contains("'skip_last'"));
        assertEquals(new Params(9, 3, 1, 27), Params.parse("num_configs=27"));
    }
}
