package io.hopper.model.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
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

    @Test
    void numbersReadBackExactlyAndAreShortest() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            double value = i % 2 == 0 ? random.nextDouble() : Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(value)) {
                continue;
            }
            String written = PyFormat.number(value);
            assertEquals(value, Double.parseDouble(written), written);
            assertTrue(written.contains(".") || written.contains("e"), written);
            String digits = written.replaceFirst("e.*", "").replace("-", "").replace(".", "").replaceAll("^0+", "");
            assertTrue(digits.replaceAll("0+$", "").length() <= 17, written);
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
