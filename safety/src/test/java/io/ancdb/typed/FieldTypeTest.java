package io.ancdb.typed;

import io.ancdb.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldTypeTest {
    @Test
    void wireNamesAndDeclaredTypes() {
        assertEquals(List.of("i64", "u64", "f64", "bool", "str", "bytes", "f32vec", "i8vec", "strlist"),
                Arrays.stream(FieldType.values()).map(FieldType::wireName).toList());
        assertEquals(List.of("INTEGER", "INTEGER", "REAL", "INTEGER", "TEXT", "BLOB", "BLOB", "BLOB", "TEXT"),
                Arrays.stream(FieldType.values()).map(FieldType::declType).toList());
        assertEquals("BLOB", FieldType.STR.declType(true));
        assertEquals("TEXT", FieldType.STR.declType(false));
        assertEquals("BLOB", FieldType.BYTES.declType(true));
    }

    @Test
    void fromWireNameRoundTripsAndRejectsUnknown() {
        for (FieldType t : FieldType.values()) {
            assertEquals(t, FieldType.fromWireName(t.wireName()));
        }
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> FieldType.fromWireName("int"));
        assertEquals(1, e.code());
        assertTrue(e.getMessage().contains("int"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> FieldType.fromWireName("I64"));
        assertThrows(InvalidArgumentException.class, () -> FieldType.fromWireName(null));
    }

    @Test
    void predicates() {
        assertTrue(FieldType.I64.isInteger());
        assertTrue(FieldType.U64.isInteger());
        assertFalse(FieldType.BOOL.isInteger());
        assertTrue(FieldType.I8VEC.isVector());
        assertFalse(FieldType.STRLIST.isVector());
        assertTrue(FieldType.BYTES.compressible());
        assertFalse(FieldType.F32VEC.compressible());
    }
}
