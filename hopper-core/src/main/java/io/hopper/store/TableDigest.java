package io.hopper.store;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a table's content: its column names and types, then every row in the order written, encoded as
 * {@link FileStore}'s data files encode rows. The same table gives the same digest in either store.
 */
public final class TableDigest {
    private TableDigest() {
    }

    /** The digest of {@code table} in lowercase hex; IllegalArgumentException when the table does not exist. */
    public static String sha256(Store store, String table) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        Schema schema = store.schema(table);
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), digest))) {
            out.writeInt(schema.size());
            for (Column c : schema.columns()) {
                out.writeUTF(c.name());
                out.writeUTF(c.type().name());
            }
            store.scan(table, row -> {
                try {
                    RowCodec.write(out, schema, row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
