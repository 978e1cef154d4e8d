package io.hopper.store;

import java.nio.file.Path;

/**
 * Opens the store a {@code --store} location names: a {@code jdbc:postgresql:} URL or a directory.
 */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens a store.
     *
     * @param location a {@code jdbc:postgresql://host:port/db?user=u} URL for a {@link PostgresStore}, or a
     *                 directory (created on the first write) for a {@link FileStore}; other {@code jdbc:} URLs
     *                 and blank locations are refused
     */
    public static Store open(String location) {
        return open(location, PostgresStore.DEFAULT_RETRY);
    }

    /**
     * Opens a store whose PostgreSQL operations retry for up to {@code retry} when the connection drops or the server
     * restarts (a directory store does not use it).
     */
    public static Store open(String location, java.time.Duration retry) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("--store: the location is empty; give a directory such as "
                    + FileStore.DEFAULT_DIRECTORY + " or a jdbc:postgresql://host:port/db?user=u URL");
        }
        if (location.startsWith(PostgresStore.URL_PREFIX)) {
            return new PostgresStore(location, PostgresStore.DEFAULT_POOL_SIZE, retry);
        }
        if (location.startsWith("jdbc:")) {
            throw new IllegalArgumentException("--store: '" + PostgresStore.redact(location) + "' is not a "
                    + PostgresStore.URL_PREFIX + " URL; Hopper stores tables in PostgreSQL or in a directory");
        }
        return new FileStore(Path.of(location));
    }
}
