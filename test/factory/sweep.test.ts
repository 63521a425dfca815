// Systematic corruption sweep over factory bundles through the core's verifySigstoreBundle: every
// base64 field and number of a Rekor v1 (+TSA) and a Rekor v2 (+TSA) DSSE bundle, bits flipped
// at evenly spaced positions, must be rejected.
import { describe, expect, it } from 'vitest';
import { verifySigstoreBundle } from '../../extension/core/sigstore/index.js';
import { b64, fromB64, utf8 } from './bytes.js';
import { createTestSigstore } from './index.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const ID = 'sweep@example.com';
const ISSUER = 'https://issuer.example';
const s = createTestSigstore({ seed: 'sweep' });
const trustedRoot = s.trustedRoot();
const payload = utf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'm', digest: { sha256: '00'.repeat(32) } }] }));

function leaves(v: Json, path: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  else out.push(path);
  return out;
}
const get = (o: Json, p: Path): Json => p.reduce<Json>((a, k) => (a as Record<string | number, Json>)[k]!, o);
function set(o: Json, p: Path, v: Json): Json {
  const c = structuredClone(o);
  (get(c, p.slice(0, -1)) as Record<string | number, Json>)[p[p.length - 1]!] = v;
  return c;
}
const verify = (b: Json) => verifySigstoreBundle(b, { policy: { identity: ID, issuer: ISSUER }, trustedRoot });

const NOT_BASE64 = new Set(['mediaType', 'payloadType', 'kind', 'version', 'envelope']);
const NUMBERS = new Set(['logIndex', 'integratedTime', 'treeSize']);

for (const log of ['rekor-v1', 'rekor-v2'] as const) {
  describe(`corruption sweep, ${log} + TSA`, () => {
    const bundle = s.signDsse({ payloadType: 'application/vnd.in-toto+json', payload, identity: ID, issuer: ISSUER, log, timestamp: 'tsa' }).bundle as unknown as Json;
    it('control: the bundle verifies', () => expect(() => verify(bundle)).not.toThrow());
    it('tlogEntries.0.logId relabelled as each other trusted log: TLOG_INVALID', () => {
      const path = ['verificationMaterial', 'tlogEntries', 0, 'logId', 'keyId'];
      const others = (trustedRoot.tlogs as { logId: { keyId: string } }[]).map((t) => t.logId.keyId).filter((id) => id !== get(bundle, path));
      expect(others.length).toBeGreaterThan(0);
      for (const id of others) {
        let code = 'no error';
        try {
          verify(set(bundle, path, id));
        } catch (e) {
          code = (e as { code?: string }).code ?? String(e);
        }
        expect(code, id).toBe('TLOG_INVALID');
      }
    });
    for (const path of leaves(bundle)) {
      const key = String(path[path.length - 1]);
      const value = get(bundle, path);
      const name = path.join('.');
      if (NUMBERS.has(key)) {
        it(`${name} +1`, () => expect(() => verify(set(bundle, path, String(Number(value) + 1)))).toThrow());
      } else if (key === 'envelope') {
        it(`${name}: each line changed`, () => {
          const lines = String(value).split('\n');
          lines.forEach((l, i) => {
            if (l === '') return;
            const changed = [...lines];
            changed[i] = l.slice(0, -1) + (l.endsWith('A') ? 'B' : 'A');
            expect(() => verify(set(bundle, path, changed.join('\n'))), `line ${i}`).toThrow();
          });
        });
      } else if (typeof value === 'string' && !NOT_BASE64.has(key) && value.length > 0) {
        it(`${name}: bit flips across the decoded bytes`, () => {
          const bytes = fromB64(value);
          const positions = new Set([0, 1, Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), Math.floor((2 * bytes.length) / 3), bytes.length - 2, bytes.length - 1]);
          // Timestamp tokens: also hit the TSTInfo, the embedded certificate and the signer info.
          if (key === 'signedTimestamp') for (let p = 20; p < bytes.length; p += 60) positions.add(p);
          for (const pos of positions) {
            if (pos < 0 || pos >= bytes.length) continue;
            const c = bytes.slice();
            c[pos] = c[pos]! ^ 0x10;
            expect(() => verify(set(bundle, path, b64(c))), `byte ${pos}/${bytes.length}`).toThrow();
          }
        });
      }
    }
  });
}

