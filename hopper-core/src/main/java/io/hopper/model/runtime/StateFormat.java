package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The portable byte format of a model's training state: a list of named arrays (version 1, little-endian throughout).
 *
 * <pre>
 * magic    4 bytes  'H' 'O' 'P' 'S'
 * version  int32    1
 * count    int32    number of entries
 * entries, each:
 *   nameLength int32, name UTF-8 bytes (unique within the state)
 *   dtype      int8   1 = float32, 2 = float64, 3 = int32, 4 = int64
 *   rank       int8   0..8 (0 = scalar)
 *   dims       int64 x rank
 *   data       product(dims) elements of dtype, row-major, little-endian
 * crc      int32    CRC-32 of every byte before it
 * </pre>
 */
final class StateFormat {
    private static final byte[] MAGIC = {'H', 'O', 'P', 'S'};
    /** The version this build writes and reads. */
    static final int VERSION = 1;
    private static final int MAX_RANK = 8;

    /** The data types a state can hold. */
    enum DType {
        FLOAT32(1, 4, DataType.FLOAT32),
        FLOAT64(2, 8, DataType.FLOAT64),
        INT32(3, 4, DataType.INT32),
        INT64(4, 8, DataType.INT64);

        final int code;
        final int bytes;
        final DataType djl;

        DType(int code, int bytes, DataType djl) {
            this.code = code;
            this.bytes = bytes;
            this.djl = djl;
        }

        static DType ofCode(int code, String entry) {
            for (DType d : values()) {
                if (d.code == code) {
                    return d;
                }
            }
            throw new IllegalArgumentException("model state: entry '" + entry + "' has unknown dtype code " + code
                    + "; the bytes are corrupt or from a newer format");
        }

        static DType of(DataType type, String entry) {
            for (DType d : values()) {
                if (d.djl == type) {
                    return d;
                }
            }
            throw new IllegalStateException("model state: array '" + entry + "' has data type " + type
                    + ", which the state format cannot hold (float32, float64, int32, int64)");
        }
    }

    /**
     * One named array.
     *
     * @param name the unique name
     * @param dtype the element type
     * @param shape the dimensions (empty for a scalar)
     * @param data the elements, little-endian, read-only view
     */
    record Entry(String name, DType dtype, List<Long> shape, ByteBuffer data) {
        Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            shape = List.copyOf(shape);
            data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (data.remaining() != elements(shape) * dtype.bytes) {
                throw new IllegalArgumentException("model state: entry '" + name + "' holds " + data.remaining()
                        + " bytes but its shape " + shape + " needs " + elements(shape) * dtype.bytes);
            }
        }

        /** The entry of an array's current values. */
        static Entry of(String name, NDArray array) {
            DType dtype = DType.of(array.getDataType(), name);
            ByteBuffer le = reorder(array.toByteBuffer(), ByteOrder.LITTLE_ENDIAN, dtype.bytes);
            List<Long> dims = new ArrayList<>();
            for (long d : array.getShape().getShape()) {
                dims.add(d);
            }
            return new Entry(name, dtype, dims, le);
        }

        /** A scalar int64 entry. */
        static Entry ofLong(String name, long value) {
            return new Entry(name, DType.INT64, List.of(), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
        }

        /** A scalar float64 entry. */
        static Entry ofDouble(String name, double value) {
            return new Entry(name, DType.FLOAT64, List.of(), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, value));
        }

        /** The value of a scalar int64 entry. */
        long longValue() {
            return data.getLong(0);
        }

        /** The value of a scalar float64 entry. */
        double doubleValue() {
            return data.getDouble(0);
        }

        /** The DJL shape. */
        Shape djlShape() {
            return new Shape(shape.stream().mapToLong(Long::longValue).toArray());
        }

        /**
         * Checks that this entry can fill an array of the given type and shape.
         *
         * @throws IllegalArgumentException naming the entry when it cannot
         */
        void requireLike(DType expectedType, Shape expectedShape) {
            if (dtype != expectedType || !djlShape().equals(expectedShape)) {
                throw new IllegalArgumentException("model state: '" + name + "' is " + dtype + " " + djlShape() + " in the state but "
                        + expectedType + " " + expectedShape + " in this model; import a state exported from the same architecture and optimizer");
            }
        }

        /** Copies the values into an existing array of the same type and shape, in place. */
        void copyInto(NDArray target) {
            requireLike(DType.of(target.getDataType(), name), target.getShape());
            target.set(reorder(data, ByteOrder.nativeOrder(), dtype.bytes));
        }
    }

    private StateFormat() {
    }

    /**
     * The entry of that name.
     *
     * @throws IllegalArgumentException naming the entry when the state lacks it
     */
    static Entry require(Map<String, Entry> entries, String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("model state: entry '" + name
                    + "' is missing from the state; import a state exported from the same architecture and optimizer");
        }
        return e;
    }

    private static long elements(List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A direct copy of the buffer's remaining bytes with elements of {@code width} bytes in the given order. */
    private static ByteBuffer reorder(ByteBuffer source, ByteOrder order, int width) {
        ByteBuffer src = source.duplicate().order(source.order());
        ByteBuffer out = ByteBuffer.allocateDirect(src.remaining()).order(order);
        if (src.order() == order) {
            out.put(src);
        } else {
            byte[] element = new byte[width];
            while (src.hasRemaining()) {
                src.get(element);
                for (int i = width - 1; i >= 0; i--) {
                    out.put(element[i]);
                }
            }
        }
        return out.flip();
    }

    /** Encodes entries. */
    static byte[] write(List<Entry> entries) {
        long size = 4 + 4 + 4 + 4;
        List<byte[]> names = new ArrayList<>();
        for (Entry e : entries) {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 4 + name.length + 1 + 1 + 8L * e.shape().size() + e.data().remaining();
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("model state: " + size + " bytes exceed the 2 GiB a state can hold");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            out.putInt(names.get(i).length).put(names.get(i));
            out.put((byte) e.dtype().code).put((byte) e.shape().size());
            for (long d : e.shape()) {
                out.putLong(d);
            }
            out.put(e.data().duplicate());
        }
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Decodes bytes written by {@link #write}.
     *
     * @throws IllegalArgumentException with one line saying what is wrong when the bytes are not a valid state
     */
    static List<Entry> read(byte[] bytes) {
        if (bytes.length < 16) {
            throw new IllegalArgumentException("model state: " + bytes.length + " bytes is too short to be a state (truncated); pass the bytes exportState returned");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("model state: bytes do not start with the magic 'HOPS'; pass the bytes exportState returned");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("model state: format version " + version + " is not supported; this build reads version " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("model state: checksum mismatch over " + bytes.length
                    + " bytes (corrupt or truncated); re-export the state");
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, 0, bytes.length - 4).order(ByteOrder.LITTLE_ENDIAN);
        body.position(8);
        try {
            int count = body.getInt();
            List<Entry> entries = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[body.getInt()];
                body.get(name);
                String n = new String(name, StandardCharsets.UTF_8);
                if (!seen.add(n)) {
                    throw new IllegalArgumentException("model state: entry '" + n + "' appears twice; the bytes are corrupt");
                }
                DType dtype = DType.ofCode(body.get(), n);
                int rank = body.get();
                if (rank < 0 || rank > MAX_RANK) {
                    throw new IllegalArgumentException("model state: entry '" + n + "' has rank " + rank + " outside 0.." + MAX_RANK + "; the bytes are corrupt");
                }
                List<Long> shape = new ArrayList<>();
                for (int r = 0; r < rank; r++) {
                    long d = body.getLong();
                    if (d < 0) {
                        throw new IllegalArgumentException("model state: entry '" + n + "' has negative dimension " + d + "; the bytes are corrupt");
                    }
                    shape.add(d);
                }
                long length = elements(shape) * dtype.bytes;
                if (length > body.remaining()) {
                    throw new IllegalArgumentException("model state: entry '" + n + "' needs " + length + " bytes but only "
                            + body.remaining() + " remain (truncated)");
                }
                ByteBuffer data = body.slice().order(ByteOrder.LITTLE_ENDIAN).limit((int) length);
                body.position(body.position() + (int) length);
                entries.add(new Entry(n, dtype, shape, data));
            }
            if (body.hasRemaining()) {
                throw new IllegalArgumentException("model state: " + body.remaining() + " unexpected bytes after the last entry; the bytes are corrupt");
            }
            return entries;
        } catch (BufferUnderflowException | NegativeArraySizeException | ArithmeticException e) {
            throw new IllegalArgumentException("model state: the entries run past the end of the bytes (truncated or corrupt); re-export the state", e);
        }
    }
}
