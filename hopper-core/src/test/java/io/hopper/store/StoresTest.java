package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {

    @Test
    void aDirectoryOpensAFileStoreCreatedOnFirstWrite(@TempDir Path tmp) {
        Path dir = tmp.resolve("my-store");
        try (Store store = Stores.open(dir.toString())) {
            FileStore fs = assertInstanceOf(FileStore.class, store);
            assertEquals(dir.toAbsolutePath(), fs.root());
            assertFalse(Files.exists(dir));
            store.write("t", Schema.of("a", ColumnType.INT), java.util.List.of(Row.of(1)));
            assertTrue(Files.isDirectory(dir.resolve("t")));
        }
    }

    @Test
    void aPostgresUrlOpensAPostgresStore() {
        // nothing listens on port 1: the connection check fails, which shows the URL reached PostgresStore
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Stores.open("jdbc:postgresql://127.0.0.1:1/db?user=u&password=s3cretpw"));
        assertTrue(e.getMessage().startsWith("cannot connect to PostgreSQL jdbc:postgresql://127.0.0.1:1/db?user=u"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cretpw"), e.getMessage());
    }

    @Test
    void otherJdbcUrlsAndBlankLocationsAreRefused() {
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> Stores.open("jdbc:mysql://h/db?password=s3cretpw"));
        assertEquals("--store: 'jdbc:mysql://h/db' is not a jdbc:postgresql: URL; Hopper stores tables in PostgreSQL or in a directory",
                other.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> Stores.open(" "));
        assertTrue(blank.getMessage().startsWith("--store: the location is empty"), blank.getMessage());
    }
}
