package io.hopper.store;

import static io.hopper.store.StoreTestRows.ALL_TYPES;
import static io.hopper.store.StoreTestRows.allTypesRows;
import static io.hopper.store.StoreTestRows.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hopper.store.FileTableMeta.DataFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data file written by {@link DataFileWriter} and read back by {@link DataFileReader}. */
class DataFileWriterTest {
    @TempDir
    Path tmp;

    private DataFile writeAll(Path dir) throws IOException {
        DataFileWriter writer = new DataFileWriter(dir, 3);
        long number = 10;
        for (Row r : allTypesRows()) {
            writer.write(number, ALL_TYPES, r);
            number += 2;
        }
        return writer.finish();
    }

    private static List<Row> readAll(DataFileReader reader, List<Long> numbers) {
        List<Row> rows = new ArrayList<>();
        while (reader.advance()) {
            numbers.add(reader.rowNumber());
            rows.add(reader.row());
        }
        return rows;
    }

    @Test
    void rowsComeBackWithTheirNumbersAndTheChecksumIsTheFilesCrc32c() throws IOException {
        DataFile entry = writeAll(tmp);
        Path file = tmp.resolve("part-3.bin");
        assertEquals(new DataFile(3, 4, null).fileName(), file.getFileName().toString());
        assertEquals(4, entry.rows());
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(file));
        assertEquals(crc.getValue(), entry.crc32c());

        FileTableMeta meta = new FileTableMeta(FileStore.FORMAT_VERSION, ALL_TYPES, null, 4, Instant.now(),
                FileTableMeta.newDataDir(), List.of(entry));
        List<Long> numbers = new ArrayList<>();
        try (DataFileReader reader = new DataFileReader(new FileStore(tmp.resolve("store")), "t", meta, file, entry)) {
            assertRowsEqual(allTypesRows(), readAll(reader, numbers));
        }
        assertEquals(List.of(10L, 12L, 14L, 16L), numbers);
    }

    @Test
    void aChangedByteIsAChecksumMismatchNamingTheFile() throws IOException {
        DataFile entry = writeAll(tmp);
        Path file = tmp.resolve(entry.fileName());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        FileTableMeta meta = new FileTableMeta(FileStore.FORMAT_VERSION, ALL_TYPES, null, 4, Instant.now(),
                FileTableMeta.newDataDir(), List.of(entry));

        try (DataFileReader reader = new DataFileReader(new FileStore(tmp.resolve("store")), "t", meta, file, entry)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> readAll(reader, new ArrayList<>()));
            assertTrue(e.getMessage().contains("data file " + file + " does not match its CRC-32C"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
