package io.hopper.data;

import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Reads the records of an RFC 4180 CSV text one at a time: fields separated by commas, quoted fields may hold
 * commas, doubled quotes and line breaks, lines end in LF or CRLF. Unquoted fields are trimmed of spaces and tabs
 * (so {@code "39, State-gov"} reads as {@code 39} and {@code State-gov}); blank lines are skipped; a leading
 * byte order mark is dropped.
 */
final class CsvRecords {
    private final Reader in;
    private final String what;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private long line = 1;
    private long recordLine;
    private final StringBuilder field = new StringBuilder();
    private boolean first = true;
    private boolean lastQuoted;

    /**
     * Creates a reader.
     *
     * @param in the text
     * @param what how messages name the input
     */
    CsvRecords(Reader in, String what) {
        this.in = in;
        this.what = what;
    }

    /** The line on which the last record returned by {@link #next} began (1 = the first line). */
    long recordLine() {
        return recordLine;
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos];
    }

    /**
     * Reads the next record into {@code out} (cleared first).
     *
     * @return false at the end of the text
     */
    boolean next(List<String> out) throws IOException {
        if (first) {
            first = false;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        while (true) {
            out.clear();
            recordLine = line;
            boolean any = readRecord(out);
            if (out.size() == 1 && out.get(0).isEmpty() && !lastQuoted) {
                if (!any) {
                    return false;
                }
                continue;
            }
            return true;
        }
    }

    /** Reads fields up to the end of a line; returns false when the text had ended before the record. */
    private boolean readRecord(List<String> out) throws IOException {
        field.setLength(0);
        boolean quoted = false;
        boolean inQuotes = false;
        boolean afterQuote = false;
        boolean readAny = false;
        while (true) {
            int c = read();
            if (c == -1) {
                if (inQuotes) {
                    throw new IllegalArgumentException(what + ": the quoted field that starts on line " + recordLine
                            + " is never closed; close it with a double quote");
                }
                endField(out, quoted);
                return readAny;
            }
            readAny = true;
            if (inQuotes) {
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        inQuotes = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == ',') {
                endField(out, quoted);
                quoted = false;
                afterQuote = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                endField(out, quoted);
                return true;
            } else if (afterQuote) {
                if (c != ' ' && c != '\t') {
                    throw new IllegalArgumentException(what + ": line " + line + " has text after a closing quote; "
                            + "double a quote that is part of a quoted field (\"\")");
                }
            } else if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                inQuotes = true;
                quoted = true;
            } else {
                field.append((char) c);
            }
        }
    }

    private void endField(List<String> out, boolean quoted) {
        out.add(quoted ? field.toString() : field.toString().strip());
        lastQuoted = quoted;
        field.setLength(0);
    }
}
