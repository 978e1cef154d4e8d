package io.hopper.fit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaderboardTest {

    @Test
    void numbersHaveFourSignificantDigits() {
        assertEquals("0.1235", Leaderboard.number(0.123456789));
        assertEquals("12.35", Leaderboard.number(12.3456));
        assertEquals("1", Leaderboard.number(1.0));
        assertEquals("0.5", Leaderboard.number(0.5));
        assertEquals("1.235e-05", Leaderboard.number(0.0000123456));
        assertEquals("NaN", Leaderboard.number(Double.NaN));
    }
}
