package io.hopper.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopper.api.Hopper;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    @TempDir
    Path dir;
    @TempDir
    static Path searchDir;
    /** Real automl outputs ({@link Searches}), built by the first test that needs them. */
    private static Store searches;

    private static Store searches() throws Exception {
        if (searches == null) {
            searches = Searches.build(searchDir);
        }
        return searches;
    }

    @AfterAll
    static void closeSearches() {
        if (searches != null) {
            searches.close();
        }
    }

    /** The text of each cell of class {@code cls} in the leaderboard, by the row's mst_key. */
    private static Map<Integer, String> leaderboardCells(String html, String cls) {
        String board = html.substring(html.indexOf("<table class=\"board search\">"), html.indexOf("</table>", html.indexOf("<table class=\"board search\">")));
        Map<Integer, String> cells = new TreeMap<>();
        Matcher row = Pattern.compile("<tr[^>]*><td>\\d+</td><td[^>]*><span class=\"swatch\"[^>]*></span>(\\d+)</td>.*?<td class=\""
                + cls + "[^\"]*\">([^<]*)</td>").matcher(board);
        while (row.find()) {
            cells.put(Integer.parseInt(row.group(1)), row.group(2));
        }
        return cells;
    }

    /** The cell of class {@code cls} in the Promotions row of {@code stage}. */
    private static String promotionCell(String html, String stage, String cls) {
        Matcher m = Pattern.compile("<tr data-stage=\"" + stage + "\">.*?<td class=\"" + cls + "\">(.*?)</td>").matcher(html);
        assertTrue(m.find(), stage + " " + cls);
        return m.group(1);
    }

    /** No URL with a scheme in src or href: the page needs no network. */
    private static void assertSelfContained(String html) {
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no http(s) URL in src or href");
        assertFalse(Pattern.compile("<(script|img|iframe)[^>]*\\ssrc=|<link[^>]*href=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no external resource");
    }

    private static JsonNode data(String html) throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"fit-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        return new ObjectMapper().readTree(m.group(1).replace("<\\/", "</"));
    }

    private static FitRecord fit() {
        return Records.fit(List.of(
                Records.config(1, "batch_size=16", List.of(0.9, 0.6), List.of(0.9, 0.8)),
                Records.config(2, "batch_size=</script><script>alert(1)</script>", List.of(0.9, Double.NaN), List.of(0.9, 0.3))), "v");
    }

    @Test
    void isOneSelfContainedFileWithTheChartLibraryAndItsLicenceInline() throws IOException {
        Path file = HtmlReport.write(fit(), dir.resolve("sub").resolve("models.html"));
        String html = Files.readString(file);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("Chart.js v4") && html.contains("Released under the MIT License"), "Chart.js inlined with its licence");
        assertFalse(Pattern.compile("<(script|img|iframe)[^>]*\\ssrc=|<link[^>]*href=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no external resource");
        assertEquals(1, html.split("<canvas id=\"gantt\">", -1).length - 1);
        assertTrue(html.contains("<canvas id=\"loss\">") && html.contains("<canvas id=\"metric\">"));
    }

    @Test
    void leaderboardRowsAreRankedAndTextIsEscaped() {
        String html = HtmlReport.render(fit());
        int first = html.indexOf("<tr class=\"best\"><td>1</td>");
        assertTrue(first > 0);
        assertTrue(html.substring(first, html.indexOf("</tr>", first)).contains("</span>2</td>"), "mst 2 has the lower validation loss");
        assertTrue(html.contains("batch_size=&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html.contains("demo &lt;b&gt;"));
        assertEquals(3, html.split("<script", -1).length - 1, "Chart.js, the data and the drawing code; nothing injected");
    }

    @Test
    void embedsTheNumbersTheChartsDrawWithGapsForNaN() throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"fit-data\">(.*?)</script>", Pattern.DOTALL).matcher(HtmlReport.render(fit()));
        assertTrue(m.find());
        JsonNode data = new ObjectMapper().readTree(m.group(1).replace("<\\/", "</"));
        assertEquals(List.of(1, 2), List.of(data.get("iterations").get(0).asInt(), data.get("iterations").get(1).asInt()));
        assertTrue(data.get("configs").get(1).get("trainingLoss").get(1).isNull());
        assertEquals(HtmlReport.PALETTE.get(1), data.get("configs").get(1).get("colour").asText());
        assertEquals(4, data.get("units").size());
        assertEquals(0.2, data.get("units").get(3).get(6).asDouble(), 1e-12);
        assertEquals(2, data.get("workers").asInt());
    }

    @Test
    void leavesOutMetricColumnsAndTheMetricChartWhenNoConfigurationHasAMetric() {
        FitRecord.Config c = Records.config(1, "batch_size=16", List.of(0.9, 0.6), List.of());
        FitRecord.Config noMetric = new FitRecord.Config(1, 1, c.compileParams(), c.fitParams(), "ok", c.lossType(), null,
                c.elapsedSeconds(), c.trainingLoss(), List.of(), List.of(), List.of());
        String html = HtmlReport.render(Records.fit(List.of(noMetric), null));
        assertFalse(html.contains("<canvas id=\"metric\">"));
        assertFalse(html.contains("training accuracy") || html.contains("validation loss"));
        assertTrue(html.contains("Ranked by the final training loss") && html.contains("On the training data"));
        assertTrue(HtmlReport.render(fit()).contains("<th class=\"num\">validation accuracy</th>"));
    }

    @Test
    void anAshaReportShowsWhereEachConfigurationStoppedThePromotionsAndTheSession() throws Exception {
        SearchRecord search = SearchRecord.read(searches(), "asha");
        Path file = Hopper.on(searches()).report("asha", Optional.of(dir.resolve("asha.html")));
        String html = Files.readString(file);
        assertSelfContained(html);
        assertTrue(html.contains("<h1>AutoML search: asha</h1>") && html.contains("ASHA with R=4, eta=2, min_r=1, num_configs=6"));
        Map<Integer, String> stopped = leaderboardCells(html, "stopped");
        Map<Integer, String> trained = leaderboardCells(html, "num");
        assertEquals(6, stopped.size(), stopped.toString());
        for (SearchRecord.Trial t : search.trials()) {
            int rung = t.rung().getAsInt();
            assertEquals(rung == 2 ? "completed" : "rung " + rung, stopped.get(t.mstKey()), "mst_key " + t.mstKey());
            assertEquals(Integer.toString(List.of(1, 2, 4).get(rung)), trained.get(t.mstKey()), "iterations trained, mst_key " + t.mstKey());
        }
        assertTrue(Pattern.compile("<tr class=\"best\"><td>1</td><td title=\"[^\"]*\"><span class=\"swatch\" style=\"background:"
                + HtmlReport.PALETTE.get(search.bestMstKey() - 1) + "\"></span>" + search.bestMstKey() + "</td>").matcher(html).find(),
                "rank 1 is best_mst_key");
        for (int k = 0; k < 3; k++) {
            int level = k;
            long entered = search.trials().stream().filter(t -> t.rung().getAsInt() >= level).count();
            long wentOn = search.trials().stream().filter(t -> t.rung().getAsInt() > level).count();
            assertEquals(Long.toString(entered), promotionCell(html, "rung " + k, "num entered"), "rung " + k);
            if (k < 2) {
                assertTrue(promotionCell(html, "rung " + k, "went-on").startsWith("<span class=\"count\">" + wentOn + "</span>"), "rung " + k);
            }
        }
        assertEquals("6", promotionCell(html, "rung 0", "num entered"));
        assertTrue(promotionCell(html, "rung 2", "went-on").contains("last stage"));
        assertTrue(html.contains("<canvas id=\"gantt\">") && html.contains("<h3>Utilization</h3>"), "ASHA's session has a Gantt chart");
        JsonNode configs = data(html).get("configs");
        for (JsonNode c : configs) {
            SearchRecord.Trial t = search.trial(c.get("mstKey").asInt());
            assertEquals(t.metricsIters().size(), c.get("iterations").size());
            assertEquals(t.metricsIters().get(t.metricsIters().size() - 1), c.get("iterations").get(c.get("iterations").size() - 1).asInt());
            assertEquals(t.metricsIters().size(), c.get("validationLoss").size(), "one point per own metrics iteration");
            assertEquals(!search.completed(t), c.get("stopped").asBoolean(), "mst_key " + t.mstKey());
        }
    }

    @Test
    void aHyperbandReportCountsEachRoundAndDrawsTheSessionsGanttChart() throws Exception {
        String html = HtmlReport.render(SearchRecord.read(searches(), "hb"));
        assertSelfContained(html);
        assertTrue(html.contains("Hyperband with R=3, eta=3, skip_last=0"));
        assertEquals(List.of("3", "1", "2"), List.of(promotionCell(html, "bracket 1 round 0", "num entered"),
                promotionCell(html, "bracket 1 round 1", "num entered"), promotionCell(html, "bracket 0 round 0", "num entered")));
        assertTrue(promotionCell(html, "bracket 1 round 0", "went-on").startsWith("<span class=\"count\">1</span>"));
        Map<Integer, String> stopped = leaderboardCells(html, "stopped");
        assertEquals(2, stopped.values().stream().filter("bracket 1 round 0"::equals).count(), stopped.toString());
        assertEquals(3, stopped.values().stream().filter("completed"::equals).count(), stopped.toString());
        assertTrue(html.contains("<canvas id=\"gantt\">"), "one session, one schedule");
        assertFalse(html.contains("No Gantt chart"));
    }

    @Test
    void aFitReportHasNoneOfTheSearchParts() throws IOException {
        String html = HtmlReport.render(fit());
        assertFalse(html.contains("stopped at") || html.contains("Promotions") || html.contains("board search"));
        assertTrue(html.contains("<h1>Model selection: models</h1>") && html.contains("Ranked by the final validation loss, lowest first."));
        for (JsonNode c : data(html).get("configs")) {
            assertFalse(c.has("iterations") || c.has("stopped"), "a fit's curves share the fit's iterations: " + c);
        }
    }
}
