/**
 * Validating and migrating trust documents. Everything read back from storage or imported is
 * untrusted: it is checked field by field (bounded) and rebuilt, never used as-is. Older schema
 * versions are migrated step by step to the current one.
 *
 * v1 (first release): { version: 1, signersPerRepo?, pins: { "owner/name": { signer, since } },
 *                       expected: { "scope": { identity, issuer } } } — huggingface.co models only.
 * v2 (current): see TrustDocument — per hub and kind, several pins, history, alerts, key policies.
 */
import { ERROR_CODES, ModelSealError, isModelSealError, type ErrorCode } from '../errors.js';
import { validateLock } from '../lock/parse.js';
import { VERDICT_STATES, type Signer, type VerdictState } from '../verdict.js';
import {
  TRUST_SCHEMA_VERSION,
  repoKey,
  type Alert,
  type ExpectedIdentity,
  type HistoryEntry,
  type Pin,
  type RepoLock,
  type RepoRecord,
  type TrustDocument,
} from './types.js';

export const LIMITS = {
  repos: 20_000,
  pinsPerRepo: 16,
  historyPerRepo: 100,
  alerts: 500,
  expected: 2_000,
  string: 4_096,
  pem: 16_384,
  importBytes: 16 * 1024 * 1024,
  signersPerRepo: 16,
  /** Locked repos, and files per lock: locks live in storage.local (10 MB without unlimitedStorage). */
  locks: 200,
  lockFiles: 20_000,
} as const;

type Obj = Record<string, unknown>;

function bad(path: string, why: string): never {
  throw new ModelSealError('STORE_INVALID', `${path}: ${why}`);
}
function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(path, 'expected an object');
  return v as Obj;
}
function arr(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) bad(path, 'expected a list');
  if (v.length > max) bad(path, `more than ${max} entries`);
  return v;
}
function str(v: unknown, path: string, max: number = LIMITS.string): string {
  if (typeof v !== 'string' || v.length > max) bad(path, 'expected a bounded string');
  return v;
}
function optStr(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : str(v, path);
}
function time(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) bad(path, 'expected a time in ms');
  return v;
}
function hubOrigin(v: unknown, path: string): string {
  const s = str(v, path, 512);
  try {
    if (new URL(s).origin === s && /^https?:/.test(s)) return s;
  } catch {
    /* fall through */
  }
  bad(path, 'expected a hub origin');
}
function repoId(v: unknown, path: string): string {
  const s = str(v, path, 256);
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*\/[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(s)) bad(path, 'expected owner/name');
  return s;
}
function kindOf(v: unknown, path: string): 'model' | 'dataset' {
  if (v !== 'model' && v !== 'dataset') bad(path, 'expected model or dataset');
  return v;
}
function state(v: unknown, path: string): VerdictState {
  if (typeof v !== 'string' || !(VERDICT_STATES as readonly string[]).includes(v)) bad(path, 'unknown state');
  return v as VerdictState;
}

export function parseSigner(v: unknown, path: string): Signer {
  const o = obj(v, path);
  if (o.kind !== 'sigstore' && o.kind !== 'key' && o.kind !== 'certificate') bad(`${path}.kind`, 'unknown signer kind');
  const s: Signer = { kind: o.kind };
  const identity = optStr(o.identity, `${path}.identity`);
  const issuer = optStr(o.issuer, `${path}.issuer`);
  const keyFingerprint = optStr(o.keyFingerprint, `${path}.keyFingerprint`);
  const caSubject = optStr(o.caSubject, `${path}.caSubject`);
  if (identity !== undefined) s.identity = identity;
  if (issuer !== undefined) s.issuer = issuer;
  if (keyFingerprint !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(keyFingerprint)) bad(`${path}.keyFingerprint`, 'expected 64 lowercase hex');
    s.keyFingerprint = keyFingerprint;
  }
  if (caSubject !== undefined) s.caSubject = caSubject;
  if (o.sourceRepository !== undefined) {
    if (o.kind !== 'sigstore') bad(`${path}.sourceRepository`, 'only Sigstore signers have a source repository');
    s.sourceRepository = str(o.sourceRepository, `${path}.sourceRepository`, 1024);
  }
  return s;
}

function parsePin(v: unknown, path: string): Pin {
  const o = obj(v, path);
  if (o.via !== 'first-use' && o.via !== 'accepted' && o.via !== 'policy') bad(`${path}.via`, 'unknown');
  const pin: Pin = { signer: parseSigner(o.signer, `${path}.signer`), since: time(o.since, `${path}.since`), via: o.via };
  const commit = optStr(o.commit, `${path}.commit`);
  if (commit !== undefined) pin.commit = commit;
  return pin;
}

function parseHistory(v: unknown, path: string): HistoryEntry {
  const o = obj(v, path);
  const h: HistoryEntry = { commit: str(o.commit, `${path}.commit`, 64), seenAt: time(o.seenAt, `${path}.seenAt`), state: state(o.state, `${path}.state`) };
  const revision = optStr(o.revision, `${path}.revision`);
  if (revision !== undefined) h.revision = revision;
  if (o.signer !== undefined) h.signer = parseSigner(o.signer, `${path}.signer`);
  return h;
}

export function parseRepo(v: unknown, path: string): RepoRecord {
  const o = obj(v, path);
  const r: RepoRecord = {
    hub: hubOrigin(o.hub, `${path}.hub`),
    kind: kindOf(o.kind, `${path}.kind`),
    repo: repoId(o.repo, `${path}.repo`),
    pins: arr(o.pins, `${path}.pins`, LIMITS.pinsPerRepo).map((p, i) => parsePin(p, `${path}.pins[${i}]`)),
    history: arr(o.history, `${path}.history`, LIMITS.historyPerRepo).map((h, i) => parseHistory(h, `${path}.history[${i}]`)),
  };
  if (o.signedSince !== undefined) r.signedSince = time(o.signedSince, `${path}.signedSince`);
  if (o.lock !== undefined) r.lock = parseRepoLock(o.lock, `${path}.lock`, r);
  return r;
}

/** A stored or imported lock: the lock file's own strict validation, and it must be this repo's. */
function parseRepoLock(v: unknown, path: string, rec: RepoRecord): RepoLock {
  const o = obj(v, path);
  for (const k of Object.keys(o)) if (k !== 'lockedAt' && k !== 'document') bad(path, `unknown field ${JSON.stringify(k.slice(0, 40))}`);
  const d = obj(o.document, `${path}.document`);
  if (Array.isArray(d.files) && d.files.length > LIMITS.lockFiles) bad(`${path}.document.files`, `more than ${LIMITS.lockFiles} files`);
  let document;
  try {
    document = validateLock(d);
  } catch (e) {
    bad(`${path}.document`, isModelSealError(e) ? e.message : 'not a valid lock');
  }
  if (repoKey(document) !== repoKey(rec)) bad(path, 'the lock is for another repo');
  return { lockedAt: time(o.lockedAt, `${path}.lockedAt`), document };
}

export function parseScope(v: unknown, path: string): string {
  const s = str(v, path, 256);
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*\/(?:\*|[A-Za-z0-9_][A-Za-z0-9._-]*)$/.test(s)) bad(path, 'expected owner/name or owner/*');
  return s;
}

export function parseExpected(v: unknown, path: string): ExpectedIdentity {
  const o = obj(v, path);
  const scope = parseScope(o.scope, `${path}.scope`);
  const createdAt = time(o.createdAt, `${path}.createdAt`);
  if (o.kind === 'key') {
    const pem = str(o.publicKeyPem, `${path}.publicKeyPem`, LIMITS.pem);
    if (!pem.includes('-----BEGIN PUBLIC KEY-----')) bad(`${path}.publicKeyPem`, 'expected a PEM public key');
    const e: ExpectedIdentity = { kind: 'key', scope, publicKeyPem: pem, createdAt };
    const fp = optStr(o.keyFingerprint, `${path}.keyFingerprint`);
    if (fp !== undefined) {
      if (!/^[0-9a-f]{64}$/.test(fp)) bad(`${path}.keyFingerprint`, 'expected 64 lowercase hex');
      e.keyFingerprint = fp;
    }
    return e;
  }
  if (o.kind === 'certificate') {
    const caPems = arr(o.caPems, `${path}.caPems`, 8).map((c, i) => str(c, `${path}.caPems[${i}]`, LIMITS.pem));
    if (caPems.length === 0 || caPems.some((c) => !c.includes('-----BEGIN CERTIFICATE-----'))) bad(`${path}.caPems`, 'expected PEM certificates');
    return { kind: 'certificate', scope, caPems, createdAt };
  }
  if (o.kind !== 'sigstore') bad(`${path}.kind`, 'unknown policy kind');
  const identity = str(o.identity, `${path}.identity`, 1024);
  const issuer = str(o.issuer, `${path}.issuer`, 1024);
  if (!identity || !issuer) bad(path, 'identity and issuer are required');
  if (typeof o.glob !== 'boolean') bad(`${path}.glob`, 'expected true or false');
  return { kind: 'sigstore', scope, identity, glob: o.glob, issuer, createdAt };
}

/** Parameter names a failure may carry (FailureInfo.params); others are dropped, not stored. */
const FAILURE_PARAM_NAMES: readonly string[] = ['count', 'files', 'signer', 'defaultBranch', 'limit'];

function failureParams(v: unknown, path: string): Record<string, string | number> {
  const o = obj(v, path);
  const out: Record<string, string | number> = {};
  for (const name of FAILURE_PARAM_NAMES) {
    const x = o[name];
    if (x === undefined) continue;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) bad(`${path}.${name}`, 'expected a finite number');
      out[name] = x;
    } else out[name] = str(x, `${path}.${name}`);
  }
  return out;
}

export function parseAlert(v: unknown, path: string): Alert {
  const o = obj(v, path);
  if (typeof o.id !== 'number' || !Number.isSafeInteger(o.id) || o.id < 1) bad(`${path}.id`, 'expected a positive id');
  if (typeof o.read !== 'boolean') bad(`${path}.read`, 'expected true or false');
  const a: Alert = {
    id: o.id,
    hub: hubOrigin(o.hub, `${path}.hub`),
    kind: kindOf(o.kind, `${path}.kind`),
    repo: repoId(o.repo, `${path}.repo`),
    state: state(o.state, `${path}.state`),
    at: time(o.at, `${path}.at`),
    read: o.read,
    reason: str(o.reason, `${path}.reason`),
  };
  const commit = optStr(o.commit, `${path}.commit`);
  if (commit !== undefined) a.commit = commit;
  // A code this version does not know (a newer export) is left out: the reason still reads.
  const code = optStr(o.code, `${path}.code`);
  if (code !== undefined && (ERROR_CODES as readonly string[]).includes(code)) a.code = code as ErrorCode;
  if (o.params !== undefined) a.params = failureParams(o.params, `${path}.params`);
  if (o.signer !== undefined) a.signer = parseSigner(o.signer, `${path}.signer`);
  if (o.previousSigners !== undefined) {
    a.previousSigners = arr(o.previousSigners, `${path}.previousSigners`, LIMITS.pinsPerRepo).map((s, i) => parseSigner(s, `${path}.previousSigners[${i}]`));
  }
  return a;
}

function signersPerRepo(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > LIMITS.signersPerRepo) bad(path, `expected 1..${LIMITS.signersPerRepo}`);
  return v;
}

/** Validates a current-version document and returns a fresh copy built from checked fields. */
export function parseCurrent(v: unknown): TrustDocument {
  const o = obj(v, 'document');
  if (o.schemaVersion !== TRUST_SCHEMA_VERSION) bad('schemaVersion', `expected ${TRUST_SCHEMA_VERSION}`);
  const settings = obj(o.settings, 'settings');
  const reposIn = obj(o.repos, 'repos');
  const keys = Object.keys(reposIn);
  if (keys.length > LIMITS.repos) bad('repos', `more than ${LIMITS.repos} repos`);
  const repos: Record<string, RepoRecord> = {};
  for (const k of keys) {
    const r = parseRepo(reposIn[k], `repos[${JSON.stringify(k.slice(0, 80))}]`);
    // Keys are derived, never trusted: a mismatched key could shadow another repo.
    if (repoKey(r) !== k) bad(`repos[${JSON.stringify(k.slice(0, 80))}]`, 'key does not match the repo');
    repos[k] = r;
  }
  if (Object.values(repos).filter((r) => r.lock).length > LIMITS.locks) bad('repos', `more than ${LIMITS.locks} locked repos`);
  const alerts = arr(o.alerts, 'alerts', LIMITS.alerts).map((a, i) => parseAlert(a, `alerts[${i}]`));
  const maxId = alerts.reduce((m, a) => Math.max(m, a.id), 0);
  const next = typeof o.nextAlertId === 'number' && Number.isSafeInteger(o.nextAlertId) ? o.nextAlertId : 1;
  return {
    schemaVersion: TRUST_SCHEMA_VERSION,
    settings: { signersPerRepo: signersPerRepo(settings.signersPerRepo, 'settings.signersPerRepo') },
    repos,
    expected: arr(o.expected, 'expected', LIMITS.expected).map((e, i) => parseExpected(e, `expected[${i}]`)),
    alerts,
    nextAlertId: Math.max(next, maxId + 1),
  };
}

const V1_HUB = 'https://huggingface.co';

/** v1 → v2: per-hub keys (v1 knew only huggingface.co models), pin records, empty history and alerts. */
function migrateV1(o: Obj): Obj {
  const pinsIn = obj(o.pins ?? {}, 'pins');
  const repos: Record<string, unknown> = {};
  for (const [repo, p] of Object.entries(pinsIn)) {
    const po = obj(p, `pins[${JSON.stringify(repo.slice(0, 80))}]`);
    const rec = { hub: V1_HUB, kind: 'model', repo, pins: [{ signer: po.signer, since: po.since, via: 'first-use' }], signedSince: po.since, history: [] };
    repos[repoKey({ hub: V1_HUB, kind: 'model', repo: String(repo) })] = rec;
  }
  const expIn = obj(o.expected ?? {}, 'expected');
  const expected = Object.entries(expIn).map(([scope, e]) => {
    const eo = obj(e, `expected[${JSON.stringify(scope.slice(0, 80))}]`);
    return { kind: 'sigstore', scope, identity: eo.identity, issuer: eo.issuer, glob: typeof eo.identity === 'string' && eo.identity.includes('*'), createdAt: 0 };
  });
  return { schemaVersion: 2, settings: { signersPerRepo: o.signersPerRepo ?? 1 }, repos, expected, alerts: [], nextAlertId: 1 };
}

/** Any known version → a validated current document. Throws STORE_INVALID, never partially applies. */
export function migrate(v: unknown): TrustDocument {
  let o = obj(v, 'document');
  const version = o.schemaVersion ?? o.version;
  if (version === 1) o = migrateV1(o);
  else if (version !== TRUST_SCHEMA_VERSION) bad('schemaVersion', `unknown version ${JSON.stringify(version)}`);
  return parseCurrent(o);
}
