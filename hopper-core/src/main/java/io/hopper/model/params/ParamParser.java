package io.hopper.model.params;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses MADlib's compile_params and fit_params strings into {@link CompileParams} and {@link FitParams} with a
 * grammar of Python literals (see {@link LiteralParser}); nothing is ever evaluated.
 *
 * <p>A parameter string is {@code key=value} pairs separated by commas outside brackets; whitespace does not
 * matter; when a key repeats the last pair wins. A top-level value in quotes is read as the value written inside
 * the quotes, so {@code loss='mse'}, {@code loss="mse"} and {@code loss=mse} are the same, as are
 * {@code optimizer='Adam(lr=0.1)'} and {@code optimizer=Adam(lr=0.1)}. Inside calls, lists and dicts quotes are
 * Python's: a number must be written as a number. Wrong keys, wrong types and out-of-range values are
 * IllegalArgumentExceptions whose one-line message names the string kind, the key or value, the rule and the
 * fix.
 */
public final class ParamParser {

    private static final String COMPILE = "compile_params";
    private static final String FIT = "fit_params";
    private static final List<String> COMPILE_KEYS =
            List.of("optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "sample_weight_mode");
    private static final List<String> FIT_KEYS = List.of("batch_size", "epochs", "verbose", "shuffle", "class_weight",
            "initial_epoch", "steps_per_epoch", "callbacks");
    private static final Set<String> VALIDATION_KEYS =
            Set.of("validation_split", "validation_data", "validation_freq", "validation_steps");
    private static final List<String> OPTIMIZERS =
            List.of("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam");
    /** Keras 3's optimizer arguments that Hopper accepts only at their defaults (None or False), and name, which it ignores. */
    private static final Map<String, String> KERAS3_OPTIMIZER_ARGS = Map.of(
            "use_ema", "an exponential moving average of the weights", "ema_momentum", "", "ema_overwrite_frequency", "",
            "clipnorm", "gradient clipping", "clipvalue", "gradient clipping", "global_clipnorm", "gradient clipping",
            "loss_scale_factor", "loss scaling", "gradient_accumulation_steps", "gradient accumulation", "name", "");

    private ParamParser() {
    }

    /**
     * Parses a compile_params string, e.g.
     * {@code loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']}.
     *
     * @throws IllegalArgumentException when the string breaks the grammar or a rule, with a one-line message
     */
    public static CompileParams parseCompile(String text) {
        Map<String, PyLiteral> pairs = pairs(COMPILE, text, COMPILE_KEYS);
        if (!pairs.containsKey("optimizer")) {
            throw new IllegalArgumentException("compile_params: optimizer is missing from \"" + LiteralParser.oneLine(text)
                    + "\"; add one, e.g. optimizer='Adam(lr=0.001)'");
        }
        if (!pairs.containsKey("loss")) {
            throw new IllegalArgumentException("compile_params: loss is missing from \"" + LiteralParser.oneLine(text)
                    + "\"; add one, e.g. loss='categorical_crossentropy'");
        }
        OptimizerSpec optimizer = optimizer(pairs.get("optimizer"));
        PyLiteral lossValue = pairs.get("loss");
        List<Loss> lossList = new ArrayList<>();
        Map<String, Loss> lossDict = new LinkedHashMap<>();
        Loss loss;
        if (lossValue instanceof PyLiteral.ListLit list && !list.items().isEmpty()) {
            list.items().forEach(item -> lossList.add(loss(item)));
            loss = lossList.get(0);
        } else if (lossValue instanceof PyLiteral.DictLit dict && !dict.entries().isEmpty()) {
            for (PyLiteral.DictEntry e : dict.entries()) {
                String output = name(COMPILE, "loss output name", e.key(), "loss={'out': 'categorical_crossentropy'}");
                if (lossDict.put(output, loss(e.value())) != null) {
                    throw new IllegalArgumentException("compile_params: loss names output '" + output + "' twice; name each output once");
                }
            }
            loss = new java.util.TreeMap<>(lossDict).firstEntry().getValue();
        } else {
            loss = loss(lossValue);
        }
        int[] topK = {CompileParams.KERAS_TOP_K};
        List<Metric> metrics = metricList("metrics", pairs.get("metrics"), topK);
        if (metrics.size() > 1) {
            throw new IllegalArgumentException("compile_params: metrics=" + pairs.get("metrics").render() + " lists "
                    + metrics.size() + " metrics; MADlib reports one metric per model, keep one, e.g. metrics=['"
                    + metrics.get(0).kerasName() + "']");
        }
        List<Metric> weighted = metricList("weighted_metrics", pairs.get("weighted_metrics"), topK);
        PyLiteral weightsValue = pairs.get("loss_weights");
        Map<String, Double> weightDict = new LinkedHashMap<>();
        List<Double> lossWeights = List.of();
        if (weightsValue instanceof PyLiteral.DictLit dict) {
            for (PyLiteral.DictEntry e : dict.entries()) {
                String output = name(COMPILE, "loss_weights output name", e.key(), "loss_weights={'out': 1.0}");
                if (weightDict.put(output, number(COMPILE, "loss_weights entry", e.value(), "loss_weights={'out': 1.0}")) != null) {
                    throw new IllegalArgumentException("compile_params: loss_weights names output '" + output + "' twice; name each output once");
                }
            }
        } else {
            lossWeights = lossWeights(weightsValue);
        }
        Optional<String> mode = sampleWeightMode(pairs.get("sample_weight_mode"));
        return new CompileParams(optimizer, loss, metrics, lossWeights, weighted, mode, lossList, lossDict, weightDict, topK[0]);
    }

    /**
     * Parses a fit_params string, e.g. {@code batch_size=32, epochs=1}; an empty string means Keras's defaults
     * ({@link FitParams#defaults()}).
     *
     * @throws IllegalArgumentException when the string breaks the grammar or a rule, with a one-line message
     */
    public static FitParams parseFit(String text) {
        Map<String, PyLiteral> pairs = pairs(FIT, text, FIT_KEYS);
        FitParams defaults = FitParams.defaults();
        int batchSize = pairs.containsKey("batch_size") ? integer(FIT, "batch_size", pairs.get("batch_size"), "batch_size=32") : defaults.batchSize();
        int epochs = pairs.containsKey("epochs") ? integer(FIT, "epochs", pairs.get("epochs"), "epochs=1") : defaults.epochs();
        int verbose = pairs.containsKey("verbose") ? integer(FIT, "verbose", pairs.get("verbose"), "verbose=0") : defaults.verbose();
        PyLiteral shuffleValue = pairs.get("shuffle");
        boolean shuffleBatches = shuffleValue instanceof PyLiteral.Name n && n.name().equals("batch");
        if (shuffleValue instanceof PyLiteral.Name n && !shuffleBatches) {
            throw new IllegalArgumentException("fit_params: shuffle='" + n.name() + "' is not a shuffle mode; use shuffle=True, False or 'batch'");
        }
        boolean shuffle = shuffleBatches || (shuffleValue != null ? bool(FIT, "shuffle", shuffleValue, "shuffle=True") : defaults.shuffle());
        int initialEpoch = pairs.containsKey("initial_epoch")
                ? integer(FIT, "initial_epoch", pairs.get("initial_epoch"), "initial_epoch=0") : defaults.initialEpoch();
        PyLiteral steps = pairs.get("steps_per_epoch");
        OptionalInt stepsPerEpoch = steps == null || steps instanceof PyLiteral.NoneLit
                ? OptionalInt.empty() : OptionalInt.of(integer(FIT, "steps_per_epoch", steps, "steps_per_epoch=10"));
        List<PyLiteral.Call> callbacks = callbacks(pairs.get("callbacks"));
        return new FitParams(batchSize, epochs, verbose, shuffle, classWeight(pairs.get("class_weight")), initialEpoch,
                stepsPerEpoch, tensorBoard(callbacks), shuffleBatches, earlyStopping(callbacks));
    }

    // ------------------------------------------------------------ top level

    /** The pairs of a string, top-level quoted values unwrapped, keys checked; a repeated key is refused. */
    private static Map<String, PyLiteral> pairs(String kind, String text, List<String> accepted) {
        if (text == null) {
            throw new IllegalArgumentException(kind + ": the parameter string is null; pass a string of key=value pairs");
        }
        Map<String, PyLiteral> pairs = new LinkedHashMap<>();
        for (PyLiteral.KeywordArg pair : LiteralParser.parsePairs(kind, text)) {
            checkKey(kind, pair.key(), accepted);
            PyLiteral value = pair.value();
            if (value instanceof PyLiteral.Str quoted) {
                value = LiteralParser.parseValue(kind, pair.key(), quoted.value());
            }
            if (pairs.put(pair.key(), value) != null) {
                throw new IllegalArgumentException(kind + ": key '" + pair.key() + "' appears twice in \""
                        + LiteralParser.oneLine(text) + "\"; give each key once (MADlib's Python would keep the last"
                        + " silently; Hopper refuses instead)");
            }
        }
        return pairs;
    }

    private static void checkKey(String kind, String key, List<String> accepted) {
        if (accepted.contains(key)) {
            return;
        }
        if (VALIDATION_KEYS.contains(key)) {
            throw new IllegalArgumentException(kind + ": " + key + " is not accepted: Hopper takes validation data from"
                    + " the validation table (--validation-table), not from fit_params; remove " + key);
        }
        if (key.equals("sample_weight")) {
            throw new IllegalArgumentException(kind + ": sample_weight is not accepted: packed training buffers carry no"
                    + " per-sample weights (validation data comes from --validation-table); remove it or use class_weight");
        }
        throw new IllegalArgumentException(kind + ": unknown key '" + key + "'; use only " + String.join(", ", accepted));
    }

    // ------------------------------------------------------------ compile

    private static OptimizerSpec optimizer(PyLiteral value) {
        String written;
        List<PyLiteral.KeywordArg> args;
        if (value instanceof PyLiteral.Name name) {
            written = name.name();
            args = List.of();
        } else if (value instanceof PyLiteral.Call call) {
            written = call.name();
            args = call.args();
        } else {
            throw new IllegalArgumentException("compile_params: optimizer=" + value.render() + " is " + value.describe()
                    + ", not an optimizer; write optimizer='Adam' or optimizer='Adam(lr=0.001)'");
        }
        String name = OPTIMIZERS.stream().filter(o -> o.equalsIgnoreCase(written)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("compile_params: unknown optimizer '" + written
                        + "'; use one of " + String.join(", ", OPTIMIZERS)));
        OptimizerArgs a = new OptimizerArgs(name, args);
        return switch (name) {
            case "SGD" -> new OptimizerSpec.Sgd(a.num("lr", 0.01), a.num("momentum", 0.0), a.bool("nesterov", false),
                    a.num("decay", 0.0));
            case "Adam" -> new OptimizerSpec.Adam(a.num("lr", 0.001), a.num("beta_1", 0.9), a.num("beta_2", 0.999),
                    a.num("epsilon", 1e-7), a.bool("amsgrad", false), a.num("decay", 0.0));
            case "AdamW" -> new OptimizerSpec.AdamW(a.num("lr", 0.001), a.num("weight_decay", 0.004), a.num("beta_1", 0.9),
                    a.num("beta_2", 0.999), a.num("epsilon", 1e-7), a.bool("amsgrad", false));
            case "RMSprop" -> new OptimizerSpec.RmsProp(a.num("lr", 0.001), a.num("rho", 0.9), a.num("epsilon", 1e-7),
                    a.num("decay", 0.0));
            case "Adagrad" -> new OptimizerSpec.Adagrad(a.num("lr", 0.01), a.num("epsilon", 1e-7), a.num("decay", 0.0));
            case "Adadelta" -> new OptimizerSpec.Adadelta(a.num("lr", 1.0), a.num("rho", 0.95), a.num("epsilon", 1e-7),
                    a.num("decay", 0.0));
            case "Adamax" -> new OptimizerSpec.Adamax(a.num("lr", 0.002), a.num("beta_1", 0.9), a.num("beta_2", 0.999),
                    a.num("epsilon", 1e-7), a.num("decay", 0.0));
            case "Nadam" -> new OptimizerSpec.Nadam(a.num("lr", 0.002), a.num("beta_1", 0.9), a.num("beta_2", 0.999),
                    a.num("epsilon", 1e-7), a.num("schedule_decay", 0.004));
            default -> throw new IllegalStateException("optimizer " + name + " is listed but has no settings");
        };
    }

    /** The keys each optimizer accepts (learning_rate is read as lr). */
    private static List<String> optimizerKeys(String name) {
        return switch (name) {
            case "SGD" -> List.of("lr", "momentum", "nesterov", "decay");
            case "Adam" -> List.of("lr", "beta_1", "beta_2", "epsilon", "amsgrad", "decay");
            case "AdamW" -> List.of("lr", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad");
            case "RMSprop", "Adadelta" -> List.of("lr", "rho", "epsilon", "decay");
            case "Adagrad" -> List.of("lr", "epsilon", "decay");
            case "Adamax" -> List.of("lr", "beta_1", "beta_2", "epsilon", "decay");
            case "Nadam" -> List.of("lr", "beta_1", "beta_2", "epsilon", "schedule_decay");
            default -> throw new IllegalStateException("optimizer " + name + " is listed but has no settings");
        };
    }

    /** The keyword arguments of one optimizer call, checked against the keys it accepts. */
    private static final class OptimizerArgs {
        private final String optimizer;
        private final Map<String, PyLiteral> args = new LinkedHashMap<>();

        OptimizerArgs(String optimizer, List<PyLiteral.KeywordArg> given) {
            this.optimizer = optimizer;
            List<String> keys = optimizerKeys(optimizer);
            for (PyLiteral.KeywordArg arg : given) {
                String key = arg.key().equals("learning_rate") ? "lr" : arg.key();
                if (KERAS3_OPTIMIZER_ARGS.containsKey(key) && !keys.contains(key)) {
                    boolean atDefault = key.equals("name") || arg.value() instanceof PyLiteral.NoneLit
                            || arg.value() instanceof PyLiteral.Bool b && !b.value() || KERAS3_OPTIMIZER_ARGS.get(key).isEmpty();
                    if (!atDefault) {
                        throw new IllegalArgumentException("compile_params: optimizer " + optimizer + " " + key + "=" + arg.value().render()
                                + " (" + KERAS3_OPTIMIZER_ARGS.get(key) + ") is not supported; remove it");
                    }
                    continue;
                }
                if (key.equals("weight_decay") && !keys.contains(key)) {
                    throw new IllegalArgumentException("compile_params: optimizer " + optimizer + " weight_decay=" + arg.value().render()
                            + " is not supported on " + optimizer + "; use optimizer='AdamW(weight_decay=...)' or remove it");
                }
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException("compile_params: optimizer " + optimizer + " has no setting '"
                            + arg.key() + "'; use only " + String.join(", ", keys).replace("lr", "lr (or learning_rate)"));
                }
                if (args.put(key, arg.value()) != null) {
                    throw new IllegalArgumentException("compile_params: optimizer " + optimizer + " sets " + key
                            + (key.equals("lr") ? " (lr or learning_rate)" : "") + " twice; keep one " + key + "=...");
                }
            }
        }

        double num(String key, double keras) {
            PyLiteral value = args.get(key);
            if (value == null || (key.equals("epsilon") && value instanceof PyLiteral.NoneLit)) {
                return keras;
            }
            return number(COMPILE, optimizer + " " + key, value, key + "=" + PyFormat.number(keras));
        }

        boolean bool(String key, boolean keras) {
            PyLiteral value = args.get(key);
            return value == null ? keras : ParamParser.bool(COMPILE, optimizer + " " + key, value, key + "=" + PyFormat.bool(!keras));
        }
    }

    private static Loss loss(PyLiteral value) {
        String name = name(COMPILE, "loss", value, "loss='categorical_crossentropy'");
        rejectSparse("loss", name);
        return Arrays.stream(Loss.values()).filter(l -> l.names().contains(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("compile_params: unknown loss '" + name + "'; use one of "
                        + Arrays.stream(Loss.values()).flatMap(l -> l.names().stream()).collect(Collectors.joining(", "))));
    }

    /** MADlib's registered spelling of top_k_categorical_accuracy with k = N. */
    private static final java.util.regex.Pattern TOP_N = java.util.regex.Pattern.compile("top_([0-9]+)_accuracy");

    /** The metrics of a list; a top_N_accuracy entry sets topK[0] (one k per compile_params). */
    private static List<Metric> metricList(String key, PyLiteral value, int[] topK) {
        if (value == null || value instanceof PyLiteral.NoneLit) {
            return List.of();
        }
        if (value instanceof PyLiteral.DictLit) {
            throw new IllegalArgumentException("compile_params: " + key + "=" + value.render() + " is a dict of metrics per"
                    + " output; Hopper's models have one output, use a list, e.g. " + key + "=['accuracy']");
        }
        if (!(value instanceof PyLiteral.ListLit list)) {
            throw new IllegalArgumentException("compile_params: " + key + "=" + value.render() + " is " + value.describe()
                    + ", not a list; write " + key + "=['accuracy']");
        }
        List<Metric> metrics = new ArrayList<>();
        for (PyLiteral item : list.items()) {
            String name = name(COMPILE, key + " entry", item, key + "=['accuracy']");
            rejectSparse(key, name);
            java.util.regex.Matcher topN = TOP_N.matcher(name);
            if (topN.matches()) {
                int k;
                try {
                    k = Integer.parseInt(topN.group(1));
                } catch (NumberFormatException e) {
                    k = 0;
                }
                if (k < 1 || topK[0] != CompileParams.KERAS_TOP_K && topK[0] != k) {
                    throw new IllegalArgumentException("compile_params: " + key + " '" + name + "' needs one N >= 1 per compile_params;"
                            + " use e.g. top_3_accuracy");
                }
                topK[0] = k;
                metrics.add(Metric.TOP_K_CATEGORICAL_ACCURACY);
                continue;
            }
            metrics.add(Arrays.stream(Metric.values()).filter(m -> m.names().contains(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("compile_params: unknown metric '" + name + "' in " + key
                            + "; use one of " + Arrays.stream(Metric.values()).flatMap(m -> m.names().stream())
                            .collect(Collectors.joining(", ")) + ", top_N_accuracy")));
        }
        return metrics;
    }

    private static void rejectSparse(String key, String name) {
        if (name.startsWith("sparse_")) {
            String dense = name.substring("sparse_".length());
            throw new IllegalArgumentException("compile_params: " + key + " '" + name + "' is not supported: Hopper's"
                    + " labels are one-hot encoded (sparse losses and metrics expect class indices); use '" + dense + "'");
        }
    }

    private static List<Double> lossWeights(PyLiteral value) {
        if (value == null || value instanceof PyLiteral.NoneLit) {
            return List.of();
        }
        if (!(value instanceof PyLiteral.ListLit list)) {
            throw new IllegalArgumentException("compile_params: loss_weights=" + value.render() + " is " + value.describe()
                    + ", not a list; write loss_weights=[1.0]");
        }
        return list.items().stream().map(item -> number(COMPILE, "loss_weights entry", item, "loss_weights=[1.0]")).toList();
    }

    private static Optional<String> sampleWeightMode(PyLiteral value) {
        if (value == null || value instanceof PyLiteral.NoneLit) {
            return Optional.empty();
        }
        return Optional.of(name(COMPILE, "sample_weight_mode", value, "sample_weight_mode='temporal'"));
    }

    // ------------------------------------------------------------ fit

    private static Map<Integer, Double> classWeight(PyLiteral value) {
        if (value == null || value instanceof PyLiteral.NoneLit) {
            return Map.of();
        }
        if (!(value instanceof PyLiteral.DictLit dict)) {
            throw new IllegalArgumentException("fit_params: class_weight=" + value.render() + " is " + value.describe()
                    + ", not a dict; write class_weight={0: 1.0, 1: 2.0}");
        }
        Map<Integer, Double> weights = new LinkedHashMap<>();
        for (PyLiteral.DictEntry entry : dict.entries()) {
            int label = integer(FIT, "class_weight key", entry.key(), "class_weight={0: 1.0, 1: 2.0}");
            weights.put(label, number(FIT, "class_weight value for class " + label, entry.value(), "class_weight={0: 1.0, 1: 2.0}"));
        }
        return weights;
    }

    private static final String CALLBACKS_FIX = "; use callbacks=[TensorBoard(log_dir='/tmp/logs/fit')], "
            + "callbacks=[EarlyStopping(monitor='val_loss', patience=2)], both, or leave callbacks out";

    /** The callbacks list: calls of TensorBoard and EarlyStopping, at most one of each. */
    private static List<PyLiteral.Call> callbacks(PyLiteral value) {
        if (value == null || value instanceof PyLiteral.NoneLit) {
            return List.of();
        }
        if (!(value instanceof PyLiteral.ListLit list)) {
            throw new IllegalArgumentException("fit_params: callbacks=" + value.render() + " is " + value.describe()
                    + ", not a list" + CALLBACKS_FIX);
        }
        List<PyLiteral.Call> calls = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (PyLiteral item : list.items()) {
            if (!(item instanceof PyLiteral.Call call) || !List.of("TensorBoard", "EarlyStopping").contains(call.name())) {
                throw new IllegalArgumentException("fit_params: callback " + item.render() + " is not supported: Hopper accepts"
                        + " a TensorBoard callback with a log_dir and an EarlyStopping callback" + CALLBACKS_FIX);
            }
            if (!seen.add(call.name())) {
                throw new IllegalArgumentException("fit_params: callbacks=" + value.render() + " lists " + call.name() + " twice; keep one"
                        + CALLBACKS_FIX);
            }
            calls.add(call);
        }
        return calls;
    }

    private static Optional<String> tensorBoard(List<PyLiteral.Call> callbacks) {
        PyLiteral.Call call = callbacks.stream().filter(c -> c.name().equals("TensorBoard")).findFirst().orElse(null);
        if (call == null) {
            return Optional.empty();
        }
        if (call.args().size() != 1 || !call.args().get(0).key().equals("log_dir")) {
            throw new IllegalArgumentException("fit_params: callback " + call.render() + " must set log_dir and nothing"
                    + " else" + CALLBACKS_FIX);
        }
        PyLiteral dir = call.args().get(0).value();
        if (!(dir instanceof PyLiteral.Str path)) {
            throw new IllegalArgumentException("fit_params: TensorBoard log_dir=" + dir.render() + " is " + dir.describe()
                    + ", not a quoted path" + CALLBACKS_FIX);
        }
        return Optional.of(path.value());
    }

    /** Keras's EarlyStopping(monitor, min_delta, patience, mode, verbose); the settings Hopper cannot honour are refused by name. */
    private static Optional<EarlyStopping> earlyStopping(List<PyLiteral.Call> callbacks) {
        PyLiteral.Call call = callbacks.stream().filter(c -> c.name().equals("EarlyStopping")).findFirst().orElse(null);
        if (call == null) {
            return Optional.empty();
        }
        String monitor = "val_loss";
        double minDelta = 0;
        int patience = 0;
        String mode = "auto";
        String key = "EarlyStopping";
        for (PyLiteral.KeywordArg arg : call.args()) {
            PyLiteral v = arg.value();
            switch (arg.key()) {
                case "monitor" -> monitor = name(FIT, key + " monitor", v, "monitor='val_loss'");
                case "min_delta" -> minDelta = Math.abs(number(FIT, key + " min_delta", v, "min_delta=0.01"));
                case "patience" -> patience = integer(FIT, key + " patience", v, "patience=2");
                case "mode" -> mode = name(FIT, key + " mode", v, "mode='min'");
                case "verbose" -> integer(FIT, key + " verbose", v, "verbose=0");
                case "baseline" -> {
                    if (!(v instanceof PyLiteral.NoneLit)) {
                        throw new IllegalArgumentException("fit_params: EarlyStopping baseline=" + v.render() + " is not supported; remove it");
                    }
                }
                case "restore_best_weights" -> {
                    if (bool(FIT, key + " restore_best_weights", v, "restore_best_weights=False")) {
                        throw new IllegalArgumentException("fit_params: EarlyStopping restore_best_weights=True is not supported (O keeps the"
                                + " last weights); remove it");
                    }
                }
                case "start_from_epoch" -> {
                    if (integer(FIT, key + " start_from_epoch", v, "start_from_epoch=0") != 0) {
                        throw new IllegalArgumentException("fit_params: EarlyStopping start_from_epoch=" + v.render() + " is not supported; remove it");
                    }
                }
                default -> throw new IllegalArgumentException("fit_params: EarlyStopping has no setting '" + arg.key()
                        + "'; use monitor, min_delta, patience, mode, verbose, baseline=None, restore_best_weights=False");
            }
        }
        boolean higher = switch (mode) {
            case "min" -> false;
            case "max" -> true;
            case "auto" -> EarlyStopping.autoHigherIsBetter(monitor);
            default -> throw new IllegalArgumentException("fit_params: EarlyStopping mode='" + mode + "' is unknown; use 'min', 'max' or 'auto'");
        };
        return Optional.of(new EarlyStopping(monitor, minDelta, patience, higher));
    }

    // ------------------------------------------------------------ typed values

    /**
     * A finite number (integer or float literal), with -0.0 read as 0.0.
     *
     * @param key what the value is, for messages, e.g. "Adam lr"
     * @param example a correct setting for the message's fix, e.g. "lr=0.001"
     */
    static double number(String kind, String key, PyLiteral value, String example) {
        if (!(value instanceof PyLiteral.Num num)) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + value.render() + " is " + value.describe()
                    + ", not a number literal (values are never evaluated); write a number, e.g. " + example);
        }
        double parsed = Double.parseDouble(num.text()) + 0.0;
        if (!Double.isFinite(parsed)) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + num.text() + " overflows a double; write a number"
                    + " of magnitude below 1.8e308, e.g. " + example);
        }
        return parsed;
    }

    /** A whole-number literal that fits an int; key and example as for {@link #number}. */
    static int integer(String kind, String key, PyLiteral value, String example) {
        String fix = "; write a whole number, e.g. " + example;
        if (!(value instanceof PyLiteral.Num num)) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + value.render() + " is " + value.describe()
                    + ", not an integer literal (values are never evaluated)" + fix);
        }
        if (!num.integral()) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + num.text() + " is not a whole number" + fix);
        }
        try {
            return Integer.parseInt(num.text());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + num.text() + " does not fit a 32-bit integer" + fix, e);
        }
    }

    /** True or False; key and example as for {@link #number}. */
    static boolean bool(String kind, String key, PyLiteral value, String example) {
        if (!(value instanceof PyLiteral.Bool b)) {
            throw new IllegalArgumentException(kind + ": " + key + "=" + value.render() + " is " + value.describe()
                    + ", not True or False; write e.g. " + example);
        }
        return b.value();
    }

    /** A name written bare or quoted, e.g. accuracy or 'accuracy'; key and example as for {@link #number}. */
    static String name(String kind, String key, PyLiteral value, String example) {
        if (value instanceof PyLiteral.Name n) {
            return n.name();
        }
        if (value instanceof PyLiteral.Str s) {
            return s.value();
        }
        throw new IllegalArgumentException(kind + ": " + key + "=" + value.render() + " is " + value.describe()
                + ", not a name; write e.g. " + example);
    }
}
