package io.hopper.model.params;

import org.junit.jupiter.api.Test;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {
    @Test
    void improvementFollowsModeAndMinDelta() {
        EarlyStopping loss = new EarlyStopping("val_loss", 0.1, 2, false);
        assertTrue(loss.improves(1.0, Double.NaN));
        assertTrue(loss.improves(0.85, 1.0));
        assertFalse(loss.improves(0.95, 1.0));
        EarlyStopping acc = new EarlyStopping("accuracy", 0, 0, EarlyStopping.autoHigherIsBetter("accuracy"));
        assertTrue(acc.improves(0.6, 0.5));
        assertFalse(acc.improves(0.5, 0.5));
        assertFalse(EarlyStopping.autoHigherIsBetter("val_loss"));
        assertRejects(() -> new EarlyStopping("val_loss", 0, -1, false), "patience=-1");
        assertRejects(() -> new EarlyStopping(" ", 0, 1, false), "monitor");
    }
}
