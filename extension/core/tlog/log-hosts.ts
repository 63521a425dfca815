/**
 * The transparency logs a trusted root names, as online checks reach them: Rekor v1 logs answer
 * `/api/v1/log` (origin "<host> - <tree id>"), tile logs (Rekor v2) serve C2SP tlog-tiles under
 * `/api/v2/` (origin "<host>"). Which API a log speaks is read from its checkpoint's origin line,
 * the only place the two differ; the hosts are listed from the root so the settings can name them.
 */
import { parseTrustedRoot } from '../sigstore/trusted-root.js';
import { rekorV1Client, treeIdOf } from './rekor-v1.js';
import { tileLogClient } from './tiles.js';
import type { FetchLike } from '../env.js';
import type { ConsistencyProofSource } from './witness.js';

export interface OnlineLog {
  /** The log's current checkpoint (signed note), not yet verified. */
  checkpoint(): Promise<string>;
  proofs: ConsistencyProofSource;
}

/** Host names of the trusted root's transparency logs, in root order, without repeats. */
export function transparencyLogHosts(trustedRoot: unknown): string[] {
  const hosts: string[] = [];
  for (const log of parseTrustedRoot(trustedRoot).tlogs) {
    try {
      const host = new URL(log.baseUrl).hostname;
      if (host && !hosts.includes(host)) hosts.push(host);
    } catch {
      // A log without a usable URL cannot be asked; verification by key still works.
    }
  }
  return hosts;
}

/** The client for the log at `baseUrl` whose checkpoints carry `origin`. */
export function onlineLogFor(fetch: FetchLike, baseUrl: string, origin: string): OnlineLog {
  return treeIdOf(origin) !== undefined ? rekorV1Client(fetch, baseUrl) : tileLogClient(fetch, baseUrl);
}
