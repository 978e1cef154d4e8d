package io.hopper.fit;

import io.hopper.engine.UnitSeeds;
import io.hopper.fit.FitResult;
import io.hopper.data.PackedBuffer;
import io.hopper.data.PackedTables;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.store.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fit sessions on iris (3 partitions, 2 workers): a driver that extends, stops and adds configurations. */
class FitSessionTest {
    @TempDir
    Path dir;

    /** Starts mst 1 (1 epoch) and 2 (2 epochs); extends 1 to 3 epochs; stops 2 at its target and adds 3 (1 epoch). */
    private static final class Driver implements FitSession.Driver {
        final List<String> heard = new ArrayList<>();
        int idleCalls;

        @Override
        public void start(FitSession.Control control) {
            control.add(1, 1);
            control.add(2, 2);
        }

        @Override
        public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
            heard.add(end.mstKey() + "@" + end.epoch() + "/" + end.target() + (end.metrics().isPresent() ? " metrics" : ""));
            if (end.mstKey() == 1 && end.epoch() == 1) {
                control.extend(1, 3);
            }
            if (end.mstKey() == 2 && end.reachedTarget()) {
                control.stop(2);
                control.add(3, 1);
            }
        }

        @Override
        public void idle(int worker, FitSession.Control control) {
            idleCalls++;
        }
    }

    @Test
    void aDriverExtendsStopsAndAddsConfigurationsInOneRun() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.001", "0.01", "0.1"), List.of("batch_size=16, epochs=1"));
        Driver driver = new Driver();
        long seed = 11;
        FitResult result = new FitMultipleModel(f.store, FitFixture.spec("iris", "out", "mst", 3).optValidationTable("iris_v")
                .optMetricsComputeFrequency(3).optSeed(seed).build(), ProgressListener.NONE).runSession(driver);

        // metrics at the frequency (3) and at each target; the driver hears every epoch in the configuration's order
        List<String> of1 = driver.heard.stream().filter(h -> h.startsWith("1@")).toList();
        assertEquals(List.of("1@1/1 metrics", "1@2/3", "1@3/3 metrics"), of1);
        assertEquals(List.of("2@1/2", "2@2/2 metrics"), driver.heard.stream().filter(h -> h.startsWith("2@")).toList());
        assertEquals(List.of("3@1/1 metrics"), driver.heard.stream().filter(h -> h.startsWith("3@")).toList());
        assertTrue(driver.idleCalls > 0, "the idle workers were offered to the driver");

        assertEquals(List.of(1, 2, 3), result.metricsIters(), "every epoch at which some configuration computed metrics");
        assertEquals(3, result.models().size());
        assertEquals(List.of(2, 1, 1), List.copyOf(f.byKey("out_info", "validation_loss").values()).stream()
                .map(l -> ((List<?>) l).size()).toList());
        Row summary = f.store.readAll("out_summary").get(0);
        assertEquals(3, summary.get(OutputTables.SUMMARY.indexOf("num_iterations")), "the most epochs any configuration trained");
        assertNull(summary.get(OutputTables.SUMMARY.indexOf("visit_orders")));

        List<ExecutedUnit> train = f.schedule("out", "train");
        ScheduleInvariants.checkEpochs(train, 3);
        assertEquals(List.of(9L, 6L, 3L), List.of(1, 2, 3).stream()
                .map(k -> train.stream().filter(u -> u.unit().mstKey() == k).count()).toList());
        assertEquals(3 * 2 * 4, f.schedule("out", "eval").size(), "4 metric points, 3 partitions, 2 tables");

        // unit seeds from (seed, mst_key, epoch, partition): the session's visits replayed in one place give its weights
        List<ExecutedUnit> visits = new ArrayList<>(train.stream().filter(u -> u.unit().mstKey() == 1).toList());
        visits.sort(Comparator.comparingDouble(ExecutedUnit::start));
        try (TrainableModel model = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(FitFixture.archJson(3))),
                ParamParser.parseCompile(String.format(FitFixture.ADAM, "0.001")), UnitSeeds.init(seed, 1))) {
            for (ExecutedUnit v : visits) {
                List<PackedBuffer> buffers = PackedTables.readPartition(f.store, "iris", v.unit().partition());
                model.trainPass(buffers, ParamParser.parseFit("batch_size=16, epochs=1"),
                        UnitSeeds.unit(seed, 1, v.unit().iteration(), v.unit().partition()));
            }
            assertArrayEquals(model.exportState(), (byte[]) f.byKey("out", "model_state").get(1));
        }
    }

    @Test
    void aKeyOutsideTheMstTableIsRefusedWithTheKeyAndTheTable() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.001"), List.of("batch_size=16, epochs=1"));
        FitSession.Driver bad = new FitSession.Driver() {
            @Override
            public void start(FitSession.Control control) {
                control.add(7, 1);
            }

            @Override
            public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
            }

            @Override
            public void idle(int worker, FitSession.Control control) {
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FitMultipleModel(f.store,
                FitFixture.spec("iris", "out", "mst", 1).build(), ProgressListener.NONE).runSession(bad));
        assertTrue(e.getMessage().contains("mst_key 7") && e.getMessage().contains("'mst'"), e.getMessage());
        assertTrue(!f.store.exists("out"), "nothing written");
    }

    @Test
    void aSessionRefusesEarlyStopping() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.001"), List.of("batch_size=16, callbacks=[EarlyStopping(monitor='loss')]"));
        FitSession.Driver none = new FitSession.Driver() {
            @Override
            public void start(FitSession.Control control) {
                control.add(1, 1);
            }

            @Override
            public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
            }

            @Override
            public void idle(int worker, FitSession.Control control) {
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FitMultipleModel(f.store,
                FitFixture.spec("iris", "out", "mst", 1).build(), ProgressListener.NONE).runSession(none));
        assertTrue(e.getMessage().startsWith("fit_params of mst_key 1: EarlyStopping applies to fit-multiple-model"), e.getMessage());
    }

    @Test
    void anEpochEndIsBetweenOneAndTheTarget() {
        assertTrue(new FitSession.EpochEnd(1, 2, 2, Optional.empty()).reachedTarget());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FitSession.EpochEnd(1, 3, 2, Optional.empty()));
        assertTrue(e.getMessage().contains("epoch=3, target=2"), e.getMessage());
    }
}
