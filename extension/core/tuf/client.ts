/**
 * Keeps Sigstore's trusted_root.json current the TUF way (specification 1.0 §5): root rotation one
 * version at a time (each new root signed by the old and by itself), then timestamp, snapshot and
 * targets, each checked for its role's signatures, version (no rollback, no mix-and-match) and
 * expiry (no freeze), every download bounded (no endless data), and the target checked against its
 * length and hashes (no arbitrary software). Seeded with the root embedded at build time; what it
 * verifies is kept in the injected storage, so an unreachable repository leaves the last verified
 * state in force until it expires.
 */
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { ModelSealError } from '../errors.js';
import type { Clock, FetchLike, KeyValueStorage } from '../env.js';
import { readBounded } from '../hubs/huggingface/http.js';
import {
  invalid,
  parseEnvelope,
  verifyThreshold,
  type Envelope,
  type RootSigned,
  type SnapshotSigned,
  type TargetsSigned,
  type TimestampSigned,
} from './metadata.js';

export interface TufClientOptions {
  fetch: FetchLike;
  /** Repository base URL (metadata at `<base>/…`, targets at `<base>/targets/…`). */
  baseUrl: string;
  /** The root embedded at build time (bytes of N.root.json). */
  seedRoot: Uint8Array;
  storage: KeyValueStorage;
  clock: Clock;
  /** The target to keep current. */
  targetName?: string;
  limits?: Partial<typeof DEFAULT_LIMITS>;
}

export const DEFAULT_LIMITS = {
  rootBytes: 512 * 1024,
  timestampBytes: 16 * 1024,
  snapshotBytes: 2 * 1024 * 1024,
  targetsBytes: 5 * 1024 * 1024,
  targetBytes: 10 * 1024 * 1024,
  /** Root versions one update may step through. */
  maxRootRotations: 32,
};

/** What an update leaves in force. */
export interface TufState {
  rootVersion: number;
  /** The target's bytes, verified against targets metadata. */
  target: Uint8Array;
  /** The earliest expiry of the metadata it rests on (ms since the epoch): past it, nothing is current. */
  expires: number;
  /** When this state was last confirmed with the repository (ms since the epoch). */
  checkedAt: number;
}

const KEY = 'tuf:v1:';
type Stored = { root: string; timestamp?: string; snapshot?: string; targets?: string; target?: string; checkedAt?: number };

const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export class TufClient {
  private readonly limits: typeof DEFAULT_LIMITS;
  private readonly targetName: string;
  private readonly base: string;

  constructor(private readonly o: TufClientOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.targetName = o.targetName ?? 'trusted_root.json';
    this.base = o.baseUrl.replace(/\/+$/, '');
  }

  private get storeKey(): string {
    return `${KEY}${this.base}`;
  }

  private async stored(): Promise<Stored> {
    const v = (await this.o.storage.get(this.storeKey)) as Stored | undefined;
    if (v && typeof v.root === 'string') return v;
    return { root: utf8(this.o.seedRoot) };
  }

  /**
   * The last verified state without contacting the repository; undefined when no target was ever
   * verified. Throws TUF_EXPIRED when what it rests on has expired.
   */
  async current(): Promise<TufState | undefined> {
    const state = await this.last();
    if (!state) return undefined;
    if (state.expires <= this.o.clock.now()) throw new ModelSealError('TUF_EXPIRED', `the Sigstore trust root expired on ${new Date(state.expires).toISOString()}`);
    return state;
  }

  /** The last verified state, expired or not (for showing it); undefined when no target was ever verified. */
  async last(): Promise<TufState | undefined> {
    const s = await this.stored();
    if (!s.target || !s.timestamp || !s.snapshot || !s.targets) return undefined;
    return this.stateOf(s);
  }

  /** The TUF root version trusted now: the seed's until a newer root verified. */
  async rootVersion(): Promise<number> {
    return parseEnvelope<RootSigned>(bytes((await this.stored()).root), 'root').signed.version;
  }

  /** Runs the whole TUF client workflow and keeps what verified. Throws a typed error on any failure. */
  async update(): Promise<TufState> {
    const s = await this.stored();
    const now = this.o.clock.now();

    // 5.3 Root: step through N+1, N+2, … each signed by the previous root and by itself.
    let root = parseEnvelope<RootSigned>(bytes(s.root), 'root');
    const firstRoot = root;
    for (let i = 0; i < this.limits.maxRootRotations; i++) {
      const next = root.signed.version + 1;
      const got = await this.fetchBounded(`${next}.root.json`, this.limits.rootBytes, true);
      if (!got) break;
      const candidate = parseEnvelope<RootSigned>(got, 'root');
      verifyThreshold(candidate, root.signed.roles.root, root.signed.keys, `root version ${next} (by the previous root)`);
      verifyThreshold(candidate, candidate.signed.roles.root, candidate.signed.keys, `root version ${next} (by itself)`);
      if (candidate.signed.version !== next) invalid(`root ${next}.root.json says it is version ${candidate.signed.version}`);
      root = candidate;
      s.root = utf8(got);
      await this.save(s);
    }
    this.notExpired(root.signed.expires, 'root', now);
    // A rotated timestamp or snapshot key makes the old ones meaningless (fast-forward recovery).
    if (root !== firstRoot && (rotated(firstRoot, root, 'timestamp') || rotated(firstRoot, root, 'snapshot'))) {
      delete s.timestamp;
      delete s.snapshot;
    }

    // 5.4 Timestamp.
    const tsBytes = await this.fetchBounded('timestamp.json', this.limits.timestampBytes);
    const ts = parseEnvelope<TimestampSigned>(tsBytes!, 'timestamp');
    verifyThreshold(ts, root.signed.roles.timestamp, root.signed.keys, 'timestamp.json');
    const oldTs = s.timestamp ? parseEnvelope<TimestampSigned>(bytes(s.timestamp), 'timestamp') : undefined;
    if (oldTs) {
      if (ts.signed.version < oldTs.signed.version) rollback(`timestamp version ${ts.signed.version} is older than ${oldTs.signed.version}`);
      if (ts.signed.meta['snapshot.json'].version < oldTs.signed.meta['snapshot.json'].version) rollback('timestamp names an older snapshot than before');
    }
    this.notExpired(ts.signed.expires, 'timestamp', now);

    // 5.5 Snapshot: exactly the version the timestamp names.
    const snapMeta = ts.signed.meta['snapshot.json'];
    const snapBytes = await this.fetchBounded(this.versioned('snapshot.json', snapMeta.version, root), Math.min(snapMeta.length ?? Infinity, this.limits.snapshotBytes));
    checkMeta(snapBytes!, snapMeta, 'snapshot.json');
    const snap = parseEnvelope<SnapshotSigned>(snapBytes!, 'snapshot');
    verifyThreshold(snap, root.signed.roles.snapshot, root.signed.keys, 'snapshot.json');
    if (snap.signed.version !== snapMeta.version) invalid(`snapshot is version ${snap.signed.version}, the timestamp names ${snapMeta.version}`);
    const oldSnap = s.snapshot ? parseEnvelope<SnapshotSigned>(bytes(s.snapshot), 'snapshot') : undefined;
    if (oldSnap) {
      for (const [name, m] of Object.entries(oldSnap.signed.meta)) {
        const now2 = snap.signed.meta[name];
        if (!now2) rollback(`snapshot no longer lists ${name}`);
        if (now2.version < m.version) rollback(`snapshot lists ${name} version ${now2.version}, older than ${m.version}`);
      }
    }
    this.notExpired(snap.signed.expires, 'snapshot', now);

    // 5.6 Targets: exactly the version the snapshot names.
    const tMeta = snap.signed.meta['targets.json']!;
    const tBytes = await this.fetchBounded(this.versioned('targets.json', tMeta.version, root), Math.min(tMeta.length ?? Infinity, this.limits.targetsBytes));
    checkMeta(tBytes!, tMeta, 'targets.json');
    const targets = parseEnvelope<TargetsSigned>(tBytes!, 'targets');
    verifyThreshold(targets, root.signed.roles.targets, root.signed.keys, 'targets.json');
    if (targets.signed.version !== tMeta.version) invalid(`targets is version ${targets.signed.version}, the snapshot names ${tMeta.version}`);
    this.notExpired(targets.signed.expires, 'targets', now);

    // 5.7 The target: length and every hash targets names.
    const info = Object.prototype.hasOwnProperty.call(targets.signed.targets, this.targetName) ? targets.signed.targets[this.targetName] : undefined;
    if (!info || !Number.isSafeInteger(info.length) || typeof info.hashes !== 'object' || !info.hashes.sha256) invalid(`targets does not describe ${this.targetName}`);
    if (info.length > this.limits.targetBytes) throw new ModelSealError('RESPONSE_TOO_LARGE', `${this.targetName} is larger than allowed`);
    const name = root.signed.consistent_snapshot ? `targets/${info.hashes.sha256}.${this.targetName}` : `targets/${this.targetName}`;
    const target = (await this.fetchBounded(name, info.length))!;
    checkMeta(target, { length: info.length, hashes: info.hashes }, this.targetName);

    const next: Stored = { root: s.root, timestamp: utf8(tsBytes!), snapshot: utf8(snapBytes!), targets: utf8(tBytes!), target: utf8(target), checkedAt: now };
    await this.save(next);
    return this.stateOf(next);
  }

  private stateOf(s: Stored): TufState {
    const root = parseEnvelope<RootSigned>(bytes(s.root), 'root');
    const expiries = [s.root, s.timestamp, s.snapshot, s.targets].map((m, i) =>
      Date.parse(parseEnvelope(bytes(m!), (['root', 'timestamp', 'snapshot', 'targets'] as const)[i]!).signed.expires),
    );
    return { rootVersion: root.signed.version, target: bytes(s.target!), expires: Math.min(...expiries), checkedAt: s.checkedAt ?? 0 };
  }

  private versioned(name: string, version: number, root: Envelope<RootSigned>): string {
    return root.signed.consistent_snapshot ? `${version}.${name}` : name;
  }

  private notExpired(expires: string, role: string, now: number): void {
    if (Date.parse(expires) <= now) throw new ModelSealError('TUF_EXPIRED', `the Sigstore trust root's ${role} metadata expired on ${expires}`);
  }

  private async save(s: Stored): Promise<void> {
    await this.o.storage.set(this.storeKey, s);
  }

  /** GET `<base>/<name>`, at most `max` bytes; `optional`: 404/403 → undefined (no newer root). */
  private async fetchBounded(name: string, max: number, optional = false): Promise<Uint8Array | undefined> {
    const url = `${this.base}/${name}`;
    let res: Response;
    try {
      res = await this.o.fetch(url, { credentials: 'omit', redirect: 'follow' });
    } catch (e) {
      throw new ModelSealError('NETWORK_ERROR', `could not reach the TUF repository: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (optional && (res.status === 404 || res.status === 403)) {
      await res.body?.cancel().catch(() => undefined);
      return undefined;
    }
    if (res.status === 429) throw new ModelSealError('RATE_LIMITED', 'the TUF repository is rate limiting requests');
    if (!res.ok) throw new ModelSealError(res.status >= 500 ? 'NETWORK_ERROR' : 'NOT_FOUND', `the TUF repository answered ${res.status} for ${name}`);
    return readBounded(res, max, url);
  }
}

function rotated(a: Envelope<RootSigned>, b: Envelope<RootSigned>, role: 'timestamp' | 'snapshot'): boolean {
  const ka = [...a.signed.roles[role].keyids].sort().join(',');
  const kb = [...b.signed.roles[role].keyids].sort().join(',');
  return ka !== kb;
}

function rollback(why: string): never {
  throw new ModelSealError('TUF_ROLLBACK', `TUF ${why}`);
}

/** Length and hashes, when the referring metadata gives them. */
function checkMeta(data: Uint8Array, meta: { length?: number; hashes?: Record<string, string> }, what: string): void {
  if (meta.length !== undefined && data.length !== meta.length) invalid(`${what} is ${data.length} bytes, expected ${meta.length}`);
  for (const [alg, want] of Object.entries(meta.hashes ?? {})) {
    const f = alg === 'sha256' ? sha256 : alg === 'sha512' ? sha512 : undefined;
    if (!f) continue;
    if (hex(f(data)) !== want) invalid(`${what} does not match its ${alg} hash`);
  }
}
