package io.hopper.model.params;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MstEntryTest {

    @Test
    void parsesItsStrings() {
        MstEntry entry = new MstEntry(1, 4, "loss=mse, optimizer=SGD", "batch_size=8");
        assertEquals(OptimizerSpec.Sgd.defaults(), entry.parsedCompileParams().optimizer());
        assertEquals(8, entry.parsedFitParams().batchSize());
    }

    @Test
    void keysStartAtOne() {
        assertRejects(() -> new MstEntry(0, 1, "loss=mse, optimizer=SGD", ""), "mst_key=0", ">= 1");
    }
}
