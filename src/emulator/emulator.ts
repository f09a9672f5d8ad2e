// Emulator mode's state around one server: the controlled clock, the seeded generators, the
// fixture it returns to, fault rules and the request log; and reset and restore, which rebuild the
// services in place on an emptied or a snapshot's database (routes hold the Services object, so
// they see the new ones).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../clock.js';
import type { EmulatorConfig, ServerConfig } from '../config.js';
import { closeServices, createServices, type ServiceOptions, type Services } from '../services.js';
import { callerId } from './callers.js';
import { ControlledClock } from './controlled-clock.js';
import { FaultBook, faultSpecJson, parseFaultSpec, type FaultSpec } from './fault-rules.js';
import { FixtureError, parseFixture, type Fixture } from './fixture.js';
import { loadFixture, type LoadedFixture } from './fixture-loader.js';
import { checkEmulatorOwns, freshEmulatorDatabase } from './owned-db.js';
import { RequestLog } from './request-log.js';
import { replaceDatabase, SnapshotError, type OutsideState } from './snapshots.js';
import { SeededRandom } from './seeded-random.js';
import { Signal } from '../signal.js';

export class EmulatorConfigError extends Error {}

/** The fixture `serve --emulator` loads unless told otherwise. */
export const DEMO_FIXTURE = fileURLToPath(new URL('../../fixtures/demo.yaml', import.meta.url));

/** Generator streams of one seed: credentials and fault coin flips never shift each other. */
const TOKENS_STREAM = 0;
const FAULTS_STREAM = 1;
const REQUEST_IDS_STREAM = 2;

const EMPTY: LoadedFixture = { apps: new Map(), users: new Map(), tokens: new Map() };

export function readFixtureFile(path: string): Fixture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FixtureError(`cannot read fixture ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseFixture(text, path);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An address only this machine can reach: the emulator's admin token and fixture credentials stay on it. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** The fixture's names, as a snapshot kept them, back to the rows they name (those still there). */
async function namedRows(s: Services, names: OutsideState['names']): Promise<LoadedFixture> {
  const out: LoadedFixture = { apps: new Map(), users: new Map(), tokens: new Map() };
  for (const [name, id] of Object.entries(names.apps)) {
    const app = await s.store.appById(BigInt(id));
    if (app) out.apps.set(name, app);
  }
  for (const [name, id] of Object.entries(names.users)) {
    const user = await s.store.userById(BigInt(id));
    if (user) out.users.set(name, user);
  }
  for (const [name, token] of Object.entries(names.tokens)) {
    const row = await s.store.tokenByValue(token);
    const user = row && await s.store.userById(row.userId);
    const app = row && await s.store.appById(row.appId);
    if (row && user && app) out.tokens.set(name, { name, row, user, app });
  }
  return out;
}

export class Emulator {
  readonly clock: ControlledClock;
  readonly requests = new RequestLog();
  readonly adminToken: string;
  faults: FaultBook;
  /** emitted after a fault rule is added, removed or fires, whichever book holds it */
  readonly faultsChanged = new Signal();
  /** emitted after a reset, a fixture load or a restore (which build new services) */
  readonly stateChanged = new Signal();
  /** what the last load created, by name (set with setLoaded) */
  loaded: LoadedFixture = EMPTY;
  /** access token -> fixture token name, kept beside `loaded` for each request's caller name */
  tokenNames = new Map<string, string>();
  private credentials: SeededRandom;
  private requestIds: SeededRandom;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly settings: EmulatorConfig, private fixture: Fixture | null, private readonly tempDir: string | null) {
    this.clock = new ControlledClock(settings.clock);
    this.adminToken = settings.adminToken ?? randomBytes(24).toString('base64url');
    this.credentials = new SeededRandom(settings.seed, TOKENS_STREAM);
    this.faults = this.freshFaults();
    this.requestIds = new SeededRandom(settings.seed, REQUEST_IDS_STREAM);
  }

  /** The x-transaction-id of the next request: drawn from the seed, so replies repeat byte for byte. */
  nextRequestId(): string {
    const half = () => this.requestIds.int(0, 0xffffffff).toString(16).padStart(8, '0');
    return half() + half();
  }

  /**
   * Checks the settings, reads the fixture and empties (or creates) the database the emulator
   * owns; returns the config to start the server with.
   */
  static prepare(config: ServerConfig): { emulator: Emulator; config: ServerConfig } {
    const settings = config.emulator;
    if (!settings) throw new EmulatorConfigError('emulator mode is off');
    if (/^postgres(ql)?:\/\//.test(config.db)) throw new EmulatorConfigError('emulator mode runs on a SQLite file (it empties it on reset), not PostgreSQL');
    if (config.redisUrl) throw new EmulatorConfigError('emulator mode keeps its state in one process; unset REDIS_URL');
    if (config.workers > 1) throw new EmulatorConfigError('emulator mode runs one process; drop --workers');
    if (!settings.expose && !isLoopback(config.host)) {
      throw new EmulatorConfigError(`emulator mode binds only loopback addresses, not ${config.host}: its admin routes and fixture `
        + 'credentials are for local tests; pass --expose (or ROOST_EMULATOR_EXPOSE=1) to serve it on another address');
    }
    if (!settings.tempDb) checkEmulatorOwns(config.db);
    const fixture = settings.fixture === 'none' ? null : readFixtureFile(settings.fixture ?? DEMO_FIXTURE);
    const tempDir = settings.tempDb ? mkdtempSync(join(tmpdir(), 'roost-emulator-')) : null;
    const db = tempDir ? join(tempDir, 'roost.db') : config.db;
    freshEmulatorDatabase(db);
    return { emulator: new Emulator(settings, fixture, tempDir), config: { ...config, db } };
  }

  /** What the server adds to every Services it builds (metrics), so a reset keeps it. */
  instrumentation: { options: ServiceOptions; decorate(services: Services): void } = { options: {}, decorate: () => undefined };

  serviceOptions(): ServiceOptions {
    return { ...this.instrumentation.options, snowflakeWorker: BigInt(this.settings.seed % 1024), signatureClock: systemClock, explainAuth: true };
  }

  /** Loads the fixture into fresh services and points their rate limiter at the window rules. */
  async start(services: Services): Promise<void> {
    this.attach(services);
    this.setLoaded(this.fixture ? await loadFixture(services, this.fixture, this.credentials) : EMPTY);
    for (const spec of this.fixture?.faults ?? []) this.faults.add(spec);
  }

  /**
   * Back to the state of a fresh start: an empty database with the fixture loaded, the clock at
   * its start, the generators reseeded, no rate-limit windows, nonces, fault rules or logged
   * requests. `fixture` replaces the one reset returns to. Requests in flight are not waited for.
   */
  reset(services: Services, fixture?: Fixture | null): Promise<void> {
    return this.changingState(async () => {
      const previous = this.fixture;
      try {
        await this.rebuild(services, fixture === undefined ? previous : fixture);
      } catch (err) {
        // A new fixture the graph rules refuse: back to the old one, so no half-loaded state stays.
        if (fixture === undefined) throw err;
        await this.rebuild(services, previous);
        throw err;
      }
    });
  }

  /** Runs `work` exclusively, then tells the watchers, whether it succeeded or fell back. */
  private changingState(work: () => Promise<void>): Promise<void> {
    return this.exclusive(work).finally(() => this.stateChanged.emit());
  }

  /** Runs `work` after any reset, restore or snapshot under way, and holds the next ones until it ends. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** What a snapshot keeps beside the database: the clock, fault rules, the fixture's names, the last id. */
  outsideState(services: Services): OutsideState {
    const ids = <T>(m: Map<string, T>, id: (v: T) => string) => Object.fromEntries([...m].map(([n, v]) => [n, id(v)]));
    return {
      clock: { mode: this.clock.mode, now_ms: this.clock.now() },
      faults: this.faults.list().map(faultSpecJson),
      names: {
        apps: ids(this.loaded.apps, (a) => a.id.toString()),
        users: ids(this.loaded.users, (u) => u.id.toString()),
        tokens: ids(this.loaded.tokens, (t) => t.row.token),
      },
      // Read, not minted: saving a snapshot leaves the ids that follow as they would have been.
      last_id: (services.ids.last() ?? services.ids.next()).toString(),
    };
  }

  /**
   * Back to a snapshot: the services stop as for a reset, `file` replaces the database, the clock,
   * fault rules and names are set from `state`, and new services start on it. What reset returns
   * to, the request log and rate-limit windows are left as they are.
   */
  restore(services: Services, file: string, state: OutsideState): Promise<void> {
    // Refused before anything stops.
    let faults: FaultSpec[];
    try {
      faults = state.faults.map((f) => parseFaultSpec(f));
    } catch (err) {
      throw new SnapshotError(`the snapshot's fault rules: ${(err as Error).message}`);
    }
    return this.changingState(async () => {
      checkEmulatorOwns(services.config.db);
      let closed = false;
      try {
        await closeServices(services);
        closed = true;
        replaceDatabase(services.config.db, file);
        this.clock.setMode(state.clock.mode);
        this.clock.set(state.clock.now_ms);
        this.faults = this.freshFaults();
        for (const spec of faults) this.faults.add(spec);
        await this.reopen(services);
        closed = false;
        services.ids.resumeAfter(BigInt(state.last_id));
        this.attach(services);
        this.setLoaded(await namedRows(services, state.names));
      } catch (err) {
        // A copy that would not open: back to the fixture, so the server serves on.
        await this.rebuild(services, this.fixture, closed);
        throw err;
      }
    });
  }

  /** New services on the database as it now is, in place of the closed ones. */
  private async reopen(services: Services): Promise<void> {
    Object.assign(services, await createServices(services.config, this.clock, this.serviceOptions()));
    this.instrumentation.decorate(services);
  }

  /** No fault rules, their chances drawn from the seed; their changes told through the same signal. */
  private freshFaults(): FaultBook {
    return new FaultBook(new SeededRandom(this.settings.seed, FAULTS_STREAM), this.faultsChanged);
  }

  private setLoaded(loaded: LoadedFixture): void {
    this.loaded = loaded;
    this.tokenNames = new Map([...loaded.tokens.values()].map((t) => [t.row.token, t.name]));
  }

  /** Points the rate limiter at the window fault rules. */
  private attach(services: Services): void {
    services.limiter.windowRule = (caller, endpoint) => this.faults.windowFor(endpoint.rateKey, callerId(caller, this.tokenNames).names);
  }

  private async rebuild(services: Services, fixture: Fixture | null, closed = false): Promise<void> {
    // Before anything closes: a database that is no longer the emulator's stays as it is, and so does the server.
    checkEmulatorOwns(services.config.db);
    if (!closed) await closeServices(services);
    freshEmulatorDatabase(services.config.db);
    this.fixture = fixture;
    this.clock.restart();
    this.credentials = new SeededRandom(this.settings.seed, TOKENS_STREAM);
    this.faults = this.freshFaults();
    this.requestIds = new SeededRandom(this.settings.seed, REQUEST_IDS_STREAM);
    this.requests.clear();
    await this.reopen(services);
    await this.start(services);
  }

  close(): void {
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}
