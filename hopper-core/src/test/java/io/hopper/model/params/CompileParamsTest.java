package io.hopper.model.params;

import static io.hopper.model.params.ParamParserTest.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompileParamsTest {

    @Test
    void canonicalOfMadlibExamples() {
        assertEquals("loss='categorical_crossentropy', metrics=['accuracy'],"
                + " optimizer='Adam(amsgrad=False, beta_1=0.9, beta_2=0.999, decay=0.0, epsilon=1e-07, lr=0.001)'",
                ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']").canonical());
        assertEquals("loss='mean_squared_error', metrics=['mae'], optimizer='SGD(decay=0.0, lr=0.01, momentum=0.9, nesterov=True)'",
                ParamParser.parseCompile("optimizer='SGD(lr=0.01, momentum=0.9, nesterov=True)', loss='mse', metrics=['mae']").canonical());
    }

    @Test
    void lossAndLossWeightsAsListsOrDictsByOutputNameRoundTrip() {
        CompileParams list = ParamParser.parseCompile("loss=['categorical_crossentropy', 'mse'], loss_weights=[1, 0.5], optimizer='SGD'");
        assertEquals("loss=['categorical_crossentropy', 'mean_squared_error'], loss_weights=[1.0, 0.5], optimizer='SGD(decay=0.0, lr=0.01,"
                + " momentum=0.0, nesterov=False)'", list.canonical());
        assertEquals(list, ParamParser.parseCompile(list.canonical()));
        assertEquals(Loss.CATEGORICAL_CROSSENTROPY, list.loss());
        assertEquals(List.of(Loss.CATEGORICAL_CROSSENTROPY, Loss.MEAN_SQUARED_ERROR), list.outputLosses(List.of("a", "b")));
        CompileParams dict = ParamParser.parseCompile("loss={'b': 'mse', 'a': 'kld'}, loss_weights={'b': 2, 'a': 1}, optimizer='SGD'");
        assertEquals("loss={'a': 'kullback_leibler_divergence', 'b': 'mean_squared_error'}, loss_weights={'a': 1.0, 'b': 2.0},"
                + " optimizer='SGD(decay=0.0, lr=0.01, momentum=0.0, nesterov=False)'", dict.canonical());
        assertEquals(dict, ParamParser.parseCompile(dict.canonical()));
        assertEquals(List.of(Loss.KULLBACK_LEIBLER_DIVERGENCE, Loss.MEAN_SQUARED_ERROR), dict.outputLosses(List.of("a", "b")));
        assertEquals(List.of(1.0, 2.0), dict.outputLossWeights(List.of("a", "b")));
        assertEquals(List.of(Loss.MEAN_SQUARED_ERROR, Loss.MEAN_SQUARED_ERROR),
                ParamParser.parseCompile("loss='mse', optimizer='SGD'").outputLosses(List.of("a", "b")));
        assertRejects(() -> ParamParser.parseCompile("loss={'a': 'mse', 'a': 'mae'}, optimizer='SGD'"), "compile_params", "dict key 'a' appears twice in loss");
        assertRejects(() -> ParamParser.parseCompile("loss=['mse', 'hinge_loss'], optimizer='SGD'"), "compile_params", "unknown loss 'hinge_loss'");
    }

    @Test
    void perOutputLossesAndATopNMetricTogether() {
        CompileParams c = ParamParser.parseCompile("loss={'b': 'mse', 'a': 'categorical_crossentropy'}, loss_weights={'a': 1, 'b': 0.5},"
                + " metrics=['top_3_accuracy'], optimizer='SGD'");
        assertEquals(3, c.topK());
        assertEquals(java.util.Optional.of("top_3_accuracy"), c.metricName());
        assertEquals(List.of(Loss.CATEGORICAL_CROSSENTROPY, Loss.MEAN_SQUARED_ERROR), c.outputLosses(List.of("a", "b")));
        assertEquals(List.of(1.0, 0.5), c.outputLossWeights(List.of("a", "b")));
        assertEquals("loss={'a': 'categorical_crossentropy', 'b': 'mean_squared_error'}, loss_weights={'a': 1.0, 'b': 0.5},"
                + " metrics=['top_3_accuracy'], optimizer='SGD(decay=0.0, lr=0.01, momentum=0.0, nesterov=False)'", c.canonical());
        assertEquals(c, ParamParser.parseCompile(c.canonical()));
        CompileParams list = ParamParser.parseCompile("loss=['mse', 'mse'], metrics=['top_2_accuracy'], optimizer='SGD'");
        assertEquals(2, list.topK());
        assertEquals(list, ParamParser.parseCompile(list.canonical()));
    }

    @Test
    void canonicalWritesOptionalKeysOnlyWhenSet() {
        assertEquals("loss='binary_crossentropy', loss_weights=[0.5], metrics=['accuracy'],"
                + " optimizer='Adagrad(decay=0.0, epsilon=1e-07, lr=0.01)', sample_weight_mode='temporal',"
                + " weighted_metrics=['accuracy', 'mse']",
                ParamParser.parseCompile("weighted_metrics=[acc, mean_squared_error], sample_weight_mode=temporal, loss_weights=[.5],"
                        + " metrics=['acc'], optimizer=adagrad, loss=binary_crossentropy").canonical());
    }

    @Test
    void canonicalParsesBackToAnEqualRecord() {
        for (String text : List.of(
                "loss=mse, optimizer=SGD",
                "loss=categorical_hinge, optimizer='Nadam(lr=2e-3, schedule_decay=0)', metrics=['top_k_categorical_accuracy']",
                "loss=kld, optimizer=RMSprop(rho=0.5, learning_rate=1e-5), loss_weights=[1, 2.5e-8], weighted_metrics=['binary_accuracy']",
                "loss=mae, optimizer=Adadelta, metrics=[categorical_accuracy], sample_weight_mode='temporal'")) {
            CompileParams parsed = ParamParser.parseCompile(text);
            CompileParams back = ParamParser.parseCompile(parsed.canonical());
            assertEquals(parsed, back, text);
            assertEquals(parsed.canonical(), back.canonical(), text);
        }
    }

    @Test
    void differentSettingsGiveDifferentRecordsAndStrings() {
        CompileParams a = ParamParser.parseCompile("loss=mse, optimizer=Adam(lr=0.001)");
        CompileParams b = ParamParser.parseCompile("loss=mse, optimizer=Adam(lr=0.0011)");
        CompileParams c = ParamParser.parseCompile("loss=mse, optimizer=Adamax(lr=0.001)");
        assertNotEquals(a, b);
        assertNotEquals(a.canonical(), b.canonical());
        assertNotEquals(a.canonical(), c.canonical());
    }

    @Test
    void metricIsTheSingleMetric() {
        assertEquals(Optional.empty(), ParamParser.parseCompile("loss=mse, optimizer=SGD").metric());
        assertEquals(Optional.of(Metric.MSE), ParamParser.parseCompile("loss=mse, optimizer=SGD, metrics=[mse]").metric());
    }

    @Test
    void constructorChecksRules() {
        assertRejects(() -> new CompileParams(OptimizerSpec.Sgd.defaults(), Loss.MEAN_SQUARED_ERROR,
                List.of(Metric.MAE, Metric.MSE), List.of(), List.of(), Optional.empty()), "compile_params", "2 metrics");
        assertRejects(() -> new CompileParams(OptimizerSpec.Sgd.defaults(), Loss.MEAN_SQUARED_ERROR,
                List.of(), List.of(Double.NaN), List.of(), Optional.empty()), "compile_params", "loss_weights", "NaN");
        assertRejects(() -> new CompileParams(OptimizerSpec.Sgd.defaults(), Loss.MEAN_SQUARED_ERROR,
                List.of(), List.of(), List.of(), Optional.of("element")), "sample_weight_mode='element'", "temporal");
    }
}
