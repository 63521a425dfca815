/**
 * The trust tab's policy form (Sigstore identity, public key, CA certificates) and how stored CA
 * policies list. PEMs are real: keys and certificates from the test factory, parsed by the core.
 */
import { describe, expect, it } from 'vitest';
import { buildCertificate, createCaSigner, createKeySigner, deriveKey } from '../../factory/index.js';
import { parsePublicKeyPem } from '../../../extension/core/signers/ec-key.js';
import { toTrustSnapshot } from '../../../extension/ui/view-models.js';
import { PolicyForm, TrustManager } from '../../../popup/TrustManager.js';
import type { TrustActions } from '../../../popup/TrustManager.js';
import { EMPTY_DRAFT, MAX_CAS, checkDraft, pemBlocks } from '../../../popup/policy-input.js';
import type { PolicyDraft } from '../../../popup/policy-input.js';
import { HOSTILE, TRUST_DOC } from './fixtures.js';
import { html, text } from './render.js';

const none = async () => undefined;
const ACTIONS: TrustActions = { removePin: none, setExpected: none, removeExpected: none };
const key = createKeySigner('P-256', { seed: 'policy-form-key' });
const ca = createCaSigner({ seed: 'policy-form-ca' });
const otherCa = createCaSigner({ seed: 'policy-form-other-ca' });
const draft = (p: Partial<PolicyDraft>): PolicyDraft => ({ ...EMPTY_DRAFT, ...p });
const alerts = (out: string) => [...out.matchAll(/<p class="ms-error" role="alert"[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]);
const submitDisabled = (out: string) => /<button type="submit" class="ms-btn" disabled/.test(out);

/** A self-signed CA whose subject carries hostile text. */
function hostileCa(commonName: string): string {
  return buildCertificate({
    subject: { organization: 'Evil', commonName },
    subjectKey: deriveKey('P-256', 'policy-form-hostile'),
    serial: 0x77n,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    ca: {},
    keyUsage: ['keyCertSign'],
  }).pem;
}

describe('policy form: each kind renders its own fields', () => {
  it('offers the three kinds, Sigstore identity first and chosen', () => {
    const out = html(PolicyForm, { onAdd: none });
    const kinds = [...out.matchAll(/<input type="radio" name="ms-policy-kind" value="(\w+)"( checked)?/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);
    expect(kinds).toEqual(['sigstore*', 'key', 'certificate']);
    const words = text(out);
    expect(words).toContain('Kind of signer Sigstore identity Public key CA certificates');
    expect(words).toContain('Identity');
    expect(words).toContain('Match the identity Exactly As a pattern');
    expect(words).toContain('Issuer');
    expect(out).not.toContain('<textarea');
    expect(submitDisabled(out)).toBe(true); // nothing typed yet
    expect(alerts(out)).toEqual([]); // empty fields are not errors
  });

  it('public key: a PEM box and a single-file picker, and the key fingerprint once pasted', () => {
    const empty = html(PolicyForm, { onAdd: none, initial: { kind: 'key' } });
    expect(text(empty)).toContain('Public key (PEM)');
    expect(empty).toMatch(/<textarea[^>]*placeholder="-----BEGIN PUBLIC KEY-----"/);
    expect(empty).toMatch(/<input type="file" accept="[^"]*\.pem[^"]*"/);
    expect(empty).not.toMatch(/type="file"[^>]*multiple/);
    expect(text(empty)).toContain('Choose a .pem file');
    expect(empty).not.toContain('ms-policy-match');

    const filled = html(PolicyForm, { onAdd: none, initial: { kind: 'key', scope: 'acme/keyed', keyPem: key.publicKeyPem } });
    expect(text(filled)).toContain(`Key SHA-256 ${parsePublicKeyPem(key.publicKeyPem).fingerprint}`);
    expect(submitDisabled(filled)).toBe(false);
    expect(alerts(filled)).toEqual([]);
  });

  it('CA certificates: a PEM box taking several certificates, a multi-file picker, and their subjects', () => {
    const empty = html(PolicyForm, { onAdd: none, initial: { kind: 'certificate' } });
    expect(text(empty)).toContain('CA certificates (PEM, one or more)');
    expect(empty).toMatch(/<input type="file"[^>]*multiple/);
    expect(text(empty)).toContain('Add .pem files');

    const both = `${ca.caPem}\r\n${otherCa.intermediate.pem}`;
    const filled = html(PolicyForm, { onAdd: none, initial: { kind: 'certificate', scope: 'corp/*', caPem: both } });
    const words = text(filled);
    expect(words).toContain('Signatures chaining to these certificates will be accepted: O=ModelSeal Test, CN=root-ca');
    expect(words).toContain('O=ModelSeal Test, CN=intermediate-ca');
    expect(submitDisabled(filled)).toBe(false);
  });
});

describe('policy form: what is sent', () => {
  it('a Sigstore identity, exact or as a pattern, with its issuer', () => {
    const issuer = 'https://token.actions.githubusercontent.com';
    expect(checkDraft(draft({ scope: ' acme/* ', identity: ' alice@example.com ', issuer })).input).toEqual({
      kind: 'sigstore',
      scope: 'acme/*',
      identity: 'alice@example.com',
      issuer,
    });
    const pattern = 'https://github.com/acme/*/.github/workflows/release.yml@refs/tags/*';
    expect(checkDraft(draft({ scope: 'acme/*', identity: pattern, match: 'glob', issuer })).input).toMatchObject({ kind: 'sigstore', identity: pattern });
  });

  it('the public key block alone, and every CA certificate as its own PEM', () => {
    const k = checkDraft(draft({ kind: 'key', scope: 'acme/keyed', keyPem: `my key:\n${key.publicKeyPem}` }));
    expect(k.input).toEqual({ kind: 'key', scope: 'acme/keyed', publicKeyPem: pemBlocks(key.publicKeyPem, 'PUBLIC KEY')[0] });
    const c = checkDraft(draft({ kind: 'certificate', scope: 'corp/model', caPem: `${ca.caPem}\n${otherCa.caPem}` }));
    expect(c.input?.kind).toBe('certificate');
    const pems = c.input?.kind === 'certificate' ? c.input.caPems : [];
    expect(pems.length).toBe(2);
    for (const p of pems) expect(p).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    // What the worker's validator demands of each (extension/background/validate.ts).
    for (const p of pems) expect(p.length).toBeLessThanOrEqual(16_384);
  });
});

describe('policy form: bad input shows an error and cannot be sent', () => {
  const cases: [string, Partial<PolicyDraft>, string][] = [
    ['bad scope', { scope: 'acme', identity: 'a@b.c', issuer: 'https://i.example' }, 'The repo must be owner/name or owner/*.'],
    ['star in an exact identity', { scope: 'acme/*', identity: '*@acme.example', issuer: 'https://i.example' }, 'An exact identity cannot contain *'],
    ['pattern without a star', { scope: 'acme/*', identity: 'a@acme.example', match: 'glob', issuer: 'https://i.example' }, 'A pattern needs at least one *'],
    ['scope name starting with a dot', { scope: 'acme/.hidden', identity: 'a@b.c', issuer: 'https://i.example' }, 'The repo must be owner/name or owner/*.'],
    ['identity too long', { scope: 'acme/*', identity: `${'a'.repeat(4100)}@b.c`, issuer: 'https://i.example' }, 'longer than 4096 characters'],
    ['issuer not https', { scope: 'acme/*', identity: 'a@acme.example', issuer: 'http://i.example' }, 'The issuer must be an https:// address.'],
    ['garbage key', { kind: 'key', scope: 'a/b', keyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }, 'This is not a supported public key.'],
    ['certificate pasted as a key', { kind: 'key', scope: 'a/b', keyPem: ca.caPem }, 'This is a certificate, not a public key.'],
    ['private key', { kind: 'key', scope: 'a/b', keyPem: `${key.publicKeyPem}-----BEGIN EC PRIVATE KEY-----\nAA\n-----END EC PRIVATE KEY-----\n` }, 'PRIVATE key'],
    ['no certificate', { kind: 'certificate', scope: 'a/b', caPem: key.publicKeyPem }, 'No certificate found.'],
    ['corrupt certificate', { kind: 'certificate', scope: 'a/b', caPem: `${ca.caPem}-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n` }, 'Certificate 2 is not a valid X.509 certificate.'],
    ['too many certificates', { kind: 'certificate', scope: 'a/b', caPem: Array.from({ length: MAX_CAS + 1 }, () => ca.caPem).join('') }, 'At most 8 CA certificates per policy.'],
    ['oversized certificate', { kind: 'certificate', scope: 'a/b', caPem: `-----BEGIN CERTIFICATE-----\n${'A'.repeat(17_000)}\n-----END CERTIFICATE-----` }, 'larger than 16 KiB'],
  ];

  it.each(cases)('%s', (_name, initial, message) => {
    expect(checkDraft(draft(initial)).input).toBeUndefined();
    const out = html(PolicyForm, { onAdd: none, initial });
    expect(alerts(out).join(' ')).toContain(message.replace(/"/g, '&quot;'));
    expect(submitDisabled(out)).toBe(true);
  });

  it('marks the field at fault invalid', () => {
    const badPem = html(PolicyForm, { onAdd: none, initial: { kind: 'certificate', scope: 'a/b', caPem: 'not a pem' } });
    expect(badPem).toMatch(/<textarea[^>]*aria-invalid="true"/);
    expect(badPem).not.toMatch(/<input type="text"[^>]*aria-invalid/);
    const badScope = html(PolicyForm, { onAdd: none, initial: { kind: 'certificate', scope: 'a', caPem: ca.caPem } });
    expect(badScope).toMatch(/<input type="text"[^>]*aria-invalid="true"/);
    expect(badScope).not.toMatch(/<textarea[^>]*aria-invalid/);
  });

  it('a hostile certificate subject in the preview is inert', () => {
    const pem = hostileCa(HOSTILE.script);
    const out = html(PolicyForm, { onAdd: none, initial: { kind: 'certificate', scope: 'a/b', caPem: pem } });
    expect(out).not.toContain('<script>');
    expect(text(out)).toContain('CN=<script>alert(1)</script>@evil.example');
  });
});

describe('trust tab lists CA policies', () => {
  const doc = {
    ...TRUST_DOC,
    expected: [
      ...TRUST_DOC.expected,
      { kind: 'sigstore' as const, scope: 'acme/*', identity: '*@acme.example', glob: true, issuer: 'https://i.example', createdAt: 1 },
      { kind: 'certificate' as const, scope: 'corp/*', caPems: [ca.caPem, otherCa.intermediate.pem], createdAt: 1 },
      { kind: 'certificate' as const, scope: 'evil/x', caPems: [hostileCa(HOSTILE.script), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'], createdAt: 1 },
    ],
  };

  it('with the count and each CA subject, next to the other kinds', () => {
    const out = html(TrustManager, { snapshot: toTrustSnapshot(doc), actions: ACTIONS });
    const words = text(out);
    expect(words).toContain('corp/* Remove CA certificates (2): O=ModelSeal Test, CN=root-ca O=ModelSeal Test, CN=intermediate-ca');
    expect(words).toContain('acme/* Remove Identity pattern *@acme.example');
    expect(words).toContain('ibm-granite/* Remove Identity Granite.Preview@ibm.com');
    expect(words).toContain('acme-ai/keyed Remove Key (SHA-256) 3f2a9c01');
    expect([...out.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1])).toEqual(['sigstore', 'key', 'sigstore', 'certificate', 'certificate']);
  });

  it('hostile or unreadable CA certificates stay inert', () => {
    const out = html(TrustManager, { snapshot: toTrustSnapshot(doc), actions: ACTIONS });
    expect(out).not.toContain('<script>');
    expect(text(out)).toContain('evil/x Remove CA certificates (2): O=Evil, CN=<script>alert(1)</script>@evil.example (unreadable certificate)');
  });

  it('a scope with policies of several kinds says Remove drops them all (the worker removes by scope)', () => {
    const shared = { ...doc, expected: [...doc.expected, { kind: 'certificate' as const, scope: 'IBM-granite/*', caPems: [ca.caPem], createdAt: 1 }] };
    const words = text(html(TrustManager, { snapshot: toTrustSnapshot(shared), actions: ACTIONS }));
    expect(words).toContain('ibm-granite/* Remove all 2 Identity Granite.Preview@ibm.com');
    expect(words).toContain('IBM-granite/* Remove all 2 CA certificates (1)');
    expect(words).toContain('corp/* Remove CA certificates (2)');
  });

  it('the view model keeps CA policies bounded and drops what is not a PEM string', () => {
    const snap = toTrustSnapshot({
      expected: [
        { kind: 'certificate', scope: 'a/*', caPems: [5, null, 'x'.repeat(20_000), ...Array.from({ length: 20 }, () => ca.caPem)] },
        { kind: 'certificate', scope: 'b/*', caPems: 'nonsense' },
        { kind: 'certificate' },
      ],
    });
    expect(snap.policies.map((p) => [p.scope, p.kind, p.caPems?.length])).toEqual([
      ['a/*', 'certificate', 5], // the first 8 entries, of which 5 are PEM strings
      ['b/*', 'certificate', 0],
    ]);
  });
});
