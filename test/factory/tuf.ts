// A TUF repository for tests (specification 1.0, consistent snapshots, Sigstore's key types):
// deterministic keys per role, metadata signed over canonical JSON, served from a Map by a fake
// fetch. Each piece can be re-signed, re-versioned or replaced to stage the attacks the TUF
// specification lists.
import { createHash } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { deriveKey, type KeyPair } from './keys.js';

export type TufRole = 'root' | 'timestamp' | 'snapshot' | 'targets';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const keyId = (k: KeyPair) => createHash('sha256').update(k.pem).digest('hex');
const sha = (alg: 'sha256' | 'sha512', b: Uint8Array) => createHash(alg).update(b).digest('hex');

export interface SignedFile {
  signed: Record<string, unknown>;
  signatures: Array<{ keyid: string; sig: string }>;
}

export class TestTufRepo {
  readonly base = 'https://tuf.test';
  readonly files = new Map<string, Uint8Array>();
  keys: Record<TufRole, KeyPair[]>;
  thresholds: Record<TufRole, number> = { root: 2, timestamp: 1, snapshot: 1, targets: 1 };
  rootVersion = 0;
  timestampVersion = 0;
  snapshotVersion = 0;
  targetsVersion = 0;
  target = new TextEncoder().encode('{"mediaType":"trusted root v1"}');
  /** Days from `now` each role's metadata expires. */
  constructor(private readonly seed = 'tuf-test', private readonly now = new Date('2026-11-01T00:00:00Z')) {
    this.keys = {
      root: [0, 1, 2].map((i) => deriveKey('P-256', `${seed}:root:${i}`)),
      timestamp: [deriveKey('P-256', `${seed}:timestamp`)],
      snapshot: [deriveKey('Ed25519', `${seed}:snapshot`)],
      targets: [deriveKey('P-256', `${seed}:targets`)],
    };
  }

  expires(days: number): string {
    return new Date(this.now.getTime() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private keyJson(k: KeyPair) {
    return k.curve === 'Ed25519'
      ? { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: hex(k.rawPublicKey) } }
      : { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: k.pem } };
  }

  sign(signed: Record<string, unknown>, by: KeyPair[]): Uint8Array {
    const data = new TextEncoder().encode(canonicalize(signed));
    const signatures = by.map((k) => ({ keyid: keyId(k), sig: hex(k.sign(data)) }));
    return new TextEncoder().encode(JSON.stringify({ signed, signatures }));
  }

  rootSigned(version: number, expiresDays = 365): Record<string, unknown> {
    const all = Object.values(this.keys).flat();
    return {
      _type: 'root',
      spec_version: '1.0',
      version,
      expires: this.expires(expiresDays),
      consistent_snapshot: true,
      keys: Object.fromEntries(all.map((k) => [keyId(k), this.keyJson(k)])),
      roles: Object.fromEntries((Object.keys(this.keys) as TufRole[]).map((r) => [r, { keyids: this.keys[r].map(keyId), threshold: this.thresholds[r] }])),
    };
  }

  /** Publishes root version N+1, signed by `by` (default: the current root keys). */
  publishRoot(by = this.keys.root, expiresDays = 365, version = this.rootVersion + 1): Uint8Array {
    const bytes = this.sign(this.rootSigned(version, expiresDays), by);
    this.rootVersion = Math.max(this.rootVersion, version);
    this.files.set(`${this.rootVersion}.root.json`, bytes);
    return bytes;
  }

  /** Publishes target, targets, snapshot and timestamp (new versions of each). */
  publish(opts: { expiresDays?: Partial<Record<TufRole, number>>; targetsBy?: KeyPair[]; snapshotVersion?: number; timestampVersion?: number } = {}): void {
    const e = { timestamp: 7, snapshot: 30, targets: 180, ...opts.expiresDays };
    const targetHashes = { sha256: sha('sha256', this.target), sha512: sha('sha512', this.target) };
    this.files.set(`targets/${targetHashes.sha256}.trusted_root.json`, this.target);
    this.targetsVersion++;
    const targets = this.sign(
      { _type: 'targets', spec_version: '1.0', version: this.targetsVersion, expires: this.expires(e.targets), targets: { 'trusted_root.json': { length: this.target.length, hashes: targetHashes } } },
      opts.targetsBy ?? this.keys.targets,
    );
    this.files.set(`${this.targetsVersion}.targets.json`, targets);
    this.snapshotVersion = opts.snapshotVersion ?? this.snapshotVersion + 1;
    const snapshot = this.sign(
      { _type: 'snapshot', spec_version: '1.0', version: this.snapshotVersion, expires: this.expires(e.snapshot), meta: { 'targets.json': { version: this.targetsVersion } } },
      this.keys.snapshot,
    );
    this.files.set(`${this.snapshotVersion}.snapshot.json`, snapshot);
    this.timestampVersion = opts.timestampVersion ?? this.timestampVersion + 1;
    this.files.set(
      'timestamp.json',
      this.sign(
        { _type: 'timestamp', spec_version: '1.0', version: this.timestampVersion, expires: this.expires(e.timestamp), meta: { 'snapshot.json': { version: this.snapshotVersion, length: snapshot.length, hashes: { sha256: sha('sha256', snapshot) } } } },
        this.keys.timestamp,
      ),
    );
  }

  /** A fetch serving the repository (and counting requests). */
  fetcher() {
    const asked: string[] = [];
    const fetch = async (input: string) => {
      const url = new URL(input);
      const name = url.pathname.slice(1);
      asked.push(name);
      const body = url.origin === this.base ? this.files.get(name) : undefined;
      return body ? new Response(new Uint8Array(body)) : new Response('not found', { status: 404 });
    };
    return { fetch, asked };
  }
}
