package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableRendererTest {
    private static final Schema SCHEMA = Schema.of("id", ColumnType.INT, "name", ColumnType.TEXT, "x", ColumnType.BYTES,
            "v", ColumnType.DOUBLE_ARRAY, "tags", ColumnType.TEXT_ARRAY, "ok", ColumnType.BOOLEAN, "n", ColumnType.BIGINT,
            "d", ColumnType.DOUBLE, "ia", ColumnType.INT_ARRAY);
    private static final byte[] BYTES = "abc".getBytes(StandardCharsets.US_ASCII);

    private static List<Row> rows() {
        return List.of(
                Row.of(1, "plain", BYTES, List.of(0.5, -2.0), List.of("a", "b c", "x,y", "q\"t", "", "null", "s\\l", "{}"),
                        true, 10L, 1.5, List.of(1, 2)),
                Row.of(2, "comma, \"quoted\"\nline", null, Arrays.asList(1.0, null), List.of(), false, null, Double.NaN,
                        List.of()),
                Row.of(null, "", new byte[0], null, null, null, -1L, null, Arrays.asList(null, 3)));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void jsonIsOneArrayOfRowObjects() throws Exception {
        String text = TableRenderer.render(SCHEMA, rows(), TableRenderer.Format.JSON);
        assertEquals(5, text.split("\n").length, "[, three rows, ]");
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals(3, json.size());
        JsonNode first = json.get(0);
        assertEquals(1, first.get("id").asInt());
        assertEquals(3, first.get("x").get("bytes").asInt());
        assertEquals(sha256(BYTES), first.get("x").get("sha256").asText());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", first.get("x").get("sha256").asText());
        assertEquals(-2.0, first.get("v").get(1).asDouble());
        assertEquals("b c", first.get("tags").get(1).asText());
        assertEquals(true, first.get("ok").asBoolean());
        assertEquals(10L, first.get("n").asLong());
        assertEquals(List.of("id", "name", "x", "v", "tags", "ok", "n", "d", "ia"), iterableNames(first));

        JsonNode second = json.get(1);
        assertEquals("comma, \"quoted\"\nline", second.get("name").asText());
        assertEquals(true, second.get("x").isNull());
        assertEquals(true, second.get("v").get(1).isNull());
        assertEquals(0, second.get("tags").size());
        assertEquals("NaN", second.get("d").asText());

        JsonNode third = json.get(2);
        assertEquals(true, third.get("id").isNull());
        assertEquals(0, third.get("x").get("bytes").asInt());
        assertEquals(sha256(new byte[0]), third.get("x").get("sha256").asText());
        assertEquals(true, third.get("ia").get(0).isNull());
    }

    private static List<String> iterableNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void csvHasHeaderAndQuotesAsRfc4180() throws Exception {
        String text = TableRenderer.render(SCHEMA, rows(), TableRenderer.Format.CSV);
        String expected = "id,name,x,v,tags,ok,n,d,ia\n"
                + "1,plain," + sha256(BYTES) + ",\"{0.5,-2.0}\",\"{a,\"\"b c\"\",\"\"x,y\"\",\"\"q\\\"\"t\"\",\"\"\"\",\"\"null\"\",\"\"s\\\\l\"\",\"\"{}\"\"}\",true,10,1.5,\"{1,2}\"\n"
                + "2,\"comma, \"\"quoted\"\"\nline\",,\"{1.0,NULL}\",{},false,,NaN,{}\n"
                + ",\"\"," + sha256(new byte[0]) + ",,,,-1,,\"{NULL,3}\"\n";
        assertEquals(expected, text);
    }

    @Test
    void emptyTables() {
        assertEquals("[]\n", TableRenderer.render(SCHEMA, List.of(), TableRenderer.Format.JSON));
        assertEquals("id,name,x,v,tags,ok,n,d,ia\n", TableRenderer.render(SCHEMA, List.of(), TableRenderer.Format.CSV));
    }

    @Test
    void rendersATableOfAStore(@TempDir Path dir) {
        FileStore store = new FileStore(dir);
        store.write("t", SCHEMA, rows());
        StringWriter out = new StringWriter();
        TableRenderer.render(store, "t", TableRenderer.Format.CSV, out);
        assertEquals(TableRenderer.render(SCHEMA, rows(), TableRenderer.Format.CSV), out.toString());
        assertThrows(IllegalArgumentException.class, () -> TableRenderer.render(store, "nope", TableRenderer.Format.JSON, out));
    }

    @Test
    void formatParsing() {
        assertEquals(TableRenderer.Format.JSON, TableRenderer.Format.parse("json"));
        assertEquals(TableRenderer.Format.CSV, TableRenderer.Format.parse("CSV"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableRenderer.Format.parse("xml"));
        assertEquals("--format: unknown format 'xml'; use json or csv", e.getMessage());
    }
}
