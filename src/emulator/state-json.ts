// The emulator's state as JSON: credentials by fixture name (what `serve --emulator` prints and
// `load --json` writes) and the full dump of GET /_roost/state.
import { appJson, tokenJson } from '../admin/credentials-json.js';
import type { Services } from '../services.js';
import type { GraphKind } from '../store/types.js';
import type { Json } from '../wire/json.js';
import type { Emulator } from './emulator.js';
import { faultJson } from './fault-rules.js';
import { EDGE_SECTIONS, type EdgeSection } from './fixture.js';
import type { LoadedFixture } from './fixture-loader.js';

const KIND: Record<EdgeSection, GraphKind> = { follows: 'follow', requests: 'request', blocks: 'block', mutes: 'mute' };

/** Apps, users and tokens by their fixture names, with every secret a client needs. */
export function credentialsJson(loaded: LoadedFixture): Record<string, Json> {
  return {
    apps: Object.fromEntries([...loaded.apps].map(([name, a]) => [name, appJson(a)])),
    users: Object.fromEntries([...loaded.users].map(([name, u]) => [name, { id_str: u.id.toString(), screen_name: u.screenName }])),
    tokens: Object.fromEntries([...loaded.tokens].map(([name, t]) => [name, { ...(tokenJson(t.row, t.user) as Record<string, Json>), app: t.app.name }])),
  };
}

/** Every user with counts and flags, every edge as "a -> b", the fault rules and the clock. */
export async function stateJson(s: Services, emulator: Emulator): Promise<Json> {
  const ids = await s.store.allUserIds();
  const users = await s.store.usersByIds(ids);
  const name = (id: bigint) => users.get(id)?.screenName ?? id.toString();
  const edges: Record<string, string[]> = {};
  for (const section of EDGE_SECTIONS) {
    edges[section] = [];
    for (const id of ids) {
      const out = await s.store.transaction((tx) => tx.allEdges(KIND[section], 'out', id));
      for (const dst of out) edges[section]!.push(`${name(id)} -> ${name(dst)}`);
    }
  }
  return {
    seed: emulator.settings.seed,
    clock: { mode: emulator.clock.mode, now: new Date(emulator.clock.now()).toISOString(), now_ms: emulator.clock.now() },
    ...credentialsJson(emulator.loaded),
    accounts: Object.fromEntries(ids.map((id) => {
      const u = users.get(id)!;
      return [u.screenName, {
        id_str: id.toString(), followers_count: u.followersCount, friends_count: u.friendsCount,
        protected: u.protected, state: u.state, locked: u.locked,
      }];
    })),
    ...edges,
    faults: emulator.faults.list().map(faultJson),
  };
}
