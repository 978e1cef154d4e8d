package io.hopper.predict;

import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.engine.Engine;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitTask;
import io.hopper.engine.local.LocalEngine;
import io.hopper.fit.OutputTables;
import io.hopper.model.runtime.EvalResult;
import io.hopper.mop.Placement;
import io.hopper.store.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateTest {
    @TempDir
    static Path dir;
    static Fitted fitted;

    @BeforeAll
    static void fit() {
        fitted = new Fitted(dir);
    }

    @Test
    void reproducesTheFitsFinalValidationMetricsOnItsWorkers() {
        EvalResult r = new Evaluate(fitted.store).run(new EvaluateSpec("multi", "iris_v", "e2", OptionalInt.of(2), 2));
        Row info = fitted.store.readAll(OutputTables.info("multi")).stream().filter(x -> (Integer) x.get(0) == 2).findFirst().orElseThrow();
        assertEquals((Double) info.get(OutputTables.INFO.indexOf("validation_loss_final")), r.loss(), 1e-9);
        assertEquals((Double) info.get(OutputTables.INFO.indexOf("validation_metrics_final")), r.metric().getAsDouble(), 1e-9);
        assertEquals(150, r.samples());
        List<Row> out = fitted.store.readAll("e2");
        assertEquals(1, out.size());
        assertEquals(r.loss(), (Double) out.get(0).get(0));
        assertEquals(List.of("accuracy"), out.get(0).get(2));
        assertEquals("categorical_crossentropy", out.get(0).get(3));
        EvalResult oneWorker = new Evaluate(fitted.store).run(new EvaluateSpec("multi", "iris_v", "e2_w1", OptionalInt.of(2), 1));
        assertEquals(r, oneWorker);
    }

    @Test
    void submitsOneEvalUnitPerTestPartitionToTheEngineItStarts() {
        List<Placement> placements = new ArrayList<>();
        List<UnitTask> tasks = Collections.synchronizedList(new ArrayList<>());
        EngineFactory recording = (store, placement, caching) -> {
            placements.add(placement);
            LocalEngine local = new LocalEngine(store, placement, caching);
            return new Engine() {
                @Override
                public Placement placement() {
                    return local.placement();
                }

                @Override
                public CompletableFuture<UnitResult> submit(UnitTask task) {
                    tasks.add(task);
                    return local.submit(task);
                }

                @Override
                public long storeReads() {
                    return local.storeReads();
                }

                @Override
                public void close() {
                    local.close();
                }
            };
        };
        new Evaluate(fitted.store, recording).run(new EvaluateSpec("single", "iris_v", "e_engine", OptionalInt.empty(), 5));
        assertEquals(1, placements.size());
        assertEquals(3, placements.get(0).workers(), "at most the test table's 3 partitions");
        assertEquals(List.of(0, 1, 2), tasks.stream().map(t -> t.unit().partition()).sorted().toList());
        tasks.forEach(t -> assertEquals(Phase.EVAL, t.phase()));
    }

    @Test
    void everyRuleIsAOneLineErrorNamingTheInput() {
        Evaluate evaluate = new Evaluate(fitted.store);
        String required = assertThrows(IllegalArgumentException.class,
                () -> evaluate.run(new EvaluateSpec("multi", "iris_v", "e_x", OptionalInt.empty(), 1))).getMessage();
        assertTrue(required.contains("--mst-key is required"), required);
        String refused = assertThrows(IllegalArgumentException.class,
                () -> evaluate.run(new EvaluateSpec("single", "iris_v", "e_x", OptionalInt.of(3), 1))).getMessage();
        assertTrue(refused.contains("--mst-key 3 is not in model table 'single'"), refused);
        String notPacked = assertThrows(IllegalArgumentException.class,
                () -> evaluate.run(new EvaluateSpec("single", "multi_info", "e_x", OptionalInt.empty(), 1))).getMessage();
        assertTrue(notPacked.contains("--test-table 'multi_info' is not a packed table"), notPacked);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> evaluate.run(new EvaluateSpec("single", "nothing", "e_x", OptionalInt.empty(), 1))).getMessage();
        assertTrue(missing.contains("--test-table 'nothing' does not exist"), missing);
        String exists = assertThrows(IllegalArgumentException.class,
                () -> evaluate.run(new EvaluateSpec("single", "iris_v", "iris", OptionalInt.empty(), 1))).getMessage();
        assertTrue(exists.contains("--output-table 'iris' already exists"), exists);
        TrainingPreprocessor packer = new TrainingPreprocessor(fitted.store);
        packer.preprocess(TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(Fitted.resource("data/iris.csv"))).setOutputTable("iris_k4")
                .setDependentVarname("species").setIndependentVarname(Fitted.IRIS_X).optNumClasses(4).optPartitions(2)
                .optNormalizingConst(Fitted.NORMALIZING_CONST).build());
        String classes = assertThrows(IllegalArgumentException.class,
                () -> evaluate.run(new EvaluateSpec("single", "iris_k4", "e_x", OptionalInt.empty(), 1))).getMessage();
        assertTrue(classes.contains("--test-table 'iris_k4' was packed with 4 classes"), classes);
        String name = assertThrows(IllegalArgumentException.class,
                () -> new EvaluateSpec("single", "iris v", "e_x", OptionalInt.empty(), 1)).getMessage();
        assertTrue(name.contains("--test-table 'iris v'"), name);
    }
}
