package io.hopper.model.params;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerSpecTest {

    private static final List<OptimizerSpec> SPECS = List.of(
            OptimizerSpec.Sgd.defaults(), new OptimizerSpec.Sgd(0.1, 0.9, true, 1e-6),
            OptimizerSpec.Adam.defaults(), new OptimizerSpec.Adam(3e-4, 0.85, 0.98, 1e-8, true, 0.5),
            OptimizerSpec.RmsProp.defaults(), new OptimizerSpec.RmsProp(0.1, 0.5, 1e-3, 2.0),
            OptimizerSpec.Adagrad.defaults(), new OptimizerSpec.Adagrad(0.3, 1e-4, 0.25),
            OptimizerSpec.Adadelta.defaults(), new OptimizerSpec.Adadelta(0.7, 0.9, 1e-6, 0.1),
            OptimizerSpec.Adamax.defaults(), new OptimizerSpec.Adamax(0.02, 0.5, 0.9, 1e-5, 0.01),
            OptimizerSpec.Nadam.defaults(), new OptimizerSpec.Nadam(0.02, 0.5, 0.9, 1e-5, 0.0));

    @Test
    void defaultsAreKeras2s() {
        assertEquals(new OptimizerSpec.Sgd(0.01, 0.0, false, 0.0), OptimizerSpec.Sgd.defaults());
        assertEquals(new OptimizerSpec.Adam(0.001, 0.9, 0.999, 1e-7, false, 0.0), OptimizerSpec.Adam.defaults());
        assertEquals(new OptimizerSpec.RmsProp(0.001, 0.9, 1e-7, 0.0), OptimizerSpec.RmsProp.defaults());
        assertEquals(new OptimizerSpec.Adagrad(0.01, 1e-7, 0.0), OptimizerSpec.Adagrad.defaults());
        assertEquals(new OptimizerSpec.Adadelta(1.0, 0.95, 1e-7, 0.0), OptimizerSpec.Adadelta.defaults());
        assertEquals(new OptimizerSpec.Adamax(0.002, 0.9, 0.999, 1e-7, 0.0), OptimizerSpec.Adamax.defaults());
        assertEquals(new OptimizerSpec.Nadam(0.002, 0.9, 0.999, 1e-7, 0.004), OptimizerSpec.Nadam.defaults());
    }

    @Test
    void canonicalWritesEverySettingSorted() {
        assertEquals("SGD(decay=0.0, lr=0.01, momentum=0.0, nesterov=False)", OptimizerSpec.Sgd.defaults().canonical());
        assertEquals("Adam(amsgrad=False, beta_1=0.9, beta_2=0.999, decay=0.0, epsilon=1e-07, lr=0.001)",
                OptimizerSpec.Adam.defaults().canonical());
        assertEquals("RMSprop(decay=0.0, epsilon=1e-07, lr=0.001, rho=0.9)", OptimizerSpec.RmsProp.defaults().canonical());
        assertEquals("Adagrad(decay=0.0, epsilon=1e-07, lr=0.01)", OptimizerSpec.Adagrad.defaults().canonical());
        assertEquals("Adadelta(decay=0.0, epsilon=1e-07, lr=1.0, rho=0.95)", OptimizerSpec.Adadelta.defaults().canonical());
        assertEquals("Adamax(beta_1=0.9, beta_2=0.999, decay=0.0, epsilon=1e-07, lr=0.002)",
                OptimizerSpec.Adamax.defaults().canonical());
        assertEquals("Nadam(beta_1=0.9, beta_2=0.999, epsilon=1e-07, lr=0.002, schedule_decay=0.004)",
                OptimizerSpec.Nadam.defaults().canonical());
    }

    @Test
    void canonicalParsesBackToAnEqualSpec() {
        for (OptimizerSpec spec : SPECS) {
            OptimizerSpec back = ParamParser.parseCompile("loss=mse, optimizer=" + spec.canonical()).optimizer();
            assertEquals(spec, back, spec.canonical());
            assertEquals(spec.canonical(), back.canonical());
        }
    }

    @Test
    void constructorsCheckRanges() {
        assertRejects(() -> new OptimizerSpec.Sgd(Double.NaN, 0, false, 0), "compile_params", "SGD lr=NaN", "> 0");
        assertRejects(() -> new OptimizerSpec.Sgd(0.1, -0.1, false, 0), "SGD momentum=-0.1", "[0, 1]");
        assertRejects(() -> new OptimizerSpec.Adam(0.1, 0.9, 1.0, 1e-7, false, 0), "Adam beta_2=1.0", "[0, 1)");
        assertRejects(() -> new OptimizerSpec.RmsProp(0.1, 1.2, 1e-7, 0), "RMSprop rho=1.2");
        assertRejects(() -> new OptimizerSpec.Adagrad(0.1, -1e-7, 0), "Adagrad epsilon=-1e-07", "> 0");
        assertRejects(() -> new OptimizerSpec.Adadelta(0.1, 0.9, 1e-7, Double.POSITIVE_INFINITY), "Adadelta decay=Infinity");
        assertRejects(() -> new OptimizerSpec.Adamax(0.0, 0.9, 0.999, 1e-7, 0), "Adamax lr=0.0");
        assertRejects(() -> new OptimizerSpec.Nadam(0.1, 0.9, 0.999, 1e-7, -0.5), "Nadam schedule_decay=-0.5");
    }
}
