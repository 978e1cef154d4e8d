package io.hopper.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The content of a directory store table's {@code table.json}: schema, partition column, row count, data directory
 * and data files (docs/store-format.md).
 *
 * @param version the format version the file was written in
 * @param schema the table's columns
 * @param partitionColumn the partition column, or null
 * @param rows the table's row count, the sum of its files' rows
 * @param created when the table was written
 * @param dataDir the name of the directory beside table.json that holds the data files
 * @param files the data files, one per partition value (one in an unpartitioned table)
 */
record FileTableMeta(int version, Schema schema, String partitionColumn, long rows, Instant created, String dataDir,
                     List<DataFile> files) {
    /** How a data directory is named: {@code data-} and 32 hex digits, new for every version of a table. */
    static final Pattern DATA_DIR = Pattern.compile("data-[0-9a-f]{32}");
    private static final ObjectMapper JSON = new ObjectMapper();

    FileTableMeta {
        files = List.copyOf(files);
    }

    /**
     * One data file: the partition value it holds (or null in an unpartitioned table), its row count and its
     * CRC-32C (null in a version 1 table).
     */
    record DataFile(Integer partition, long rows, Long crc32c) {
        String fileName() {
            return fileName(partition);
        }

        static String fileName(Integer partition) {
            return partition == null ? "rows.bin" : "part-" + partition + ".bin";
        }
    }

    /** A fresh data directory name. */
    static String newDataDir() {
        return "data-" + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Reads the fields of a table.json whose format and version were checked.
     *
     * @throws RuntimeException saying what is wrong when a field is missing or inconsistent
     */
    static FileTableMeta parse(String table, JsonNode node, int version) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : node.path("columns")) {
            columns.add(new Column(c.path("name").asText(), ColumnType.valueOf(c.path("type").asText())));
        }
        Schema schema = new Schema(columns);
        String partitionColumn = node.path("partition_column").isTextual() ? node.get("partition_column").asText() : null;
        StoreChecks.partitionIndex(table, schema, partitionColumn);
        String dataDir = node.path("data").asText();
        if (!DATA_DIR.matcher(dataDir).matches()) {
            throw new IllegalArgumentException("data directory '" + dataDir + "' is not data-<32 hex digits>");
        }
        List<DataFile> files = new ArrayList<>();
        for (JsonNode f : node.path("files")) {
            Integer partition = f.path("partition").isInt() ? f.get("partition").asInt() : null;
            if ((partition == null) != (partitionColumn == null)) {
                throw new IllegalArgumentException("a file's partition does not match the partition column");
            }
            Long crc = null;
            if (version >= 2) {
                String hex = f.path("crc32c").asText();
                if (!hex.matches("[0-9a-f]{8}")) {
                    throw new IllegalArgumentException("file " + DataFile.fileName(partition) + " has no crc32c of 8 hex digits");
                }
                crc = Long.parseLong(hex, 16);
            }
            files.add(new DataFile(partition, f.path("rows").asLong(), crc));
        }
        long rows = node.path("rows").asLong(-1);
        if (rows != files.stream().mapToLong(DataFile::rows).sum()) {
            throw new IllegalArgumentException("rows " + rows + " is not the sum of the files' rows");
        }
        return new FileTableMeta(version, schema, partitionColumn, rows, Instant.parse(node.path("created").asText()), dataDir,
                files);
    }

    /** This metadata as the text of a table.json in the current format version, ending with a newline. */
    byte[] toBytes() throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FileStore.FORMAT);
        node.put("version", FileStore.FORMAT_VERSION);
        node.put("created", created.toString());
        ArrayNode columns = node.putArray("columns");
        for (Column c : schema.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type().name());
        }
        node.put("partition_column", partitionColumn);
        node.put("rows", rows);
        node.put("data", dataDir);
        ArrayNode list = node.putArray("files");
        for (DataFile f : files) {
            list.addObject().put("partition", f.partition()).put("file", f.fileName()).put("rows", f.rows())
                    .put("crc32c", String.format("%08x", f.crc32c()));
        }
        byte[] text = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        byte[] withNewline = Arrays.copyOf(text, text.length + 1);
        withNewline[text.length] = '\n';
        return withNewline;
    }
}
