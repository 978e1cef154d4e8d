package io.hopper.engine;

import io.hopper.model.params.ParamParser;
import io.hopper.mop.Unit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitTaskTest {
    static final ModelSpec MODEL = new ModelSpec("{}", ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='SGD'"),
            ParamParser.parseFit("batch_size=8"));

    @Test
    void keepsTheStateWithoutCopying() {
        byte[] state = {1, 2};
        assertSame(state, new UnitTask(new Unit(1, 0, 1), Phase.TRAIN, "t", MODEL, state, 3).state());
    }

    @Test
    void refusesMissingPartsAndBadTableNames() {
        assertThrows(NullPointerException.class, () -> new UnitTask(null, Phase.TRAIN, "t", MODEL, new byte[0], 0));
        assertThrows(NullPointerException.class, () -> new UnitTask(new Unit(1, 0, 1), Phase.EVAL, "t", MODEL, null, 0));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new UnitTask(new Unit(1, 0, 1), Phase.EVAL, "t;drop", MODEL, new byte[0], 0)).getMessage();
        assertTrue(msg.startsWith("table name 't;drop'"), msg);
    }
}
