// Why a graph rule refused. Each API renders these in its own format (v1.1 codes, v2 problems).
export type GraphRefusal =
  | 'self-follow'
  | 'self-mute'
  | 'not-muting'
  | 'already-requested'
  | 'blocked-by-target'
  | 'blocking-target'
  | 'follow-limit'
  | 'target-suspended'
  | 'target-not-found'
  | 'no-pending-request';

export class GraphRuleError extends Error {
  constructor(readonly reason: GraphRefusal, readonly target?: { screenName: string }) {
    super(reason);
  }
}
