/**
 * TUF metadata (specification 1.0): strict, bounded parsing of the four top-level roles and the
 * threshold signature check over the canonical JSON of `signed`. Keys: ecdsa-sha2-nistp256 (PEM, as
 * Sigstore's repository uses) and ed25519 (hex). Each key counts once toward a threshold, however
 * many signatures name it.
 */
import { canonicalize } from '@tufjs/canonical-json';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ModelSealError } from '../errors.js';
import { verify as verifySignature } from '../sigstore/shims/crypto.js';

export type RoleName = 'root' | 'timestamp' | 'snapshot' | 'targets';

export interface Key {
  keytype: string;
  scheme: string;
  keyval: { public: string };
}

export interface Role {
  keyids: string[];
  threshold: number;
}

export interface MetaFile {
  version: number;
  length?: number;
  hashes?: Record<string, string>;
}

export interface Signed {
  _type: RoleName;
  version: number;
  expires: string;
  spec_version: string;
}
export interface RootSigned extends Signed {
  _type: 'root';
  consistent_snapshot?: boolean;
  keys: Record<string, Key>;
  roles: Record<RoleName, Role>;
}
export interface TimestampSigned extends Signed {
  _type: 'timestamp';
  meta: { 'snapshot.json': MetaFile };
}
export interface SnapshotSigned extends Signed {
  _type: 'snapshot';
  meta: Record<string, MetaFile>;
}
export interface TargetFile {
  length: number;
  hashes: Record<string, string>;
}
export interface TargetsSigned extends Signed {
  _type: 'targets';
  targets: Record<string, TargetFile>;
}

export interface Envelope<T extends Signed> {
  signed: T;
  signatures: Array<{ keyid: string; sig: string }>;
  /** The exact bytes `signed` is verified over. */
  canonical: Uint8Array;
}

const MAX_SIGNATURES = 64;
const MAX_KEYS = 64;

export function invalid(why: string): never {
  throw new ModelSealError('TUF_INVALID', `TUF metadata ${why}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isVersion = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

function metaFile(v: unknown, what: string): MetaFile {
  if (!isObj(v) || !isVersion(v.version)) invalid(`${what} has no version`);
  if (v.length !== undefined && !(Number.isSafeInteger(v.length) && (v.length as number) >= 0)) invalid(`${what} has a bad length`);
  if (v.hashes !== undefined && (!isObj(v.hashes) || !Object.values(v.hashes).every((h) => typeof h === 'string' && /^[0-9a-f]{1,128}$/.test(h)))) invalid(`${what} has bad hashes`);
  return v as unknown as MetaFile;
}

/** Parses one metadata file of role `type` (bytes as served). */
export function parseEnvelope<T extends Signed>(bytes: Uint8Array, type: RoleName): Envelope<T> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    invalid(`${type}.json is not JSON`);
  }
  if (!isObj(json) || !isObj(json.signed) || !Array.isArray(json.signatures)) invalid(`${type}.json is not a signed envelope`);
  const s = json.signed;
  if (s._type !== type) invalid(`${type}.json has type ${JSON.stringify(String(s._type).slice(0, 20))}`);
  if (!isVersion(s.version)) invalid(`${type}.json has no version`);
  if (typeof s.expires !== 'string' || !Number.isFinite(Date.parse(s.expires))) invalid(`${type}.json has no expiry`);
  if (typeof s.spec_version !== 'string' || !/^1\./.test(s.spec_version)) invalid(`${type}.json has an unsupported spec version`);
  if (json.signatures.length > MAX_SIGNATURES) invalid(`${type}.json has too many signatures`);
  for (const sig of json.signatures) if (!isObj(sig) || typeof sig.keyid !== 'string' || typeof sig.sig !== 'string') invalid(`${type}.json has a malformed signature`);
  switch (type) {
    case 'root': {
      if (!isObj(s.keys) || Object.keys(s.keys).length > MAX_KEYS || !isObj(s.roles)) invalid('root.json has no keys or roles');
      for (const k of Object.values(s.keys)) if (!isObj(k) || typeof k.keytype !== 'string' || typeof k.scheme !== 'string' || !isObj(k.keyval) || typeof k.keyval.public !== 'string') invalid('root.json has a malformed key');
      for (const r of ['root', 'timestamp', 'snapshot', 'targets'] as const) {
        const role = s.roles[r];
        if (!isObj(role) || !Array.isArray(role.keyids) || !role.keyids.every((k) => typeof k === 'string') || !isVersion(role.threshold)) invalid(`root.json has no valid ${r} role`);
      }
      break;
    }
    case 'timestamp':
      if (!isObj(s.meta)) invalid('timestamp.json has no meta');
      metaFile(s.meta['snapshot.json'], 'timestamp.json snapshot entry');
      break;
    case 'snapshot':
      if (!isObj(s.meta) || !s.meta['targets.json']) invalid('snapshot.json has no targets entry');
      for (const [name, m] of Object.entries(s.meta)) metaFile(m, `snapshot.json entry ${name}`);
      break;
    case 'targets':
      if (!isObj(s.targets)) invalid('targets.json has no targets');
      break;
  }
  let canonical: Uint8Array;
  try {
    canonical = new TextEncoder().encode(canonicalize(s));
  } catch {
    invalid(`${type}.json cannot be put in canonical form`);
  }
  return { signed: s as unknown as T, signatures: json.signatures as Envelope<T>['signatures'], canonical };
}

function hexToBytes(hex: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function keyVerifies(key: Key, data: Uint8Array, sigHex: string): boolean {
  const sig = hexToBytes(sigHex);
  if (!sig) return false;
  try {
    if (key.keytype === 'ecdsa' || key.keytype === 'ecdsa-sha2-nistp256') {
      if (key.scheme !== 'ecdsa-sha2-nistp256') return false;
      return verifySignature('sha256', data, key.keyval.public, sig);
    }
    if (key.keytype === 'ed25519' && key.scheme === 'ed25519') {
      const pub = hexToBytes(key.keyval.public);
      return pub !== undefined && pub.length === 32 && sig.length === 64 && ed25519.verify(sig, data, pub, { zip215: false });
    }
  } catch {
    return false;
  }
  return false;
}

/** Throws TUF_INVALID unless `threshold` distinct keys of `role` (from `keys`) signed `env`. */
export function verifyThreshold(env: Envelope<Signed>, role: Role, keys: Record<string, Key>, what: string): void {
  const valid = new Set<string>();
  for (const { keyid, sig } of env.signatures) {
    if (valid.has(keyid) || !role.keyids.includes(keyid)) continue;
    const key = Object.prototype.hasOwnProperty.call(keys, keyid) ? keys[keyid] : undefined;
    if (key && keyVerifies(key, env.canonical, sig)) valid.add(keyid);
  }
  if (valid.size < role.threshold) invalid(`${what} is signed by ${valid.size} of the ${role.threshold} keys it needs`);
}
