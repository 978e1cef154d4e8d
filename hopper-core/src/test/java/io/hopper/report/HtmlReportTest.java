package io.hopper.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {
    @TempDir
    Path dir;

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
}
