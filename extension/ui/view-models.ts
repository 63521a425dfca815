/**
 * What the trust views render, normalised from the worker's replies. The worker's store shapes are
 * owned by the trust module; these readers accept them defensively (unknown fields ignored, bad
 * entries dropped, lists bounded) so a surprising reply degrades the view instead of crashing it.
 */
import type { Signer, SignerKind } from '../core/verdict.js';

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

export interface PinView {
  hub?: string;
  kind?: 'model' | 'dataset';
  repo: string;
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
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const first = (o: Obj, ...keys: string[]): unknown => {
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
};

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

export function toAlerts(v: unknown): AlertView[] {
  const list = isObj(v) && !('repo' in v) ? first(v, 'alerts', 'items') ?? v : v;
  const out: AlertView[] = [];
  items(list).forEach((a, i) => {
    if (!isObj(a)) return;
    const repo = str(first(a, 'repo', 'repoId'));
    if (!repo) return;
    const unread = first(a, 'unread');
    const signer = toSigner(first(a, 'signer', 'newSigner'));
    const alert: AlertView = {
      id: String(str(first(a, 'id', 'key')) ?? num(a.id) ?? i),
      repo,
      state: str(first(a, 'state', 'kind')) ?? 'unverifiable',
      read: typeof a.read === 'boolean' ? a.read : typeof unread === 'boolean' ? !unread : false,
    };
    const hub = str(a.hub);
    const commit = str(a.commit);
    const at = num(first(a, 'at', 'createdAt', 'time', 'seenAt'));
    const reason = str(first(a, 'reason', 'message'));
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

/** Pins and expected identities from the trust document (`repos` with `pins`, `expected`). */
export function toTrustSnapshot(v: unknown): TrustSnapshotView {
  const o = isObj(v) ? v : {};
  const pins: PinView[] = [];
  // The document keeps pins per repo record; older/other shapes may list them directly.
  const records = items(first(o, 'repos', 'pins'));
  for (const p of records) {
    if (!isObj(p)) continue;
    const repo = str(first(p, 'repo', 'repoId'));
    if (!repo) continue;
    const rawPins = first(p, 'pins', 'signers', 'signer');
    const list = (Array.isArray(rawPins) ? rawPins : rawPins === undefined ? [] : [rawPins]).slice(0, 64);
    const signers: Signer[] = [];
    let since: number | undefined;
    for (const entry of list) {
      const signer = toSigner(isObj(entry) && 'signer' in entry ? entry.signer : entry);
      if (!signer) continue;
      signers.push(signer);
      const at = isObj(entry) ? num(entry.since) : undefined;
      if (at !== undefined && (since === undefined || at < since)) since = at;
    }
    if (signers.length === 0) continue; // seen but never signed: nothing pinned
    const pin: PinView = { repo, signers };
    const hub = str(p.hub);
    const kind = str(p.kind);
    since ??= num(first(p, 'since', 'pinnedAt', 'trustedSince'));
    if (hub) pin.hub = hub;
    if (kind === 'model' || kind === 'dataset') pin.kind = kind;
    if (since !== undefined) pin.since = since;
    pins.push(pin);
  }
  const policies: PolicyView[] = [];
  for (const p of items(first(o, 'expected', 'policies', 'expectations'))) {
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

/** The observed history of one repo (a repo record, or a bare list), bounded. */
export function toHistory(v: unknown): HistoryView[] {
  const list = isObj(v) ? v.history : v;
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
