// A graph without follow limits, for store tests that drive the rules directly.
export const NO_FOLLOW_LIMITS = { followsPerDay: null, followsPerAppPerDay: null, followingCap: null, followingRatio: 1.1 };
export const NO_QUOTA = { take: async () => true };
