/**
 * Importing a trust export, in two steps: a pure preview (what merging or replacing would change:
 * pins, policies, k, alerts) and an apply that recomputes that change against the current document.
 * A file chosen by the user is untrusted: nothing it says takes effect before the user has seen the
 * change, and anything that widens trust (a policy, k, a second pin for a repo, replacing all) needs
 * a typed word. The diff carries a digest, so an apply can never change more than its preview showed.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ModelSealError } from '../errors.js';
import type { Signer } from '../verdict.js';
import type { RepoKind } from '../hubs/adapter.js';
import { parsePublicKeyPem } from '../signers/ec-key.js';
import { LIMITS, migrate, parseCurrent } from './schema.js';
import { repoKey, type Alert, type ExpectedIdentity, type RepoLock, type TrustDocument } from './types.js';

export const EXPORT_FORMAT = 'modelseal-trust-export';

export type ImportMode = 'merge' | 'replace';
export const IMPORT_MODES: readonly ImportMode[] = ['merge', 'replace'];

/** The word the user types to confirm an import that needs it (shown in the UI). */
export const IMPORT_CONFIRMATION: Record<ImportMode, string> = { merge: 'merge', replace: 'replace' };

export interface PinDiff {
  hub: string;
  kind: RepoKind;
  repo: string;
  before: Signer[];
  after: Signer[];
}

/** A lock as the import preview names it: which commit and content, how many files. */
export interface LockBrief {
  commit: string;
  rootDigest: string;
  files: number;
}

export interface LockDiff {
  hub: string;
  kind: RepoKind;
  repo: string;
  before?: LockBrief;
  after?: LockBrief;
}

export interface PolicyChange {
  before: ExpectedIdentity;
  after: ExpectedIdentity;
}

export interface ImportDiff {
  mode: ImportMode;
  pins: { added: PinDiff[]; removed: PinDiff[]; changed: PinDiff[] };
  policies: { added: ExpectedIdentity[]; removed: ExpectedIdentity[]; changed: PolicyChange[] };
  /** Locks ("Lock this version") added, removed, or moved to other content. */
  locks: { added: LockDiff[]; removed: LockDiff[]; changed: LockDiff[] };
  /** Present when k changes. */
  signersPerRepo?: { before: number; after: number };
  alerts: { added: number; removed: number };
  repos: { added: number; removed: number };
  /** The word to type when this import needs a typed confirmation; absent when it only adds. */
  confirmation?: string;
  /** Digest of everything above: applying refuses unless the change is still exactly this. */
  id: string;
}

export interface ImportPreview {
  merge: ImportDiff;
  replace: ImportDiff;
}

/** Parses and validates an export file. Throws STORE_INVALID for anything else. */
export function parseImport(json: unknown): TrustDocument {
  try {
    if (typeof json !== 'string' || json.length > LIMITS.importBytes) throw new ModelSealError('STORE_INVALID', 'import file too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new ModelSealError('STORE_INVALID', 'import file is not JSON');
    }
    const o = parsed as { format?: unknown; document?: unknown };
    if (typeof o !== 'object' || o === null || o.format !== EXPORT_FORMAT) throw new ModelSealError('STORE_INVALID', 'not a ModelSeal trust export');
    const doc = migrate(o.document);
    // A key policy is shown and matched by its fingerprint: derive it from the key, never take the file's word.
    for (const e of doc.expected) {
      if (e.kind !== 'key') continue;
      let fp: string;
      try {
        fp = parsePublicKeyPem(e.publicKeyPem).fingerprint;
      } catch {
        throw new ModelSealError('STORE_INVALID', `policy for ${e.scope}: not a usable public key`);
      }
      if (e.keyFingerprint !== undefined && e.keyFingerprint !== fp) throw new ModelSealError('STORE_INVALID', `policy for ${e.scope}: fingerprint does not match its key`);
      e.keyFingerprint = fp;
    }
    return doc;
  } catch (e) {
    throw e instanceof ModelSealError ? e : new ModelSealError('STORE_INVALID', 'import rejected');
  }
}

/** The document the import would leave, and what that changes. Pure: `current` is not modified. */
export function planImport(current: TrustDocument, incoming: TrustDocument, mode: ImportMode): { next: TrustDocument; diff: ImportDiff } {
  if (!IMPORT_MODES.includes(mode)) throw new ModelSealError('STORE_INVALID', 'import mode must be merge or replace');
  const next = mode === 'replace' ? structuredClone(incoming) : merge(current, incoming);
  // What is stored must read back (limits included).
  const checked = parseCurrent(next);
  return { next: checked, diff: diffDocuments(current, checked, mode) };
}

const signerKey = (s: Signer) => JSON.stringify([s.kind, s.identity ?? null, s.issuer ?? null, s.keyFingerprint ?? null, s.caSubject ?? null]);
const policyKey = (e: ExpectedIdentity) => `${e.scope.toLowerCase()}|${e.kind}`;
/** A policy's meaning, without when it was made. */
const policyBody = (e: ExpectedIdentity) => {
  const { createdAt: _createdAt, ...rest } = e;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)));
};
const alertKey = (a: Alert) => `${repoKey(a)}|${a.commit ?? ''}|${a.state}`;

/**
 * Merge keeps everything already trusted (pins, history, alerts, policies) and adds: new repos with
 * their pins and history, extra pins for known repos, new or changed policies, k, unseen alerts.
 */
function merge(current: TrustDocument, incoming: TrustDocument): TrustDocument {
  const next = structuredClone(current);
  next.settings.signersPerRepo = incoming.settings.signersPerRepo;
  for (const [k, rec] of Object.entries(incoming.repos)) {
    const mine = next.repos[k];
    if (!mine) {
      next.repos[k] = structuredClone(rec);
      continue;
    }
    // A lock only narrows what is accepted: one for a repo without a lock is added, never swapped.
    if (!mine.lock && rec.lock) mine.lock = structuredClone(rec.lock);
    const known = new Set(mine.pins.map((p) => signerKey(p.signer)));
    const extra = rec.pins.filter((p) => !known.has(signerKey(p.signer)));
    if (extra.length === 0) continue;
    if (mine.pins.length + extra.length > LIMITS.pinsPerRepo) throw new ModelSealError('STORE_INVALID', `more than ${LIMITS.pinsPerRepo} pins for ${rec.repo}`);
    mine.pins = [...mine.pins, ...structuredClone(extra)];
    if (mine.signedSince === undefined && rec.signedSince !== undefined) mine.signedSince = rec.signedSince;
  }
  for (const e of incoming.expected) {
    const i = next.expected.findIndex((x) => policyKey(x) === policyKey(e));
    if (i >= 0) {
      if (policyBody(next.expected[i]!) !== policyBody(e)) next.expected[i] = structuredClone(e);
    } else next.expected.push(structuredClone(e));
  }
  const seen = new Set(next.alerts.map(alertKey));
  for (const a of incoming.alerts) {
    // Existing alerts are never pushed out to make room.
    if (seen.has(alertKey(a)) || next.alerts.length >= LIMITS.alerts) continue;
    seen.add(alertKey(a));
    next.alerts.push({ ...structuredClone(a), id: next.nextAlertId++ });
  }
  return next;
}

const lockBrief = (l: RepoLock): LockBrief => ({ commit: l.document.commit, rootDigest: l.document.manifest.rootDigest, files: l.document.files.length });
/** Two locks accept the same content when their documents are equal (the lock time aside). */
const lockContentKey = (l: RepoLock) => JSON.stringify(l.document);
const byRepo = (a: { hub: string; kind: RepoKind; repo: string }, b: { hub: string; kind: RepoKind; repo: string }) => (repoKey(a) < repoKey(b) ? -1 : repoKey(a) > repoKey(b) ? 1 : 0);
const byScope = (a: ExpectedIdentity, b: ExpectedIdentity) => (policyKey(a) < policyKey(b) ? -1 : policyKey(a) > policyKey(b) ? 1 : 0);

/** What going from `before` to `after` changes, in a stable order (the digest depends on it). */
export function diffDocuments(before: TrustDocument, after: TrustDocument, mode: ImportMode): ImportDiff {
  const pins: ImportDiff['pins'] = { added: [], removed: [], changed: [] };
  const keys = [...new Set([...Object.keys(before.repos), ...Object.keys(after.repos)])];
  for (const k of keys) {
    const b = before.repos[k];
    const a = after.repos[k];
    const rec = (a ?? b)!;
    const bs = b?.pins.map((p) => p.signer) ?? [];
    const as = a?.pins.map((p) => p.signer) ?? [];
    const entry: PinDiff = { hub: rec.hub, kind: rec.kind, repo: rec.repo, before: bs, after: as };
    const same = bs.length === as.length && bs.every((s) => as.some((x) => signerKey(x) === signerKey(s)));
    if (same) continue;
    if (bs.length === 0) pins.added.push(entry);
    else if (as.length === 0) pins.removed.push(entry);
    else pins.changed.push(entry);
  }
  pins.added.sort(byRepo);
  pins.removed.sort(byRepo);
  pins.changed.sort(byRepo);

  const policies: ImportDiff['policies'] = { added: [], removed: [], changed: [] };
  const beforeP = new Map(before.expected.map((e) => [policyKey(e), e]));
  const afterP = new Map(after.expected.map((e) => [policyKey(e), e]));
  for (const [k, e] of afterP) {
    const old = beforeP.get(k);
    if (!old) policies.added.push(e);
    else if (policyBody(old) !== policyBody(e)) policies.changed.push({ before: old, after: e });
  }
  for (const [k, e] of beforeP) if (!afterP.has(k)) policies.removed.push(e);
  policies.added.sort(byScope);
  policies.removed.sort(byScope);
  policies.changed.sort((x, y) => byScope(x.after, y.after));

  const locks: ImportDiff['locks'] = { added: [], removed: [], changed: [] };
  for (const k of keys) {
    const b = before.repos[k]?.lock;
    const a = after.repos[k]?.lock;
    if (!b && !a) continue;
    const rec = (after.repos[k] ?? before.repos[k])!;
    const entry: LockDiff = { hub: rec.hub, kind: rec.kind, repo: rec.repo, ...(b ? { before: lockBrief(b) } : {}), ...(a ? { after: lockBrief(a) } : {}) };
    if (!b) locks.added.push(entry);
    else if (!a) locks.removed.push(entry);
    else if (lockContentKey(a) !== lockContentKey(b)) locks.changed.push(entry);
  }
  locks.added.sort(byRepo);
  locks.removed.sort(byRepo);
  locks.changed.sort(byRepo);

  const beforeA = new Set(before.alerts.map(alertKey));
  const afterA = new Set(after.alerts.map(alertKey));
  const alerts = { added: [...afterA].filter((k) => !beforeA.has(k)).length, removed: [...beforeA].filter((k) => !afterA.has(k)).length };
  const repos = {
    added: Object.keys(after.repos).filter((k) => !before.repos[k]).length,
    removed: Object.keys(before.repos).filter((k) => !after.repos[k]).length,
  };
  const body: Omit<ImportDiff, 'id'> = { mode, pins, policies, locks, alerts, repos };
  if (before.settings.signersPerRepo !== after.settings.signersPerRepo) {
    body.signersPerRepo = { before: before.settings.signersPerRepo, after: after.settings.signersPerRepo };
  }
  // Anything that removes, widens or redirects trust is confirmed by typing; only plain additions
  // of repos not known yet, and alerts, go through on a click.
  const widens =
    mode === 'replace' ||
    pins.removed.length > 0 ||
    pins.changed.length > 0 ||
    policies.added.length + policies.removed.length + policies.changed.length > 0 ||
    body.signersPerRepo !== undefined ||
    alerts.removed > 0 ||
    repos.removed > 0 ||
    // A lock removed or moved accepts content it refused before.
    locks.removed.length > 0 ||
    locks.changed.length > 0;
  if (widens) body.confirmation = IMPORT_CONFIRMATION[mode];
  const id = bytesToHex(sha256(new TextEncoder().encode(JSON.stringify(body)))).slice(0, 32);
  return { ...body, id };
}
