package io.hopper.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Prints a table for {@code hopper table show NAME --format json|csv}, row by row so that a large table is never
 * held in memory.
 *
 * <p>JSON: one array with one object per row, one row per line; arrays as JSON arrays; a BYTES value as
 * {@code {"bytes": N, "sha256": "hex"}}; doubles that JSON cannot hold (NaN, Infinity) as strings. CSV: a header
 * line and one line per row written by jackson-dataformat-csv, fields quoted as RFC 4180 says (when they hold a comma,
 * quote, CR or LF; quotes doubled), lines ending in LF; null as an empty field and the empty string as {@code ""}; arrays as PostgreSQL
 * writes them ({@code {1,2,NULL}}, elements double-quoted when needed); BYTES as the SHA-256 in hex.
 */
public final class TableRenderer {
    /** The output formats. */
    public enum Format {
        JSON, CSV;

        /** The format named (case-insensitively) by {@code --format}. */
        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--format: unknown format '" + name + "'; use json or csv");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    private final Schema schema;
    private final Format format;
    private final Writer out;
    private long rows;
    private CsvGenerator csv;

    private TableRenderer(Schema schema, Format format, Writer out) {
        this.schema = schema;
        this.format = format;
        this.out = out;
    }

    /** Writes a table of the store to the writer (not closed). */
    public static void render(Store store, String table, Format format, Writer out) {
        TableRenderer r = new TableRenderer(store.schema(table), format, out);
        r.begin();
        store.scan(table, r::row);
        r.end();
    }

    /** Renders rows of the given schema to a string. */
    public static String render(Schema schema, List<Row> rows, Format format) {
        StringWriter out = new StringWriter();
        TableRenderer r = new TableRenderer(schema, format, out);
        r.begin();
        rows.forEach(r::row);
        r.end();
        return out.toString();
    }

    private void begin() {
        if (format == Format.JSON) {
            write("[");
        } else {
            try {
                csv = (CsvGenerator) CSV.getFactory().createGenerator(out);
                CsvSchema.Builder columns = CsvSchema.builder().setLineSeparator("\n");
                schema.names().forEach(columns::addColumn);
                csv.setSchema(columns.build());
                csvRecord(schema.names().toArray(String[]::new)); // the header, also for a table without rows
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void row(Row row) {
        if (format == Format.JSON) {
            write((rows == 0 ? "\n" : ",\n") + jsonRow(row));
        } else {
            String[] fields = new String[schema.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = csvValue(schema.columns().get(i).type(), row.get(i));
            }
            csvRecord(fields);
        }
        rows++;
    }

    private void end() {
        if (format == Format.JSON) {
            write(rows == 0 ? "]\n" : "\n]\n");
        }
        try {
            if (csv != null) {
                csv.flush();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- JSON -----------------------------------------------------------------------------------------------

    private String jsonRow(Row row) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < schema.size(); i++) {
            Column c = schema.columns().get(i);
            Object v = row.get(i);
            if (v == null) {
                node.putNull(c.name());
                continue;
            }
            switch (c.type()) {
                case INT -> node.put(c.name(), (Integer) v);
                case BIGINT -> node.put(c.name(), (Long) v);
                case DOUBLE -> putDouble(node, c.name(), (Double) v);
                case TEXT -> node.put(c.name(), (String) v);
                case BOOLEAN -> node.put(c.name(), (Boolean) v);
                case BYTES -> node.putObject(c.name()).put("bytes", ((byte[]) v).length).put("sha256", sha256((byte[]) v));
                case INT_ARRAY, DOUBLE_ARRAY, TEXT_ARRAY -> jsonArray(node.putArray(c.name()), c.type(), (List<?>) v);
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a row as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void putDouble(ObjectNode node, String name, double d) {
        if (Double.isFinite(d)) {
            node.put(name, d);
        } else {
            node.put(name, Double.toString(d));
        }
    }

    private static void jsonArray(ArrayNode array, ColumnType type, List<?> values) {
        for (Object e : values) {
            if (e == null) {
                array.addNull();
            } else if (type == ColumnType.INT_ARRAY) {
                array.add((Integer) e);
            } else if (type == ColumnType.DOUBLE_ARRAY) {
                double d = (Double) e;
                if (Double.isFinite(d)) {
                    array.add(d);
                } else {
                    array.add(Double.toString(d));
                }
            } else {
                array.add((String) e);
            }
        }
    }

    // ---- CSV ------------------------------------------------------------------------------------------------

    /** Writes one CSV record (after the header line on the first); a null field is written as an empty field. */
    private void csvRecord(String[] fields) {
        try {
            csv.writeStartObject();
            for (int i = 0; i < fields.length; i++) {
                csv.writeFieldName(schema.names().get(i));
                if (fields[i] == null) {
                    csv.writeNull();
                } else if (fields[i].isEmpty()) {
                    // strict quoting ignores ALWAYS_QUOTE_EMPTY_STRINGS; the empty string must differ from NULL
                    csv.writeRawValue("\"\"");
                } else {
                    csv.writeString(fields[i]);
                }
            }
            csv.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value as CSV text before quoting; null for a NULL. */
    private static String csvValue(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case BYTES -> sha256((byte[]) v);
            case INT_ARRAY, DOUBLE_ARRAY, TEXT_ARRAY -> pgArray((List<?>) v, type == ColumnType.TEXT_ARRAY);
            default -> v.toString();
        };
    }

    /** An array in PostgreSQL's text form. */
    private static String pgArray(List<?> values, boolean text) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object e = values.get(i);
            if (e == null) {
                sb.append("NULL");
            } else if (text) {
                sb.append(pgArrayElement((String) e));
            } else {
                sb.append(e);
            }
        }
        return sb.append('}').toString();
    }

    private static String pgArrayElement(String s) {
        boolean quote = s.isEmpty() || s.toUpperCase(Locale.ROOT).equals("NULL");
        for (int i = 0; i < s.length() && !quote; i++) {
            char ch = s.charAt(i);
            quote = ch == '{' || ch == '}' || ch == ',' || ch == '"' || ch == '\\' || Character.isWhitespace(ch);
        }
        return quote ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : s;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
