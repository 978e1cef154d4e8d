package io.hopper.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens input files, gzip or plain (told apart by the gzip magic bytes 1f 8b), and words their I/O errors. */
final class InputFiles {
    private static final int BUFFER = 1 << 16;

    private InputFiles() {
    }

    /**
     * Opens a file for reading, decompressing it when it starts with the gzip magic bytes.
     *
     * @param what how messages name the input, e.g. {@code csv:data.csv}
     * @param path the file
     */
    static InputStream open(String what, Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(what + ": file '" + path + "' not found; check the path");
        }
        try {
            BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), BUFFER);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try {
                    return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
                } catch (IOException e) {
                    in.close();
                    throw e;
                }
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": file '" + path + "' not found; check the path", e);
        } catch (IOException e) {
            throw failure(what, path, "at its start", e);
        }
    }

    /**
     * The exception for an I/O error while reading a file: a truncated or corrupt file is bad input
     * (IllegalArgumentException), anything else an UncheckedIOException.
     *
     * @param where where in the file, e.g. "at line 7"
     */
    static RuntimeException failure(String what, Path path, String where, IOException e) {
        if (e instanceof EOFException) {
            return new IllegalArgumentException(what + ": file '" + path + "' is truncated: it ends early " + where
                    + "; copy or download it again", e);
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return new IllegalArgumentException(what + ": file '" + path + "' is not valid UTF-8 " + where
                    + "; convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8), so that labels differing in other bytes stay apart", e);
        }
        if (e instanceof ZipException) {
            return new IllegalArgumentException(what + ": file '" + path + "' is not valid gzip (" + e.getMessage() + ") "
                    + where + "; copy or download it again", e);
        }
        return new UncheckedIOException(what + ": cannot read '" + path + "' " + where + ": " + e.getMessage(), e);
    }
}
