package io.hopper.model.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamParserTest {

    private static final String ADAM = "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']";

    /** Asserts that parsing fails with a one-line message that contains every fragment. */
    static void assertRejects(Runnable parse, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse::run);
        String message = e.getMessage();
        assertFalse(message.contains("\n"), () -> "message spans lines: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message lacks '" + fragment + "': " + message);
        }
    }

    static void rejectsCompile(String text, String... fragments) {
        String[] all = append(fragments, "compile_params");
        assertRejects(() -> ParamParser.parseCompile(text), all);
    }

    static void rejectsFit(String text, String... fragments) {
        assertRejects(() -> ParamParser.parseFit(text), append(fragments, "fit_params"));
    }

    private static String[] append(String[] fragments, String kind) {
        String[] all = java.util.Arrays.copyOf(fragments, fragments.length + 1);
        all[fragments.length] = kind;
        return all;
    }

    // ---------------------------------------------------------------- MADlib's own examples

    @Test
    void madlibAdamExample() {
        CompileParams p = ParamParser.parseCompile(ADAM);
        assertEquals(new OptimizerSpec.Adam(0.001, 0.9, 0.999, 1e-7, false, 0.0), p.optimizer());
        assertEquals(Loss.CATEGORICAL_CROSSENTROPY, p.loss());
        assertEquals(Optional.of(Metric.ACCURACY), p.metric());
        assertEquals(List.of(), p.lossWeights());
        assertEquals(List.of(), p.weightedMetrics());
        assertEquals(Optional.empty(), p.sampleWeightMode());
    }

    @Test
    void madlibSgdExample() {
        CompileParams p = ParamParser.parseCompile("optimizer='SGD(lr=0.01, momentum=0.9, nesterov=True)', loss='mse', metrics=['mae']");
        assertEquals(new OptimizerSpec.Sgd(0.01, 0.9, true, 0.0), p.optimizer());
        assertEquals(Loss.MEAN_SQUARED_ERROR, p.loss());
        assertEquals(List.of(Metric.MAE), p.metrics());
    }

    @Test
    void madlibFitExamples() {
        FitParams plain = ParamParser.parseFit("batch_size=50, epochs=1");
        assertEquals(50, plain.batchSize());
        assertEquals(1, plain.epochs());
        assertEquals(Optional.empty(), plain.tensorBoardLogDir());

        FitParams tb = ParamParser.parseFit("batch_size=32, epochs=1, callbacks=[TensorBoard(log_dir='/tmp/logs/fit')]");
        assertEquals(32, tb.batchSize());
        assertEquals(Optional.of("/tmp/logs/fit"), tb.tensorBoardLogDir());
        assertEquals(tb, ParamParser.parseFit("batch_size=32, epochs=1, callbacks=[TensorBoard(log_dir=\"/tmp/logs/fit\")]"));
    }

    @Test
    void madlibDocumentationVariants() {
        // From MADlib's user docs: optimizer written bare, metrics with double quotes, learning_rate.
        CompileParams p = ParamParser.parseCompile(
                "loss='categorical_crossentropy', optimizer='rmsprop(lr=0.0001, decay=1e-6)', metrics=[\"accuracy\"]");
        assertEquals(new OptimizerSpec.RmsProp(0.0001, 0.9, 1e-7, 1e-6), p.optimizer());
        CompileParams q = ParamParser.parseCompile("loss='categorical_crossentropy',optimizer='Adam(learning_rate=0.01)',metrics=['acc']");
        assertEquals(0.01, q.optimizer().learningRate());
        assertEquals(Optional.of(Metric.ACCURACY), q.metric());
    }

    // ---------------------------------------------------------------- every default

    @ParameterizedTest
    @CsvSource({"SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam"})
    void bareOptimizerNameGivesKerasDefaults(String name) {
        OptimizerSpec expected = switch (name) {
            case "SGD" -> new OptimizerSpec.Sgd(0.01, 0.0, false, 0.0);
            case "Adam" -> new OptimizerSpec.Adam(0.001, 0.9, 0.999, 1e-7, false, 0.0);
            case "RMSprop" -> new OptimizerSpec.RmsProp(0.001, 0.9, 1e-7, 0.0);
            case "Adagrad" -> new OptimizerSpec.Adagrad(0.01, 1e-7, 0.0);
            case "Adadelta" -> new OptimizerSpec.Adadelta(1.0, 0.95, 1e-7, 0.0);
            case "Adamax" -> new OptimizerSpec.Adamax(0.002, 0.9, 0.999, 1e-7, 0.0);
            default -> new OptimizerSpec.Nadam(0.002, 0.9, 0.999, 1e-7, 0.004);
        };
        for (String form : List.of(name, "'" + name + "'", name + "()", "'" + name + "()'", "\"" + name + "\"")) {
            OptimizerSpec parsed = ParamParser.parseCompile("loss='mse', optimizer=" + form).optimizer();
            assertEquals(expected, parsed, form);
            assertEquals(name, parsed.kerasName());
        }
    }

    @Test
    void compileOptionalKeysDefaultToEmpty() {
        CompileParams p = ParamParser.parseCompile("loss=mse, optimizer=SGD");
        assertEquals(List.of(), p.metrics());
        assertEquals(List.of(), p.lossWeights());
        assertEquals(List.of(), p.weightedMetrics());
        assertEquals(Optional.empty(), p.sampleWeightMode());
        assertEquals(p, ParamParser.parseCompile("loss=mse, optimizer=SGD, metrics=[], loss_weights=None,"
                + " weighted_metrics=None, sample_weight_mode=None"));
    }

    @Test
    void emptyFitStringIsKerasDefaults() {
        FitParams expected = new FitParams(32, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.empty());
        assertEquals(expected, ParamParser.parseFit(""));
        assertEquals(expected, ParamParser.parseFit("   "));
        assertEquals(expected, ParamParser.parseFit("class_weight=None, steps_per_epoch=None, callbacks=None"));
        assertEquals(expected, ParamParser.parseFit("callbacks=[], class_weight={}"));
    }

    // ---------------------------------------------------------------- every key sets its field

    @Test
    void everyOptimizerKeySetsItsField() {
        assertEquals(new OptimizerSpec.Sgd(0.1, 0.5, true, 0.01),
                opt("SGD(lr=0.1, momentum=0.5, nesterov=True, decay=0.01)"));
        assertEquals(new OptimizerSpec.Adam(0.1, 0.8, 0.99, 1e-8, true, 0.01),
                opt("Adam(lr=0.1, beta_1=0.8, beta_2=0.99, epsilon=1e-8, amsgrad=True, decay=0.01)"));
        assertEquals(new OptimizerSpec.RmsProp(0.1, 0.8, 1e-8, 0.01), opt("RMSprop(lr=0.1, rho=0.8, epsilon=1e-8, decay=0.01)"));
        assertEquals(new OptimizerSpec.Adagrad(0.1, 1e-8, 0.01), opt("Adagrad(lr=0.1, epsilon=1e-8, decay=0.01)"));
        assertEquals(new OptimizerSpec.Adadelta(0.1, 0.8, 1e-8, 0.01), opt("Adadelta(lr=0.1, rho=0.8, epsilon=1e-8, decay=0.01)"));
        assertEquals(new OptimizerSpec.Adamax(0.1, 0.8, 0.99, 1e-8, 0.01),
                opt("Adamax(lr=0.1, beta_1=0.8, beta_2=0.99, epsilon=1e-8, decay=0.01)"));
        assertEquals(new OptimizerSpec.Nadam(0.1, 0.8, 0.99, 1e-8, 0.01),
                opt("Nadam(lr=0.1, beta_1=0.8, beta_2=0.99, epsilon=1e-8, schedule_decay=0.01)"));
        assertEquals(0.0, opt("Nadam(lr=0.1)").decay());
    }

    @Test
    void epsilonNoneIsKerasEpsilon() {
        assertEquals(OptimizerSpec.Adam.defaults(), opt("Adam(epsilon=None)"));
    }

    @Test
    void everyFitKeySetsItsField() {
        FitParams p = ParamParser.parseFit("batch_size=8, epochs=3, verbose=2, shuffle=False, class_weight={0: 1, 1: 2.5},"
                + " initial_epoch=1, steps_per_epoch=7, callbacks=[TensorBoard(log_dir='/tmp/tb')]");
        assertEquals(new FitParams(8, 3, 2, false, Map.of(0, 1.0, 1, 2.5), 1, OptionalInt.of(7), Optional.of("/tmp/tb")), p);
    }

    @Test
    void everyCompileKeySetsItsField() {
        CompileParams p = ParamParser.parseCompile("loss=binary_crossentropy, optimizer=Adagrad, metrics=[binary_accuracy],"
                + " loss_weights=[0.5], weighted_metrics=['acc', 'mse'], sample_weight_mode='temporal'");
        assertEquals(new CompileParams(OptimizerSpec.Adagrad.defaults(), Loss.BINARY_CROSSENTROPY, List.of(Metric.BINARY_ACCURACY),
                List.of(0.5), List.of(Metric.ACCURACY, Metric.MSE), Optional.of("temporal")), p);
    }

    // ---------------------------------------------------------------- synonyms and invariance

    @Test
    void learningRateIsLr() {
        for (String name : List.of("SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam")) {
            assertEquals(opt(name + "(lr=0.05)"), opt(name + "(learning_rate=0.05)"), name);
            assertEquals(0.05, opt(name + "(learning_rate=0.05)").learningRate(), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "ADAM", "aDaM", "'adam(lr=0.001)'", "Adam(lr=1e-3)", "Adam(lr=.001)", "Adam(lr=0.0010)",
        "Adam(lr=1E-3)", "Adam(lr = 0.001, )", "\"Adam(learning_rate=0.001)\""})
    void optimizerSpellingsAreTheSameSettings(String form) {
        assertEquals(OptimizerSpec.Adam.defaults(), opt(form));
    }

    @Test
    void lossAndMetricAliasesAreTheSameConfiguration() {
        CompileParams longNames = ParamParser.parseCompile("loss='mean_squared_error', optimizer=SGD, metrics=['mean_absolute_error']");
        CompileParams shortNames = ParamParser.parseCompile("loss='mse', optimizer=SGD, metrics=['mae']");
        assertEquals(longNames, shortNames);
        assertEquals(longNames.canonical(), shortNames.canonical());
        assertEquals(ParamParser.parseCompile("loss=kld, optimizer=SGD, metrics=['acc']"),
                ParamParser.parseCompile("loss=kullback_leibler_divergence, optimizer=SGD, metrics=['accuracy']"));
        assertEquals(Loss.MEAN_ABSOLUTE_ERROR, ParamParser.parseCompile("loss=mae, optimizer=SGD").loss());
    }

    @Test
    void whitespaceQuotesAndOrderDoNotMatter() {
        CompileParams reference = ParamParser.parseCompile(ADAM);
        for (String variant : List.of(
                "metrics=['accuracy'],optimizer='Adam(lr=0.001)',loss='categorical_crossentropy'",
                "  loss = categorical_crossentropy ,\n\toptimizer = Adam( lr = 0.001 ) , metrics = [ 'accuracy' ]  ",
                "loss=\"categorical_crossentropy\", optimizer=\"Adam(learning_rate=1e-3)\", metrics=[\"acc\"]",
                "optimizer=Adam, loss=categorical_crossentropy, metrics=[accuracy]",
                "optimizer=adam(), metrics=\"['accuracy']\", loss='categorical_crossentropy'")) {
            assertEquals(reference, ParamParser.parseCompile(variant), variant);
            assertEquals(reference.canonical(), ParamParser.parseCompile(variant).canonical(), variant);
        }
        FitParams fit = ParamParser.parseFit("batch_size=16, epochs=2, shuffle=True");
        assertEquals(fit, ParamParser.parseFit(" shuffle = 'True' ,epochs='2',batch_size=\"16\" "));
        assertEquals(fit, ParamParser.parseFit("epochs=2, batch_size=+16"));
    }

    @Test
    void aRepeatedKeyIsRefusedNamingItWherePythonWouldKeepTheLast() {
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                () -> ParamParser.parseFit("batch_size=8, epochs=1, batch_size=64"));
        assertEquals("fit_params: key 'batch_size' appears twice in \"batch_size=8, epochs=1, batch_size=64\"; give each key"
                + " once (MADlib's Python would keep the last silently; Hopper refuses instead)", fit.getMessage());
        IllegalArgumentException compile = assertThrows(IllegalArgumentException.class,
                () -> ParamParser.parseCompile("optimizer=SGD, loss=mse, optimizer='Adam(lr=0.1)', metrics=['acc']"));
        assertTrue(compile.getMessage().startsWith("compile_params: key 'optimizer' appears twice"), compile.getMessage());
    }

    @Test
    void aRepeatedDictKeyIsRefusedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParamParser.parseFit("class_weight={0: 1, 0: 3}"));
        assertTrue(e.getMessage().contains("dict key 0 appears twice in class_weight; give each key once"), e.getMessage());
    }

    @Test
    void bracketsNestedDeeperThan32AreRefusedBeforeTheStackRunsOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParamParser.parseFit("class_weight=" + "[".repeat(100_000) + "]".repeat(100_000)));
        assertTrue(e.getMessage().contains("brackets nest deeper than 32 levels"), e.getMessage());
        assertTrue(e.getMessage().length() < 1000, "the input is echoed capped: " + e.getMessage().length());
    }

    @Test
    void numbersAcceptPythonForms() {
        assertEquals(0.001, opt("Adam(lr=1e-3)").learningRate());
        assertEquals(0.25, opt("Adam(lr=2.5E-1)").learningRate());
        assertEquals(10.0, opt("Adam(lr=1e+1)").learningRate());
        assertEquals(2.0, opt("Adam(lr=2)").learningRate());
        assertEquals(0.5, opt("Adam(lr=.5)").learningRate());
        assertEquals(3.0, opt("Adam(lr=3.)").learningRate());
        assertEquals(opt("SGD(momentum=0.0)"), opt("SGD(momentum=-0.0)"));
        assertEquals(opt("SGD(momentum=0)"), opt("SGD(momentum=0.0)"));
    }

    // ---------------------------------------------------------------- compile rejections

    @Test
    void rejectsSparseLossAndMetrics() {
        rejectsCompile("loss='sparse_categorical_crossentropy', optimizer=Adam",
                "sparse_categorical_crossentropy", "one-hot", "use 'categorical_crossentropy'");
        rejectsCompile("loss=categorical_crossentropy, optimizer=Adam, metrics=['sparse_categorical_accuracy']",
                "sparse_categorical_accuracy", "one-hot", "'categorical_accuracy'");
        rejectsCompile("loss=categorical_crossentropy, optimizer=Adam, metrics=['sparse_top_k_categorical_accuracy']",
                "sparse_top_k_categorical_accuracy", "one-hot");
        rejectsCompile("loss=categorical_crossentropy, optimizer=Adam, weighted_metrics=['sparse_categorical_accuracy']",
                "weighted_metrics", "sparse_categorical_accuracy");
    }

    @Test
    void rejectsDictAndMultipleMetrics() {
        rejectsCompile("loss=mse, optimizer=SGD, metrics={'out': 'accuracy'}", "metrics=", "dict", "metrics=['accuracy']");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=['accuracy', 'mae']", "metrics=", "2 metrics", "keep one");
        rejectsCompile("loss=mse, optimizer=SGD, metrics='accuracy'", "metrics=accuracy", "not a list");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=('accuracy',)", "metrics=", "a tuple", "not a list");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=['precision']", "unknown metric 'precision'", "accuracy");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=[1]", "metrics entry=1", "not a name");
    }

    @Test
    void rejectsUnknownKeysOptimizersAndLosses() {
        rejectsCompile("loss=mse, optimizer=SGD, run_eagerly=True", "unknown key 'run_eagerly'", "optimizer, loss, metrics");
        rejectsCompile("loss=mse, optimizer=Lamb", "unknown optimizer 'Lamb'", "SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam");
        rejectsCompile("loss=mse, optimizer='Ftrl(lr=0.1)'", "unknown optimizer 'Ftrl'");
        rejectsCompile("loss=hinge_loss, optimizer=SGD", "unknown loss 'hinge_loss'", "categorical_crossentropy");
        rejectsCompile("loss=mse, optimizer=SGD(lr=0.1, beta_1=0.9)", "optimizer SGD has no setting 'beta_1'", "momentum");
        rejectsCompile("loss=mse, optimizer=Nadam(decay=0.1)", "optimizer Nadam has no setting 'decay'", "schedule_decay");
        rejectsCompile("loss=mse, optimizer=Adam(amsgrad=True, rho=0.9)", "has no setting 'rho'");
        rejectsCompile("loss=mse, optimizer=Adam(lr=0.1, learning_rate=0.2)", "lr", "twice");
        rejectsCompile("loss=mse, optimizer=Adam(lr=0.1, lr=0.2)", "sets lr", "twice");
    }

    @Test
    void rejectsMissingRequiredKeys() {
        rejectsCompile("loss=mse", "optimizer is missing", "optimizer='Adam(lr=0.001)'");
        rejectsCompile("optimizer=SGD, metrics=['mae']", "loss is missing");
        rejectsCompile("", "optimizer is missing");
    }

    @Test
    void rejectsWrongValueTypes() {
        rejectsCompile("loss=mse, optimizer=Adam(lr='abc')", "Adam lr='abc'", "not a number", "lr=0.001");
        rejectsCompile("loss=mse, optimizer='Adam(lr=\"0.1\")'", "Adam lr='0.1'", "not a number");
        rejectsCompile("loss=mse, optimizer=Adam(lr=-0.1)", "lr=-0.1", "> 0");
        rejectsCompile("loss=mse, optimizer=Adam(lr=0)", "lr=0.0", "> 0");
        rejectsCompile("loss=mse, optimizer=Adam(lr=1e999)", "lr=1e999", "overflows");
        rejectsCompile("loss=mse, optimizer=SGD(nesterov=1)", "SGD nesterov=1", "True or False");
        rejectsCompile("loss=mse, optimizer=SGD(momentum=1.5)", "momentum=1.5", "[0, 1]");
        rejectsCompile("loss=mse, optimizer=Adam(beta_1=1.0)", "beta_1=1.0", "[0, 1)");
        rejectsCompile("loss=mse, optimizer=Adam(epsilon=0)", "epsilon=0.0", "> 0");
        rejectsCompile("loss=mse, optimizer=Adam(decay=-1)", "decay=-1.0", ">= 0");
        rejectsCompile("loss=mse, optimizer=Nadam(schedule_decay=-1)", "schedule_decay=-1.0", ">= 0");
        rejectsCompile("loss=mse, optimizer=Adam(0.1)", "Adam(...) in the value of optimizer", "keyword arguments only", "'0.1'");
        rejectsCompile("loss=mse, optimizer=[Adam]", "optimizer=[Adam]", "a list", "optimizer='Adam'");
        rejectsCompile("loss=mse, optimizer=0.1", "optimizer=0.1", "a number");
        rejectsCompile("loss=[], optimizer=SGD", "loss=[]", "not a name");
        rejectsCompile("loss=mse, optimizer=SGD, loss_weights={'out': 'a'}", "loss_weights entry='a'", "not a number");
        rejectsCompile("loss=mse, optimizer=SGD, loss_weights=1.0", "loss_weights=1.0", "not a list");
        rejectsCompile("loss=mse, optimizer=SGD, loss_weights=[-1]", "loss_weights", "-1.0", ">= 0");
        rejectsCompile("loss=mse, optimizer=SGD, loss_weights=['a']", "loss_weights entry='a'", "not a number");
        rejectsCompile("loss=mse, optimizer=SGD, sample_weight_mode='element'", "sample_weight_mode='element'", "temporal");
    }

    @Test
    void rejectsSyntaxErrors() {
        rejectsCompile("loss=mse, optimizer='SGD(lr=0.1'", "unbalanced brackets", "'(' is never closed", "')'");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=['mae'", "unbalanced", "'[' is never closed", "']'");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=['mae'])", "unbalanced", "')' has no matching opening bracket");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=['mae')", "'[' opened at character", "closed by ')'");
        rejectsCompile("loss=mse optimizer=SGD", "after the value of loss expected ','", "'optimizer'", "commas");
        rejectsCompile("loss=mse, optimizer=SGD(lr=0.1 momentum=0.9)", "after the value of", "'momentum'", "commas");
        rejectsCompile("loss=mse, optimizer=SGD, metrics=['mae' 'acc']", "after the value of metrics", "'acc'");
        rejectsCompile("loss=mse, optimizer=SGD;", "unexpected character ';'");
        rejectsCompile("loss=mse, optimizer=SGD,", "trailing ','");
        rejectsCompile("loss=, optimizer=SGD", "empty or missing value for loss");
        rejectsCompile("loss=mse, optimizer=", "empty or missing value for optimizer", "the end of the string");
        rejectsCompile("loss=mse, optimizer=''", "empty or missing value for optimizer");
        rejectsCompile("loss mse, optimizer=SGD", "expected '=' after key 'loss'");
        rejectsCompile("loss=mse, optimizer='SGD", "string opened with ' is never closed");
        rejectsCompile("=mse, optimizer=SGD", "expected a key name", "'='");
        rejectsCompile("loss=mse, optimizer=SGD(lr=1e-)", "exponent without digits");
        rejectsCompile("loss=mse, optimizer=SGD(lr=0x10)", "malformed number", "0x");
    }

    // ---------------------------------------------------------------- fit rejections

    @ParameterizedTest
    @ValueSource(strings = {"validation_split=0.2", "validation_data=None", "validation_freq=1", "validation_steps=5"})
    void rejectsValidationKeys(String pair) {
        String key = pair.substring(0, pair.indexOf('='));
        rejectsFit("batch_size=32, " + pair, key, "--validation-table", "remove " + key);
    }

    @Test
    void rejectsSampleWeight() {
        rejectsFit("sample_weight=None", "sample_weight", "--validation-table", "class_weight");
    }

    @Test
    void rejectsUnknownFitKeys() {
        rejectsFit("batch_size=32, workers=4", "unknown key 'workers'", "batch_size, epochs");
        rejectsFit("optimizer=SGD", "unknown key 'optimizer'");
    }

    @Test
    void rejectsNonLiteralFitValues() {
        rejectsFit("batch_size=foo", "batch_size=foo", "a bare name", "never evaluated", "batch_size=32");
        rejectsFit("batch_size=2*3", "'*'", "expressions are never evaluated", "6 instead of 2*3");
        rejectsFit("epochs=1+1", "'+'", "expressions are never evaluated");
        rejectsFit("batch_size=len(x)", "len(...) in the value of batch_size", "keyword arguments only", "never evaluated");
        rejectsFit("batch_size=int(n=3)", "batch_size=int(n=3)", "a call", "not an integer");
        rejectsFit("batch_size=-x", "starts with operator '-'", "never evaluated");
        rejectsFit("batch_size=32.0", "batch_size=32.0", "not a whole number");
        rejectsFit("batch_size=1e3", "batch_size=1e3", "not a whole number");
        rejectsFit("batch_size=99999999999", "does not fit a 32-bit integer");
        rejectsFit("shuffle=1", "shuffle=1", "True or False");
        rejectsFit("shuffle='rows'", "shuffle='rows'", "'batch'");
        rejectsFit("epochs=[1]", "epochs=[1]", "a list");
    }

    @Test
    void rejectsOutOfRangeFitValues() {
        rejectsFit("batch_size=0", "batch_size=0", "positive");
        rejectsFit("epochs=-1", "epochs=-1", "positive");
        rejectsFit("verbose=3", "verbose=3", "0, 1 or 2");
        rejectsFit("epochs=2, initial_epoch=2", "initial_epoch=2", "below epochs=2");
        rejectsFit("initial_epoch=-1", "initial_epoch=-1");
        rejectsFit("steps_per_epoch=0", "steps_per_epoch=0", "positive");
        rejectsFit("class_weight={-1: 1.0}", "class_weight key -1");
        rejectsFit("class_weight={0: -1.0}", "class_weight value -1.0");
    }

    @Test
    void rejectsBadClassWeight() {
        rejectsFit("class_weight=[1, 2]", "class_weight=[1, 2]", "not a dict", "{0: 1.0, 1: 2.0}");
        rejectsFit("class_weight={'cat': 1.0}", "class_weight key='cat'", "not an integer");
        rejectsFit("class_weight={0.5: 1.0}", "class_weight key=0.5", "not a whole number");
        rejectsFit("class_weight={0: 'heavy'}", "class_weight value for class 0='heavy'", "not a number");
        rejectsFit("class_weight={0 1.0}", "expected ':' after dict key 0");
    }

    @Test
    void rejectsCallbacksOtherThanTensorBoardLogDir() {
        rejectsFit("callbacks=[ModelCheckpoint(filepath='m')]", "ModelCheckpoint(filepath='m')", "TensorBoard", "EarlyStopping", "log_dir=");
        rejectsFit("callbacks=[TensorBoard()]", "TensorBoard()", "must set log_dir");
        rejectsFit("callbacks=[TensorBoard(log_dir='/a', histogram_freq=1)]", "histogram_freq=1", "must set log_dir and nothing else");
        rejectsFit("callbacks=[TensorBoard(log_dir=logs)]", "log_dir=logs", "not a quoted path");
        rejectsFit("callbacks=[TensorBoard(log_dir='')]", "log_dir is blank");
        rejectsFit("callbacks=[TensorBoard(log_dir='/a'), TensorBoard(log_dir='/b')]", "TensorBoard twice");
        rejectsFit("callbacks=TensorBoard(log_dir='/a')", "not a list");
        rejectsFit("callbacks=['TensorBoard']", "callback 'TensorBoard'", "not supported");
    }

    @Test
    void rejectsNull() {
        rejectsFit(null, "null");
        rejectsCompile(null, "null");
    }

    private static OptimizerSpec opt(String form) {
        return ParamParser.parseCompile("loss=mse, optimizer=" + form).optimizer();
    }

    @Test
    void adamWAndKeras3OptimizerArguments() {
        CompileParams c = ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='AdamW(learning_rate=0.01, weight_decay=0.05,"
                + " use_ema=False, clipnorm=None, name=\"adamw\")', metrics=['top_3_accuracy']");
        assertEquals(new OptimizerSpec.AdamW(0.01, 0.05, 0.9, 0.999, 1e-7, false), c.optimizer());
        assertEquals(3, c.topK());
        assertEquals(Optional.of("top_3_accuracy"), c.metricName());
        assertEquals(c, ParamParser.parseCompile(c.canonical()));
        assertEquals(OptimizerSpec.AdamW.defaults(), ParamParser.parseCompile("loss='mse', optimizer='adamw'").optimizer());
        assertEquals(5, ParamParser.parseCompile("loss='mse', optimizer='Adam', metrics=['top_k_categorical_accuracy']").topK());
        assertRejects(() -> ParamParser.parseCompile("loss='mse', optimizer='Adam(use_ema=True)'"), "use_ema=True", "not supported");
        assertRejects(() -> ParamParser.parseCompile("loss='mse', optimizer='SGD(clipnorm=1.0)'"), "clipnorm=1.0", "gradient clipping");
        assertRejects(() -> ParamParser.parseCompile("loss='mse', optimizer='Adam(weight_decay=0.01)'"), "weight_decay", "AdamW");
        assertRejects(() -> ParamParser.parseCompile("loss='mse', optimizer='AdamW(weight_decay=-1.0)'"), "weight_decay=-1.0");
        assertRejects(() -> ParamParser.parseCompile("loss='mse', optimizer='Adam', metrics=['top_0_accuracy']"), "top_0_accuracy", "N >= 1");
    }

    @Test
    void shuffleBatchAndEarlyStopping() {
        FitParams f = ParamParser.parseFit("batch_size=4, shuffle='batch', callbacks=[EarlyStopping(monitor='val_accuracy', patience=2,"
                + " min_delta=0.01), TensorBoard(log_dir='/tmp/tb')]");
        assertTrue(f.shuffle() && f.shuffleBatches());
        assertEquals(Optional.of(new EarlyStopping("val_accuracy", 0.01, 2, true)), f.earlyStopping());
        assertEquals(Optional.of("/tmp/tb"), f.tensorBoardLogDir());
        assertEquals(f, ParamParser.parseFit(f.canonical()));
        assertEquals(Optional.of(new EarlyStopping("val_loss", 0, 0, false)), ParamParser.parseFit("callbacks=[EarlyStopping()]").earlyStopping());
        assertFalse(ParamParser.parseFit("shuffle=True").shuffleBatches());
        assertRejects(() -> ParamParser.parseFit("shuffle='rows'"), "shuffle='rows'", "'batch'");
        assertRejects(() -> ParamParser.parseFit("callbacks=[EarlyStopping(restore_best_weights=True)]"), "restore_best_weights=True");
        assertRejects(() -> ParamParser.parseFit("callbacks=[EarlyStopping(mode='up')]"), "mode='up'");
        assertRejects(() -> ParamParser.parseFit("callbacks=[EarlyStopping(baseline=0.5)]"), "baseline");
        assertRejects(() -> ParamParser.parseFit("callbacks=[EarlyStopping(), EarlyStopping()]"), "twice");
        assertRejects(() -> ParamParser.parseFit("callbacks=[ModelCheckpoint(filepath='x')]"), "not supported");
    }
}
