package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The parts of {@link PostgresStore} that need no server; {@link PostgresStoreIT} covers the rest. */
class PostgresStoreTest {

    @Test
    void redactRemovesEveryFormOfPassword() {
        assertEquals("jdbc:postgresql://h:5432/db?user=u", PostgresStore.redact("jdbc:postgresql://h:5432/db?user=u&password=pw"));
        assertEquals("jdbc:postgresql://h/db?user=u", PostgresStore.redact("jdbc:postgresql://h/db?password=pw&user=u"));
        assertEquals("jdbc:postgresql://h/db?user=u&ssl=true",
                PostgresStore.redact("jdbc:postgresql://h/db?user=u&PASSWORD=p%26w&ssl=true"));
        assertEquals("jdbc:postgresql://h/db", PostgresStore.redact("jdbc:postgresql://h/db?password=pw"));
        assertEquals("jdbc:postgresql://u@h/db", PostgresStore.redact("jdbc:postgresql://u:pw@h/db"));
        assertEquals("jdbc:postgresql://h/db?user=u", PostgresStore.redact("jdbc:postgresql://h/db?user=u"));
    }

    @Test
    void refusesUrlsOfOtherDatabases() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PostgresStore("jdbc:mysql://h/db?password=pw"));
        assertEquals("store URL 'jdbc:mysql://h/db' does not start with jdbc:postgresql:; use jdbc:postgresql://host:port/db?user=u",
                e.getMessage());
    }

    @Test
    void refusesANegativePoolSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PostgresStore("jdbc:postgresql://h/db?user=u", -1));
        assertEquals("PostgreSQL store pool size -1 is negative; use 0 (no reuse) or more", e.getMessage());
    }
}
