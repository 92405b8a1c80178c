-- Did a pair's quote-to-order conversion drop? Per pair and week (counted back from "now", the
-- newest event of the store; week 0 is the last 7 days), the share of the week's quotes that got an
-- order. Flags the pairs whose conversion in the last 3 weeks is 40 % or more below the 13 weeks
-- before; shows the weekly rates of those 16 weeks, oldest first.
-- Run: java -jar analytics/target/ancdb-analytics.jar sql --store DIR --file analytics/sql/conversion.sql
WITH now AS (SELECT max(ts) AS t, 604800000::BIGINT AS week_ms FROM Event),
quotes AS (
    SELECT q.db, (t - q.ts) // week_ms AS week,
           EXISTS (SELECT 1 FROM Event o WHERE o.db = q.db AND o.rally = q.rally AND o.kind = 'order') AS ordered
    FROM Event q, now
    WHERE q.kind = 'quote' AND q.ts > t - 16 * week_ms
),
weekly AS (
    SELECT db, week, count(*) AS quotes, count(*) FILTER (WHERE ordered) AS orders
    FROM quotes
    GROUP BY db, week
),
figures AS (
    SELECT db,
           sum(orders) FILTER (WHERE week >= 3) / sum(quotes) FILTER (WHERE week >= 3) AS rate_before,
           sum(orders) FILTER (WHERE week < 3) / sum(quotes) FILTER (WHERE week < 3) AS rate_recent,
           list(round(orders / quotes, 2) ORDER BY week DESC) AS weekly
    FROM weekly
    GROUP BY db
)
SELECT db AS pair, round(rate_before, 3) AS rate_before, round(rate_recent, 3) AS rate_recent,
       round(100 * (1 - rate_recent / rate_before), 1) AS drop_pct, weekly
FROM figures
WHERE rate_recent <= 0.6 * rate_before
ORDER BY drop_pct DESC, pair
