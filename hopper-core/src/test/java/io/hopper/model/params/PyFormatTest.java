package io.hopper.model.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PyFormatTest {

    /** Expected strings are what CPython 3's repr(float) prints. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.001|0.001", "1e-7|1e-07", "1.0|1.0", "100|100.0", "0.1|0.1", "0.0001|0.0001", "0.00001|1e-05",
        "1.5e-5|1.5e-05", "1e16|1e+16", "123456789012345.6|123456789012345.6", "9999999999999998|9999999999999998.0",
        "-2.5|-2.5", "0.30000000000000004|0.30000000000000004", "5e-324|5e-324",
        "1.7976931348623157e308|1.7976931348623157e+308", "2e-3|0.002", "0.95|0.95", "0.999|0.999", "-0.0|0.0"})
    void numbersAreWrittenLikePythonRepr(double value, String python) {
        assertEquals(python, PyFormat.number(value));
    }

    /** 600 doubles (random bit patterns, log-uniform and rounded decimals) with the repr CPython 3 printed. */
    @Test
    void numbersMatchCpythonOnRandomDoubles() throws IOException {
        try (InputStream in = PyFormatTest.class.getResourceAsStream("python-float-repr.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(l -> !l.startsWith("#")).toList();
            assertEquals(600, lines.size());
            for (String line : lines) {
                String[] parts = line.split(" ");
                double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                assertEquals(parts[1], PyFormat.number(value), parts[0]);
                assertEquals(value, Double.parseDouble(PyFormat.number(value)));
            }
        }
    }

    @Test
    void nonFiniteNumbersAreABug() {
        assertThrows(IllegalStateException.class, () -> PyFormat.number(Double.NaN));
        assertThrows(IllegalStateException.class, () -> PyFormat.number(Double.POSITIVE_INFINITY));
    }

    @Test
    void stringsAreQuotedAndEscaped() {
        assertEquals("'/tmp/logs'", PyFormat.string("/tmp/logs"));
        assertEquals("'it\\'s'", PyFormat.string("it's"));
        assertEquals("'a\\\\b\\nc\\t'", PyFormat.string("a\\b\nc\t"));
        assertEquals("'say \"hi\"'", PyFormat.string("say \"hi\""));
    }

    @Test
    void booleansArePythonNames() {
        assertEquals("True", PyFormat.bool(true));
        assertEquals("False", PyFormat.bool(false));
    }
}
