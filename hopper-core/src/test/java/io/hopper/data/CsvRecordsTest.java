package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvRecordsTest {
    private static List<List<String>> read(String text) throws IOException {
        CsvRecords r = new CsvRecords(new StringReader(text), "csv:t.csv");
        List<List<String>> out = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        while (r.next(fields)) {
            out.add(List.copyOf(fields));
        }
        return out;
    }

    @Test
    void readsRfc4180QuotingAndTrimsUnquotedFields() throws IOException {
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1", "x, y", "say \"hi\""), List.of("", "two\nlines", " kept ")),
                read("\uFEFFa,b,c\r\n1, \"x, y\" ,\"say \"\"hi\"\"\"\n,\"two\nlines\",\" kept \"\n"));
        assertEquals(List.of(List.of("39", "State-gov"), List.of("50", "")), read("39, State-gov\n\n50,\n\n"));
        assertEquals(List.of(List.of("last")), read("last"));
    }

    @Test
    void countsLinesOfRecordsAcrossQuotedLineBreaks() throws IOException {
        CsvRecords r = new CsvRecords(new StringReader("h\n\"a\nb\"\n\nc\n"), "csv:t.csv");
        List<String> f = new ArrayList<>();
        r.next(f);
        assertEquals(1, r.recordLine());
        r.next(f);
        assertEquals(2, r.recordLine());
        r.next(f);
        assertEquals(List.of("c"), f);
        assertEquals(5, r.recordLine());
    }

    @Test
    void refusesUnclosedQuotesAndTextAfterAQuote() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read("a\n\"open\n"));
        assertTrue(e.getMessage().contains("csv:t.csv: the quoted field that starts on line 2 is never closed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("a\n\"x\"y\n"));
        assertTrue(e.getMessage().contains("line 2 has text after a closing quote"), e.getMessage());
    }

    @Test
    void readsTheDialectsDelimiterAndNullString() throws IOException {
        CsvRecords r = new CsvRecords(new StringReader("a;b\r\n\"1;5\";NA\r\n2;x\r\n"), "csv:t.csv", CsvDialect.of(";", "NA"));
        List<List<String>> out = new ArrayList<>();
        List<String> f = new ArrayList<>();
        while (r.next(f)) {
            out.add(List.copyOf(f));
        }
        assertEquals(List.of(List.of("a", "b"), List.of("1;5", ""), List.of("2", "x")), out);
        r = new CsvRecords(new StringReader("a\tb\n1\t2\n"), "csv:t.tsv", CsvDialect.of("\\t", null));
        assertTrue(r.next(f));
        assertTrue(r.next(f));
        assertEquals(List.of("1", "2"), f);
    }

    @Test
    void refusesBadDialects() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvDialect.of("\"", null)).getMessage()
                .contains("--csv-delimiter '\"'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvDialect.of(";", "a;b")).getMessage()
                .contains("--null-string 'a;b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvDialect.of(",", "")).getMessage()
                .contains("--null-string ''"));
    }
}
