// Counts from edges for every user in one statement (grouped scans of the edge tables; a count
// holds the rows not hidden, so no user is joined per edge), kept in a temporary table for the
// caller to compare (DRIFT_SQL) or write back (REPAIR_SQL).

export const RECOUNT_SQL = `
CREATE TEMP TABLE actual_counts ON COMMIT DROP AS
SELECT u.id, coalesce(f.n, 0)::int AS followers, coalesce(g.n, 0)::int AS friends
FROM users u
LEFT JOIN (SELECT dst AS id, count(*) AS n FROM edges_bwd WHERE kind = 0 AND hidden = false GROUP BY dst) f ON f.id = u.id
LEFT JOIN (SELECT src AS id, count(*) AS n FROM edges_fwd WHERE kind = 0 AND hidden = false GROUP BY src) g ON g.id = u.id`;

// Stored counts are a user's row plus its stripes (migration 6); a repair sets the row to what
// the stripes do not hold, leaving the stripes to the writes that may be adding to them.
const STRIPES = 'LEFT JOIN (SELECT id, sum(followers)::int AS followers, sum(friends)::int AS friends FROM user_counts GROUP BY id) s ON s.id = u.id';
const STORED_FOLLOWERS = 'u.followers_count + coalesce(s.followers, 0)';
const STORED_FRIENDS = 'u.friends_count + coalesce(s.friends, 0)';

export const DRIFT_SQL = `
SELECT u.id, ${STORED_FOLLOWERS} AS followers_count, ${STORED_FRIENDS} AS friends_count, a.followers, a.friends
FROM users u JOIN actual_counts a ON a.id = u.id ${STRIPES}
WHERE ${STORED_FOLLOWERS} <> a.followers OR ${STORED_FRIENDS} <> a.friends ORDER BY u.id`;

export const REPAIR_SQL = `
UPDATE users u SET followers_count = a.followers - coalesce(s.followers, 0), friends_count = a.friends - coalesce(s.friends, 0)
FROM actual_counts a LEFT JOIN (SELECT id, sum(followers)::int AS followers, sum(friends)::int AS friends FROM user_counts GROUP BY id) s ON s.id = a.id
WHERE a.id = u.id AND (${STORED_FOLLOWERS} <> a.followers OR ${STORED_FRIENDS} <> a.friends)`;
