package io.hopper.automl;

import io.hopper.data.PackedBuffer;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.MstEntry;
import io.hopper.model.params.OptimizerSpec;
import io.hopper.model.params.SearchSpace;
import io.hopper.model.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PbtTest {
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'],"
            + " 'lr': [0.0001, 0.1, 'log'], 'beta_2': [0.99, 0.9999, 'log_near_one'], 'amsgrad': [False, True]}],"
            + " 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [8, 16], 'epochs': [1]}";
    private static final Pbt.Params PARAMS = new Pbt.Params(8, 2, 10, 0.25, 0.25);

    private static SearchSpace space(String compile) {
        return ConfigGrid.parse(compile, FIT).space(Set.of(1), List.of(1));
    }

    @Test
    void automlParamsParseWithDefaultsAndEveryRuleIsRefusedWithOneLine() {
        assertEquals(PARAMS, Pbt.Params.parse("population=8, interval=2, iterations=10"));
        assertEquals(new Pbt.Params(4, 1, 3, 0.5, 0.0),
                Pbt.Params.parse("iterations=3, population=4, interval=1, quantile=0.5, resample_probability=0"));
        assertEquals("population=8, interval=2, iterations=10, quantile=0.25, resample_probability=0.25", PARAMS.params());
        assertEquals(PARAMS, Pbt.Params.parse(PARAMS.params()));
        List<List<String>> refused = List.of(
                List.of("interval=2, iterations=10", "pbt: automl_params has no population"),
                List.of("population=8, iterations=10", "pbt: automl_params has no interval"),
                List.of("population=8, interval=2", "pbt: automl_params has no iterations"),
                List.of("population=1, interval=2, iterations=10", "pbt: population=1 must be at least 2"),
                List.of("population=8, interval=0, iterations=10", "pbt: interval=0 must be at least 1"),
                List.of("population=8, interval=2, iterations=0", "pbt: iterations=0 must be at least 1"),
                List.of("population=8, interval=10, iterations=10", "pbt: interval=10 must be below iterations=10"),
                List.of("population=8, interval=2, iterations=10, quantile=0", "pbt: quantile=0.0 must be in (0, 0.5]"),
                List.of("population=8, interval=2, iterations=10, quantile=0.6", "pbt: quantile=0.6 must be in (0, 0.5]"),
                List.of("population=8, interval=2, iterations=10, resample_probability=1.5",
                        "pbt: resample_probability=1.5 must be in [0, 1]"),
                List.of("population=8, interval=2, iterations=10, resample_probability=-0.1",
                        "pbt: resample_probability=-0.1 must be in [0, 1]"),
                List.of("population=8, interval=2, iterations=10, quantile=a", "automl_params: quantile=a is not a finite number"),
                List.of("population=8, interval=2, iterations=10, quantile=NaN", "automl_params: quantile=NaN is not a finite number"),
                List.of("population=8.5, interval=2, iterations=10", "automl_params: population=8.5 is not an integer"),
                List.of("population=8, interval=2, iterations=10, R=9", "automl_params: unknown key 'R' for pbt"),
                List.of("population=8, population=8, interval=2, iterations=10", "automl_params: key 'population' is given twice"));
        for (List<String> c : refused) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pbt.Params.parse(c.get(0)), c.get(0));
            assertTrue(e.getMessage().startsWith(c.get(1)), c.get(0) + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class, () -> new Pbt(PARAMS,
                space("{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam', 'SGD'],"
                        + " 'lr': [0.01]}]}"), 1));
        assertTrue(nothing.getMessage().startsWith("pbt: compile_params_grid has no optimizer setting with several numeric values"),
                nothing.getMessage());
    }

    @Test
    void theBottomQuantileDrawsItsDonorFromTheTopQuantile() {
        Pbt pbt = new Pbt(PARAMS, space(COMPILE), 3);
        List<Pbt.Standing> standings = new ArrayList<>();
        double[] losses = {0.5, 0.1, 0.9, 0.3, Double.NaN, 0.2, 0.7, 0.4};
        for (int k = 0; k < losses.length; k++) {
            standings.add(new Pbt.Standing(k + 1, 4, Score.loss(losses[k])));
        }
        // ranked: 2 (0.1), 6 (0.2) | 4, 8, 1, 7 | 3 (0.9), 5 (NaN); quantile 0.25 of 8 = 2
        Set<Integer> donors = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            donors.add(pbt.donor(5, standings).orElseThrow().mstKey());
            donors.add(pbt.donor(3, standings).orElseThrow().mstKey());
        }
        assertEquals(Set.of(2, 6), donors);
        for (int middle : List.of(2, 6, 4, 8, 1, 7)) {
            assertEquals(Optional.empty(), pbt.donor(middle, standings), "configuration " + middle);
        }
        assertEquals(Optional.empty(), pbt.donor(1, standings.subList(0, 1)), "a lone configuration has no donor");
        List<Pbt.Standing> accuracy = List.of(new Pbt.Standing(1, 2, new Score(0.9, true)), new Pbt.Standing(2, 2, new Score(0.5, true)));
        assertEquals(1, pbt.donor(2, accuracy).orElseThrow().mstKey(), "higher is better for a metric");
        assertThrows(IllegalArgumentException.class, () -> pbt.donor(9, standings));
        assertTrue(pbt.checkpoint(2) && pbt.checkpoint(8));
        assertFalse(pbt.checkpoint(3) || pbt.checkpoint(10) || pbt.checkpoint(0));
    }

    @Test
    void exploreChangesOnlyNumericOptimizerSettingsByTheFactorsOrWithinTheGrid() {
        SearchSpace space = space(COMPILE);
        SearchSpace.Point donor = space.sample(new Random(4)).with("optimizer_params_list[0].lr", 0.01)
                .with("optimizer_params_list[0].beta_2", 0.999);
        Pbt perturbOnly = new Pbt(new Pbt.Params(8, 2, 10, 0.25, 0.0), space, 5);
        Set<Double> lrs = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Pbt.Explored e = perturbOnly.explore(donor);
            double lr = e.point().get("optimizer_params_list[0].lr");
            lrs.add(lr);
            double distance = 1 - e.point().get("optimizer_params_list[0].beta_2");
            assertTrue(Math.abs(distance - 0.001 * 0.8) < 1e-12 || Math.abs(distance - 0.001 * 1.2) < 1e-12, "1 - beta_2 = " + distance);
            for (String fixed : List.of("model_id", "loss", "optimizer_params_list", "optimizer_params_list[0].optimizer",
                    "optimizer_params_list[0].amsgrad", "metrics", "batch_size", "epochs")) {
                assertEquals(donor.get(fixed), e.point().get(fixed), fixed);
            }
            assertEquals(List.of("lr", "beta_2"), e.changes().stream().map(Pbt.Change::setting).toList());
            assertEquals("0.01", e.changes().get(0).from());
        }
        assertEquals(Set.of(0.01 * 0.8, 0.01 * 1.2), lrs);
        Pbt resampleOnly = new Pbt(new Pbt.Params(8, 2, 10, 0.25, 1.0), space, 5);
        Set<Double> resampled = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            double lr = resampleOnly.explore(donor).point().get("optimizer_params_list[0].lr");
            assertTrue(lr >= 1e-4 && lr <= 0.1, String.valueOf(lr));
            resampled.add(lr);
        }
        assertTrue(resampled.size() > 15, "fresh draws: " + resampled);
        // a list of numbers moves to a neighbour; SGD's momentum never leaves 0 (its state would lose a slot)
        SearchSpace sgd = space("{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['SGD'],"
                + " 'lr': [0.001, 0.01, 0.1], 'momentum': [0.0, 0.9]}]}");
        SearchSpace.Point start = sgd.sample(new Random(1)).with("optimizer_params_list[0].lr", 1.0)
                .with("optimizer_params_list[0].momentum", 0.0);
        Pbt lists = new Pbt(new Pbt.Params(8, 2, 10, 0.25, 0.0), sgd, 2);
        Set<Integer> neighbours = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            SearchSpace.Point p = lists.explore(start).point();
            neighbours.add(p.choice("optimizer_params_list[0].lr"));
            assertEquals(0, p.choice("optimizer_params_list[0].momentum"), "momentum 0 keeps SGD's state layout");
        }
        assertEquals(Set.of(0, 2), neighbours, "lr 0.01 moves to 0.001 or 0.1");
    }

    @Test
    void resamplesDoNotRepeatThePopulationDrawnWithTheSameSeed() {
        SearchSpace space = space(COMPILE);
        Random draws = new Random(11);
        List<SearchSpace.Point> population = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            population.add(space.sample(draws));
        }
        Pbt pbt = new Pbt(new Pbt.Params(4, 1, 3, 0.25, 1.0), space, 11);
        Set<Double> drawn = new HashSet<>();
        population.forEach(p -> drawn.add(p.get("optimizer_params_list[0].lr")));
        for (SearchSpace.Point p : population) {
            Pbt.Explored e = pbt.explore(p);
            assertFalse(drawn.contains(e.point().get("optimizer_params_list[0].lr")), "a fresh draw, not a member's lr: " + e);
            assertFalse(e.changes().isEmpty());
        }
    }

    @Test
    void exploitCopiesTheDonorsStateBitForBitAndItsNewSettingsApplyToTheSameMoments() throws IOException {
        SearchSpace space = space(COMPILE);
        SearchSpace.Point donorPoint = space.sample(new Random(8)).with("optimizer_params_list[0].amsgrad", 0.0)
                .with("optimizer_params_list[0].lr", 0.01).with("batch_size", 0.0);
        MstEntry donorEntry = space.entry(donorPoint);
        String arch = Files.readString(Path.of("src/test/resources/keras/01_madlib_iris_mlp_keras216.json"), StandardCharsets.UTF_8);
        List<PackedBuffer> data = List.of(buffer(0, 40, 1), buffer(1, 40, 2));
        byte[] donorState;
        try (TrainableModel donor = model(arch, donorEntry.parsedCompileParams())) {
            donor.trainPass(data.subList(0, 1), donorEntry.parsedFitParams(), 17);
            donorState = donor.exportState();
        }
        Pbt pbt = new Pbt(PARAMS, space, 9);
        Pbt.Step step = pbt.exploit(5, 4, new Pbt.Standing(2, 4, Score.loss(0.3)), donorState, donorPoint);

        assertArrayEquals(donorState, step.state(), "the state is the donor's, bit for bit");
        assertNotSame(donorState, step.state(), "a copy: the donor's own state is not shared");
        assertEquals(5, step.entry().mstKey());
        assertEquals(donorEntry.modelId(), step.entry().modelId());
        assertEquals(donorEntry.fitParams(), step.entry().fitParams(), "fit_params are the donor's");
        CompileParams before = donorEntry.parsedCompileParams();
        CompileParams after = step.entry().parsedCompileParams();
        assertEquals(after.withOptimizer(before.optimizer()), before, "only the optimizer's settings change");
        OptimizerSpec.Adam a = (OptimizerSpec.Adam) before.optimizer();
        OptimizerSpec.Adam b = (OptimizerSpec.Adam) after.optimizer();
        assertEquals(List.of(a.beta1(), a.epsilon(), a.amsgrad(), a.decay()), List.of(b.beta1(), b.epsilon(), b.amsgrad(), b.decay()));
        assertTrue(b.learningRate() != a.learningRate() && b.beta2() != a.beta2(), a + " -> " + b);
        assertEquals(new Pbt.Exploit(5, 4, 2, 4, step.record().changes()), step.record());
        assertEquals(List.of("lr", "beta_2"), step.record().changes().stream().map(Pbt.Change::setting).toList());
        assertTrue(step.record().describe().startsWith("at 4 copied 2 (at 4); lr 0.01 -> "), step.record().describe());

        // The recipient's model takes the copied state and the new settings in place: the moments stay, the next
        // pass trains as a model built with the new settings from the donor's state.
        byte[] continued;
        try (TrainableModel recipient = model(arch, before)) {
            recipient.importState(step.state());
            recipient.replaceCompileParams(after);
            assertArrayEquals(donorState, recipient.exportState(), "weights, Adam's m and v and its step count kept");
            recipient.trainPass(data.subList(1, 2), step.entry().parsedFitParams(), 18);
            continued = recipient.exportState();
        }
        try (TrainableModel fresh = model(arch, after)) {
            fresh.importState(donorState);
            fresh.trainPass(data.subList(1, 2), step.entry().parsedFitParams(), 18);
            assertArrayEquals(fresh.exportState(), continued);
        }
        try (TrainableModel unchanged = model(arch, before)) {
            unchanged.importState(donorState);
            unchanged.trainPass(data.subList(1, 2), step.entry().parsedFitParams(), 18);
            assertFalse(Arrays.equals(unchanged.exportState(), continued), "the perturbed settings changed the pass");
        }
    }

    private static TrainableModel model(String arch, CompileParams compile) {
        return new TrainableModel(new KerasNetwork(KerasArchitecture.parse(arch)), compile, 3);
    }

    /** A buffer of random iris-shaped rows (4 features, 3 one-hot classes). */
    private static PackedBuffer buffer(int id, int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * 4];
        short[] y = new short[rows * 3];
        for (int i = 0; i < rows; i++) {
            int c = r.nextInt(3);
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) (c + r.nextGaussian() * 0.5);
            }
            y[i * 3 + c] = 1;
        }
        return new PackedBuffer(id, x, List.of(rows, 4), y, List.of(rows, 3));
    }
}
