// Accounts for the soak, written straight into the database before the server starts.
import { createApp, createToken, createUser } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config.js';
import { closeServices, createServices } from '../../src/services.js';
import type { SoakUser } from './traffic.js';

/** `count` users (every fifth protected) with OAuth 1.0a tokens of one app. */
export async function seed(db: string, count: number): Promise<SoakUser[]> {
  const s = await createServices(loadConfig({ db, redisUrl: null }, {}));
  try {
    const app = await createApp(s.store, s.ids, s.clock, 'soak');
    const users: SoakUser[] = [];
    for (let i = 0; i < count; i++) {
      const user = await createUser(s.store, s.ids, s.clock, { screenName: `soak_${i}`, name: `Soak ${i}`, protected: i % 5 === 4 });
      const t = await createToken(s.store, s.clock, app, user);
      users.push({
        id: user.id.toString(), screenName: user.screenName,
        creds: { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, secret: t.secret },
      });
    }
    return users;
  } finally {
    await closeServices(s);
  }
}
