package io.ancdb.typed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An index over several components of the record, in the order given; named
 * {@code <table>_<f1>_<f2>...}. Repeatable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(CompositeIndexes.class)
public @interface CompositeIndex {
    /** Component names, in index key order. */
    String[] fields();
}
