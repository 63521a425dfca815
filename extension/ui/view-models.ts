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
  signer?: Signer;
}

export interface PinView {
  hub?: string;
  repo: string;
  signers: Signer[];
  since?: number;
}

export interface PolicyView {
  scope: string;
  identity: string;
  issuer: string;
}

export interface TrustSnapshotView {
  pins: PinView[];
  policies: PolicyView[];
}

const MAX_ITEMS = 2000;
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
      id: str(first(a, 'id', 'key')) ?? String(i),
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
    if (signer) alert.signer = signer;
    out.push(alert);
  });
  return out.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
}

export function toTrustSnapshot(v: unknown): TrustSnapshotView {
  const o = isObj(v) ? v : {};
  const pins: PinView[] = [];
  for (const p of items(o.pins)) {
    if (!isObj(p)) continue;
    const repo = str(first(p, 'repo', 'repoId'));
    if (!repo) continue;
    const rawSigners = first(p, 'signers', 'signer');
    const signers = (Array.isArray(rawSigners) ? rawSigners : [rawSigners])
      .slice(0, 64)
      .map((s) => toSigner(isObj(s) && 'signer' in s ? s.signer : s))
      .filter((s): s is Signer => s !== undefined);
    const pin: PinView = { repo, signers };
    const hub = str(p.hub);
    const since = num(first(p, 'since', 'pinnedAt', 'trustedSince', 'firstSeen'));
    if (hub) pin.hub = hub;
    if (since !== undefined) pin.since = since;
    pins.push(pin);
  }
  const policies: PolicyView[] = [];
  for (const p of items(first(o, 'policies', 'expected', 'expectations'))) {
    if (!isObj(p)) continue;
    const scope = str(p.scope);
    const identity = str(p.identity);
    const issuer = str(p.issuer);
    if (scope && identity !== undefined) policies.push({ scope, identity, issuer: issuer ?? '' });
  }
  pins.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  return { pins, policies };
}
