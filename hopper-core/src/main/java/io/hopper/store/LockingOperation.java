package io.hopper.store;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * What every store's operation shares: the sorted set of tables it locked (the order in which it locks them, so two
 * operations never wait for each other in a cycle) and the rule that a finished operation takes no more changes.
 */
abstract class LockingOperation implements StoreOperation {
    private final SortedSet<String> lockedTables;
    private boolean finished;

    /**
     * @param tables the tables the operation may change
     * @param requireName checks a table name and returns it (IllegalArgumentException for a name the store refuses)
     */
    LockingOperation(Collection<String> tables, UnaryOperator<String> requireName) {
        TreeSet<String> names = new TreeSet<>();
        for (String t : tables) {
            names.add(requireName.apply(t));
        }
        this.lockedTables = Collections.unmodifiableSortedSet(names);
    }

    /** The tables this operation locks, sorted. */
    final SortedSet<String> lockedTables() {
        return lockedTables;
    }

    /** Whether the operation has committed or closed. */
    final boolean finished() {
        return finished;
    }

    /** Marks the operation finished: it takes no more changes. */
    final void finish() {
        finished = true;
    }

    /** Refuses a change to a table this operation did not lock, or any change once finished. */
    final void requireLocked(String table) {
        requireOpen();
        if (!lockedTables.contains(TableNames.requireTable(table))) {
            throw new IllegalStateException("table '" + table + "' is not one of the tables " + lockedTables
                    + " this operation locked; name it in begin");
        }
    }

    /** Refuses anything once the operation has committed or closed. */
    final void requireOpen() {
        if (finished) {
            throw new IllegalStateException("the operation on " + lockedTables + " is finished; begin a new one");
        }
    }

    /** Refuses a commit while one of the operation's table writers is still open. */
    static void requireWriterClosed(String table, boolean open) {
        if (open) {
            throw new IllegalStateException("the writer of table '" + table + "' is still open; commit or close it"
                    + " before the operation commits");
        }
    }
}
