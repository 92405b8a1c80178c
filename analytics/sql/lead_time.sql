-- Is a pair's ordering lead time growing? Quote-to-order lead time per pair, the last 3 weeks
-- against the 3 months (13 weeks) before them, by the time of the quote; "now" is the newest event
-- of the store. Flags the pairs whose lead time grew by 20 % or more.
-- Run: java -jar analytics/target/ancdb-analytics.jar sql --store DIR --file analytics/sql/lead_time.sql
WITH now AS (SELECT max(ts) AS t, 86400000::BIGINT AS day FROM Event),
lead AS (
    SELECT q.db, q.ts AS quoted, o.ts - q.ts AS lead_ms
    FROM Event q JOIN Event o ON o.db = q.db AND o.rally = q.rally
    WHERE q.kind = 'quote' AND o.kind = 'order'
),
figures AS (
    SELECT db,
           count(*) FILTER (WHERE quoted <= t - 21 * day AND quoted > t - 112 * day) AS orders_before,
           avg(lead_ms) FILTER (WHERE quoted <= t - 21 * day AND quoted > t - 112 * day) / 3600000.0
               AS hours_before,
           count(*) FILTER (WHERE quoted > t - 21 * day) AS orders_recent,
           avg(lead_ms) FILTER (WHERE quoted > t - 21 * day) / 3600000.0 AS hours_recent
    FROM lead, now
    GROUP BY db
)
SELECT db AS pair, orders_before, round(hours_before, 2) AS hours_before, orders_recent,
       round(hours_recent, 2) AS hours_recent, round(100 * (hours_recent / hours_before - 1), 1) AS growth_pct
FROM figures
WHERE hours_recent >= 1.2 * hours_before
ORDER BY growth_pct DESC, pair
