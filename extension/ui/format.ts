/** Small display helpers shared by every view. Deterministic (UTC) so tests and screenshots are stable. */
import type { LogEntry } from '../core/verdict.js';

/** "2026-03-30 12:34 UTC", or '' for a missing/invalid time. */
export function formatTime(ms: number | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** First 12 hex digits of a commit or digest, for compact tables (full value goes in `title`). */
export function shortHash(h: string | undefined, n = 12): string {
  return typeof h === 'string' ? h.slice(0, n) : '';
}

const PUBLIC_GOOD_REKOR = /^https:\/\/rekor\.sigstore\.dev\/?$/;

/**
 * Link to the public log viewer, only for the public-good Rekor v1 log (the viewer searches it by
 * index). Built from a validated decimal index, never from raw text.
 */
export function logViewerUrl(entry: Pick<LogEntry, 'log' | 'logIndex'>): string | undefined {
  if (!PUBLIC_GOOD_REKOR.test(entry.log)) return undefined;
  if (!/^\d{1,20}$/.test(entry.logIndex)) return undefined;
  return `https://search.sigstore.dev/?logIndex=${entry.logIndex}`;
}

/** Only http(s) hub origins are ever turned into links. */
export function safeOrigin(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}
