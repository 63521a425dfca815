/**
 * The signing history walk against a hub with a long linear history: requests grow with signature
 * versions, not commits; answers are cached per commit; signer changes show; one bad version does not
 * hide the others; pages continue; 429s are waited out; a looping history is refused.
 */
import { describe, expect, it } from 'vitest';
import { HuggingFaceClient } from '../../../extension/core/hubs/huggingface/client.js';
import { walkSignatureHistory, type SignatureVersion } from '../../../extension/core/history/walk.js';
import { historyBands, summarizeHistory } from '../../../extension/core/history/bands.js';
import { verifyUnknownSigner } from '../../../extension/core/hub/steps/verify-signature.js';
import { createKeySigner } from '../../factory/signers.js';
import { memoryStorage } from '../error-code.js';
import { signModel } from '../../factory/model.js';

const HUB = 'https://hub.test';
const REPO = 'publisher/model';
const sha = (i: number) => i.toString(16).padStart(40, '0');
const date = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();

const alice = createKeySigner('P-256', { seed: 'history-alice' });
const bob = createKeySigner('P-256', { seed: 'history-bob' });
const sigBy = (signer: typeof alice, n: number) => signModel({ files: { 'weights.bin': `weights v${n}` }, signer }).signature;

interface HubOptions {
  commits: number;
  /** commit index → model.sig content written at that commit (null: deleted). */
  writes: Map<number, string | null>;
  /** Answer 429 to the n-th request (1-based) once. */
  rateLimitAt?: number;
  /** paths-info answers this commit for every question (a looping history). */
  loopAt?: number;
}

function fakeHub(o: HubOptions) {
  let requests = 0;
  const contentAt = (i: number): { commit: number; content: string } | undefined => {
    for (let c = i; c >= 0; c--) {
      if (o.writes.has(c)) {
        const content = o.writes.get(c);
        return content === null || content === undefined ? undefined : { commit: c, content };
      }
    }
    return undefined;
  };
  const index = (s: string) => parseInt(s, 16);
  const fetch = async (input: string, init?: RequestInit) => {
    requests++;
    if (requests === o.rateLimitAt) return new Response('slow down', { status: 429, headers: { 'retry-after': '1' } });
    const url = new URL(input);
    let m = /^\/api\/models\/publisher\/model\/paths-info\/([0-9a-f]{40})$/.exec(url.pathname);
    if (m && init?.method === 'POST') {
      const paths = (JSON.parse(String(init.body)) as { paths: string[] }).paths;
      const at = contentAt(index(m[1]!));
      const items = paths
        .filter((p) => p === 'model.sig' && at)
        .map((p) => ({ type: 'file', path: p, size: at!.content.length, lastCommit: { id: sha(o.loopAt ?? at!.commit), title: `write ${p}`, date: date(o.loopAt ?? at!.commit) } }));
      return Response.json(items);
    }
    m = /^\/api\/models\/publisher\/model\/commits\/([0-9a-f]{40})$/.exec(url.pathname);
    if (m) {
      const i = index(m[1]!);
      return Response.json([i, i - 1].filter((c) => c >= 0).map((c) => ({ id: sha(c), title: `commit ${c}`, date: date(c) })));
    }
    m = /^\/publisher\/model\/resolve\/([0-9a-f]{40})\/model\.sig$/.exec(url.pathname);
    if (m) {
      const at = contentAt(index(m[1]!));
      return at ? new Response(at.content, { headers: { 'x-repo-commit': m[1]! } }) : new Response('', { status: 404 });
    }
    return new Response('', { status: 404 });
  };
  const client = new HuggingFaceClient({ fetch, endpoint: HUB, sleep: async () => undefined });
  return { client, requests: () => requests };
}

const memory = memoryStorage;

const verify = async (bytes: Uint8Array) => verifyUnknownSigner(bytes, [alice.publicKeyPem, bob.publicKeyPem], undefined).evidence;
const signerKey = (v: SignatureVersion) => (v.outcome.ok ? v.outcome.evidence.signer.keyFingerprint : v.outcome.failure.code);

describe('signing history walk', () => {
  const writes = new Map<number, string | null>([[100, sigBy(alice, 1)], [500, sigBy(alice, 2)], [800, sigBy(bob, 3)]]);

  it('1,000 commits and 3 signature versions: 10 requests, newest first, signer change marked', async () => {
    const hub = fakeHub({ commits: 1000, writes });
    const page = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify, cache: memory() });
    expect(page.versions.map((v) => [v.commit, v.added])).toEqual([[sha(800), false], [sha(500), false], [sha(100), true]]);
    expect(page.next).toBeUndefined();
    // 4 paths-info (head, and the parents of 800, 500, 100) + 3 parents + 3 signature files.
    expect(hub.requests()).toBe(10);
    const fp = (s: typeof alice) => verifyUnknownSigner(new TextEncoder().encode(sigBy(s, 9)), [s.publicKeyPem], undefined).evidence.signer.keyFingerprint;
    expect(page.versions.map(signerKey)).toEqual([fp(bob), fp(alice), fp(alice)]);
    const bands = historyBands(page.versions);
    expect(bands.map((b) => [b.versions.length, b.signerChangedFromOlder])).toEqual([[1, true], [2, false]]);
    expect(bands[1]).toMatchObject({ from: date(100), to: date(500) });
    const summary = summarizeHistory(page.versions);
    expect(summary).toMatchObject({ versions: 1, since: date(800), changedFrom: { at: date(800) } });
    expect(summary?.changedFrom?.signer.keyFingerprint).toBe(fp(alice));
  });

  it('a repeat visit costs nothing; a new head costs one request', async () => {
    const cache = memory();
    const hub = fakeHub({ commits: 1100, writes });
    await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify, cache });
    const before = hub.requests();
    const again = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify, cache });
    expect(hub.requests() - before).toBe(0);
    expect(again.versions).toHaveLength(3);
    const newer = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(1050), paths: ['model.sig'], verify, cache });
    expect(hub.requests() - before).toBe(1);
    expect(newer.versions).toHaveLength(3);
  });

  it('one version that does not verify is that row only; the others stand', async () => {
    const broken = new Map(writes);
    const bad = JSON.parse(sigBy(alice, 2)) as { dsseEnvelope: { signatures: Array<{ sig: string }> } };
    bad.dsseEnvelope.signatures[0]!.sig = Buffer.from('not a signature').toString('base64');
    broken.set(500, JSON.stringify(bad));
    const hub = fakeHub({ commits: 1000, writes: broken });
    const page = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify });
    expect(page.versions.map((v) => v.outcome.ok)).toEqual([true, false, true]);
    expect(page.versions[1]!.outcome.ok ? '' : page.versions[1]!.outcome.failure.code).toBe('KEY_MISMATCH'); // neither known key verifies it
    // The broken version is its own band, between two bands of signed versions.
    expect(historyBands(page.versions).map((b) => b.signer !== undefined)).toEqual([true, false, true]);
  });

  it('pages: the first 2 versions, then "load more" from the cursor', async () => {
    const hub = fakeHub({ commits: 1000, writes });
    const cache = memory();
    const first = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify, cache, limit: 2 });
    expect(first.versions.map((v) => v.commit)).toEqual([sha(800), sha(500)]);
    expect(first.next).toEqual({ 'model.sig': sha(499) });
    const rest = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify, cache, resume: first.next! });
    expect(rest.versions.map((v) => [v.commit, v.added])).toEqual([[sha(100), true]]);
    expect(rest.next).toBeUndefined();
  });

  it('a 429 in the middle of the walk is waited out', async () => {
    const hub = fakeHub({ commits: 1000, writes, rateLimitAt: 4 });
    const page = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify });
    expect(page.versions).toHaveLength(3);
    expect(hub.requests()).toBe(11);
  });

  it('a hub whose history loops is refused', async () => {
    const hub = fakeHub({ commits: 1000, writes, loopAt: 800 });
    await expect(walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(999), paths: ['model.sig'], verify })).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });

  it('a repo whose head has no signature file has no history to walk here', async () => {
    const hub = fakeHub({ commits: 50, writes: new Map() });
    const page = await walkSignatureHistory({ client: hub.client, kind: 'model', repo: REPO, head: sha(49), paths: ['model.sig'], verify });
    expect(page).toEqual({ versions: [] });
    expect(hub.requests()).toBe(1);
  });
});
