package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The SQL helpers that need no server; the ones that do are exercised by PostgresStoreIT. */
class PostgresSqlTest {
    @Test
    void everyColumnTypeReadsBackAsItselfFromItsOwnSqlType() {
        for (ColumnType type : ColumnType.values()) {
            String udt = switch (type) {
                case INT -> "int4";
                case BIGINT -> "int8";
                case DOUBLE -> "float8";
                case TEXT -> "text";
                case BOOLEAN -> "bool";
                case BYTES -> "bytea";
                case INT_ARRAY -> "_int4";
                case DOUBLE_ARRAY -> "_float8";
                case TEXT_ARRAY -> "_text";
            };
            assertEquals(type, PostgresSql.typeOf("table 't'", "c", udt), udt);
        }
        assertEquals(ColumnType.DOUBLE, PostgresSql.typeOf("table 't'", "c", "numeric"));
        assertEquals(ColumnType.INT, PostgresSql.typeOf("table 't'", "c", "serial"));
    }

    @Test
    void anUnreadTypeIsRefusedNamingTheColumnAndTheCastToUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresSql.typeOf("table 'events'", "at", "timestamptz"));
        assertTrue(e.getMessage().startsWith("table 'events' column 'at' has PostgreSQL type timestamptz, which Hopper does"
                + " not read; cast it to one of"), e.getMessage());
    }

    @Test
    void identifiersAreQuotedAndOthersRefused() {
        assertEquals("\"buffer_id\", \"x\"", PostgresSql.selectList(Schema.of("buffer_id", ColumnType.INT, "x", ColumnType.BYTES)));
        assertThrows(IllegalArgumentException.class, () -> PostgresSql.quote("x\"; DROP TABLE t; --"));
        assertEquals("SELECT a FROM t", PostgresSql.oneLine("SELECT  a\n\tFROM t \n"));
    }
}
