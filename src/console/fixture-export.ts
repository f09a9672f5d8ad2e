// The whole state as a fixture (docs/emulator.md's format): every account with its profile and
// flags, the fixture's apps and tokens with their credentials fixed, every edge by name and the
// fault rules. Loading it from an empty database gives back the same names, credentials, edges and
// counts (ids are new: they are snowflakes of the moment of loading).
import { stringify } from 'yaml';
import type { Emulator } from '../emulator/emulator.js';
import { faultSpecJson } from '../emulator/fault-rules.js';
import { EDGE_SECTIONS, type EdgeSection } from '../emulator/fixture.js';
import type { Services } from '../services.js';
import type { GraphKind, UserRow } from '../store/types.js';

const KIND: Record<EdgeSection, GraphKind> = { follows: 'follow', requests: 'request', blocks: 'block', mutes: 'mute' };

function userEntry(u: UserRow): Record<string, unknown> {
  const out: Record<string, unknown> = { name: u.name };
  if (u.description) out.description = u.description;
  if (u.location) out.location = u.location;
  if (u.url) out.url = u.url;
  if (u.email) out.email = u.email;
  if (u.protected) out.protected = true;
  if (u.verified) out.verified = true;
  if (u.state === 'suspended') out.suspended = true;
  if (u.state === 'deactivated') out.deactivated = true;
  if (u.locked) out.locked = true;
  return out;
}

export async function exportFixture(s: Services, emulator: Emulator): Promise<string> {
  const ids = await s.store.allUserIds();
  const users = await s.store.usersByIds(ids);
  const name = (id: bigint) => users.get(id)!.screenName;
  const apps: Record<string, unknown> = {};
  for (const [n, a] of emulator.loaded.apps) {
    const app = (await s.store.appById(a.id)) ?? a;
    apps[n] = {
      consumer_key: app.consumerKey, consumer_secret: app.consumerSecret,
      ...(app.bearerToken ? { bearer_token: app.bearerToken } : {}),
      ...(app.clientId ? { client_id: app.clientId } : {}),
      ...(app.clientId && app.clientSecret && app.clientType !== 'public' ? { client_secret: app.clientSecret } : {}),
      ...(app.callbackUrls.length > 0 ? { callback_urls: app.callbackUrls } : {}),
    };
  }
  const tokens: Record<string, unknown> = {};
  for (const [n, t] of emulator.loaded.tokens) {
    const live = await s.store.tokenByValue(t.row.token);
    const user = live && users.get(live.userId);
    if (!live || !user) continue;
    tokens[n] = { user: user.screenName, app: t.app.name, access: live.accessLevel, token: live.token, secret: live.secret };
  }
  const doc: Record<string, unknown> = {
    apps,
    users: Object.fromEntries(ids.map((id) => [name(id), userEntry(users.get(id)!)])),
    tokens,
  };
  for (const section of EDGE_SECTIONS) {
    const lines: string[] = [];
    for (const id of ids) {
      const out = await s.store.transaction((tx) => tx.allEdges(KIND[section], 'out', id));
      for (const dst of out) if (users.has(dst)) lines.push(`${name(id)} -> ${name(dst)}`);
    }
    doc[section] = lines;
  }
  doc.faults = emulator.faults.list().map(faultSpecJson);
  return `# roost state, exported at ${new Date(emulator.clock.now()).toISOString()} (emulator clock)\n${stringify(doc)}`;
}
