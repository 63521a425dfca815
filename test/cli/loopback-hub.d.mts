// Types for the plain-JS loopback hub (kept as .mjs so the download bench runs in plain Node).
import type { FixtureRepo } from '../fixture-hub/index.d.mts';

export interface Faults {
  /** Repo file path → bytes served instead of the real ones (the listing still shows the signed digest). */
  lie: Record<string, Uint8Array>;
  /** Path → bytes sent before the connection is cut (Content-Length announces the whole file). */
  truncate: Record<string, number>;
  /** Path → bytes sent before the server stops sending (connection left open). */
  stall: Record<string, number>;
  /** Answer 200 with the whole file to Range requests. */
  ignoreRange: boolean;
  /** Send bodies in chunks of this size with this pause between them. */
  slow?: { chunk: number; delayMs: number };
  /** This many /resolve/ requests for LFS files are answered 429 (Retry-After: 1) first. */
  rateLimit: number;
  /** This many /resolve/ requests for LFS files are answered 503 first. */
  unavailable: number;
  /** LFS files are redirected (302) to the second origin, as the Hub does to its storage CDN. */
  cdn: boolean;
  /** Gated repos accept this bearer token as a signed-in session. */
  token?: string;
}
export interface Seen {
  server: 'hub' | 'cdn';
  path: string;
  range?: string;
  authorization?: string;
}
export interface LoopbackHub {
  endpoint: string;
  cdnOrigin: string;
  faults: Faults;
  seen: Seen[];
  close(): Promise<void>;
}
export function noFaults(): Faults;
export function startLoopbackHub(repos: FixtureRepo[], opts?: { trees?: Record<string, unknown[]> }): Promise<LoopbackHub>;
