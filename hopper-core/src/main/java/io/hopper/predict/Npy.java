package io.hopper.predict;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * NumPy's .npy format (version 1.0) for little-endian float32 arrays in C order: what {@code numpy.load} reads and
 * {@code numpy.save} writes for such arrays.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, version bytes 1 and 0, a little-endian uint16 header length, an ASCII
 * header {@code {'descr': '<f4', 'fortran_order': False, 'shape': (d0, d1, ), }} padded with spaces and ended by a
 * newline so that the data starts at a multiple of 64 bytes, then the values.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** A float32 array and its shape. */
    record Array(List<Integer> shape, float[] values) {
        Array {
            shape = List.copyOf(shape);
        }
    }

    /** Writes {@code values} with {@code shape} to {@code file}. */
    static void write(Path file, List<Integer> shape, float[] values) throws IOException {
        String dims = shape.stream().map(d -> d + ", ").collect(Collectors.joining());
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.strip() + "), }");
        while ((MAGIC.length + 4 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        for (float v : values) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }

    /**
     * Reads a float32 little-endian C-order array.
     *
     * @throws IllegalArgumentException when the file is not such an .npy file
     */
    static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC) || bytes[6] != 1) {
            throw new IllegalArgumentException("weights file '" + file + "' is not a version 1 .npy file; export the model again");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(b.getShort(8));
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !descr.group(1).equals("<f4") || !fortran.find() || !fortran.group(1).equals("False") || !shape.find()) {
            throw new IllegalArgumentException("weights file '" + file + "' has header " + header.strip()
                    + "; it needs little-endian float32 ('<f4') in C order");
        }
        List<Integer> dims = Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(Integer::valueOf).toList();
        long count = dims.stream().mapToLong(Integer::longValue).reduce(1, (x, y) -> x * y);
        int start = 10 + headerLength;
        if (bytes.length - start != 4 * count) {
            throw new IllegalArgumentException("weights file '" + file + "' holds " + (bytes.length - start) + " data bytes but shape " + dims
                    + " needs " + 4 * count + "; export the model again");
        }
        float[] values = new float[(int) count];
        b.position(start);
        b.asFloatBuffer().get(values);
        return new Array(dims, values);
    }
}
