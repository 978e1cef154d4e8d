package io.hopper.fit;

import io.hopper.engine.UnitSeeds;
import io.hopper.fit.FitResult;
import io.hopper.data.PackedBuffer;
import io.hopper.data.PackedTables;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.MstEntry;
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

    /** Replays configuration {@code key}'s train units (in O_schedule's order) in one place; {@code switchAfter} epochs on the second settings. */
    private static byte[] replay(FitFixture f, long seed, int key, String firstLr, String thenLr, int switchAfter) {
        List<ExecutedUnit> visits = new ArrayList<>(f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == key).toList());
        visits.sort(Comparator.comparingDouble(ExecutedUnit::start));
        try (TrainableModel model = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(FitFixture.archJson(3))),
                ParamParser.parseCompile(String.format(FitFixture.ADAM, firstLr)), UnitSeeds.init(seed, key))) {
            boolean switched = false;
            for (ExecutedUnit v : visits) {
                if (!switched && v.unit().iteration() > switchAfter) {
                    model.replaceCompileParams(ParamParser.parseCompile(String.format(FitFixture.ADAM, thenLr)));
                    switched = true;
                }
                model.trainPass(PackedTables.readPartition(f.store, "iris", v.unit().partition()),
                        ParamParser.parseFit("batch_size=16, epochs=1"), UnitSeeds.unit(seed, key, v.unit().iteration(), v.unit().partition()));
            }
            return model.exportState();
        }
    }

    @Test
    void aDriverAddsAConfigurationOutsideTheTableAndReplacesSettingsBetweenEpochs() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.001", "0.01"), List.of("batch_size=16, epochs=1"));
        String fit = ParamParser.parseFit("batch_size=16, epochs=1").canonical();
        MstEntry proposal = new MstEntry(5, 1, ParamParser.parseCompile(String.format(FitFixture.ADAM, "0.05")).canonical(), fit);
        MstEntry slower = new MstEntry(2, 1, ParamParser.parseCompile(String.format(FitFixture.ADAM, "0.003")).canonical(), fit);
        List<String> refused = new ArrayList<>();
        FitSession.Driver driver = new FitSession.Driver() {
            @Override
            public void start(FitSession.Control control) {
                control.add(1, 2);
                control.add(2, 3);
                control.add(proposal, 2);
                try {
                    control.add(new MstEntry(1, 1, proposal.compileParams(), fit), 1);
                } catch (IllegalArgumentException e) {
                    refused.add(e.getMessage());
                }
            }

            @Override
            public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
                if (end.mstKey() == 2 && end.epoch() == 1) {
                    try {
                        control.replace(2, proposal, control.state(2));
                    } catch (IllegalArgumentException e) {
                        refused.add(e.getMessage());
                    }
                    control.replace(2, slower, control.state(2));
                }
            }

            @Override
            public void idle(int worker, FitSession.Control control) {
            }
        };
        long seed = 13;
        new FitMultipleModel(f.store, FitFixture.spec("iris", "out", "mst", 3).optSeed(seed).build(), ProgressListener.NONE)
                .runSession(driver);
        assertEquals(2, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("fit session: mst_key 1 is taken"), refused.get(0));
        assertTrue(refused.get(1).startsWith("fit session: cannot replace mst_key 2 by the settings of mst_key 5"), refused.get(1));
        assertEquals(List.of(1, 2, 5), List.copyOf(f.byKey("out_info", "compile_params").keySet()));
        assertEquals(slower.compileParams(), f.byKey("out_info", "compile_params").get(2), "O_info has the replaced settings");
        assertEquals(proposal.compileParams(), f.byKey("out_info", "compile_params").get(5));
        ScheduleInvariants.checkEpochs(f.schedule("out", "train"), 3);
        // the added configuration starts from its seeded weights; the replaced one keeps its Adam moments under the new lr
        assertArrayEquals(replay(f, seed, 5, "0.05", "0.05", 99), (byte[]) f.byKey("out", "model_state").get(5));
        assertArrayEquals(replay(f, seed, 2, "0.01", "0.003", 1), (byte[]) f.byKey("out", "model_state").get(2));
        assertTrue(!java.util.Arrays.equals(replay(f, seed, 2, "0.01", "0.01", 1), (byte[]) f.byKey("out", "model_state").get(2)),
                "the new learning rate changed the weights");
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
