/**
 * The worker's side of the disk check: message rules, the folder signature, and a hub revision's
 * signature refetched at the verified commit, including a hub that serves another signature the
 * second time (a lying hub must not get its manifest used).
 */
import { describe, expect, it } from 'vitest';
import { validate } from '../../../extension/background/validate.js';
import { DiskSignatures } from '../../../extension/background/disk-check.js';
import { hubFetch } from '../../fixture-hub/hub.mjs';
import { factory } from '../../fixture-hub/factory.mjs';
import { EXT, OWN, key, keyPolicy, setupWorker } from './harness.js';

const HUB = 'https://huggingface.co';
const popup = { id: OWN, url: `${EXT}extension/pages/check-files.html` };
const content = { id: OWN, url: `${HUB}/acme/signed`, tab: { id: 3, url: `${HUB}/acme/signed` }, frameId: 0 };
const isHub = (u: string) => u.startsWith(HUB);

describe('disk check messages', () => {
  it('only extension pages may ask; shapes are bounded', () => {
    expect(validate({ type: 'disk/signature', signature: '{}' }, popup, OWN, EXT, isHub).ok).toBe(true);
    expect(validate({ type: 'disk/signature', signature: '{}' }, content, OWN, EXT, isHub)).toMatchObject({ ok: false, reason: expect.stringContaining('content scripts may not') });
    expect(validate({ type: 'disk/signature', signature: 'x'.repeat(1024 * 1024 + 1) }, popup, OWN, EXT, isHub).ok).toBe(false);
    expect(validate({ type: 'disk/signature', signature: '{}', repo: { hub: HUB, kind: 'model', repo: 'not a repo' } }, popup, OWN, EXT, isHub).ok).toBe(false);
    expect(validate({ type: 'disk/revision', hub: HUB, kind: 'model', repo: 'acme/signed', revision: ':default' }, popup, OWN, EXT, isHub).ok).toBe(true);
    expect(validate({ type: 'disk/revision', hub: HUB, kind: 'model', repo: 'acme/signed', revision: 'main?x=1' }, popup, OWN, EXT, isHub).ok).toBe(false);
    expect(validate({ type: 'disk/revision', hub: 'http://huggingface.co', kind: 'model', repo: 'acme/signed', revision: 'main' }, popup, OWN, EXT, isHub).ok).toBe(false);
  });

  it('a folder signature judged for a repo: evidence, manifest and the repo\'s trust; an unconfigured hub is refused', async () => {
    const { worker } = setupWorker('disk-folder');
    await keyPolicy(worker);
    const sig = factory.signModel({ files: { 'a.bin': new Uint8Array([1, 2]) }, signer: key.signer }).signature;
    const reply = await worker.handle({ type: 'disk/signature', signature: sig, repo: { hub: HUB, kind: 'model', repo: 'acme/x' } }, popup);
    expect(reply.ok).toBe(true);
    const v = (reply as { value: { kind: string; manifest: { resources: { path: string }[] }; trust: { expected: unknown[] } } }).value;
    expect(v.kind).toBe('signed');
    expect(v.manifest.resources.map((r) => r.path)).toEqual(['a.bin']);
    expect(v.trust.expected).toHaveLength(1);
    const elsewhere = await worker.handle({ type: 'disk/signature', signature: sig, repo: { hub: 'https://evil.example', kind: 'model', repo: 'acme/x' } }, popup);
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a broken folder signature is a verdict (invalid), not a manifest', async () => {
    const { worker } = setupWorker('disk-broken');
    const sig = factory.signModel({ files: { 'a.bin': new Uint8Array([1]) }, signer: key.signer }).signature;
    const bundle = JSON.parse(sig) as { dsseEnvelope: { signatures: { sig: string }[] } };
    const s = bundle.dsseEnvelope.signatures[0]!;
    s.sig = s.sig.startsWith('A') ? `B${s.sig.slice(1)}` : `A${s.sig.slice(1)}`;
    await keyPolicy(worker);
    const reply = await worker.handle({ type: 'disk/signature', signature: JSON.stringify(bundle), repo: { hub: HUB, kind: 'model', repo: 'acme/x' } }, popup);
    expect(reply).toMatchObject({ ok: true, value: { kind: 'verdict', verdict: { state: 'invalid-signature' } } });
  });

  it('a hub revision: its signature refetched at the verified commit; a hub serving another signature the second time is refused', async () => {
    const { worker, hub, store } = setupWorker('disk-revision');
    await keyPolicy(worker);
    const honest = new DiskSignatures({ trust: store, verdictFor: (r) => worker.verdictFor(r), fetch: hubFetch(hub) as never, now: () => 1 });
    const ok = await honest.revision({ hub: HUB, kind: 'model', repo: 'acme/signed', revision: 'main' });
    expect(ok.kind).toBe('signed');
    if (ok.kind !== 'signed') return;
    expect(ok.repo?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(ok.manifest.resources.length).toBe(30);

    const other = factory.signModel({ files: { 'a.bin': new Uint8Array([9]) }, signer: key.signer }).signature;
    const base = hubFetch(hub) as (u: string, i?: RequestInit) => Promise<Response>;
    const lying = (u: string, i?: RequestInit) => (u.includes('/resolve/') && u.endsWith('/model.sig') ? Promise.resolve(new Response(other, { status: 200 })) : base(u, i));
    const liar = new DiskSignatures({ trust: store, verdictFor: (r) => worker.verdictFor(r), fetch: lying, now: () => 1 });
    const refused = await liar.revision({ hub: HUB, kind: 'model', repo: 'acme/signed', revision: 'main' });
    expect(refused).toMatchObject({ kind: 'verdict', verdict: { state: 'unverifiable', failure: { code: 'RESPONSE_MALFORMED', reason: expect.stringContaining('another signature') } } });

    const unsigned = await honest.revision({ hub: HUB, kind: 'model', repo: 'other/plain', revision: 'main' });
    expect(unsigned).toMatchObject({ kind: 'verdict', verdict: { state: 'unsigned' } });
  });
});
