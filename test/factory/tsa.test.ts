// The TSA's responses are well-formed RFC 3161 / CMS as an independent implementation sees them
// (OpenSSL's `ts -verify`, when openssl is installed) and as @sigstore/core parses them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RFC3161Timestamp, X509Certificate, crypto } from '@sigstore/core';
import { afterAll, describe, expect, it } from 'vitest';
import { utf8 } from './bytes.js';
import { TestTsa } from './index.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'factory-tsa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RFC 3161 TSA', () => {
  const tsa = new TestTsa('tsa-test', new Date('2024-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
  const data = utf8('signature bytes');
  const at = new Date('2025-06-01T12:00:00.750Z');

  it('parses and verifies with @sigstore/core; time, serial and issuer match; other data fails', () => {
    for (const embedCertificate of [true, false]) {
      const ts = RFC3161Timestamp.parse(Buffer.from(tsa.timestamp(data, at, { embedCertificate })));
      expect(ts.status).toBe(0n);
      expect(ts.signingTime.toISOString()).toBe('2025-06-01T12:00:00.000Z');
      const signer = X509Certificate.parse(Buffer.from(tsa.signer.der));
      expect(ts.signerSerialNumber.equals(signer.serialNumber)).toBe(true);
      expect(ts.signerIssuer.equals(signer.issuer)).toBe(true);
      expect(() => ts.verify(Buffer.from(data), crypto.createPublicKey(signer.publicKey))).not.toThrow();
      expect(() => ts.verify(Buffer.from('other'), crypto.createPublicKey(signer.publicKey))).toThrow();
    }
  });

  it.runIf(hasOpenssl)('openssl ts -verify accepts the response against the TSA root', () => {
    writeFileSync(join(dir, 'resp.der'), tsa.timestamp(data, at));
    writeFileSync(join(dir, 'data'), data);
    writeFileSync(join(dir, 'root.pem'), tsa.root.pem);
    writeFileSync(join(dir, 'signer.pem'), tsa.signer.pem);
    const run = (file: string) =>
      execFileSync(
        'openssl',
        ['ts', '-verify', '-in', join(dir, 'resp.der'), '-data', join(dir, file), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'signer.pem'), '-attime', String(Math.floor(at.getTime() / 1000))],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    expect(run('data')).toMatch(/Verification: OK/);
    writeFileSync(join(dir, 'other'), 'other');
    expect(() => run('other')).toThrow();
  });
});
