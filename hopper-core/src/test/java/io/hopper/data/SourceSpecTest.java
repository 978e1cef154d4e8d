package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceSpecTest {
    @Test
    void parsesEveryKind() {
        assertEquals(new SourceSpec.Csv(Path.of("data/iris.csv")), SourceSpec.parse("csv:data/iris.csv"));
        assertEquals(new SourceSpec.Idx(Path.of("a.gz"), Path.of("b.gz")), SourceSpec.parse("idx:a.gz, b.gz"));
        assertEquals(new SourceSpec.Table("iris_data"), SourceSpec.parse("table:iris_data"));
        assertEquals(new SourceSpec.Sql("SELECT * FROM t"), SourceSpec.parse("sql:SELECT * FROM t"));
        assertEquals("idx:a.gz,b.gz", SourceSpec.parse("idx:a.gz,b.gz").text());
    }

    private static void refused(String src, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse(src));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains("--source"), e.getMessage());
    }

    @Test
    void refusesMalformedSources() {
        refused("", "empty");
        refused("parquet:x", "unknown source kind 'parquet'");
        refused("data.csv", "unknown source kind 'data.csv'");
        refused("csv:", "nothing after the colon");
        refused("idx:images.gz", "idx:IMAGES_PATH,LABELS_PATH");
        refused("idx:a,b,c", "idx:IMAGES_PATH,LABELS_PATH");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("table:x;drop"));
        assertTrue(e.getMessage().contains("'x;drop' is not an identifier"), e.getMessage());
    }
}
