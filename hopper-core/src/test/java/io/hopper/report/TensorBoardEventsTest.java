package io.hopper.report;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorBoardEventsTest {
    @Test
    void masksCrc32cAsTensorFlowDoes() {
        // CRC32C("123456789") = 0xE3069283 (RFC 3720); masked = rotr(crc, 15) + 0xA282EAD8.
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        int crc = 0xE3069283;
        assertEquals(((crc >>> 15) | (crc << 17)) + 0xa282ead8, TensorBoardEvents.maskedCrc(data, 0, data.length));
    }
}
