/**
 * The worker's Sigstore trust root: kept current from Sigstore's TUF repository (on by default,
 * switchable in settings), refreshed when the worker starts, once a day (alarm) and before a
 * verification whose stored root has expired. What verified is kept in extension storage. Key and
 * certificate signatures never consult it.
 */
import type { FetchLike, KeyValueStorage } from '../core/env.js';
import { PRODUCTION_TUF_URL, productionTrustedRootJson, productionTufSeedRoot } from '../core/sigstore/trusted-root.js';
import { TrustRootKeeper, type TrustRootChoice, type TrustRootStatus } from '../core/tuf/trust-root.js';

export const TRUST_ROOT_ALARM = 'trust-root-refresh';
/** Daily is plenty: Sigstore's timestamp metadata lives for days. */
export const REFRESH_PERIOD_MINUTES = 24 * 60;
/** A worker start refreshes only when the last update is older than this (workers restart often). */
const START_REFRESH_AGE_MS = 6 * 3_600_000;
const ONLINE_KEY = 'trustRoot:online';

export interface TrustRootServiceDeps {
  storage: KeyValueStorage;
  fetch: FetchLike;
  now: () => number;
}

export interface TrustRepository {
  baseUrl: string;
  /** Bytes of the N.root.json the client starts from. */
  seedRoot: Uint8Array;
}

export class TrustRootService {
  private keeper: TrustRootKeeper;

  constructor(
    private readonly deps: TrustRootServiceDeps,
    repository: TrustRepository = { baseUrl: PRODUCTION_TUF_URL, seedRoot: productionTufSeedRoot() },
  ) {
    this.keeper = this.keeperFor(repository);
  }

  private keeperFor(r: TrustRepository, clockOffsetMs = 0): TrustRootKeeper {
    const clock = { now: () => this.deps.now() + clockOffsetMs };
    return new TrustRootKeeper({ fetch: this.deps.fetch, storage: this.deps.storage, clock, baseUrl: r.baseUrl, seedRoot: r.seedRoot, builtIn: productionTrustedRootJson() });
  }

  /**
   * Another TUF repository and seed, its expiry judged `clockOffsetMs` ahead of the real clock: the
   * self-test's seam (e2e tests serve their own repository and cannot wait days for it to expire).
   */
  useRepository(r: TrustRepository, clockOffsetMs = 0): void {
    this.keeper = this.keeperFor(r, clockOffsetMs);
  }

  async online(): Promise<boolean> {
    return (await this.deps.storage.get(ONLINE_KEY)) !== false;
  }

  /** The root a Sigstore verification uses now (see TrustRootKeeper.choose). */
  async choose(): Promise<TrustRootChoice> {
    return this.keeper.choose(await this.online());
  }

  async status(): Promise<TrustRootStatus> {
    return this.keeper.status(await this.online());
  }

  async setOnline(online: boolean): Promise<TrustRootStatus> {
    await this.deps.storage.set(ONLINE_KEY, online);
    if (online) await this.keeper.refresh(true);
    return this.status();
  }

  /** An update now, whatever the last attempt was (settings' button). */
  async update(): Promise<TrustRootStatus> {
    if (await this.online()) await this.keeper.refresh(true);
    return this.status();
  }

  /** Worker start. */
  async started(): Promise<void> {
    if (await this.online()) await this.keeper.refreshIfDue(START_REFRESH_AGE_MS);
  }

  /** The daily alarm (a little early, so a late alarm does not skip a day). */
  async alarm(): Promise<void> {
    if (await this.online()) await this.keeper.refreshIfDue(REFRESH_PERIOD_MINUTES * 60_000 - 3_600_000);
  }
}
