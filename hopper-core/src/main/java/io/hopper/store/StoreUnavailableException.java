package io.hopper.store;

/**
 * The store stayed unreachable for longer than its retry time (PostgreSQL's {@code --store-retry}): the run stops
 * (its checkpoint stays in place for {@code --resume}) instead of failing units one by one.
 */
public final class StoreUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A failure with its one-line message and the last underlying failure. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
