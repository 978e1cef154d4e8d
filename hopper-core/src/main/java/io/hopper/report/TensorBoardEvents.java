package io.hopper.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes a TensorBoard event file: TFRecord frames (length, masked CRC32C of the length, an {@code Event} protocol
 * buffer, masked CRC32C of it) holding a {@code file_version} event and then scalar summaries.
 *
 * <p>Only the protocol buffer fields TensorBoard's scalar plugin reads are written: {@code Event.wall_time} (1,
 * double), {@code Event.step} (2, int64), {@code Event.file_version} (3, string), {@code Event.summary} (5), whose
 * {@code Summary.value} (1) holds {@code Value.tag} (1, string) and {@code Value.simple_value} (2, float).
 */
final class TensorBoardEvents {
    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    /** Starts an event file on {@code out} with the {@code brain.Event:2} file version event. */
    TensorBoardEvents(OutputStream out, double wallTime) throws IOException {
        this.out = out;
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        fixed64(event, 1, Double.doubleToLongBits(wallTime));
        bytes(event, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
        record(event.toByteArray());
    }

    /** Appends one scalar at {@code step}. */
    void scalar(String tag, long step, double wallTime, float value) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        bytes(v, 1, tag.getBytes(StandardCharsets.UTF_8));
        key(v, 2, 5);
        v.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        bytes(summary, 1, v.toByteArray());
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        fixed64(event, 1, Double.doubleToLongBits(wallTime));
        key(event, 2, 0);
        varint(event, step);
        bytes(event, 5, summary.toByteArray());
        record(event.toByteArray());
    }

    /** TensorBoard's masked CRC32C. */
    static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private void record(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        ByteBuffer frame = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        frame.put(length).putInt(maskedCrc(length, 0, 8)).put(data).putInt(maskedCrc(data, 0, data.length));
        out.write(frame.array());
    }

    private static void key(ByteArrayOutputStream b, int field, int wireType) {
        varint(b, ((long) field << 3) | wireType);
    }

    private static void varint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }

    private static void fixed64(ByteArrayOutputStream b, int field, long bits) {
        key(b, field, 1);
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits).array());
    }

    private static void bytes(ByteArrayOutputStream b, int field, byte[] data) {
        key(b, field, 2);
        varint(b, data.length);
        b.writeBytes(data);
    }
}
