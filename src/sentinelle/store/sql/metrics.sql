-- The pinned metrics (issue 2). {dims}, {group_by} and {where} are filled by Store.metrics.
-- Visits: per (workstation, service), a hit more than 30 minutes after the previous one starts a
-- new visit. A visit counts only when it holds a primary hit (auxiliary-only visits are background
-- loads); removing uncounted visits leaves the gaps of counted ones unchanged, so this equals the
-- definition applied to counted requests. A visit belongs to the dimensions of its first hit.
WITH ordered AS (
    SELECT *,
        CASE WHEN lag(ts) OVER w IS NULL OR ts - lag(ts) OVER w > INTERVAL 30 MINUTE
             THEN 1 ELSE 0 END AS new_visit
    FROM hits
    WHERE protocol = $protocol
    WINDOW w AS (PARTITION BY workstation, service ORDER BY ts, file_id, seq)
), numbered AS (
    SELECT *,
        sum(new_visit) OVER (PARTITION BY workstation, service ORDER BY ts, file_id, seq
                             ROWS UNBOUNDED PRECEDING) AS visit_no
    FROM ordered
), counted AS (
    SELECT *,
        bool_or(evidence = 'primary') OVER (PARTITION BY workstation, service, visit_no) AS counted
    FROM numbered
)
SELECT {dims}
    count(*) AS requests,
    count(*) FILTER (WHERE blocked) AS blocked,
    count(*) FILTER (WHERE new_visit = 1) AS visits,
    count(DISTINCT workstation) AS workstations,
    count(DISTINCT user_id) AS users,
    sum(bytes_out)::BIGINT AS bytes_out,
    sum(bytes_in)::BIGINT AS bytes_in
FROM counted
WHERE counted {where}
{group_by}
{order_by}
