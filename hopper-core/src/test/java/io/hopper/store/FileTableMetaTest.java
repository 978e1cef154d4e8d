package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopper.store.FileTableMeta.DataFile;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class FileTableMetaTest {
    private static final Schema SCHEMA = Schema.of("buffer_id", ColumnType.INT, "part", ColumnType.INT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FileTableMeta partitioned() {
        return new FileTableMeta(FileStore.FORMAT_VERSION, SCHEMA, "part", 5, Instant.parse("2026-12-04T10:00:00Z"),
                FileTableMeta.newDataDir(), List.of(new DataFile(0, 3, 0xdeadbeefL), new DataFile(1, 2, 0x0000000fL)));
    }

    @Test
    void writtenMetadataParsesBackEqual() throws IOException {
        FileTableMeta meta = partitioned();
        byte[] bytes = meta.toBytes();
        assertEquals('\n', bytes[bytes.length - 1]);
        JsonNode node = JSON.readTree(bytes);
        assertEquals("0000000f", node.get("files").get(1).get("crc32c").asText(), "eight hex digits, zero-padded");
        assertEquals("part-1.bin", node.get("files").get(1).get("file").asText());
        assertEquals(meta, FileTableMeta.parse("t", node, node.get("version").asInt()));
    }

    @Test
    void aVersion1FileHasNoChecksums() throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(partitioned().toBytes());
        FileTableMeta v1 = FileTableMeta.parse("t", node, 1);
        assertEquals(List.of(0, 1), v1.files().stream().map(DataFile::partition).toList());
        assertTrue(v1.files().stream().allMatch(f -> f.crc32c() == null));
    }

    @Test
    void inconsistentFieldsAreRefusedSayingWhich() throws IOException {
        ObjectNode rows = (ObjectNode) JSON.readTree(partitioned().toBytes());
        rows.put("rows", 6);
        assertEquals("rows 6 is not the sum of the files' rows",
                assertThrows(IllegalArgumentException.class, () -> FileTableMeta.parse("t", rows, 2)).getMessage());

        ObjectNode dir = (ObjectNode) JSON.readTree(partitioned().toBytes());
        dir.put("data", "../elsewhere");
        assertEquals("data directory '../elsewhere' is not data-<32 hex digits>",
                assertThrows(IllegalArgumentException.class, () -> FileTableMeta.parse("t", dir, 2)).getMessage());

        ObjectNode crc = (ObjectNode) JSON.readTree(partitioned().toBytes());
        ((ObjectNode) crc.get("files").get(0)).put("crc32c", "xyz");
        assertEquals("file part-0.bin has no crc32c of 8 hex digits",
                assertThrows(IllegalArgumentException.class, () -> FileTableMeta.parse("t", crc, 2)).getMessage());

        ObjectNode unpartitioned = (ObjectNode) JSON.readTree(partitioned().toBytes());
        unpartitioned.putNull("partition_column");
        assertEquals("a file's partition does not match the partition column",
                assertThrows(IllegalArgumentException.class, () -> FileTableMeta.parse("t", unpartitioned, 2)).getMessage());
    }
}
