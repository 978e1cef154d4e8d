package io.hopper.model.params;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FitParamsTest {

    @Test
    void canonicalMakesDefaultsExplicit() {
        assertEquals("batch_size=32, epochs=1, initial_epoch=0, shuffle=True, verbose=0", FitParams.defaults().canonical());
        assertEquals("batch_size=50, epochs=1, initial_epoch=0, shuffle=True, verbose=0",
                ParamParser.parseFit("batch_size=50, epochs=1").canonical());
    }

    @Test
    void canonicalWritesEveryKeySorted() {
        assertEquals("batch_size=8, callbacks=[TensorBoard(log_dir='/tmp/logs/fit')], class_weight={0: 0.5, 2: 3.0, 10: 1.0},"
                + " epochs=3, initial_epoch=1, shuffle=False, steps_per_epoch=4, verbose=2",
                ParamParser.parseFit("verbose=2, steps_per_epoch=4, shuffle=False, initial_epoch=1, epochs=3,"
                        + " class_weight={10: 1, 2: 3, 0: 0.5}, callbacks=[TensorBoard(log_dir=\"/tmp/logs/fit\")], batch_size=8")
                        .canonical());
    }

    @Test
    void canonicalParsesBackToAnEqualRecord() {
        for (FitParams p : List.of(FitParams.defaults(),
                new FitParams(7, 9, 1, false, Map.of(3, 0.125, 1, 1e-9), 8, OptionalInt.of(1), Optional.of("C:\\logs\\it's \"here\"\n")),
                new FitParams(1, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.of("/tmp/a b")))) {
            FitParams back = ParamParser.parseFit(p.canonical());
            assertEquals(p, back, p.canonical());
            assertEquals(p.canonical(), back.canonical());
        }
    }

    @Test
    void sameSettingsGiveTheSameString() {
        assertEquals(ParamParser.parseFit("").canonical(),
                ParamParser.parseFit("batch_size=32, epochs=1, shuffle=True, verbose=0, initial_epoch=0, class_weight={}").canonical());
        assertEquals(ParamParser.parseFit("class_weight={0: 1, 1: 2}").canonical(),
                ParamParser.parseFit("class_weight = '{1: 2.0, 0: 1.00}'").canonical());
    }

    @Test
    void constructorChecksRules() {
        assertRejects(() -> new FitParams(0, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.empty()), "fit_params", "batch_size=0");
        assertRejects(() -> new FitParams(1, 0, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.empty()), "epochs=0");
        assertRejects(() -> new FitParams(1, 1, -1, true, Map.of(), 0, OptionalInt.empty(), Optional.empty()), "verbose=-1");
        assertRejects(() -> new FitParams(1, 1, 0, true, Map.of(), 1, OptionalInt.empty(), Optional.empty()), "initial_epoch=1");
        assertRejects(() -> new FitParams(1, 1, 0, true, Map.of(), 0, OptionalInt.of(0), Optional.empty()), "steps_per_epoch=0");
        assertRejects(() -> new FitParams(1, 1, 0, true, Map.of(0, Double.NaN), 0, OptionalInt.empty(), Optional.empty()),
                "class_weight value NaN");
        assertRejects(() -> new FitParams(1, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.of(" ")), "log_dir is blank");
    }
}
