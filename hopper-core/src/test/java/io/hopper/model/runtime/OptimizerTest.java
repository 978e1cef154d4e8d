package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.params.OptimizerSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OptimizerTest {
    private static final float[] W = {0.5f, -1.0f, 2.0f};
    private static final float[] G = {0.1f, -0.2f, 0.3f};
    private static final float[] G2 = {-0.05f, 0.4f, 0.2f};
    private static final double EPS = 1e-7;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Runs one step of the optimizer on W with gradient G and checks each element against the formula. */
    private void assertFirstUpdate(OptimizerSpec spec, DoubleBinaryOperator expected) {
        NDArray w = manager.create(W.clone());
        Optimizer optimizer = Optimizer.create(spec, List.of("w"), List.of(w));
        optimizer.step(List.of(w), List.of(manager.create(G)));
        float[] actual = w.toFloatArray();
        for (int i = 0; i < W.length; i++) {
            assertEquals(expected.applyAsDouble(W[i], G[i]), actual[i], 1e-6 * Math.max(1, Math.abs(actual[i])), spec + " element " + i);
        }
        assertEquals(1, optimizer.iterations());
    }

    @Test
    void sgdFirstUpdates() {
        assertFirstUpdate(new OptimizerSpec.Sgd(0.1, 0, false, 0), (w, g) -> w - 0.1 * g);
        assertFirstUpdate(new OptimizerSpec.Sgd(0.1, 0.9, false, 0), (w, g) -> w - 0.1 * g);
        assertFirstUpdate(new OptimizerSpec.Sgd(0.1, 0.9, true, 0), (w, g) -> w + 0.9 * (-0.1 * g) - 0.1 * g);
    }

    @Test
    void sgdMomentumAndDecayOverTwoSteps() {
        NDArray w = manager.create(W.clone());
        Optimizer optimizer = Optimizer.create(new OptimizerSpec.Sgd(0.1, 0.9, false, 0.5), List.of("w"), List.of(w));
        optimizer.step(List.of(w), List.of(manager.create(G)));
        optimizer.step(List.of(w), List.of(manager.create(G2)));
        float[] actual = w.toFloatArray();
        for (int i = 0; i < W.length; i++) {
            double v1 = -0.1 * G[i];
            double v2 = 0.9 * v1 - 0.1 / (1 + 0.5 * 1) * G2[i];
            assertEquals(W[i] + v1 + v2, actual[i], 1e-6);
        }
    }

    @Test
    void adamFirstUpdate() {
        double lrT = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        DoubleBinaryOperator adam = (w, g) -> w - lrT * (0.1 * g) / (Math.sqrt(0.001 * g * g) + EPS);
        assertFirstUpdate(new OptimizerSpec.Adam(0.01, 0.9, 0.999, EPS, false, 0), adam);
        assertFirstUpdate(new OptimizerSpec.Adam(0.01, 0.9, 0.999, EPS, true, 0), adam);
    }

    @Test
    void rmsPropFirstUpdate() {
        assertFirstUpdate(new OptimizerSpec.RmsProp(0.001, 0.9, EPS, 0), (w, g) -> w - 0.001 * g / (Math.sqrt(0.1 * g * g) + EPS));
    }

    @Test
    void adagradFirstUpdate() {
        assertFirstUpdate(new OptimizerSpec.Adagrad(0.01, EPS, 0), (w, g) -> w - 0.01 * g / (Math.abs(g) + EPS));
    }

    @Test
    void adadeltaFirstUpdate() {
        assertFirstUpdate(new OptimizerSpec.Adadelta(1.0, 0.95, EPS, 0),
                (w, g) -> w - 1.0 * g * Math.sqrt(EPS) / Math.sqrt(0.05 * g * g + EPS));
    }

    @Test
    void adamaxFirstUpdate() {
        assertFirstUpdate(new OptimizerSpec.Adamax(0.002, 0.9, 0.999, EPS, 0),
                (w, g) -> w - 0.002 / (1 - 0.9) * (0.1 * g) / (Math.abs(g) + EPS));
    }

    @Test
    void nadamFirstUpdate() {
        double cache = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.004));
        double cacheNext = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.008));
        double schedule = cache;
        double scheduleNext = cache * cacheNext;
        assertFirstUpdate(new OptimizerSpec.Nadam(0.002, 0.9, 0.999, EPS, 0.004), (w, g) -> {
            double gPrime = g / (1 - schedule);
            double mPrime = 0.1 * g / (1 - scheduleNext);
            double vPrime = 0.001 * g * g / (1 - 0.999);
            double mBar = (1 - cache) * gPrime + cacheNext * mPrime;
            return w - 0.002 * mBar / (Math.sqrt(vPrime) + EPS);
        });
    }

    private static List<OptimizerSpec> everyOptimizer() {
        return List.of(new OptimizerSpec.Sgd(0.1, 0.9, true, 0.01), new OptimizerSpec.Adam(0.01, 0.9, 0.999, EPS, false, 0.01),
                new OptimizerSpec.Adam(0.01, 0.9, 0.999, EPS, true, 0), new OptimizerSpec.RmsProp(0.01, 0.9, EPS, 0.01),
                new OptimizerSpec.Adagrad(0.01, EPS, 0.01), new OptimizerSpec.Adadelta(1.0, 0.95, EPS, 0.01),
                new OptimizerSpec.Adamax(0.002, 0.9, 0.999, EPS, 0.01), new OptimizerSpec.Nadam(0.002, 0.9, 0.999, EPS, 0.004));
    }

    @Test
    void everyOptimizerStateRoundTripsBitExactly() {
        for (OptimizerSpec spec : everyOptimizer()) {
            NDArray a = manager.create(W.clone());
            Optimizer first = Optimizer.create(spec, List.of("w"), List.of(a));
            first.step(List.of(a), List.of(manager.create(G)));
            first.step(List.of(a), List.of(manager.create(G2)));
            List<StateFormat.Entry> exported = new ArrayList<>(first.exportState());
            exported.add(StateFormat.Entry.of("w", a));
            Map<String, StateFormat.Entry> read = new HashMap<>();
            StateFormat.read(StateFormat.write(exported)).forEach(e -> read.put(e.name(), e));

            NDArray b = manager.create(new float[] {9f, 9f, 9f});
            Optimizer second = Optimizer.create(spec, List.of("w"), List.of(b));
            assertEquals(exported.size() - 1, second.validate(read).size(), spec.toString());
            second.importState(read);
            read.get("w").copyInto(b);
            assertEquals(2, second.iterations());

            first.step(List.of(a), List.of(manager.create(G)));
            second.step(List.of(b), List.of(manager.create(G)));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), spec.toString());
            assertEquals(first.exportState(), second.exportState(), spec.toString());

            NDArray c = manager.create(W.clone());
            Optimizer fresh = Optimizer.create(spec, List.of("w"), List.of(c));
            read.get("w").copyInto(c);
            fresh.step(List.of(c), List.of(manager.create(G)));
            assertFalse(Arrays.equals(a.toFloatArray(), c.toFloatArray()), "a fresh " + spec + " must give other weights");
        }
    }

    @Test
    void updatingParametersTogetherEqualsUpdatingEachAlone() {
        float[] k0 = {0.3f, -0.7f, 1.1f, 0.05f, -2.0f, 0.9f};
        List<float[]> kGrads = List.of(new float[] {0.2f, 0.01f, -0.3f, 0.7f, -0.05f, 0.4f}, new float[] {0.1f, 0.2f, -0.1f, 0.3f, 0f, -0.6f});
        List<float[]> wGrads = List.of(G, G2);
        Shape kShape = new Shape(2, 3);
        for (OptimizerSpec spec : everyOptimizer()) {
            NDArray w = manager.create(W.clone());
            NDArray k = manager.create(k0.clone(), kShape);
            Optimizer together = Optimizer.create(spec, List.of("w", "k"), List.of(w, k));
            NDArray wAlone = manager.create(W.clone());
            NDArray kAlone = manager.create(k0.clone(), kShape);
            Optimizer first = Optimizer.create(spec, List.of("w"), List.of(wAlone));
            Optimizer second = Optimizer.create(spec, List.of("k"), List.of(kAlone));
            for (int step = 0; step < 2; step++) {
                NDArray wGrad = manager.create(wGrads.get(step));
                NDArray kGrad = manager.create(kGrads.get(step), kShape);
                together.step(List.of(w, k), List.of(wGrad, kGrad));
                first.step(List.of(wAlone), List.of(wGrad));
                second.step(List.of(kAlone), List.of(kGrad));
            }
            assertArrayEquals(wAlone.toFloatArray(), w.toFloatArray(), spec.toString());
            assertArrayEquals(kAlone.toFloatArray(), k.toFloatArray(), spec.toString());
            Map<String, StateFormat.Entry> byName = new HashMap<>();
            together.exportState().forEach(e -> byName.put(e.name(), e));
            List<StateFormat.Entry> alone = new ArrayList<>(first.exportState());
            alone.addAll(second.exportState());
            for (StateFormat.Entry e : alone) {
                assertEquals(e, byName.get(e.name()), spec + " " + e.name());
            }
        }
    }

    @Test
    void adamWDecaysTheWeightsThenTakesAdamsStep() {
        double lrT = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);
        assertFirstUpdate(new OptimizerSpec.AdamW(0.01, 0.1, 0.9, 0.999, EPS, false),
                (w, g) -> w - 0.01 * 0.1 * w - lrT * (0.1 * g) / (Math.sqrt(0.001 * g * g) + EPS));
        assertFirstUpdate(new OptimizerSpec.AdamW(0.01, 0.0, 0.9, 0.999, EPS, false),
                (w, g) -> w - lrT * (0.1 * g) / (Math.sqrt(0.001 * g * g) + EPS));
    }
}
