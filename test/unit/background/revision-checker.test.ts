/**
 * The revision checker's own promises: one revision lookup per check (the verification reuses it),
 * one verification per commit whoever asks, and the cached check on the next view.
 */
import { describe, expect, it } from 'vitest';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { FetchLike } from '../../../extension/core/env.js';
import { createHubHandler, hubFetch, HUB } from '../../fixture-hub/hub.mjs';
import { repo, file } from '../../fixture-hub/repo.mjs';

function setup() {
  const hub = createHubHandler([repo({ id: 'other/plain', commits: { v1: [file('config.json', '{}')] } })]);
  const urls: string[] = [];
  const inner = hubFetch(hub) as FetchLike;
  const fetch: FetchLike = (input, init) => {
    urls.push(String(input));
    return inner(input, init);
  };
  const local = new SerializedStorage(new MemoryArea());
  const checker = new RevisionChecker({ fetch, trust: new TrustStore(local), cache: local, now: () => Date.now(), maxHashBytes: () => 1 << 20 });
  const lookups = () => urls.filter((u) => u.includes('/revision/')).length;
  return { checker, lookups, local };
}

const ref = { hub: HUB, kind: 'model' as const, repo: 'other/plain', revision: 'main' };

describe('revision checker', () => {
  it('resolves the revision once per check, verifies once per commit, then answers from the cache', async () => {
    const { checker, lookups } = setup();
    const cold = await checker.check(ref);
    expect(cold.cached).toBe(false);
    expect(cold.check.outcome.status).toBe('unsigned');
    expect(lookups()).toBe(1);
    expect(checker.verifications).toBe(1);
    const warm = await checker.check(ref);
    expect(warm).toMatchObject({ cached: true, check: { commit: cold.check.commit } });
    expect(lookups()).toBe(2);
    expect(checker.verifications).toBe(1);
  });

  it('shares one verification between concurrent checks of a commit', async () => {
    const { checker, lookups } = setup();
    const all = await Promise.all([checker.check(ref), checker.check(ref), checker.check(ref)]);
    expect(all.map((r) => r.check.commit)).toEqual([all[0]!.check.commit, all[0]!.check.commit, all[0]!.check.commit]);
    expect(checker.verifications).toBe(1);
    expect(checker.running).toBe(0);
    expect(lookups()).toBe(3);
  });

  it('keys the cache by revisionKey at the commit, under a versioned prefix', async () => {
    const { checker, local } = setup();
    const { check } = await checker.check(ref);
    expect(await local.get(`rev:v3:${HUB}|model|other/plain@${check.commit}#nokeys-${1 << 20}`)).toMatchObject({ commit: check.commit });
  });

  it('turns any failure into an amber verdict about the revision asked for', async () => {
    const { checker } = setup();
    const v = await checker.verdictFor({ ...ref, repo: 'other/missing' });
    expect(v).toMatchObject({ state: 'unverifiable', subject: { repo: 'other/missing', revision: 'main' } });
  });
});
