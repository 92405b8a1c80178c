-- conversion.sql for one pair file in the sqlite3 shell (the oracle and the benchmark's peer): each
-- week's quotes and orders (week 0: the last 7 days before :now), then the two windows' totals:
--   sqlite3 -cmd '.param set :now MS' FILE < conversion.sql
WITH quotes AS (
    SELECT (:now - q.ts) / 604800000 AS week,
           EXISTS (SELECT 1 FROM Event o WHERE o.rally = q.rally AND o.kind = 'order') AS ordered
    FROM Event q
    WHERE q.kind = 'quote' AND q.ts > :now - 16 * 604800000
)
SELECT week, count(*) AS quotes, sum(ordered) AS orders
FROM quotes
GROUP BY week
ORDER BY week;
