// An emulator with one app (democonsumerkey / democonsumersecret), the named users each holding a
// token of it, rate limits off, and a webhook receiver that checks that app's signatures.
import { startEmulator, type EmulatorHarness } from './emulator.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

export const DEMO_SECRET = 'democonsumersecret';

export async function startWebhookEmulator(users: readonly string[]): Promise<{ h: EmulatorHarness; rx: Receiver; close(): Promise<void> }> {
  const fixture = [
    'apps:',
    `  demo: { consumer_key: democonsumerkey, consumer_secret: ${DEMO_SECRET} }`,
    'users:', ...users.map((u) => `  ${u}: {}`),
    'tokens:', ...users.map((u) => `  ${u}: { app: demo }`),
  ].join('\n');
  const h = await startEmulator(fixture, {}, false);
  const rx = await startReceiver(() => DEMO_SECRET);
  return { h, rx, close: async () => { await h.close(); await rx.close(); } };
}
