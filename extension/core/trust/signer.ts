/**
 * Signer identity: equality for pins, one-line descriptions for reasons, and the expected-identity
 * match (exact or the user's glob, plus the exact issuer).
 */
import type { Signer } from '../verdict.js';
import type { ExpectedIdentity } from './types.js';
import { analyseIdentity } from '../display/identity-text.js';

/**
 * Two signers are the same principal: same identity+issuer (and, for CI identities, the same source
 * repository), same key, or same CA subject.
 */
export function sameSigner(a: Signer, b: Signer): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'sigstore':
      // A shared reusable workflow is one identity for every repo that calls it: the source
      // repository claim is what tells the callers apart. Present on one side only → different.
      return !!a.identity && a.identity === b.identity && !!a.issuer && a.issuer === b.issuer && a.sourceRepository === b.sourceRepository;
    case 'key':
      return !!a.keyFingerprint && a.keyFingerprint === b.keyFingerprint;
    case 'certificate':
      return !!a.caSubject && a.caSubject === b.caSubject && a.identity === b.identity;
  }
}

/** Hostile signer text made safe for a one-line reason: hidden characters shown, length cut. */
function shown(text: string | undefined, fallback: string): string {
  return text === undefined ? fallback : analyseIdentity(text, { maxLength: 120 }).visible;
}

/** One plain line naming a signer, for failure reasons. */
export function describeSigner(s: Signer): string {
  switch (s.kind) {
    case 'sigstore': {
      const base = `${shown(s.identity, '(no identity)')} (${shown(s.issuer, 'no issuer')})`;
      return s.sourceRepository === undefined ? base : `${base} for ${shown(s.sourceRepository, '')}`;
    }
    case 'key':
      return `key ${shown(s.keyFingerprint, '').slice(0, 16)}…`;
    case 'certificate':
      return `${shown(s.identity, '(no subject)')} via CA ${shown(s.caSubject, '?')}`;
  }
}

/** A user glob as a matcher: `*` matches any run of characters but '/', `**` any run at all. */
export function globMatches(glob: string, value: string): boolean {
  if (glob.length > 1024 || value.length > 4096) return false;
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(value);
}

export function matchesExpected(signer: Signer, e: ExpectedIdentity): boolean {
  if (e.kind === 'key') {
    return signer.kind === 'key' && (!e.keyFingerprint || signer.keyFingerprint === e.keyFingerprint);
  }
  // Certificate signatures are only ever verified against the policies' own CAs.
  if (e.kind === 'certificate') return signer.kind === 'certificate' && !!signer.caSubject;
  if (signer.kind !== 'sigstore' || !signer.identity || signer.issuer !== e.issuer) return false;
  return e.glob ? globMatches(e.identity, signer.identity) : signer.identity === e.identity;
}

/** The expected identity shown as "the signer we wanted" next to the one found. */
export function expectedAsSigner(e: ExpectedIdentity): Signer {
  switch (e.kind) {
    case 'key':
      return { kind: 'key', ...(e.keyFingerprint ? { keyFingerprint: e.keyFingerprint } : {}) };
    case 'certificate':
      return { kind: 'certificate', caSubject: 'your certificate authority' };
    case 'sigstore':
      return { kind: 'sigstore', identity: e.identity, issuer: e.issuer };
  }
}

/** Policies for a repo: its own scope wins over `owner/*`; scopes compare case-insensitively. */
export function expectedFor(repo: string, all: readonly ExpectedIdentity[]): ExpectedIdentity[] {
  const r = repo.toLowerCase();
  const own = all.filter((e) => e.scope.toLowerCase() === r);
  if (own.length) return own;
  const owner = r.split('/')[0];
  return all.filter((e) => e.scope.toLowerCase() === `${owner}/*`);
}
