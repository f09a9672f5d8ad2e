// Counts from edges for every user at once. Each user's edges are counted on the edge tables'
// primary keys, then corrected for the few edges whose other end is not active (counts hold
// active users only), instead of joining users for every edge. The result sits in a temporary
// table for the caller to compare (DRIFT_SQL) or write back (REPAIR_SQL).

export const RECOUNT_SQL = `
DROP TABLE IF EXISTS temp.actual_counts;
CREATE TEMP TABLE actual_counts (id INTEGER PRIMARY KEY, followers INTEGER NOT NULL, friends INTEGER NOT NULL);
INSERT INTO actual_counts SELECT id,
  (SELECT count(*) FROM edges_bwd e WHERE e.kind = 0 AND e.dst = users.id),
  (SELECT count(*) FROM edges_fwd e WHERE e.kind = 0 AND e.src = users.id)
FROM users;
UPDATE actual_counts SET followers = followers - c.n FROM (
  SELECT e.dst AS id, count(*) AS n FROM users x JOIN edges_fwd e ON e.kind = 0 AND e.src = x.id WHERE x.state <> 0 GROUP BY e.dst
) AS c WHERE actual_counts.id = c.id;
UPDATE actual_counts SET friends = friends - c.n FROM (
  SELECT e.src AS id, count(*) AS n FROM users x JOIN edges_bwd e ON e.kind = 0 AND e.dst = x.id WHERE x.state <> 0 GROUP BY e.src
) AS c WHERE actual_counts.id = c.id;
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
