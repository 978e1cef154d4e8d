package io.hopper.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Reads the records of a CSV text one at a time through jackson-dataformat-csv's streaming parser: RFC 4180 quoting
 * (quoted fields may hold delimiters, doubled quotes and line breaks), LF or CRLF line ends, the dialect's delimiter.
 * Unquoted fields are trimmed of spaces (so {@code "39, State-gov"} reads as {@code 39} and {@code State-gov}), blank
 * lines are skipped, a leading byte order mark is dropped, and a field equal to the dialect's null string reads as
 * an empty field (a missing value).
 */
final class CsvRecords {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final CsvParser parser;
    private final String what;
    private final CsvDialect dialect;
    private long recordLine;
    private long nextLine = 1;

    /**
     * Creates a reader of comma-separated text.
     *
     * @param in the text
     * @param what how messages name the input
     */
    CsvRecords(Reader in, String what) throws IOException {
        this(in, what, CsvDialect.DEFAULT);
    }

    /**
     * Creates a reader.
     *
     * @param in the text
     * @param what how messages name the input
     * @param dialect the delimiter and null string
     */
    CsvRecords(Reader in, String what, CsvDialect dialect) throws IOException {
        this.what = what;
        this.dialect = dialect;
        BufferedReader buffered = new BufferedReader(in, 1 << 16);
        buffered.mark(1);
        if (buffered.read() != '\uFEFF') {
            buffered.reset();
        }
        this.parser = (CsvParser) MAPPER.getFactory().createParser(buffered);
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(dialect.delimiter()));
    }

    /** The line on which the last record returned by {@link #next} began (1 = the first line). */
    long recordLine() {
        return recordLine;
    }

    /**
     * Reads the next record into {@code out} (cleared first).
     *
     * @return false at the end of the text
     */
    boolean next(List<String> out) throws IOException {
        try {
            while (true) {
                out.clear();
                JsonToken t = parser.nextToken();
                if (t == null) {
                    return false;
                }
                recordLine = -1;
                while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                    if (recordLine < 0) {
                        recordLine = parser.currentTokenLocation().getLineNr();
                    }
                    String field = parser.getText();
                    out.add(dialect.nullString().isPresent() && dialect.isNull(field) ? "" : field);
                }
                nextLine = Math.max(parser.currentLocation().getLineNr(), nextLine);
                if (t != JsonToken.END_ARRAY) {
                    throw new IllegalStateException(what + ": the CSV parser returned " + t + " inside a record");
                }
                if (out.size() == 1 && out.get(0).isEmpty()) {
                    continue; // a line of spaces
                }
                return true;
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            long line = at == null || at.getLineNr() < 1 ? recordLine : at.getLineNr();
            String msg = e.getOriginalMessage();
            if (msg.contains("Missing closing quote")) {
                throw new IllegalArgumentException(what + ": the quoted field that starts on line " + (recordLine > 0 ? recordLine : nextLine)
                        + " is never closed; close it with a double quote");
            }
            if (msg.contains("Expected separator") || msg.contains("Unexpected character")) {
                throw new IllegalArgumentException(what + ": line " + line + " has text after a closing quote; "
                        + "double a quote that is part of a quoted field (\"\")" + delimiterHint());
            }
            throw new IllegalArgumentException(what + ": line " + line + " is not valid CSV (" + msg.lines().findFirst().orElse("")
                    + "); fix the quoting" + delimiterHint());
        }
    }

    private String delimiterHint() {
        return dialect.delimiter() == ',' ? " or give --csv-delimiter" : "";
    }
}
