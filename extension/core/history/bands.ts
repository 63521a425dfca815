/**
 * The history as people read it: consecutive versions by the same signer collapse into one band
 * ("signed by X, 14 versions, 2025-03 → 2026-10"); a change of signer and a version that does not
 * verify are marked where they happen. Newest first, like the versions.
 */
import type { Signer } from '../verdict.js';
import type { SignatureVersion } from './walk.js';

export interface HistoryBand {
  /** undefined: versions whose signature does not verify (each such version is its own band). */
  signer?: Signer;
  versions: SignatureVersion[];
  /** Oldest and newest commit dates in the band (ISO), when the hub gave them. */
  from?: string;
  to?: string;
  /** This band's signer differs from the next older band's (a verified one): a signer change. */
  signerChangedFromOlder: boolean;
}

/** Two signers are the same signer: same kind and every identifying field equal. */
export function sameSigner(a: Signer, b: Signer): boolean {
  return (
    a.kind === b.kind &&
    a.identity === b.identity &&
    a.issuer === b.issuer &&
    a.keyFingerprint === b.keyFingerprint &&
    a.caSubject === b.caSubject &&
    a.sourceRepository === b.sourceRepository
  );
}

function signerOf(v: SignatureVersion): Signer | undefined {
  return v.outcome.ok ? v.outcome.evidence.signer : undefined;
}

export function historyBands(versionsNewestFirst: readonly SignatureVersion[]): HistoryBand[] {
  const bands: HistoryBand[] = [];
  for (const v of versionsNewestFirst) {
    const s = signerOf(v);
    const last = bands[bands.length - 1];
    if (last && s && last.signer && sameSigner(last.signer, s)) {
      last.versions.push(v);
      if (v.date) last.from = v.date;
      continue;
    }
    bands.push({ ...(s ? { signer: s } : {}), versions: [v], ...(v.date ? { from: v.date, to: v.date } : {}), signerChangedFromOlder: false });
  }
  // A band's signer changed if the next older verified band has another signer.
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i]!;
    if (!b.signer) continue;
    const older = bands.slice(i + 1).find((x) => x.signer);
    b.signerChangedFromOlder = older?.signer !== undefined && !sameSigner(older.signer, b.signer);
  }
  return bands;
}

/** For a first visit: the current signer, since when and over how many versions, and the last change. */
export interface HistorySummary {
  signer: Signer;
  versions: number;
  since?: string;
  /** The signer before the most recent change, and when the current one took over. */
  changedFrom?: { signer: Signer; at?: string };
}

export function summarizeHistory(versionsNewestFirst: readonly SignatureVersion[]): HistorySummary | undefined {
  const bands = historyBands(versionsNewestFirst).filter((b) => b.signer);
  const current = bands[0];
  if (!current?.signer) return undefined;
  const older = bands[1];
  return {
    signer: current.signer,
    versions: current.versions.length,
    ...(current.from ? { since: current.from } : {}),
    ...(older?.signer && current.signerChangedFromOlder ? { changedFrom: { signer: older.signer, ...(current.from ? { at: current.from } : {}) } } : {}),
  };
}
