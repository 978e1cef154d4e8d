package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationsTest {
    @Test
    void sortsIntoMstOrder() {
        Configurations c = Configurations.of(5, 2, 9);
        assertEquals(List.of(2, 5, 9), c.mstKeys());
        assertEquals(3, c.size());
        assertEquals(5, c.key(1));
        assertEquals(2, c.indexOf(9));
        assertEquals(-1, c.indexOf(4));
    }

    @Test
    void rejectsEmpty() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Configurations(List.of()));
        assertTrue(e.getMessage().contains("configurations"), e.getMessage());
    }

    @Test
    void rejectsDuplicateKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> Configurations.of(3, 1, 3));
        assertTrue(e.getMessage().contains("mst key 3 appears twice"), e.getMessage());
    }
}
