/**
 * Which Sigstore trusted root verifications use, and why (the policy the README's "Trust root (TUF)"
 * section states):
 * - online updates off, or no update has ever succeeded: the built-in root (labelled as such);
 * - an update succeeded: the last verified trusted_root.json while its TUF metadata is valid;
 * - that metadata expired and the repository cannot renew it: no root at all. Sigstore checks then
 *   fail with TRUST_ROOT_EXPIRED ("could not verify"), never green and never a quiet return to the
 *   older built-in root.
 * The extension's worker and the CLI both keep their root through this, with their own storage.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { asModelSealError, ModelSealError, type ErrorCode } from '../errors.js';
import type { Clock, FetchLike, KeyValueStorage } from '../env.js';
import { oneLine } from '../failure.js';
import { parseTrustedRoot, trustedRootDate, UnusableTrustedRoot } from '../sigstore/trusted-root.js';
import { TufClient, type TufState } from './client.js';

export type TrustRootSource = 'built-in' | 'updated' | 'expired';

/** What settings and the CLI show about the trust root in force. */
export interface TrustRootStatus {
  source: TrustRootSource;
  /** Whether online updates are on. */
  online: boolean;
  /** The TUF repository's host (the only host contacted for the trust root). */
  host: string;
  /** TUF root version: of the updated root, or of the embedded seed. */
  rootVersion: number;
  /** Newest validity start in the built-in trusted root (YYYY-MM-DD). */
  builtInDate?: string;
  /** Newest validity start in the updated trusted root (YYYY-MM-DD). */
  updatedDate?: string;
  /** Last successful update (ms since the epoch). */
  lastUpdate?: number;
  /** The updated root is used until then (ms since the epoch): its TUF metadata's earliest expiry. */
  validUntil?: number;
  /** The last update attempt's failure, until one succeeds. */
  lastError?: { code: ErrorCode; reason: string; at: number };
}

export interface TrustRootChoice {
  /** trusted_root.json JSON; undefined: the built-in root; an UnusableTrustedRoot: none may be used. */
  root: unknown;
  /** Names the root for cache keys: a check made with one root means nothing for another. */
  tag: string;
}

export interface TrustRootKeeperOptions {
  fetch: FetchLike;
  storage: KeyValueStorage;
  clock: Clock;
  /** TUF repository base URL. */
  baseUrl: string;
  /** The embedded TUF root (bytes of N.root.json). */
  seedRoot: Uint8Array;
  /** The built-in trusted_root.json (JSON), for its date. */
  builtIn: unknown;
  /** A failed update is not tried again sooner than this; default one minute. */
  retryAfterMs?: number;
  /** One whole update is given up after this; default 20 s. */
  updateTimeoutMs?: number;
}

type Attempt = { at: number; error?: { code: ErrorCode; reason: string } };

const STATUS_KEY = 'tuf:attempt:';

export class TrustRootKeeper {
  readonly host: string;
  private readonly client: TufClient;
  private inflight: Promise<TufState | undefined> | undefined;
  /** The parsed target, reused while its bytes are the same (the verifier caches prepared roots per object). */
  private parsed: { sha: string; json: unknown } | undefined;
  private readonly builtInDate: string | undefined;

  constructor(private readonly o: TrustRootKeeperOptions) {
    this.host = new URL(o.baseUrl).host;
    this.builtInDate = trustedRootDate(o.builtIn);
    this.client = new TufClient({ fetch: (u, init) => this.boundedFetch(u, init), baseUrl: o.baseUrl, seedRoot: o.seedRoot, storage: o.storage, clock: o.clock });
  }

  /** The root a Sigstore verification should use now, updating first when the stored one expired. */
  async choose(online: boolean): Promise<TrustRootChoice> {
    if (!online) return { root: undefined, tag: 'builtin' };
    let state = await this.client.last();
    if (!state) return { root: undefined, tag: 'builtin' };
    // Not forced: with the repository down, a burst of checks waits on at most one attempt a minute.
    if (state.expires <= this.o.clock.now()) state = (await this.refresh()) ?? state;
    if (state.expires <= this.o.clock.now()) {
      const why = (await this.attempt())?.error?.reason ?? 'no update was possible';
      const reason = `the Sigstore trust root (TUF root version ${await this.client.rootVersion()}) expired on ${isoDate(state.expires)} and ${this.host} could not renew it: ${why}`;
      return { root: new UnusableTrustedRoot('TRUST_ROOT_EXPIRED', oneLine(reason)), tag: 'unusable' };
    }
    return this.updatedChoice(state);
  }

  /**
   * Runs a TUF update unless one failed within `retryAfterMs` (`force` ignores that); concurrent
   * callers share one. Returns the verified state, or undefined when the update failed (recorded).
   */
  refresh(force = false): Promise<TufState | undefined> {
    this.inflight ??= (async () => {
      const last = await this.attempt();
      if (!force && last?.error && this.o.clock.now() - last.at < (this.o.retryAfterMs ?? 60_000)) return undefined;
      const at = this.o.clock.now();
      try {
        const state = await this.client.update();
        this.parseTarget(state); // a target that is no trusted root counts as a failed update
        await this.o.storage.set(this.statusKey, { at } satisfies Attempt);
        return state;
      } catch (e) {
        const err = asModelSealError(e, 'INTERNAL_ERROR');
        await this.o.storage.set(this.statusKey, { at, error: { code: err.code, reason: oneLine(err.message) } } satisfies Attempt);
        return undefined;
      }
    })().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** Refreshes when the last successful update is older than `maxAgeMs` (or there was none). */
  async refreshIfDue(maxAgeMs: number): Promise<void> {
    const state = await this.client.last();
    if (!state || this.o.clock.now() - state.checkedAt >= maxAgeMs) await this.refresh();
  }

  async status(online: boolean): Promise<TrustRootStatus> {
    const state = await this.client.last();
    const attempt = await this.attempt();
    const base = {
      online,
      host: this.host,
      ...(this.builtInDate ? { builtInDate: this.builtInDate } : {}),
      ...(attempt?.error ? { lastError: { ...attempt.error, at: attempt.at } } : {}),
    };
    if (!online || !state) return { ...base, source: 'built-in', rootVersion: await this.seedVersion() };
    const date = trustedRootDate(this.parsedOrUndefined(state));
    return {
      ...base,
      source: state.expires <= this.o.clock.now() ? 'expired' : 'updated',
      rootVersion: state.rootVersion,
      ...(date ? { updatedDate: date } : {}),
      lastUpdate: state.checkedAt,
      validUntil: state.expires,
    };
  }

  private get statusKey(): string {
    return `${STATUS_KEY}${this.o.baseUrl.replace(/\/+$/, '')}`;
  }

  private async attempt(): Promise<Attempt | undefined> {
    const v = (await this.o.storage.get(this.statusKey)) as Attempt | undefined;
    return v && typeof v.at === 'number' ? v : undefined;
  }

  private async seedVersion(): Promise<number> {
    const root = JSON.parse(new TextDecoder().decode(this.o.seedRoot)) as { signed?: { version?: unknown } };
    return typeof root.signed?.version === 'number' ? root.signed.version : 0;
  }

  private updatedChoice(state: TufState): TrustRootChoice {
    try {
      const json = this.parseTarget(state);
      return { root: json, tag: `tuf:${this.parsed!.sha.slice(0, 16)}` };
    } catch (e) {
      // Signed by the repository yet no usable trusted root: nothing to verify with, and no fallback.
      const err = asModelSealError(e, 'TRUSTED_ROOT_INVALID');
      return { root: new UnusableTrustedRoot('TRUSTED_ROOT_INVALID', oneLine(err.message)), tag: 'unusable' };
    }
  }

  private parsedOrUndefined(state: TufState): unknown {
    try {
      return this.parseTarget(state);
    } catch {
      return undefined;
    }
  }

  private parseTarget(state: TufState): unknown {
    const sha = bytesToHex(sha256(state.target));
    if (this.parsed?.sha === sha) return this.parsed.json;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(state.target));
    } catch {
      throw new ModelSealError('TRUSTED_ROOT_INVALID', 'the updated trusted_root.json is not JSON');
    }
    parseTrustedRoot(json);
    this.parsed = { sha, json };
    return json;
  }

  /** Every request of one update shares its deadline, so an unresponsive repository cannot stall a check. */
  private boundedFetch(input: string, init?: RequestInit): Promise<Response> {
    const ms = this.o.updateTimeoutMs ?? 20_000;
    const ctl = new AbortController();
    // Left running through the body read; unref'd so it never keeps a CLI process alive.
    const timer = setTimeout(() => ctl.abort(), ms) as unknown as { unref?: () => void };
    timer.unref?.();
    return this.o.fetch(input, { ...init, signal: ctl.signal }).catch((e: unknown) => {
      throw ctl.signal.aborted ? new ModelSealError('TIMEOUT', `${this.host} did not answer within ${ms / 1000} s`) : e;
    });
  }
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
