// The accounts the authorization tests act on: pat is protected; fan follows pat (accepted);
// req's request to pat is pending; pat follows pub, blocks blk and mutes mtd; eve is a stranger
// who tries to see or change all of it.
import type { Harness, TestUser } from './harness.js';

export interface AuthorizationCast {
  pat: TestUser;
  fan: TestUser;
  req: TestUser;
  eve: TestUser;
  blk: TestUser;
  mtd: TestUser;
  pub: TestUser;
}

const ROLES = ['pat', 'fan', 'req', 'eve', 'blk', 'mtd', 'pub'] as const;

/** Creates the cast with screen names `<prefix>_<role>` and the relationships above. */
export async function authorizationCast(h: Harness, prefix: string): Promise<AuthorizationCast> {
  const users = await Promise.all(ROLES.map((r) => h.user(`${prefix}_${r}`, { protected: r === 'pat' })));
  const cast = Object.fromEntries(ROLES.map((r, i) => [r, users[i]!])) as unknown as AuthorizationCast;
  const { pat, fan, req, blk, mtd, pub } = cast;
  const g = h.server.services.graph;
  const as = (u: TestUser) => ({ userId: u.user.id, appId: h.app.id });
  await g.follow(as(fan), pat.user.id, { notify: false });
  await g.accept(as(pat), fan.user.id);
  await g.follow(as(req), pat.user.id, { notify: false });
  await g.follow(as(pat), pub.user.id, { notify: false });
  await g.block(as(pat), blk.user.id);
  await g.mute(as(pat), mtd.user.id);
  return cast;
}
