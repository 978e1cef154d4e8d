package io.hopper.model.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The compile_params_grid and fit_params_grid of MADlib's generate_model_configs, parsed with the literal grammar
 * (never evaluated), and the model selection rows that grid search or random search draws from them.
 *
 * <p>A grid is a dict literal whose values are lists of choices, e.g.
 * {@code {'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam', 'SGD'],
 * 'lr': [0.0001, 0.1]}], 'metrics': ['accuracy']}} and {@code {'batch_size': [8, 32], 'epochs': [1]}}. Each dict
 * of optimizer_params_list must name its optimizer(s) under 'optimizer'; its other keys are that optimizer's
 * settings and must not also appear at the top level. Each element of 'metrics' is one configuration's metric.
 * In random search a list {@code [lo, hi, 'linear'|'log'|'log_near_one']} of an optimizer setting is a
 * distribution: uniform on [lo, hi); 10^U(log10 lo, log10 hi); 1 - 10^U(log10(1-hi), log10(1-lo)). So is
 * {@code [lo, hi, 'linear'|'log']} of fit_params' batch_size or epochs, from which it draws integers (lo..hi uniformly,
 * or the nearest integer to a log-uniform draw).
 * Every configuration drawn is checked by {@link ParamParser} and stored in canonical form.
 */
public final class ConfigGrid {
    /** The most configurations one search may make (grid combinations or random draws), like Hyperband's cap on R. */
    public static final int MAX_CONFIGS = 100_000;

    private static final String FUNCTION = "generate_model_configs";
    private static final String COMPILE = "compile_params_grid";
    private static final String FIT = "fit_params_grid";
    private static final String OPTIMIZER_PARAMS_LIST = "optimizer_params_list";
    /** The search-space dimension of the model id. */
    public static final String MODEL_ID = "model_id";

    /** The fit_params settings that random search may draw from an integer distribution, as MADlib does. */
    private static final List<String> INTEGER_FIT_KEYS = List.of("batch_size", "epochs");

    /** One key=value setting of a drawn configuration, the value in Python syntax. */
    private record Setting(String key, String text) {
    }

    /** One grid key with its discrete choices, or (random search only) a distribution. */
    private record Choices(String key, List<PyLiteral> values, Optional<SearchSpace.Real> distribution, boolean integral) {
        Choices {
            values = List.copyOf(values);
        }

        List<Setting> all() {
            return values.stream().map(this::setting).toList();
        }

        /** The dimension of a search space: the distribution, or the choices (with their numbers when all are). */
        SearchSpace.Domain domain() {
            if (distribution.isPresent()) {
                return distribution.get();
            }
            List<Double> numbers = new ArrayList<>();
            for (PyLiteral v : values) {
                if (v instanceof PyLiteral.Num n) {
                    try {
                        numbers.add(Double.parseDouble(n.text().replace("_", "")));
                    } catch (NumberFormatException e) {
                        break; // a number Java does not read (e.g. 0x10): the choices are labels only
                    }
                }
            }
            return new SearchSpace.Categorical(values.stream().map(PyLiteral::render).toList(),
                    numbers.size() == values.size() ? numbers : List.of());
        }

        /** The setting a search-space point gives dimension {@code name}. */
        Setting at(SearchSpace.Point point, String name) {
            if (distribution.isEmpty()) {
                return setting(values.get(point.choice(name)));
            }
            double v = point.get(name);
            // an integer setting (batch_size, epochs) takes the nearest integer of its distribution's draw
            return new Setting(key, integral ? Long.toString(Math.max((long) distribution.get().lo(),
                    Math.min((long) distribution.get().hi(), Math.round(v)))) : PyFormat.number(v));
        }

        String written() {
            return new PyLiteral.ListLit(values).render();
        }

        private Setting setting(PyLiteral value) {
            boolean wrap = key.equals("metrics") && !(value instanceof PyLiteral.ListLit);
            return new Setting(key, wrap ? "[" + value.render() + "]" : value.render());
        }
    }

    /** The top-level entries of compile_params_grid: a key's choices, or the optimizer_params_list dicts. */
    private sealed interface Slot permits Plain, Optimizers {
        List<Setting> all();
    }

    private record Plain(Choices choices) implements Slot {
        public List<Setting> all() {
            return choices.all();
        }
    }

    private record Optimizers(List<List<Choices>> dicts) implements Slot {
        Optimizers {
            dicts = dicts.stream().map(List::copyOf).toList();
        }

        public List<Setting> all() {
            return dicts.stream().flatMap(d -> product(d.stream().map(Choices::all).toList()).stream())
                    .map(Optimizers::call).toList();
        }

        /** The dimension of dict {@code d}'s setting {@code key} in a search space. */
        static String dimension(int d, String key) {
            return OPTIMIZER_PARAMS_LIST + "[" + d + "]." + key;
        }

        /** optimizer=Name(k=v, ...) from the settings of one optimizer_params_list dict. */
        private static Setting call(List<Setting> settings) {
            String name = settings.stream().filter(s -> s.key().equals("optimizer")).findFirst().orElseThrow().text();
            String args = settings.stream().filter(s -> !s.key().equals("optimizer"))
                    .map(s -> s.key() + "=" + s.text()).collect(Collectors.joining(", "));
            String bare = name.startsWith("'") || name.startsWith("\"") ? name.substring(1, name.length() - 1) : name;
            return new Setting("optimizer", bare + "(" + args + ")");
        }
    }

    private final List<Slot> compile;
    private final List<Choices> fit;

    private ConfigGrid(List<Slot> compile, List<Choices> fit) {
        this.compile = List.copyOf(compile);
        this.fit = List.copyOf(fit);
    }

    /**
     * Parses the two grids.
     *
     * @param compileParamsGrid the compile_params_grid dict literal
     * @param fitParamsGrid the fit_params_grid dict literal; "{}" means Keras's fit defaults
     * @throws IllegalArgumentException when a grid is not a dict of non-empty lists, a distribution is malformed or
     *     out of place, or optimizer_params_list breaks its rules
     */
    public static ConfigGrid parse(String compileParamsGrid, String fitParamsGrid) {
        Map<String, PyLiteral> compileDict = dict(COMPILE, compileParamsGrid);
        List<Slot> compile = new ArrayList<>();
        for (Map.Entry<String, PyLiteral> e : compileDict.entrySet()) {
            if (e.getKey().equals(OPTIMIZER_PARAMS_LIST)) {
                compile.add(optimizers(e.getValue(), compileDict.keySet()));
            } else {
                compile.add(new Plain(choices(COMPILE, e.getKey(), e.getValue(), false)));
            }
        }
        List<Choices> fit = dict(FIT, fitParamsGrid).entrySet().stream()
                .map(e -> choices(FIT, e.getKey(), e.getValue(), INTEGER_FIT_KEYS.contains(e.getKey()))).toList();
        return new ConfigGrid(compile, fit);
    }

    /**
     * Grid search: every combination of the grids' choices with every model id, de-duplicated by parsed
     * settings, ordered by model id, then compile combination, then fit combination (each combination in the
     * order of itertools.product over the keys as written), numbered from mst_key 1.
     *
     * @throws IllegalArgumentException when a grid holds a distribution, a model id is unknown, or a combination
     *     is not valid compile_params or fit_params
     */
    public List<MstEntry> gridSearch(Set<Integer> knownModelIds, List<Integer> modelIds) {
        List<Integer> ids = ModelSelection.checkModelIds(FUNCTION, knownModelIds, modelIds);
        for (Choices c : allChoices()) {
            c.distribution().ifPresent(d -> {
                throw new IllegalArgumentException(FUNCTION + ": grid search cannot sample the distribution " + c.key() + "="
                        + c.written() + "; list the values to try, e.g. " + c.key() + "=[0.001, 0.01], or use random search");
            });
        }
        long combinations = ids.size();
        for (List<Setting> options : compile.stream().map(Slot::all).toList()) {
            combinations = Math.min(Long.MAX_VALUE / 2, combinations * options.size());
        }
        for (List<Setting> options : fit.stream().map(Choices::all).toList()) {
            combinations = Math.min(Long.MAX_VALUE / 2, combinations * options.size());
        }
        if (combinations > MAX_CONFIGS) {
            throw new IllegalArgumentException(FUNCTION + ": the grids make " + (combinations >= Long.MAX_VALUE / 2 ? "too many"
                    : combinations) + " combinations with the model ids, more than " + MAX_CONFIGS
                    + "; list fewer values, or use random search with num_configs");
        }
        List<String> compiles = product(compile.stream().map(Slot::all).toList()).stream()
                .map(s -> canonical(COMPILE, s, t -> ParamParser.parseCompile(t).canonical())).distinct().toList();
        List<String> fits = product(fit.stream().map(Choices::all).toList()).stream()
                .map(s -> canonical(FIT, s, t -> ParamParser.parseFit(t).canonical())).distinct().toList();
        List<MstEntry> rows = new ArrayList<>();
        for (int id : ids) {
            for (String c : compiles) {
                for (String f : fits) {
                    rows.add(new MstEntry(rows.size() + 1, id, c, f));
                }
            }
        }
        return List.copyOf(rows);
    }

    /**
     * Random search: numConfigs draws, each a model id, one choice (or one sample of a distribution) per key, and
     * one optimizer_params_list dict with one choice per setting; all from a {@link Random} seeded with seed,
     * in the order: model id, compile keys as written, fit keys as written. Draws that repeat an earlier
     * configuration are dropped, so fewer than numConfigs rows may come back; rows are numbered from mst_key 1.
     *
     * @throws IllegalArgumentException when numConfigs is below 1, a model id is unknown, or a draw is not valid
     *     compile_params or fit_params
     */
    public List<MstEntry> randomSearch(Set<Integer> knownModelIds, List<Integer> modelIds, int numConfigs, long seed) {
        if (numConfigs < 1 || numConfigs > MAX_CONFIGS) {
            throw new IllegalArgumentException(FUNCTION + ": num_configs=" + numConfigs
                    + " must be between 1 and " + MAX_CONFIGS + " for random search; use e.g. num_configs=20");
        }
        SearchSpace space = space(knownModelIds, modelIds);
        Random random = new Random(seed);
        List<MstEntry> rows = new ArrayList<>();
        for (int i = 0; i < numConfigs; i++) {
            rows.add(space.entry(space.sample(random)));
        }
        return ModelSelection.numberDistinct(rows);
    }

    /**
     * The grids as a search space over {@code modelIds}: dimension {@code model_id} (the ids in the order given), one
     * per compile key as written ({@code optimizer_params_list}: which dict, then each dict's settings, named
     * {@code optimizer_params_list[d].key} and active when dict d is chosen), then one per fit key. A distribution is a
     * {@link SearchSpace.Real} dimension, everything else a {@link SearchSpace.Categorical} one.
     *
     * @throws IllegalArgumentException when a model id is unknown
     */
    public SearchSpace space(Set<Integer> knownModelIds, List<Integer> modelIds) {
        List<Integer> ids = ModelSelection.checkModelIds(FUNCTION, knownModelIds, modelIds);
        List<SearchSpace.Dimension> dims = new ArrayList<>();
        dims.add(new SearchSpace.Dimension(MODEL_ID, MODEL_ID, new SearchSpace.Categorical(ids.stream().map(String::valueOf)
                .toList(), ids.stream().map(Integer::doubleValue).toList()), Optional.empty(), false));
        for (Slot slot : compile) {
            if (slot instanceof Plain plain) {
                Choices c = plain.choices();
                dims.add(new SearchSpace.Dimension(c.key(), c.key(), c.domain(), Optional.empty(), false));
            } else if (slot instanceof Optimizers optimizers) {
                List<String> labels = optimizers.dicts().stream().map(d -> d.stream().map(c -> "'" + c.key() + "': " + c.written())
                        .collect(Collectors.joining(", ", "{", "}"))).toList();
                dims.add(new SearchSpace.Dimension(OPTIMIZER_PARAMS_LIST, OPTIMIZER_PARAMS_LIST,
                        new SearchSpace.Categorical(labels, List.of()), Optional.empty(), false));
                for (int d = 0; d < optimizers.dicts().size(); d++) {
                    for (Choices c : optimizers.dicts().get(d)) {
                        dims.add(new SearchSpace.Dimension(Optimizers.dimension(d, c.key()), c.key(), c.domain(),
                                Optional.of(new SearchSpace.Condition(OPTIMIZER_PARAMS_LIST, d)), !c.key().equals("optimizer")));
                    }
                }
            }
        }
        for (Choices c : fit) {
            dims.add(new SearchSpace.Dimension(c.key(), c.key(), c.domain(), Optional.empty(), false));
        }
        return new SearchSpace(dims, point -> render(point, ids));
    }

    /** The mst row (numbered 1) of a search-space point. */
    private MstEntry render(SearchSpace.Point point, List<Integer> ids) {
        int id = ids.get(point.choice(MODEL_ID));
        List<Setting> c = new ArrayList<>();
        for (Slot slot : compile) {
            if (slot instanceof Plain plain) {
                c.add(plain.choices().at(point, plain.choices().key()));
            } else if (slot instanceof Optimizers optimizers) {
                int d = point.choice(OPTIMIZER_PARAMS_LIST);
                c.add(Optimizers.call(optimizers.dicts().get(d).stream().map(ch -> ch.at(point, Optimizers.dimension(d, ch.key())))
                        .toList()));
            }
        }
        List<Setting> f = fit.stream().map(ch -> ch.at(point, ch.key())).toList();
        return new MstEntry(1, id, canonical(COMPILE, c, t -> ParamParser.parseCompile(t).canonical()),
                canonical(FIT, f, t -> ParamParser.parseFit(t).canonical()));
    }

    private List<Choices> allChoices() {
        List<Choices> all = new ArrayList<>(fit);
        for (Slot slot : compile) {
            if (slot instanceof Plain plain) {
                all.add(plain.choices());
            } else if (slot instanceof Optimizers optimizers) {
                optimizers.dicts().forEach(all::addAll);
            }
        }
        return all;
    }

    /** The canonical form of one drawn configuration, or an error naming the string drawn. */
    private static String canonical(String grid, List<Setting> settings, Function<String, String> parse) {
        String text = settings.stream().map(s -> s.key() + "=" + s.text()).collect(Collectors.joining(", "));
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " gives the invalid configuration \""
                    + LiteralParser.oneLine(text) + "\": " + e.getMessage(), e);
        }
    }

    /** Every combination, one element from each list, the first list varying slowest. */
    private static List<List<Setting>> product(List<List<Setting>> lists) {
        List<List<Setting>> combos = List.of(List.of());
        for (List<Setting> options : lists) {
            List<List<Setting>> next = new ArrayList<>();
            for (List<Setting> combo : combos) {
                for (Setting option : options) {
                    List<Setting> longer = new ArrayList<>(combo);
                    longer.add(option);
                    next.add(longer);
                }
            }
            combos = next;
        }
        return combos;
    }

    // ------------------------------------------------------------ parsing

    /** The entries of a dict literal by key, the last of a repeated key winning (as in Python). */
    private static Map<String, PyLiteral> dict(String grid, String text) {
        if (text == null) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " is null; pass a dict literal such as "
                    + (grid.equals(FIT) ? "{'batch_size': [32]}" : "{'loss': ['mse'], 'optimizer': ['SGD']}"));
        }
        PyLiteral value = LiteralParser.parseValue(grid, grid, text);
        if (!(value instanceof PyLiteral.DictLit dict)) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " is " + value.describe() + ", not a dict;"
                    + " write a dict of lists such as {'batch_size': [8, 32], 'epochs': [1]}");
        }
        Map<String, PyLiteral> entries = new LinkedHashMap<>();
        for (PyLiteral.DictEntry entry : dict.entries()) {
            entries.put(ParamParser.name(grid, "key", entry.key(), "{'batch_size': [32]}"), entry.value());
        }
        return entries;
    }

    private static Optimizers optimizers(PyLiteral value, Set<String> topLevelKeys) {
        String where = COMPILE + " " + OPTIMIZER_PARAMS_LIST;
        if (!(value instanceof PyLiteral.ListLit list) || list.items().isEmpty()) {
            throw new IllegalArgumentException(FUNCTION + ": " + where + "=" + value.render() + " must be a non-empty list"
                    + " of dicts; write e.g. 'optimizer_params_list': [{'optimizer': ['Adam'], 'lr': [0.001, 0.01]}]");
        }
        List<List<Choices>> dicts = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            PyLiteral item = list.items().get(i);
            String entry = where + " entry " + (i + 1);
            if (!(item instanceof PyLiteral.DictLit dict) || dict.entries().isEmpty()) {
                throw new IllegalArgumentException(FUNCTION + ": " + entry + " " + item.render() + " must be a non-empty dict;"
                        + " write e.g. {'optimizer': ['Adam'], 'lr': [0.001, 0.01]}");
            }
            Map<String, PyLiteral> settings = new LinkedHashMap<>();
            for (PyLiteral.DictEntry e : dict.entries()) {
                settings.put(ParamParser.name(COMPILE, entry + " key", e.key(), "{'optimizer': ['Adam'], 'lr': [0.001]}"), e.value());
            }
            if (!settings.containsKey("optimizer")) {
                throw new IllegalArgumentException(FUNCTION + ": " + entry + " " + item.render() + " names no optimizer;"
                        + " add e.g. 'optimizer': ['Adam']");
            }
            List<Choices> choices = new ArrayList<>();
            for (Map.Entry<String, PyLiteral> e : settings.entrySet()) {
                if (topLevelKeys.contains(e.getKey())) {
                    throw new IllegalArgumentException(FUNCTION + ": " + COMPILE + " has '" + e.getKey() + "' both at the top"
                            + " level and in " + OPTIMIZER_PARAMS_LIST + "; keep optimizer settings only inside "
                            + OPTIMIZER_PARAMS_LIST);
                }
                choices.add(choices(COMPILE, e.getKey(), e.getValue(), !e.getKey().equals("optimizer")));
            }
            dicts.add(choices);
        }
        return new Optimizers(dicts);
    }

    /** A grid value: a non-empty list of choices, or [lo, hi, 'scale'] where a distribution is allowed. */
    private static Choices choices(String grid, String key, PyLiteral value, boolean distributionAllowed) {
        if (!(value instanceof PyLiteral.ListLit list) || list.items().isEmpty()) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " value of '" + key + "' is " + value.render()
                    + "; every value must be a non-empty list of choices, e.g. '" + key + "': [" + value.render() + "]");
        }
        List<PyLiteral> items = list.items();
        boolean looksLikeDistribution = items.size() > 1 && items.get(items.size() - 1) instanceof PyLiteral.Str
                && items.subList(0, items.size() - 1).stream().noneMatch(i -> i instanceof PyLiteral.Str);
        if (!looksLikeDistribution) {
            return new Choices(key, items, Optional.empty(), false);
        }
        String fix = "; write '" + key + "': [lo, hi, 'linear'|'log'|'log_near_one'] with lo < hi";
        if (!distributionAllowed) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " '" + key + "': " + list.render() + " is a"
                    + " distribution, which only real-valued optimizer settings inside " + OPTIMIZER_PARAMS_LIST
                    + " and fit_params' " + String.join(" and ", INTEGER_FIT_KEYS) + " may have; list the values to try instead");
        }
        if (items.size() != 3) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " distribution '" + key + "': " + list.render()
                    + " must have exactly 3 elements" + fix);
        }
        double lo = ParamParser.number(grid, key + " lower bound", items.get(0), "[0.001, 0.1, 'log']");
        double hi = ParamParser.number(grid, key + " upper bound", items.get(1), "[0.001, 0.1, 'log']");
        String scaleName = ((PyLiteral.Str) items.get(2)).value();
        SearchSpace.Scale scale = switch (scaleName) {
            case "linear" -> SearchSpace.Scale.LINEAR;
            case "log" -> SearchSpace.Scale.LOG;
            case "log_near_one" -> SearchSpace.Scale.LOG_NEAR_ONE;
            default -> throw new IllegalArgumentException(FUNCTION + ": " + grid + " distribution '" + key + "': "
                    + list.render() + " has unknown type '" + scaleName + "'" + fix);
        };
        boolean integral = grid.equals(FIT);
        if (integral) {
            ParamParser.integer(grid, key + " lower bound", items.get(0), "[8, 64, 'log']");
            ParamParser.integer(grid, key + " upper bound", items.get(1), "[8, 64, 'log']");
            if (scale == SearchSpace.Scale.LOG_NEAR_ONE || lo < 1) {
                throw new IllegalArgumentException(FUNCTION + ": " + grid + " distribution '" + key + "': " + list.render()
                        + " draws integers >= 1; use [lo, hi, 'linear'] or [lo, hi, 'log'] with 1 <= lo < hi");
            }
        }
        if (!(lo < hi)) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " distribution '" + key + "': " + list.render()
                    + " needs lower bound < upper bound" + fix);
        }
        if (scale == SearchSpace.Scale.LOG && lo <= 0) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " distribution '" + key + "': " + list.render()
                    + " is 'log' with a bound <= 0; log needs 0 < lo < hi");
        }
        if (scale == SearchSpace.Scale.LOG_NEAR_ONE && hi >= 1) {
            throw new IllegalArgumentException(FUNCTION + ": " + grid + " distribution '" + key + "': " + list.render()
                    + " is 'log_near_one' with a bound >= 1; log_near_one needs lo < hi < 1");
        }
        return new Choices(key, items, Optional.of(new SearchSpace.Real(lo, hi, scale)), integral);
    }
}
