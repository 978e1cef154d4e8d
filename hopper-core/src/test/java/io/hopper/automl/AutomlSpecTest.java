package io.hopper.automl;

import io.hopper.fit.RunOptions;
import io.hopper.automl.AutomlSpec.Method;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutomlSpecTest {

    private static AutomlSpec.Builder valid() {
        return AutomlSpec.builder().setSourceTable("iris").setModelOutputTable("out").setModelArchTable("arch")
                .setModelSelectionTable("out_mst").setModelIds(List.of(1)).setCompileParamsGrid("{'loss': ['mse']}")
                .setFitParamsGrid("{}");
    }

    private static String refused(AutomlSpec.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void hyperbandWithoutParamsTakesMadlibsDefaults() {
        AutomlSpec s = valid().build();
        assertEquals(Method.HYPERBAND, s.method());
        assertEquals("", s.automlParams());
        assertEquals("R=6, eta=3, skip_last=0", s.hyperband().params());
        assertEquals(AutomlSpec.RankBy.LOSS, s.rankBy());
    }

    @Test
    void paramsAreCheckedForTheMethodWhenBuilt() {
        assertTrue(refused(valid().optAutomlParams("R=6, num_configs=3")).contains("'num_configs'"));
        assertTrue(refused(valid().optMethod(Method.ASHA).optAutomlParams("R=9, skip_last=0")).contains("'skip_last'"));
        assertTrue(refused(valid().optMethod(Method.ASHA)).contains("num_configs"));
        assertTrue(refused(valid().optMethod(Method.RANDOM).optAutomlParams("num_configs=3")).contains("no R"));
        assertEquals(27, valid().optMethod(Method.ASHA).optAutomlParams("num_configs=27").build().asha().numConfigs());
        assertEquals(4, valid().optMethod(Method.RANDOM).optAutomlParams("R=4, num_configs=2").build().random().maxIterations());
    }

    @Test
    void emptyModelIdsAndMissingFieldsAreRefused() {
        assertTrue(refused(valid().setModelIds(List.of())).contains("model id list is empty"));
        assertTrue(refused(AutomlSpec.builder().setSourceTable("iris")).contains("--model-output-table"));
    }

    @Test
    void anOutputNameTooLongForTheTablesItWritesIsRefused() {
        // the longest table named after O is O_schedule: 9 characters after O
        String name = "o".repeat(55);
        String message = refused(valid().setModelOutputTable(name));
        assertTrue(message.contains(name + "_schedule") && message.contains("too long"), message);
        assertEquals("o".repeat(54), valid().setModelOutputTable("o".repeat(54)).build().modelOutputTable());
        assertTrue(refused(valid().setModelSelectionTable("m".repeat(56))).contains("m".repeat(56) + "_summary"));
    }

    @Test
    void workersBelowOneAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> valid().optRunOptions(RunOptions.DEFAULTS.withWorkers(0)))
                .getMessage().contains("workers=0"));
        assertEquals(7, valid().optRunOptions(RunOptions.DEFAULTS.withWorkers(1)).optRandomState(7).build().run().seed());
    }
}
