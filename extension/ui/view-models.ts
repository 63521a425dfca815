/**
 * What the trust views render, read from the worker's replies (typed by the protocol: the trust
 * module's `Alert`, `TrustDocument` and `RepoRecord`, under the same field names). The readers still
 * check what they read (unknown fields ignored, bad entries dropped, lists bounded) so a surprising
 * reply degrades the view instead of crashing it.
 */
import type { Signer, SignerKind } from '../core/verdict.js';
import type { RepoRef } from '../core/repo-ref.js';
import type { Alert, Pin, RepoRecord, TrustDocument } from '../core/trust/types.js';

export interface AlertView {
  id: string;
  hub?: string;
  repo: string;
  commit?: string;
  state: string;
  at?: number;
  read: boolean;
  reason?: string;
  /** Failure code and parameters, when the store kept them: the alert is then worded by failureText. */
  code?: string;
  params?: Record<string, string | number>;
  signer?: Signer;
}

/** A repo record's pinned signers; names its repo exactly as the store does (to remove the pin). */
export interface PinView extends RepoRef {
  signers: Signer[];
  since?: number;
}

export interface PolicyView {
  scope: string;
  kind?: 'sigstore' | 'key' | 'certificate';
  identity: string;
  issuer: string;
  /** Sigstore: the identity is a `*` pattern. */
  glob?: boolean;
  keyFingerprint?: string;
  /** Certificate: the trusted CA certificates (PEM), as stored. */
  caPems?: string[];
}

export interface HistoryView {
  commit: string;
  seenAt: number;
  state: string;
  signer?: Signer;
}

export interface TrustSnapshotView {
  pins: PinView[];
  policies: PolicyView[];
}

const MAX_ITEMS = 2000;
const MAX_CAS = 8;
const MAX_PEM = 16_384;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A field of a core type, named as in that type (renaming the field there breaks compilation here). */
const field = <T>(o: Obj, k: keyof T & string): unknown => o[k];
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Arrays as they are; records keyed by id as their values. */
function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.slice(0, MAX_ITEMS);
  if (isObj(v)) return Object.values(v).slice(0, MAX_ITEMS);
  return [];
}

const KINDS: readonly SignerKind[] = ['sigstore', 'key', 'certificate'];

export function toSigner(v: unknown): Signer | undefined {
  if (!isObj(v)) return undefined;
  const kind = str(v.kind);
  if (!kind || !(KINDS as readonly string[]).includes(kind)) return undefined;
  const s: Signer = { kind: kind as SignerKind };
  for (const k of ['identity', 'issuer', 'keyFingerprint', 'caSubject'] as const) {
    const x = str(v[k]);
    if (x !== undefined) s[k] = x;
  }
  return s;
}

/** Alerts from the `alerts/list` reply (`{ alerts, unread }`) or a bare list of store `Alert`s. */
export function toAlerts(v: unknown): AlertView[] {
  const list = isObj(v) ? field<{ alerts: Alert[] }>(v, 'alerts') : v;
  const out: AlertView[] = [];
  items(list).forEach((a, i) => {
    if (!isObj(a)) return;
    const repo = str(field<Alert>(a, 'repo'));
    if (!repo) return;
    const signer = toSigner(field<Alert>(a, 'signer'));
    const alert: AlertView = {
      id: String(num(field<Alert>(a, 'id')) ?? i),
      repo,
      state: str(field<Alert>(a, 'state')) ?? 'unverifiable',
      read: a.read === true,
    };
    const hub = str(field<Alert>(a, 'hub'));
    const commit = str(field<Alert>(a, 'commit'));
    const at = num(field<Alert>(a, 'at'));
    const reason = str(field<Alert>(a, 'reason'));
    if (hub) alert.hub = hub;
    if (commit) alert.commit = commit;
    if (at !== undefined) alert.at = at;
    if (reason) alert.reason = reason;
    const code = str(a.code);
    if (code && /^[A-Z0-9_]{1,64}$/.test(code)) alert.code = code;
    if (isObj(a.params)) {
      const params: Record<string, string | number> = {};
      for (const [k, x] of Object.entries(a.params).slice(0, 16)) if (typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) params[k] = x;
      alert.params = params;
    }
    if (signer) alert.signer = signer;
    out.push(alert);
  });
  return out.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
}

/** Pins and expected identities from the trust document (`repos` with their `pins`, `expected`). */
export function toTrustSnapshot(v: unknown): TrustSnapshotView {
  const o = isObj(v) ? v : {};
  const pins: PinView[] = [];
  for (const p of items(field<TrustDocument>(o, 'repos'))) {
    if (!isObj(p)) continue;
    const repo = str(field<RepoRecord>(p, 'repo'));
    const hub = str(p.hub);
    const kind = p.kind;
    if (!repo || !hub || (kind !== 'model' && kind !== 'dataset')) continue;
    const signers: Signer[] = [];
    let since: number | undefined;
    for (const entry of items(field<RepoRecord>(p, 'pins')).slice(0, 64)) {
      const signer = isObj(entry) ? toSigner(field<Pin>(entry, 'signer')) : undefined;
      if (!signer) continue;
      signers.push(signer);
      const at = num(field<Pin>(entry as Obj, 'since'));
      if (at !== undefined && (since === undefined || at < since)) since = at;
    }
    if (signers.length === 0) continue; // seen but never signed: nothing pinned
    const pin: PinView = { hub, kind, repo, signers };
    if (since !== undefined) pin.since = since;
    pins.push(pin);
  }
  const policies: PolicyView[] = [];
  for (const p of items(field<TrustDocument>(o, 'expected'))) {
    if (!isObj(p)) continue;
    const scope = str(p.scope);
    if (!scope) continue;
    if (p.kind === 'key') {
      const fp = str(p.keyFingerprint);
      policies.push({ scope, kind: 'key', identity: '', issuer: '', ...(fp ? { keyFingerprint: fp } : {}) });
      continue;
    }
    if (p.kind === 'certificate') {
      // Bounded like the worker's own check (8 CAs of 16 KiB); anything else is dropped, not shown.
      const caPems = items(p.caPems)
        .slice(0, MAX_CAS)
        .filter((c): c is string => typeof c === 'string' && c.length <= MAX_PEM);
      policies.push({ scope, kind: 'certificate', identity: '', issuer: '', caPems });
      continue;
    }
    const identity = str(p.identity);
    if (identity === undefined) continue;
    const policy: PolicyView = { scope, kind: 'sigstore', identity, issuer: str(p.issuer) ?? '' };
    if (p.glob === true) policy.glob = true;
    policies.push(policy);
  }
  pins.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  return { pins, policies };
}

/** The observed history of one repo (its record, as `repo/history` answers; null when never seen), bounded. */
export function toHistory(v: unknown): HistoryView[] {
  const list = isObj(v) ? field<RepoRecord>(v, 'history') : [];
  const out: HistoryView[] = [];
  for (const e of items(list)) {
    if (!isObj(e)) continue;
    const commit = str(e.commit);
    const seenAt = num(e.seenAt);
    const state = str(e.state);
    if (!commit || seenAt === undefined || !state) continue;
    const h: HistoryView = { commit, seenAt, state };
    const signer = toSigner(e.signer);
    if (signer) h.signer = signer;
    out.push(h);
  }
  return out;
}
