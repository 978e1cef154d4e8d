package io.hopper.automl;

import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TpeTest {
    static final String LR = "optimizer_params_list[0].lr";
    static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'],"
            + " 'lr': [0.00001, 0.1, 'log']}], 'metrics': ['accuracy']}";
    static final String FIT = "{'batch_size': [32, 64, 128], 'epochs': [1]}";

    static SearchSpace space(String compile, String fit) {
        return ConfigGrid.parse(compile, fit).space(Set.of(1), List.of(1));
    }

    /** Runs {@code n} trials one after the other, each proposed from the finished ones; returns the points. */
    static List<SearchSpace.Point> run(Tpe tpe, int n, ToDoubleFunction<SearchSpace.Point> objective) {
        List<Tpe.Trial> trials = new ArrayList<>();
        List<SearchSpace.Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SearchSpace.Point p = tpe.propose(trials);
            points.add(p);
            trials.add(new Tpe.Trial(p, OptionalDouble.of(objective.applyAsDouble(p))));
        }
        return points;
    }

    private static double distance(SearchSpace.Point p) {
        return Math.abs(Math.log10(p.get(LR)) + 2.5);
    }

    private static double meanDistance(List<SearchSpace.Point> points) {
        return points.stream().mapToDouble(TpeTest::distance).average().orElseThrow();
    }

    @Test
    void proposalsOnAOneDimensionalObjectiveConcentrateNearItsMinimum() {
        SearchSpace space = space(COMPILE, "{'batch_size': [32], 'epochs': [1]}");
        ToDoubleFunction<SearchSpace.Point> objective = p -> Math.pow(Math.log10(p.get(LR)) + 2.5, 2);
        for (long seed = 1; seed <= 3; seed++) {
            List<SearchSpace.Point> tpe = run(new Tpe(space, Tpe.Settings.DEFAULTS, false, seed), 60, objective);
            List<SearchSpace.Point> rand = run(new Tpe(space, Tpe.Settings.DEFAULTS, true, seed), 60, objective);
            double late = meanDistance(tpe.subList(30, 60));
            double random = meanDistance(rand.subList(30, 60));
            long near = tpe.subList(30, 60).stream().filter(p -> distance(p) < 0.5).count();
            assertTrue(late < 0.4, "seed " + seed + ": TPE's last 30 proposals are " + late + " decades from 10^-2.5 on average");
            assertTrue(late < random / 2, "seed " + seed + ": TPE " + late + " against random " + random);
            assertTrue(near >= 20, "seed " + seed + ": " + near + " of the last 30 proposals within half a decade");
            for (SearchSpace.Point p : tpe) {
                assertTrue(p.get(LR) >= 1e-5 && p.get(LR) <= 0.1, "inside the grid's distribution: " + p);
            }
        }
    }

    @Test
    void aCategoricalDimensionConvergesOnItsBestChoice() {
        SearchSpace space = space(COMPILE, FIT);
        double[] byBatch = {1.0, 0.2, 0.6};
        ToDoubleFunction<SearchSpace.Point> objective = p -> byBatch[p.choice("batch_size")] + 0.01 * distance(p);
        List<SearchSpace.Point> points = run(new Tpe(space, Tpe.Settings.DEFAULTS, false, 7), 40, objective);
        long best = points.subList(20, 40).stream().filter(p -> p.choice("batch_size") == 1).count();
        assertTrue(best >= 14, best + " of the last 20 proposals chose batch_size 64");
        assertEquals("64", space.label(space.dimension("batch_size"), new SearchSpace.Point(java.util.Map.of("batch_size", 1.0))));
    }

    @Test
    void aConditionalDimensionIsProposedOnlyUnderItsParentAndTheBetterBranchWins() {
        String compile = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['SGD'],"
                + " 'lr': [0.001, 0.5, 'linear'], 'momentum': [0.5, 0.99, 'log_near_one']}, {'optimizer': ['Adam'],"
                + " 'lr': [0.00001, 0.1, 'log']}]}";
        SearchSpace space = space(compile, "{'batch_size': [32]}");
        ToDoubleFunction<SearchSpace.Point> objective = p -> p.choice("optimizer_params_list") == 1
                ? Math.abs(Math.log10(p.get("optimizer_params_list[1].lr")) + 3) : 2 + p.get("optimizer_params_list[0].lr");
        List<SearchSpace.Point> points = run(new Tpe(space, Tpe.Settings.DEFAULTS, false, 3), 40, objective);
        for (SearchSpace.Point p : points) {
            int dict = p.choice("optimizer_params_list");
            for (SearchSpace.Dimension d : space.dimensions()) {
                assertEquals(space.active(d, p), p.values().containsKey(d.name()), d.name() + " in " + p);
            }
            assertTrue(p.values().containsKey("optimizer_params_list[" + dict + "].lr"));
            assertFalse(p.values().containsKey("optimizer_params_list[" + (1 - dict) + "].lr"));
            String compiled = space.entry(p).compileParams();
            assertTrue(compiled.contains(dict == 0 ? "SGD(" : "Adam("), compiled);
            if (dict == 0) {
                double momentum = p.get("optimizer_params_list[0].momentum");
                assertTrue(momentum >= 0.5 && momentum <= 0.99, "log_near_one stays in its bounds: " + momentum);
            }
        }
        long adam = points.subList(20, 40).stream().filter(p -> p.choice("optimizer_params_list") == 1).count();
        assertTrue(adam >= 16, adam + " of the last 20 proposals chose the better optimizer dict");
    }

    @Test
    void theSameSeedGivesTheSameProposalsAndRunningOrDivergedTrialsAreHandled() {
        SearchSpace space = space(COMPILE, FIT);
        ToDoubleFunction<SearchSpace.Point> objective = p -> distance(p) + p.choice("batch_size");
        assertEquals(run(new Tpe(space, Tpe.Settings.DEFAULTS, false, 11), 25, objective),
                run(new Tpe(space, Tpe.Settings.DEFAULTS, false, 11), 25, objective));
        assertFalse(run(new Tpe(space, Tpe.Settings.DEFAULTS, false, 11), 25, objective)
                .equals(run(new Tpe(space, Tpe.Settings.DEFAULTS, false, 12), 25, objective)));
        // rand draws what generate_model_configs' random search draws with the same seed
        Random same = new Random(5);
        Tpe rand = new Tpe(space, Tpe.Settings.DEFAULTS, true, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(space.sample(same), rand.propose(List.of()));
        }
        // running trials do not count; a NaN loss ranks last
        Tpe tpe = new Tpe(space, new Tpe.Settings(0.25, 24, 2, 1.0), false, 1);
        SearchSpace.Point diverged = space.sample(new Random(1)).with(LR, 0.09);
        List<Tpe.Trial> trials = new ArrayList<>();
        trials.add(new Tpe.Trial(diverged, OptionalDouble.of(Double.NaN)));
        trials.add(new Tpe.Trial(space.sample(new Random(2)).with(LR, 1e-3), OptionalDouble.of(0.1)));
        for (int i = 0; i < 6; i++) {
            trials.add(new Tpe.Trial(space.sample(new Random(10 + i)), OptionalDouble.empty()));
        }
        for (int i = 0; i < 10; i++) {
            double lr = tpe.propose(trials).get(LR);
            assertTrue(lr >= 1e-5 && lr <= 0.1, String.valueOf(lr));
        }
    }

    @Test
    void theParzenEstimatorIsADensityOnItsInterval() {
        Tpe.Parzen p = Tpe.Parzen.fit(new double[] {-4.5, -2.5, -2.4, -1.2}, -5, -1, 1.0);
        double integral = 0;
        int steps = 20000;
        for (int i = 0; i < steps; i++) {
            integral += Math.exp(p.logDensity(-5 + 4.0 * (i + 0.5) / steps)) * 4.0 / steps;
        }
        assertEquals(1.0, integral, 1e-3);
        assertEquals(1.0, java.util.Arrays.stream(p.weights()).sum(), 1e-12);
        assertTrue(p.logDensity(-2.45) > p.logDensity(-3.5));
        assertEquals(0.8427007929, Tpe.Parzen.erf(1), 2e-7);
        assertEquals(-0.5204998778, Tpe.Parzen.erf(-0.5), 2e-7);
        Random rng = new Random(3);
        for (int i = 0; i < 1000; i++) {
            double z = p.sample(rng);
            assertTrue(z >= -5 && z <= -1, String.valueOf(z));
        }
    }

    @Test
    void badSettingsAreRefusedWithOneLine() {
        for (Runnable bad : List.<Runnable>of(() -> new Tpe.Settings(0, 24, 5, 1), () -> new Tpe.Settings(1, 24, 5, 1),
                () -> new Tpe.Settings(0.25, 0, 5, 1), () -> new Tpe.Settings(0.25, 24, 0, 1),
                () -> new Tpe.Settings(0.25, 24, 5, 0))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertTrue(e.getMessage().startsWith("tpe: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
