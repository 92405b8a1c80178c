-- lead_time.sql for one pair file in the sqlite3 shell (the oracle and the benchmark's peer): the
-- same figures, "now" given as a parameter:  sqlite3 -cmd '.param set :now MS' FILE < lead_time.sql
WITH lead AS (
    SELECT q.ts AS quoted, o.ts - q.ts AS lead_ms
    FROM Event q JOIN Event o ON o.rally = q.rally
    WHERE q.kind = 'quote' AND o.kind = 'order'
)
SELECT count(*) FILTER (WHERE quoted <= :now - 21 * 86400000 AND quoted > :now - 112 * 86400000) AS orders_before,
       avg(lead_ms) FILTER (WHERE quoted <= :now - 21 * 86400000 AND quoted > :now - 112 * 86400000) / 3600000.0
           AS hours_before,
       count(*) FILTER (WHERE quoted > :now - 21 * 86400000) AS orders_recent,
       avg(lead_ms) FILTER (WHERE quoted > :now - 21 * 86400000) / 3600000.0 AS hours_recent
FROM lead;
