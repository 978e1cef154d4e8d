package io.hopper.fit;

import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.ParamParser;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * A fit's configurations ranked best first, with one column per setting that differs between them (model,
 * optimizer, lr, batch_size, ...), so the reader sees what won without reading compile_params; the same table for the
 * console ({@link #lines()}), the store (O_leaderboard, {@link #rows()}) and the report.
 *
 * <p>Ranking: by the final validation loss when the fit had a validation table, else by the final training loss;
 * configurations without a finite loss (diverged) last; ties to the smaller mst_key. Numbers show 4 significant
 * digits.
 *
 * @param settingColumns the names of the settings that differ, in a fixed order (model, optimizer, lr, the other
 *     optimizer settings, loss, batch_size, epochs, the other fit settings)
 * @param entries the configurations, best first
 */
public record Leaderboard(List<String> settingColumns, List<Entry> entries) {
    /** The schema of O_leaderboard before the setting columns. */
    private static final List<String> HEAD = List.of("rank", "mst_key");
    /** The metric columns after the setting columns. */
    private static final List<String> TAIL = List.of("training_loss", "training_metric", "validation_loss", "validation_metric", "status");

    /** Copies. */
    public Leaderboard {
        settingColumns = List.copyOf(settingColumns);
        entries = List.copyOf(entries);
    }

    /**
     * One configuration's settings and final figures (NaN where not computed).
     *
     * @param mstKey its key
     * @param modelId its architecture
     * @param compileParams MADlib's compile_params string
     * @param fitParams MADlib's fit_params string
     * @param status ok or diverged at iteration N (or where a search stopped it)
     * @param trainingLoss the final training loss
     * @param trainingMetric the final training metric
     * @param validationLoss the final validation loss, NaN without a validation table
     * @param validationMetric the final validation metric
     */
    public record Entry(int mstKey, int modelId, String compileParams, String fitParams, String status, double trainingLoss,
                        double trainingMetric, double validationLoss, double validationMetric) {
        /** Validates. */
        public Entry {
            Objects.requireNonNull(compileParams, "compileParams");
            Objects.requireNonNull(fitParams, "fitParams");
            Objects.requireNonNull(status, "status");
        }

        /**
         * The entry of a configuration with these curves: the last value of each (NaN when a curve is empty).
         *
         * @param trainingMetric empty without a metric
         * @param validationLoss empty without a validation table
         * @param validationMetric empty without a validation table or a metric
         */
        public static Entry ofCurves(int mstKey, int modelId, String compileParams, String fitParams, String status,
                                     List<Double> trainingLoss, List<Double> trainingMetric, List<Double> validationLoss,
                                     List<Double> validationMetric) {
            return new Entry(mstKey, modelId, compileParams, fitParams, status, InfoRow.last(trainingLoss), InfoRow.last(trainingMetric),
                    InfoRow.last(validationLoss), InfoRow.last(validationMetric));
        }

        /** The same entry with another status. */
        public Entry withStatus(String newStatus) {
            return new Entry(mstKey, modelId, compileParams, fitParams, newStatus, trainingLoss, trainingMetric, validationLoss,
                    validationMetric);
        }

        /** The loss the leaderboard ranks by: the validation loss when there is one, else the training loss. */
        public double rankingLoss() {
            return Double.isNaN(validationLoss) ? trainingLoss : validationLoss;
        }
    }

    /**
     * The leaderboard's order: lowest ranking loss first, non-finite last, ties to the smaller mst_key.
     *
     * @param rankingLoss the loss to rank by
     * @param mstKey the key
     */
    public static <T> Comparator<T> order(ToDoubleFunction<T> rankingLoss, ToIntFunction<T> mstKey) {
        return Comparator.comparing((T t) -> !Double.isFinite(rankingLoss.applyAsDouble(t)))
                .thenComparingDouble(rankingLoss)
                .thenComparingInt(mstKey);
    }

    /** Ranks the entries by {@link #order} and finds the settings that differ. */
    public static Leaderboard of(List<Entry> entries) {
        return ranked(entries.stream().sorted(order(Entry::rankingLoss, Entry::mstKey)).toList());
    }

    /** The entries ranked already (an automl search ranks its own way), with the settings that differ. */
    public static Leaderboard ranked(List<Entry> ranked) {
        List<Map<String, String>> settings = ranked.stream().map(Leaderboard::settings).toList();
        Set<String> all = new java.util.TreeSet<>(Comparator.comparingInt(Leaderboard::group).thenComparing(k -> k));
        settings.forEach(s -> all.addAll(s.keySet()));
        List<String> differing = new ArrayList<>();
        for (String key : all) {
            // a setting only some optimizers have (beta_1, momentum) shows when it differs among those that have it
            if (settings.stream().map(s -> s.get(key)).filter(Objects::nonNull).distinct().count() > 1) {
                differing.add(key);
            }
        }
        return new Leaderboard(differing, ranked);
    }

    private static final List<String> FIT_KEYS = List.of("callbacks", "class_weight", "initial_epoch", "shuffle", "steps_per_epoch", "verbose");

    /** A setting's place among the columns: model, optimizer, lr, the optimizer's others, loss, then fit_params's. */
    private static int group(String key) {
        int fixed = List.of("model", "optimizer", "lr").indexOf(key);
        if (fixed >= 0) {
            return fixed;
        }
        int after = List.of("loss", "compile_params", "batch_size", "epochs").indexOf(key);
        if (after >= 0) {
            return 4 + after;
        }
        return key.equals("fit_params") ? 9 : FIT_KEYS.contains(key) ? 8 : 3;
    }

    /**
     * A configuration's settings by column name, in column order: model, optimizer, lr, the optimizer's other
     * settings, loss, then fit_params's (batch_size, epochs, ...). Strings that do not parse (a table written by
     * hand) give their raw text as one setting.
     */
    static Map<String, String> settings(Entry e) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("model", Integer.toString(e.modelId()));
        try {
            CompileParams c = ParamParser.parseCompile(e.compileParams());
            out.put("optimizer", c.optimizer().kerasName());
            out.put("lr", number(c.optimizer().learningRate()));
            String canonical = c.optimizer().canonical();
            pairs(canonical.substring(canonical.indexOf('(') + 1, canonical.length() - 1), out, "lr");
            out.put("loss", c.loss().kerasName());
        } catch (IllegalArgumentException ex) {
            out.put("compile_params", e.compileParams());
        }
        try {
            FitParams f = ParamParser.parseFit(e.fitParams());
            out.put("batch_size", Integer.toString(f.batchSize()));
            out.put("epochs", Integer.toString(f.epochs()));
            pairs(f.canonical(), out, "batch_size", "epochs");
        } catch (IllegalArgumentException ex) {
            out.put("fit_params", e.fitParams());
        }
        return out;
    }

    /** Adds the key=value pairs of a canonical parameter string (top-level commas only), except the skipped keys. */
    private static void pairs(String canonical, Map<String, String> out, String... skip) {
        int depth = 0;
        int start = 0;
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < canonical.length(); i++) {
            char ch = canonical.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && (ch == '[' || ch == '{' || ch == '(')) {
                depth++;
            } else if (!quoted && (ch == ']' || ch == '}' || ch == ')')) {
                depth--;
            } else if (!quoted && depth == 0 && ch == ',') {
                parts.add(canonical.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(canonical.substring(start));
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String key = part.substring(0, eq).strip();
                if (!List.of(skip).contains(key)) {
                    out.putIfAbsent(key, part.substring(eq + 1).strip());
                }
            }
        }
    }

    /** The setting values of an entry, in {@link #settingColumns()} order ("-" where it has none). */
    public List<String> settingValues(Entry e) {
        Map<String, String> s = settings(e);
        return settingColumns.stream().map(k -> s.getOrDefault(k, "-")).toList();
    }

    /** The mst_keys of an O_leaderboard {@code table} of {@code store}, best first. */
    public static List<Integer> readRanking(Store store, String table) {
        Schema s = store.schema(table);
        int rank = s.indexOf(HEAD.get(0));
        int key = s.indexOf(HEAD.get(1));
        return store.readAll(table).stream().sorted(Comparator.comparingInt(r -> (Integer) r.get(rank))).map(r -> (Integer) r.get(key)).toList();
    }

    /** O_leaderboard's schema: rank, mst_key, the setting columns (text), the final figures and the status. */
    public Schema schema() {
        List<Object> spec = new ArrayList<>();
        for (String h : HEAD) {
            spec.add(h);
            spec.add(ColumnType.INT);
        }
        for (String s : settingColumns) {
            spec.add(s);
            spec.add(ColumnType.TEXT);
        }
        for (String t : TAIL.subList(0, 4)) {
            spec.add(t);
            spec.add(ColumnType.DOUBLE);
        }
        spec.add("status");
        spec.add(ColumnType.TEXT);
        return Schema.of(spec.toArray());
    }

    /** O_leaderboard's rows, best first (NULL where a figure was not computed). */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        int rank = 0;
        for (Entry e : entries) {
            List<Object> values = new ArrayList<>();
            values.add(++rank);
            values.add(e.mstKey());
            values.addAll(settingValues(e));
            for (double v : new double[] {e.trainingLoss(), e.trainingMetric(), e.validationLoss(), e.validationMetric()}) {
                values.add(Double.isNaN(v) ? null : v);
            }
            values.add(e.status());
            rows.add(Row.of(values.toArray()));
        }
        return rows;
    }

    /**
     * The console table: a header and one line per configuration, columns aligned (text left, numbers right),
     * figures at 4 significant digits, "-" where not computed; the validation columns only when there are any.
     */
    public List<String> lines() {
        boolean validated = entries.stream().anyMatch(e -> !Double.isNaN(e.validationLoss()));
        List<String> header = new ArrayList<>(HEAD);
        header.addAll(settingColumns);
        header.addAll(validated ? TAIL : List.of("training_loss", "training_metric", "status"));
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        int rank = 0;
        for (Entry e : entries) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(++rank));
            row.add(Integer.toString(e.mstKey()));
            row.addAll(settingValues(e));
            row.add(cell(e.trainingLoss()));
            row.add(cell(e.trainingMetric()));
            if (validated) {
                row.add(cell(e.validationLoss()));
                row.add(cell(e.validationMetric()));
            }
            row.add(e.status());
            cells.add(row);
        }
        int[] width = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < header.size(); c++) {
            int col = c;
            width[c] = cells.stream().mapToInt(r -> r.get(col).length()).max().orElse(0);
            numeric[c] = cells.stream().skip(1).allMatch(r -> r.get(col).equals("-") || r.get(col).matches("-?[0-9.]+(e[-+][0-9]+)?|NaN|-?inf"));
        }
        List<String> lines = new ArrayList<>();
        for (List<String> r : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.size(); c++) {
                String v = r.get(c);
                String pad = " ".repeat(width[c] - v.length());
                line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + v : c == r.size() - 1 ? v : v + pad);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "-" : number(v);
    }

    /** A number at 4 significant digits ({@code 0.1235}, {@code 12.35}, {@code 1.235e-05}); NaN and infinities by name. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e-4 && a < 1e6 ? new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString()
                : String.format(Locale.ROOT, "%.3e", v);
    }
}
