// Counts from edges for every user in one statement (grouped scans of the edge tables; a count
// holds the rows not hidden, so no user is joined per edge), kept in a temporary table for the
// caller to compare (DRIFT_SQL) or write back (REPAIR_SQL).

export const RECOUNT_SQL = `
CREATE TEMP TABLE actual_counts ON COMMIT DROP AS
SELECT u.id, coalesce(f.n, 0)::int AS followers, coalesce(g.n, 0)::int AS friends
FROM users u
LEFT JOIN (SELECT dst AS id, count(*) AS n FROM edges_bwd WHERE kind = 0 AND hidden = false GROUP BY dst) f ON f.id = u.id
LEFT JOIN (SELECT src AS id, count(*) AS n FROM edges_fwd WHERE kind = 0 AND hidden = false GROUP BY src) g ON g.id = u.id`;

export const DRIFT_SQL = `
SELECT u.id, u.followers_count, u.friends_count, a.followers, a.friends FROM users u JOIN actual_counts a ON a.id = u.id
WHERE u.followers_count <> a.followers OR u.friends_count <> a.friends ORDER BY u.id`;

export const REPAIR_SQL = `
UPDATE users u SET followers_count = a.followers, friends_count = a.friends FROM actual_counts a
WHERE a.id = u.id AND (u.followers_count <> a.followers OR u.friends_count <> a.friends)`;
