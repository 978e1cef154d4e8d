package io.hopper.model.params;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': ["
            + "{'optimizer': ['SGD'], 'lr': [0.001, 0.5, 'linear'], 'momentum': [0.5, 0.99, 'log_near_one']},"
            + " {'optimizer': ['Adam'], 'lr': [0.00001, 0.1, 'log'], 'amsgrad': [False, True]}], 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [32, 64, 128], 'epochs': [1]}";

    private static SearchSpace space() {
        return ConfigGrid.parse(COMPILE, FIT).space(Set.of(1, 2, 3), List.of(3, 1));
    }

    @Test
    void theGridsBecomeDimensionsWithTheOptimizerDictsSettingsConditionalOnTheirDict() {
        SearchSpace s = space();
        assertEquals(List.of("model_id", "loss", "optimizer_params_list", "optimizer_params_list[0].optimizer",
                "optimizer_params_list[0].lr", "optimizer_params_list[0].momentum", "optimizer_params_list[1].optimizer",
                "optimizer_params_list[1].lr", "optimizer_params_list[1].amsgrad", "metrics", "batch_size", "epochs"),
                s.dimensions().stream().map(SearchSpace.Dimension::name).toList());
        assertEquals(new SearchSpace.Categorical(List.of("1", "3"), List.of(1.0, 3.0)), s.dimension("model_id").domain());
        assertEquals(new SearchSpace.Categorical(List.of("32", "64", "128"), List.of(32.0, 64.0, 128.0)),
                s.dimension("batch_size").domain());
        assertEquals(new SearchSpace.Real(1e-5, 0.1, SearchSpace.Scale.LOG), s.dimension("optimizer_params_list[1].lr").domain());
        assertEquals(Optional.of(new SearchSpace.Condition("optimizer_params_list", 1)),
                s.dimension("optimizer_params_list[1].lr").condition());
        assertTrue(s.dimension("optimizer_params_list[0].momentum").optimizerSetting());
        assertFalse(s.dimension("optimizer_params_list[0].optimizer").optimizerSetting());
        assertFalse(((SearchSpace.Categorical) s.dimension("optimizer_params_list[1].amsgrad").domain()).numeric());
        assertEquals("lr", s.dimension("optimizer_params_list[1].lr").key());
    }

    @Test
    void aPointRendersAsACanonicalMstRowAndSamplesAreRandomSearchsDraws() {
        SearchSpace s = space();
        SearchSpace.Point p = new SearchSpace.Point(Map.of("model_id", 1.0, "loss", 0.0, "optimizer_params_list", 1.0,
                "optimizer_params_list[1].optimizer", 0.0, "optimizer_params_list[1].lr", 0.003,
                "optimizer_params_list[1].amsgrad", 0.0, "metrics", 0.0, "batch_size", 2.0, "epochs", 0.0));
        MstEntry e = s.entry(p);
        assertEquals(3, e.modelId());
        assertEquals(ParamParser.parseCompile("loss='categorical_crossentropy', optimizer=Adam(lr=0.003), metrics=['accuracy']")
                .canonical(), e.compileParams());
        assertEquals(ParamParser.parseFit("batch_size=128, epochs=1").canonical(), e.fitParams());
        assertEquals("0.003", s.label(s.dimension("optimizer_params_list[1].lr"), p));
        assertEquals("'Adam'", s.label(s.dimension("optimizer_params_list[1].optimizer"), p));
        assertEquals("False", s.label(s.dimension("optimizer_params_list[1].amsgrad"), p));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> s.entry(new SearchSpace.Point(Map.of("model_id", 0.0))));
        assertTrue(missing.getMessage().startsWith("search space: point ") && missing.getMessage().contains("no value for 'loss'"),
                missing.getMessage());

        Random random = new Random(42);
        List<MstEntry> sampled = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sampled.add(s.entry(s.sample(random)));
        }
        assertEquals(ModelSelection.numberDistinct(sampled),
                ConfigGrid.parse(COMPILE, FIT).randomSearch(Set.of(1, 2, 3), List.of(3, 1), 20, 42));
    }

    @Test
    void realDistributionsMapTheirInternalAxisBothWays() {
        SearchSpace.Real log = new SearchSpace.Real(1e-5, 0.1, SearchSpace.Scale.LOG);
        assertEquals(-5, log.internalLo(), 1e-12);
        assertEquals(-1, log.internalHi(), 1e-12);
        assertEquals(0.003, log.fromInternal(log.toInternal(0.003)), 1e-15);
        assertEquals(1e-5, log.fromUnit(0), 1e-20);
        SearchSpace.Real nearOne = new SearchSpace.Real(0.9, 0.999, SearchSpace.Scale.LOG_NEAR_ONE);
        assertEquals(-3, nearOne.internalLo(), 1e-9);
        assertEquals(-1, nearOne.internalHi(), 1e-9);
        assertEquals(0.99, nearOne.fromInternal(nearOne.toInternal(0.99)), 1e-12);
        assertEquals(0.999, nearOne.fromUnit(0), 1e-12);
        assertEquals(0.999, nearOne.clip(1.2));
        SearchSpace.Real linear = new SearchSpace.Real(0, 2, SearchSpace.Scale.LINEAR);
        assertEquals(0.5, linear.fromUnit(0.25));
        for (Runnable bad : List.<Runnable>of(() -> new SearchSpace.Real(1, 1, SearchSpace.Scale.LINEAR),
                () -> new SearchSpace.Real(0, 1, SearchSpace.Scale.LOG), () -> new SearchSpace.Real(0.5, 1, SearchSpace.Scale.LOG_NEAR_ONE))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
            assertTrue(e.getMessage().startsWith("search space: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
