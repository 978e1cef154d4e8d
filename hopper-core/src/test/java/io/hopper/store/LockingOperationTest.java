package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class LockingOperationTest {
    /** The smallest operation: records nothing, so the base class's rules are all there is. */
    private static final class Bare extends LockingOperation {
        Bare(List<String> tables) {
            super(tables, TableNames::requireTable);
        }

        @Override
        public boolean exists(String table) {
            requireOpen();
            return false;
        }

        @Override
        public TableWriter create(String table, Schema schema, String partitionColumn) {
            requireLocked(table);
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public void replace(String table, Schema schema, List<Row> rows) {
            requireLocked(table);
        }

        @Override
        public void drop(String table) {
            requireLocked(table);
        }

        @Override
        public void commit() {
            finish();
        }

        @Override
        public void close() {
            finish();
        }
    }

    @Test
    void tablesAreLockedInSortedOrderAndNamesAreChecked() {
        assertEquals(List.of("a", "b", "c"), List.copyOf(new Bare(List.of("c", "a", "b", "a")).lockedTables()));
        assertThrows(IllegalArgumentException.class, () -> new Bare(List.of("ok", "../etc")));
    }

    @Test
    void aTableNotLockedIsRefusedNamingTheLockedOnes() {
        Bare op = new Bare(List.of("o", "o_info"));
        op.drop("o_info");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.drop("o_summary"));
        assertEquals("table 'o_summary' is not one of the tables [o, o_info] this operation locked; name it in begin",
                e.getMessage());
    }

    @Test
    void aFinishedOperationTakesNoMoreChanges() {
        Bare op = new Bare(List.of("o"));
        op.commit();
        assertEquals("the operation on [o] is finished; begin a new one",
                assertThrows(IllegalStateException.class, () -> op.drop("o")).getMessage());
        assertThrows(IllegalStateException.class, () -> op.exists("o"));
    }

    @Test
    void aCommitWithAnOpenWriterIsRefused() {
        LockingOperation.requireWriterClosed("o", false);
        assertEquals("the writer of table 'o' is still open; commit or close it before the operation commits",
                assertThrows(IllegalStateException.class, () -> LockingOperation.requireWriterClosed("o", true)).getMessage());
    }
}
