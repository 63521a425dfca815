import { describe, expect, it } from 'vitest';
import { createWasmHasher, resumeWasmHasher } from '../../../extension/core/hash/wasm.js';
import { digestHex } from '../../../extension/core/hash/digest.js';
import { HASH_ALGORITHMS } from '../../../extension/core/hash/types.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('wasm hashers', () => {
  for (const alg of HASH_ALGORITHMS) {
    it(`${alg}: matches the noble digest, also when saved and resumed mid-stream`, async () => {
      const a = bytes(100_003, 7);
      const b = bytes(65_537, 11);
      const whole = new Uint8Array(a.length + b.length);
      whole.set(a);
      whole.set(b, a.length);
      const expected = digestHex(alg, whole);

      const straight = await createWasmHasher(alg);
      straight.update(a);
      straight.update(b);
      expect(straight.digestHex()).toBe(expected);

      const first = await createWasmHasher(alg);
      first.update(a);
      const resumed = await resumeWasmHasher(alg, first.save());
      resumed.update(b);
      expect(resumed.digestHex()).toBe(expected);
    });
  }

  it('refuses a state saved by another algorithm', async () => {
    const h = await createWasmHasher('sha256');
    h.update(bytes(10, 1));
    await expect(resumeWasmHasher('blake3', h.save())).rejects.toThrow();
  });
});
