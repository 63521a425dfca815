/**
 * The Sigstore client conformance suite (bundle-verify cases) run inside the real extension service
 * worker through `globalThis.modelsealSelfTest.verifyBundle`, i.e. with the shims and bundling the
 * extension ships. Each `_fail` case must be rejected, every other case accepted, both in pure JS and
 * with the worker's WebCrypto pre-verifying the signature checks (the path page views take), and the
 * two must agree on the error code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchWithExtension } from '../fixture-hub/browser.mjs';
import type { Launched } from '../fixture-hub/index.d.mts';

const SUITE = resolve(process.cwd(), '../shared/fixtures/sigstore-conformance/bundle-verify');

if (!existsSync(SUITE)) {
  console.log('e2e: ../shared/fixtures/sigstore-conformance not found: worker conformance suite not registered');
} else {
  const cases = readdirSync(SUITE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(resolve(SUITE, d.name, 'bundle.sigstore.json')))
    .map((d) => d.name)
    .sort();
  const read = (c: string, f: string) => (existsSync(resolve(SUITE, c, f)) ? readFileSync(resolve(SUITE, c, f)) : undefined);

  describe('Sigstore conformance inside the service worker', () => {
    let b: Launched;
    const results = new Map<string, { ok: boolean; code?: string; message?: string }>();
    const native = new Map<string, { ok: boolean; code?: string; message?: string }>();

    beforeAll(async () => {
      b = await launchWithExtension();
      const inputs = cases.map((c) => {
        const artifact = read(c, 'artifact') ?? readFileSync(resolve(SUITE, 'a.txt'));
        const text = (f: string) => read(c, f)?.toString('utf8').trim();
        return {
          name: c,
          input: {
            bundleJson: (read(c, 'bundle.sigstore.json') as Buffer).toString('utf8'),
            artifactBase64: artifact.toString('base64'),
            identity: text('identity'),
            issuer: text('issuer'),
            publicKeyPem: read(c, 'key.pub')?.toString('utf8'),
            trustedRootJson: read(c, 'trusted_root.json')?.toString('utf8'),
          },
        };
      });
      const run = (useNative: boolean) =>
        b.worker.evaluate(async ({ all, useNative }) => {
          type R = { ok: boolean; code?: string; message?: string };
          const st = (globalThis as unknown as { modelsealSelfTest: { verifyBundle(i: unknown): R; verifyBundleNative(i: unknown): Promise<R> } }).modelsealSelfTest;
          const rows = [];
          for (const { name, input } of all) {
            const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
            try {
              const r = useNative ? await st.verifyBundleNative(clean) : st.verifyBundle(clean);
              rows.push({ name, ok: r.ok, code: r.code, message: r.message });
            } catch (e) {
              rows.push({ name, ok: false, code: 'THREW', message: String(e) });
            }
          }
          return rows;
        }, { all: inputs, useNative });
      const out = await run(false);
      for (const r of out) results.set(r.name, r);
      for (const r of await run(true)) native.set(r.name, r);
      const passed = out.filter((r) => r.ok === !r.name.endsWith('_fail')).length;
      console.log(`conformance in the worker: ${passed}/${out.length} cases as expected`);
    }, 300_000);

    afterAll(async () => {
      await b?.context.close();
    });

    for (const c of cases) {
      it(c, () => {
        const r = results.get(c);
        expect(r, 'case ran').toBeDefined();
        expect(r?.code).not.toBe('THREW');
        const shouldPass = !c.endsWith('_fail');
        expect(r?.ok, `${c}: ${r?.code ?? ''} ${r?.message ?? ''}`).toBe(shouldPass);
        const n = native.get(c);
        expect([n?.ok, n?.code], 'with WebCrypto').toEqual([r?.ok, r?.code]);
      });
    }
  });
}
