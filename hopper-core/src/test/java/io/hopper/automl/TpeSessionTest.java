package io.hopper.automl;

import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.MstEntry;
import io.hopper.model.params.SearchSpace;
import io.hopper.mop.ScheduleInvariants;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TPE driving a simulated fit session ({@link SessionSimulator}). */
class TpeSessionTest {
    /** Learning is fastest at lr 10^-2.5; a state is the progress made (a double). */
    static final SessionSimulator.Model MODEL = new SessionSimulator.Model() {
        @Override
        public byte[] initial(MstEntry entry) {
            return ByteBuffer.allocate(8).putDouble(0).array();
        }

        @Override
        public byte[] train(MstEntry entry, byte[] state) {
            double lr = entry.parsedCompileParams().optimizer().learningRate();
            double progress = ByteBuffer.wrap(state).getDouble() + 1 / (1 + Math.abs(Math.log10(lr) + 2.5));
            return ByteBuffer.allocate(8).putDouble(progress).array();
        }

        @Override
        public double loss(byte[] state) {
            return 1 / (1 + ByteBuffer.wrap(state).getDouble());
        }
    };

    private static SearchSpace space(String fit) {
        return ConfigGrid.parse(TpeTest.COMPILE, fit).space(Set.of(1), List.of(1));
    }

    private static SessionSimulator.Result run(HyperoptParams params, int partitions, int workers, long seed, TpeSession[] out) {
        TpeSession driver = new TpeSession(params, new Tpe(space(TpeTest.FIT), params.tpe(),
                params.algorithm() == HyperoptParams.Algorithm.RAND, seed), o -> Score.loss(o.trainingLoss()));
        out[0] = driver;
        return SessionSimulator.run(driver, List.of(), partitions, workers, seed, params.numIterations(), MODEL);
    }

    @Test
    void withoutBucketsAWorkerThatWouldIdleGetsANewProposalFromTheResultsKnownThen() {
        HyperoptParams params = HyperoptParams.parse("num_configs=16, num_iterations=2, n_startup=4");
        for (int workers = 1; workers <= 3; workers++) {
            for (long seed = 1; seed <= 3; seed++) {
                TpeSession[] driver = new TpeSession[1];
                SessionSimulator.Result r = run(params, 3, workers, seed, driver);
                ScheduleInvariants.checkEpochs(r.executed(), 3);
                assertEquals(0, r.idleWithWork(), "a worker idled while a unit was available");
                assertEquals(16, r.entries().size());
                assertTrue(driver[0].finished());
                assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
                        driver[0].trials().stream().map(t -> t.entry().mstKey()).toList());
                Set<String> distinct = new HashSet<>();
                driver[0].trials().forEach(t -> distinct.add(t.entry().compileParams() + t.entry().fitParams()));
                assertEquals(16, distinct.size(), "no configuration proposed twice");
                r.epochs().values().forEach(e -> assertEquals(2, e));
                if (workers > 1) {
                    assertTrue(r.events().stream().anyMatch(e -> e.kind().equals("add") && e.finishedBefore() > 0 && e.running() > 0),
                            "a proposal made while others still trained, from the results known then: no barrier");
                }
            }
        }
    }

    @Test
    void oneWorkerReproducesTheSearch() {
        HyperoptParams params = HyperoptParams.parse("num_configs=10, num_iterations=2, n_startup=3");
        TpeSession[] a = new TpeSession[1];
        TpeSession[] b = new TpeSession[1];
        SessionSimulator.Result first = run(params, 2, 1, 5, a);
        SessionSimulator.Result second = run(params, 2, 1, 5, b);
        assertEquals(a[0].trials(), b[0].trials());
        assertEquals(first.executed(), second.executed());
        // one worker, one partition: each configuration finishes before the next is proposed, TPE sees every result
        TpeSession[] c = new TpeSession[1];
        SessionSimulator.Result sequential = run(params, 1, 1, 5, c);
        for (SessionSimulator.Event e : sequential.events()) {
            if (e.kind().equals("add")) {
                assertEquals(e.mstKey() - 1, e.finishedBefore(), "configuration " + e.mstKey());
            }
        }
    }

    @Test
    void bucketsTrainMadlibsWavesEachProposedWhenThePreviousWaveHasFinished() {
        HyperoptParams params = HyperoptParams.parse("num_configs=7, num_iterations=2, bucket_size=3, n_startup=3");
        TpeSession[] driver = new TpeSession[1];
        SessionSimulator.Result r = run(params, 2, 2, 4, driver);
        List<Integer> finishedAtAdd = new ArrayList<>();
        r.events().stream().filter(e -> e.kind().equals("add")).forEach(e -> finishedAtAdd.add(e.finishedBefore()));
        assertEquals(List.of(0, 0, 0, 3, 3, 3, 6), finishedAtAdd, "waves of 3, 3 and 1, each after the previous one");
        assertEquals(7, r.entries().size());
        ScheduleInvariants.checkEpochs(r.executed(), 2);
    }

    @Test
    void anExhaustedSpaceEndsTheSearchWithTheConfigurationsItHas() {
        String compile = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'],"
                + " 'lr': [0.001, 0.01]}]}";
        SearchSpace small = ConfigGrid.parse(compile, "{'batch_size': [8]}").space(Set.of(1), List.of(1));
        HyperoptParams params = new HyperoptParams(5, 1, HyperoptParams.Algorithm.TPE, OptionalInt.empty(),
                new Tpe.Settings(0.25, 24, 2, 1.0));
        TpeSession driver = new TpeSession(params, new Tpe(small, params.tpe(), false, 1), o -> Score.loss(o.trainingLoss()));
        SessionSimulator.Result r = SessionSimulator.run(driver, List.of(), 1, 1, 1, 1, MODEL);
        assertEquals(2, r.entries().size());
        assertTrue(driver.exhausted());
        assertTrue(driver.finished());
    }

    @Test
    void aMetricWhereHigherIsBetterIsNegatedForTpe() {
        assertEquals(-0.9, TpeSession.loss(new Score(0.9, true)));
        assertEquals(0.3, TpeSession.loss(Score.loss(0.3)));
        assertTrue(Double.isNaN(TpeSession.loss(new Score(Double.NaN, true))));
    }
}
