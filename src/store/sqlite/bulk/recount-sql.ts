// Counts from edges for every user at once, each on the edge tables' primary keys: a count holds
// the rows not hidden (the user each names is active), so no user is looked up per edge. The
// result sits in a temporary table for the caller to compare (DRIFT_SQL) or write back (REPAIR_SQL).

export const RECOUNT_SQL = `
DROP TABLE IF EXISTS temp.actual_counts;
CREATE TEMP TABLE actual_counts (id INTEGER PRIMARY KEY, followers INTEGER NOT NULL, friends INTEGER NOT NULL);
INSERT INTO actual_counts SELECT id,
  (SELECT count(*) FROM edges_bwd e WHERE e.kind = 0 AND e.dst = users.id AND e.hidden = 0),
  (SELECT count(*) FROM edges_fwd e WHERE e.kind = 0 AND e.src = users.id AND e.hidden = 0)
FROM users;
`;

export const DRIFT_SQL = `
SELECT u.id, u.followers_count, u.friends_count, a.followers, a.friends
FROM users u JOIN actual_counts a ON a.id = u.id
WHERE u.followers_count <> a.followers OR u.friends_count <> a.friends
ORDER BY u.id`;

export const REPAIR_SQL = `
UPDATE users SET followers_count = a.followers, friends_count = a.friends FROM actual_counts AS a
WHERE users.id = a.id AND (users.followers_count <> a.followers OR users.friends_count <> a.friends);
DROP TABLE temp.actual_counts;`;

export const FORGET_SQL = 'DROP TABLE temp.actual_counts';
