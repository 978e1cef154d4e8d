package io.hopper.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopper.automl.AutomlSpec;

import io.hopper.fit.Leaderboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML file about a fit: the leaderboard (configurations ranked by final validation loss, else
 * training loss, with their hyperparameters), learning curves of loss and metric per configuration, and the schedule
 * as a Gantt chart (workers by time, one bar per unit coloured by configuration) with each worker's utilization.
 *
 * <p>The report of an automl search ({@link SearchRecord}) has the same parts, adapted: the header names the method and
 * its automl_params, the leaderboard ranks as the search ranked and tells where each configuration stopped and how
 * long it trained, each learning curve ends where its configuration stopped (a cross marks an early stop), a
 * Promotions section counts the configurations that entered each rung (or bracket and round) and names those that
 * went on, and the Gantt chart shows the search's one session.
 *
 * <p>Tables are rendered here; the charts are drawn in the browser by Chart.js (MIT licence, vendored in the jar and
 * inlined with its licence header), from the fit's numbers embedded as JSON. Nothing is fetched from the network.
 */
public final class HtmlReport {
    /** Colours of configurations, in leaderboard order of their mst keys (Tableau 10). */
    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac");

    private static final String CHART_JS = resource("chart.umd.min.js");
    private static final String SCRIPT = resource("report.js");
    private static final String STYLE = resource("report.css");

    private HtmlReport() {
    }

    /**
     * Writes the report of a fit to {@code file} (its directory is created).
     *
     * @return the file
     */
    public static Path write(FitRecord fit, Path file) {
        return write(render(fit), file);
    }

    /**
     * Writes the report of an automl search to {@code file} (its directory is created).
     *
     * @return the file
     */
    public static Path write(SearchRecord search, Path file) {
        return write(render(search), file);
    }

    private static Path write(String html, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, html, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot write '" + file + "': " + e.getMessage(), e);
        }
    }

    /** The HTML of the report of a fit. */
    public static String render(FitRecord fit) {
        return page(fit, null);
    }

    /** The HTML of the report of an automl search. */
    public static String render(SearchRecord search) {
        return page(search.fit(), search);
    }

    /** The page of a fit, or of a search when {@code search} is not null ({@code fit} is then its record). */
    private static String page(FitRecord fit, SearchRecord search) {
        List<FitRecord.Config> ranked = search == null ? fit.leaderboard() : search.leaderboard();
        Map<Integer, String> colours = new LinkedHashMap<>();
        for (FitRecord.Config c : fit.configs()) {
            colours.put(c.mstKey(), PALETTE.get(colours.size() % PALETTE.size()));
        }
        StringBuilder h = new StringBuilder(CHART_JS.length() + 64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Hopper report: ")
                .append(escape(fit.modelTable())).append("</title>\n<style>\n").append(STYLE).append("</style>\n<script>\n")
                .append(scriptSafe(CHART_JS)).append("\n</script>\n</head>\n<body>\n");
        if (search == null) {
            header(h, fit);
        } else {
            header(h, search);
        }
        leaderboard(h, fit, ranked, colours, search);
        boolean metric = fit.configs().stream().anyMatch(c -> c.metricType() != null);
        h.append("<section>\n<h2>Learning curves</h2>\n<p class=\"note\">")
                .append(fit.validationTable() == null ? "On the training data" : "Solid: training data; dashed: validation data")
                .append(search == null ? ". One point per metrics iteration." : ". Each configuration's points are at the iterations"
                        + " where it computed metrics; a cross (&#10005;) marks the last point of a configuration stopped early.")
                .append("</p>\n<div class=\"grid\">\n")
                .append("<figure><figcaption>Loss (").append(escape(lossTypes(fit))).append(")</figcaption>")
                .append("<div class=\"chart\"><canvas id=\"loss\"></canvas></div></figure>\n");
        if (metric) {
            h.append("<figure><figcaption>Metric (").append(escape(metricTypes(fit))).append(")</figcaption>")
                    .append("<div class=\"chart\"><canvas id=\"metric\"></canvas></div></figure>\n");
        }
        h.append("</div>\n</section>\n");
        if (search != null) {
            promotions(h, search, colours);
        }
        schedule(h, fit);
        h.append("<script type=\"application/json\" id=\"fit-data\">").append(scriptSafe(json(fit, colours, search)))
                .append("</script>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, FitRecord fit) {
        h.append("<header>\n<h1>Model selection: ").append(escape(fit.modelTable())).append("</h1>\n");
        if (fit.name() != null || fit.description() != null) {
            h.append("<p class=\"lead\">").append(escape(fit.name() == null ? "" : fit.name()))
                    .append(fit.name() != null && fit.description() != null ? " &mdash; " : "")
                    .append(escape(fit.description() == null ? "" : fit.description())).append("</p>\n");
        }
        int iterations = fit.metricsIters().isEmpty() ? 0 : fit.metricsIters().get(fit.metricsIters().size() - 1);
        h.append("<dl class=\"facts\">");
        fact(h, "configurations", Integer.toString(fit.configs().size()));
        fact(h, "iterations", Integer.toString(iterations));
        fact(h, "training table", fit.sourceTable());
        fact(h, "validation table", fit.validationTable() == null ? "none" : fit.validationTable());
        fact(h, "schedule", fit.schedule() + " on " + fit.workers() + (fit.workers() == 1 ? " worker" : " workers"));
        fact(h, "units", Integer.toString(fit.units().size()));
        fact(h, "wall time", String.format(Locale.ROOT, "%.1f s", fit.makespanMs() / 1000));
        fact(h, "seed", Long.toString(fit.seed()));
        fact(h, "started", fit.startTime());
        fact(h, "Hopper", fit.version());
        h.append("</dl>\n</header>\n");
    }

    private static void header(StringBuilder h, SearchRecord search) {
        FitRecord fit = search.fit();
        h.append("<header>\n<h1>AutoML search: ").append(escape(fit.modelTable())).append("</h1>\n");
        h.append("<p class=\"lead\">").append(escape(methodName(search.method()))).append(" with ")
                .append(escape(search.params()));
        if (fit.name() != null || fit.description() != null) {
            h.append(" &mdash; ").append(escape(fit.name() == null ? "" : fit.name()))
                    .append(fit.name() != null && fit.description() != null ? ": " : "")
                    .append(escape(fit.description() == null ? "" : fit.description()));
        }
        h.append("</p>\n<dl class=\"facts\">");
        fact(h, "method", methodName(search.method()));
        fact(h, "automl_params", search.params());
        fact(h, "ranked by", rankedBy(search));
        fact(h, "configurations", Integer.toString(fit.configs().size()));
        fact(h, "best mst_key", Integer.toString(search.bestMstKey()));
        fact(h, "total iterations", Long.toString(search.totalIterations()));
        fact(h, search.method() == AutomlSpec.Method.ASHA ? "fit sessions" : "fits", Integer.toString(search.fitCalls()));
        fact(h, "training table", fit.sourceTable());
        fact(h, "validation table", fit.validationTable() == null ? "none" : fit.validationTable());
        fact(h, "schedule", fit.schedule() + " on " + fit.workers() + (fit.workers() == 1 ? " worker" : " workers"));
        fact(h, "wall time", String.format(Locale.ROOT, "%.1f s", search.wallSeconds()));
        fact(h, "random state", Long.toString(fit.seed()));
        fact(h, "started", fit.startTime());
        fact(h, "Hopper", fit.version());
        h.append("</dl>\n</header>\n");
    }

    private static String methodName(AutomlSpec.Method method) {
        return switch (method) {
            case HYPERBAND -> "Hyperband";
            case ASHA -> "ASHA";
            case RANDOM -> "Random search";
        };
    }

    /** E.g. {@code validation loss (lowest first)}. */
    private static String rankedBy(SearchRecord search) {
        String data = search.fit().validationTable() == null ? "training " : "validation ";
        if (search.rankBy() == AutomlSpec.RankBy.LOSS) {
            return data + "loss (lowest first)";
        }
        boolean higher = search.fit().configs().stream().findFirst().map(c -> search.score(c).higherIsBetter()).orElse(true);
        return data + metricTypes(search.fit()) + (higher ? " (highest first)" : " (lowest first)");
    }

    /** Per stage: how many configurations entered, which went on and which stopped there. */
    private static void promotions(StringBuilder h, SearchRecord search, Map<Integer, String> colours) {
        h.append("<section>\n<h2>Promotions</h2>\n<p class=\"note\">")
                .append(switch (search.method()) {
                    case ASHA -> "Per rung: the configurations that trained to it, those promoted to the next rung, and those stopped"
                            + " there. ASHA promotes a configuration as soon as it is in the top 1/eta of the results its rung has so far.";
                    case HYPERBAND -> "Per bracket and round: the configurations that trained in it, the best 1/eta that went on to"
                            + " the next round, and those stopped there.";
                    case RANDOM -> "Random search stops nothing early: every configuration trains R iterations.";
                })
                .append("</p>\n<table class=\"promotions\">\n<thead><tr><th>stage</th><th class=\"num\">trained to</th>"
                        + "<th class=\"num\">entered</th><th>went on</th><th>stopped there</th></tr></thead>\n<tbody>\n");
        for (SearchRecord.Promotion p : search.promotions()) {
            List<Integer> stopped = p.entered().stream().filter(k -> !p.wentOn().contains(k)).toList();
            h.append("<tr data-stage=\"").append(escape(p.stage())).append("\"><td>").append(escape(p.stage()))
                    .append("</td><td class=\"num\">").append(p.iterations()).append(p.iterations() == 1 ? " iteration" : " iterations")
                    .append("</td><td class=\"num entered\">").append(p.entered().size()).append("</td><td class=\"went-on\">")
                    .append(p.last() ? "&ndash; (last stage)" : keys(p.wentOn(), colours)).append("</td><td class=\"stopped-there\">")
                    .append(p.last() && !stopped.isEmpty() ? "completed: " : "").append(keys(stopped, colours)).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    /** {@code 2: [3] [5]} with each key as a chip in its configuration's colour; {@code 0} when none. */
    private static String keys(List<Integer> keys, Map<Integer, String> colours) {
        StringBuilder b = new StringBuilder().append("<span class=\"count\">").append(keys.size()).append("</span>");
        for (int k : keys) {
            b.append(" <span class=\"chip\" style=\"border-color:").append(colours.get(k)).append("\">").append(k).append("</span>");
        }
        return b.toString();
    }

    private static void fact(StringBuilder h, String name, String value) {
        h.append("<div><dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd></div>");
    }

    private static void leaderboard(StringBuilder h, FitRecord fit, List<FitRecord.Config> ranked, Map<Integer, String> colours,
                                    SearchRecord search) {
        boolean validated = fit.validationTable() != null;
        boolean withMetric = !metricTypes(fit).isEmpty();
        String metric = escape(metricTypes(fit));
        h.append("<section>\n<h2>Leaderboard</h2>\n<p class=\"note\">");
        if (search == null) {
            h.append("Ranked by the final ").append(validated ? "validation" : "training").append(" loss, lowest first.");
        } else {
            h.append("Ranked as the search ranked: the configurations trained longest first, then by the final ")
                    .append(escape(rankedBy(search))).append("; rank 1 is the search&#39;s best_mst_key.");
        }
        Leaderboard board = fit.leaderboardTable();
        h.append(" One column per setting that differs between the configurations; hover over an mst_key for its compile_params and fit_params.");
        h.append("</p>\n<table class=\"").append(search == null ? "board" : "board search").append("\">\n<thead><tr>")
                .append("<th>rank</th><th>mst_key</th>");
        for (String setting : board.settingColumns()) {
            h.append("<th>").append(escape(setting)).append("</th>");
        }
        if (search != null) {
            h.append("<th>stopped at</th><th class=\"num\">iterations trained</th>");
        }
        if (validated) {
            h.append("<th class=\"num\">validation loss</th>");
            if (withMetric) {
                h.append("<th class=\"num\">validation ").append(metric).append("</th>");
            }
        }
        h.append("<th class=\"num\">training loss</th>");
        if (withMetric) {
            h.append("<th class=\"num\">training ").append(metric).append("</th>");
        }
        h.append("<th>status</th></tr></thead>\n<tbody>\n");
        int rank = 0;
        for (FitRecord.Config c : ranked) {
            rank++;
            h.append(rank == 1 ? "<tr class=\"best\">" : "<tr>").append("<td>").append(rank).append("</td><td title=\"")
                    .append(escape("model_id=" + c.modelId() + "; " + c.compileParams() + "; " + c.fitParams()))
                    .append("\"><span class=\"swatch\" style=\"background:")
                    .append(colours.get(c.mstKey())).append("\"></span>").append(c.mstKey()).append("</td>");
            for (String value : board.settingValues(c.entry())) {
                h.append("<td>").append(escape(value)).append("</td>");
            }
            if (search != null) {
                SearchRecord.Trial t = search.trial(c.mstKey());
                h.append("<td class=\"stopped").append(search.completed(t) ? " completed" : "").append("\">")
                        .append(escape(search.stoppedAt(t))).append("</td><td class=\"num\">").append(t.iterations()).append("</td>");
            }
            if (validated) {
                h.append(num(last(c.validationLoss()))).append(withMetric ? num(last(c.validationMetric())) : "");
            }
            h.append(num(last(c.trainingLoss()))).append(withMetric ? num(last(c.trainingMetric())) : "").append("<td>")
                    .append(escape(c.status())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void schedule(StringBuilder h, FitRecord fit) {
        h.append("<section>\n<h2>Schedule</h2>\n<p class=\"note\">One bar per unit: a configuration training on (solid) or "
                + "being evaluated on (pale) one partition. Bars are coloured by configuration.</p>\n")
                .append("<div class=\"chart gantt\" style=\"height:").append(90 + 46 * Math.max(1, fit.workers()))
                .append("px\"><canvas id=\"gantt\"></canvas></div>\n<h3>Utilization</h3>\n<table class=\"util\">\n")
                .append("<thead><tr><th>worker</th><th>units</th><th>busy</th><th class=\"bar-col\">busy share of the wall time</th></tr></thead>\n<tbody>\n");
        List<Double> utilization = fit.utilization();
        for (int w = 0; w < utilization.size(); w++) {
            int worker = w;
            long units = fit.units().stream().filter(u -> u.worker() == worker).count();
            double busy = fit.units().stream().filter(u -> u.worker() == worker).mapToDouble(u -> u.endMs() - u.startMs()).sum();
            String pct = String.format(Locale.ROOT, "%.1f%%", 100 * utilization.get(w));
            h.append("<tr><td>worker ").append(w).append("</td><td>").append(units).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f s", busy / 1000)).append("</td><td class=\"bar-col\"><div class=\"bar\"><div style=\"width:")
                    .append(pct).append("\"></div></div><span>").append(pct).append("</span></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static String lossTypes(FitRecord fit) {
        return String.join(", ", fit.configs().stream().map(FitRecord.Config::lossType).distinct().toList());
    }

    private static String metricTypes(FitRecord fit) {
        return String.join(", ", fit.configs().stream().map(FitRecord.Config::metricType).filter(m -> m != null).distinct().toList());
    }

    private static String num(double v) {
        return "<td class=\"num\">" + (Double.isNaN(v) ? "&ndash;" : Leaderboard.number(v)) + "</td>";
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    /**
     * The numbers the charts draw: iterations, per-configuration series and colours (for a search also each
     * configuration's own metrics iterations and whether it stopped early), workers and units.
     */
    private static String json(FitRecord fit, Map<Integer, String> colours, SearchRecord search) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("iterations", fit.metricsIters());
        List<Map<String, Object>> configs = new ArrayList<>();
        for (FitRecord.Config c : fit.configs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mstKey", c.mstKey());
            m.put("colour", colours.get(c.mstKey()));
            m.put("trainingLoss", finite(c.trainingLoss()));
            m.put("validationLoss", finite(c.validationLoss()));
            m.put("trainingMetric", finite(c.trainingMetric()));
            m.put("validationMetric", finite(c.validationMetric()));
            if (search != null) {
                SearchRecord.Trial t = search.trial(c.mstKey());
                m.put("iterations", t.metricsIters());
                m.put("stopped", !search.completed(t));
            }
            configs.add(m);
        }
        data.put("configs", configs);
        data.put("workers", fit.workers());
        List<List<Object>> units = new ArrayList<>();
        for (FitRecord.ScheduledUnit u : fit.units()) {
            units.add(List.of(u.mstKey(), u.iteration(), u.partition(), u.worker(), u.phase(), u.startMs() / 1000, u.endMs() / 1000));
        }
        data.put("units", units);
        try {
            return new ObjectMapper().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report: cannot encode the fit's numbers: " + e.getMessage(), e);
        }
    }

    /** The values with NaN and infinities as nulls (gaps in a chart; JSON has no NaN). */
    private static List<Double> finite(List<Double> values) {
        List<Double> out = new ArrayList<>();
        for (Double v : values) {
            out.add(v == null || !Double.isFinite(v) ? null : v);
        }
        return out;
    }

    /** Escapes text for HTML element content and attribute values. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Text that cannot end the script element it is inlined in. */
    static String scriptSafe(String s) {
        return s.replaceAll("(?i)</script", "<\\\\/script");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report: resource io/hopper/report/" + name + " is missing from the build; rebuild Hopper");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
