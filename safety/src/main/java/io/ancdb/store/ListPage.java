package io.ancdb.store;

import java.util.List;

/**
 * One page of {@link Store#list}: names in ASCII order.
 *
 * @param names the names of this page
 * @param next  pass as {@code after} for the next page; null when this page is the last
 */
public record ListPage(List<String> names, String next) {
}
