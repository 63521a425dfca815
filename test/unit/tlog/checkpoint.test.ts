/**
 * Checkpoints: strict parsing, the verified checkpoint reported with each log entry of a real bundle,
 * and checkpoints "fetched" from a log accepted only when a trusted log's key signed them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../extension/core/tlog/checkpoint.js';
import { verifyFetchedCheckpoint, verifySigstoreBundle } from '../../../extension/core/sigstore/index.js';
import { errorCode } from '../error-code.js';

const shared = resolve(process.cwd(), '../shared/fixtures');
const ROOT32 = Buffer.alloc(32, 7).toString('base64');

const code = errorCode;

describe('checkpoint parsing', () => {
  it('reads origin, size and root; refuses anything malformed', () => {
    const cp = parseCheckpoint(`example.org/log\n42\n${ROOT32}\n\n\u2014 example.org/log AAAAAAAA\n`);
    expect([cp.origin, cp.treeSize, cp.rootHash.length, cp.body]).toEqual(['example.org/log', 42, 32, `example.org/log\n42\n${ROOT32}\n`]);
    const bad = [
      `example.org/log\n42\n${ROOT32}\n`, // no signature block
      `\n42\n${ROOT32}\n\n— x y\n`, // no origin
      `o\x07rigin\n42\n${ROOT32}\n\n— x y\n`, // control character
      `origin\n042\n${ROOT32}\n\n— x y\n`, // leading zero
      `origin\n-1\n${ROOT32}\n\n— x y\n`,
      `origin\n99999999999999999\n${ROOT32}\n\n— x y\n`, // beyond 2^53
      `origin\n42\n${Buffer.alloc(31).toString('base64')}\n\n— x y\n`, // short root
      `origin\n42\nnot base64!\n\n— x y\n`,
      `origin\n42\n${ROOT32}\n${'ext\n'.repeat(17)}\n— x y\n`, // too many extension lines
      `${'o'.repeat(300)}\n42\n${ROOT32}\n\n— x y\n`,
      'x'.repeat(20_000),
    ];
    for (const note of bad) expect(code(() => parseCheckpoint(note)), JSON.stringify(note.slice(0, 40))).toBe('CHECKPOINT_INVALID');
  });
});

if (!existsSync(shared)) {
  console.log(`checkpoint tests: ${shared} not found, fixture-based tests not registered`);
} else {
  const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  const oms = json(join(shared, 'oms-real/v1.1.0-sigstore/model.sig'));
  const envelope = (b: Record<string, unknown>) =>
    (b.verificationMaterial as { tlogEntries: Array<{ inclusionProof: { checkpoint: { envelope: string } } }> }).tlogEntries[0]!.inclusionProof.checkpoint.envelope;

  describe('checkpoints of real logs', () => {
    it('a verified bundle reports the checkpoint that proves its entry (Rekor v1)', () => {
      const r = verifySigstoreBundle(oms, { policy: { identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' } });
      expect(r.logEntries[0]?.checkpoint).toEqual({ origin: 'rekor.sigstore.dev - 1193050959916656506', treeSize: 476246825, rootHash: 'V0NA1ekHc4sMtyOk9+rSfb50+v1kFb/0QXYbxrm43gk=' });
    });

    it('a Rekor v2 (Ed25519 signed-note) checkpoint is reported too', () => {
      const dir = join(shared, 'sigstore-conformance/bundle-verify/rekor2-happy-path');
      const r = verifySigstoreBundle(json(join(dir, 'bundle.sigstore.json')), {
        policy: { anyIdentity: true },
        trustedRoot: json(join(dir, 'trusted_root.json')),
        artifact: { bytes: new Uint8Array(readFileSync(join(shared, 'sigstore-conformance/bundle-verify/a.txt'))) },
      });
      const cp = r.logEntries[0]?.checkpoint;
      expect(cp?.treeSize).toBeGreaterThan(0);
      expect(cp?.origin).toMatch(/rekor/);
    });

    it('a fetched checkpoint counts only when a trusted log, valid now, signed it', () => {
      const note = envelope(oms);
      const now = new Date('2026-11-01T00:00:00Z');
      const ok = verifyFetchedCheckpoint(note, now);
      expect([ok.log, ok.checkpoint.treeSize]).toEqual(['https://rekor.sigstore.dev', 476246825]);
      // The same note with another root: its signature no longer matches.
      const forged = note.replace('V0NA1ekHc4sMtyOk9', 'V0NA1ekHc4sMtyOk8');
      expect(code(() => verifyFetchedCheckpoint(forged, now))).toBe('CHECKPOINT_INVALID');
      // Before the log's key was valid, nothing it signed counts.
      expect(code(() => verifyFetchedCheckpoint(note, new Date('2019-01-01T00:00:00Z')))).toBe('CHECKPOINT_INVALID');
      // Signature lines for other keys (witnesses) are not the log's signature.
      const unsigned = note.slice(0, note.indexOf('\n\n') + 2) + '\u2014 witness.example AAAAAAAAAAAA\n';
      expect(code(() => verifyFetchedCheckpoint(unsigned, now))).toBe('CHECKPOINT_INVALID');
    });
  });
}
