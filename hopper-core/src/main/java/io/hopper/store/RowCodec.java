package io.hopper.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The binary row encoding of {@link FileStore}'s data files (docs/store-format.md): big-endian, per column a
 * presence byte then the value; text as UTF-8 with a length; arrays as a count then per element a presence byte
 * and the value.
 */
final class RowCodec {
    /** The first four bytes of every data file. */
    static final int MAGIC = 0x484F5052; // "HOPR"
    private static final int NULL = 0;
    private static final int PRESENT = 1;

    private RowCodec() {
    }

    /** Writes a row's values (already checked against the schema). */
    static void write(DataOutputStream out, Schema schema, Row row) throws IOException {
        for (int i = 0; i < schema.size(); i++) {
            writeValue(out, schema.columns().get(i).type(), row.get(i));
        }
    }

    /**
     * Reads one row's values.
     *
     * @param maxLength the largest byte or element count a value may claim (the file's size): a damaged length
     *                  fails as an IOException instead of allocating gigabytes
     */
    static Row read(DataInputStream in, Schema schema, long maxLength) throws IOException {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readValue(in, schema.columns().get(i).type(), maxLength);
        }
        return Row.of(values);
    }

    private static void writeValue(DataOutputStream out, ColumnType type, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
            return;
        }
        out.writeByte(PRESENT);
        switch (type) {
            case INT -> out.writeInt((Integer) value);
            case BIGINT -> out.writeLong((Long) value);
            case DOUBLE -> out.writeLong(Double.doubleToRawLongBits((Double) value));
            case TEXT -> writeBytes(out, ((String) value).getBytes(StandardCharsets.UTF_8));
            case BOOLEAN -> out.writeByte((Boolean) value ? 1 : 0);
            case BYTES -> writeBytes(out, (byte[]) value);
            case INT_ARRAY -> writeArray(out, ColumnType.INT, (List<?>) value);
            case DOUBLE_ARRAY -> writeArray(out, ColumnType.DOUBLE, (List<?>) value);
            case TEXT_ARRAY -> writeArray(out, ColumnType.TEXT, (List<?>) value);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void writeArray(DataOutputStream out, ColumnType element, List<?> list) throws IOException {
        out.writeInt(list.size());
        for (Object e : list) {
            writeValue(out, element, e);
        }
    }

    private static Object readValue(DataInputStream in, ColumnType type, long maxLength) throws IOException {
        int flag = in.readUnsignedByte();
        if (flag == NULL) {
            return null;
        }
        if (flag != PRESENT) {
            throw new IOException("bad presence byte " + flag);
        }
        return switch (type) {
            case INT -> in.readInt();
            case BIGINT -> in.readLong();
            case DOUBLE -> Double.longBitsToDouble(in.readLong());
            case TEXT -> new String(readBytes(in, maxLength), StandardCharsets.UTF_8);
            case BOOLEAN -> in.readUnsignedByte() != 0;
            case BYTES -> readBytes(in, maxLength);
            case INT_ARRAY -> readArray(in, ColumnType.INT, maxLength);
            case DOUBLE_ARRAY -> readArray(in, ColumnType.DOUBLE, maxLength);
            case TEXT_ARRAY -> readArray(in, ColumnType.TEXT, maxLength);
        };
    }

    private static byte[] readBytes(DataInputStream in, long maxLength) throws IOException {
        int length = readLength(in, maxLength);
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static List<Object> readArray(DataInputStream in, ColumnType element, long maxLength) throws IOException {
        int n = readLength(in, maxLength);
        List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            list.add(readValue(in, element, maxLength));
        }
        return Collections.unmodifiableList(list);
    }

    private static int readLength(DataInputStream in, long maxLength) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > maxLength) {
            throw new IOException("length " + n + " outside 0.." + maxLength);
        }
        return n;
    }
}
