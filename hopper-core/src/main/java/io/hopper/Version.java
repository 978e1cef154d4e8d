package io.hopper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Hopper's version, read from the build, and the versions of what it runs on, for provenance.
 */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/hopper/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/hopper/version.properties is missing from the build; rebuild with mvn package");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hopper's version, e.g. 0.1.0-SNAPSHOT. */
    public static String hopper() {
        return VERSION;
    }

    /** One line naming Hopper's, Java's and the OS's versions. */
    public static String describe() {
        return "hopper " + VERSION + " (Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ")";
    }
}
