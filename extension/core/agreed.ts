/**
 * "Which independent sources agreed": built from what a decider actually checked and found to hold,
 * never from what could have been checked. One function, so the hub's decide() and the CLI's
 * verifyModel list sources the same way and in one order.
 */
import { AGREED_SOURCES, type AgreedEntry, type AgreedSource, type SignatureEvidence } from './verdict.js';

export interface AgreedFacts {
  /** The evidence of a signature that verified cryptographically (absent: no signature agreed). */
  signature?: SignatureEvidence;
  /** Verified files matched by the digest the hub lists. */
  hubDigests?: number;
  /** Verified files matched by bytes hashed here (fetched by the extension, or on disk). */
  bytesHashed?: number;
  /** The signed content equals the user's lock. */
  lock?: boolean;
  /** The signer equals one the user pinned before this check (not a pin made by it). */
  pin?: boolean;
  /** The signer matches the user's policy (expected identity, key or CA; the CLI's identity flags). */
  policy?: boolean;
}

export function agreedSources(f: AgreedFacts): AgreedEntry[] {
  const held = new Map<AgreedSource, AgreedEntry>();
  if (f.signature) {
    held.set('signature', { source: 'signature' });
    // Entries are listed only when the verifier checked them against a trusted log.
    if (f.signature.logEntries.length > 0) held.set('transparency-log', { source: 'transparency-log' });
  }
  if (f.hubDigests !== undefined && f.hubDigests > 0) held.set('hub-digests', { source: 'hub-digests', files: f.hubDigests });
  if (f.bytesHashed !== undefined && f.bytesHashed > 0) held.set('bytes-hashed', { source: 'bytes-hashed', files: f.bytesHashed });
  if (f.lock) held.set('lock', { source: 'lock' });
  if (f.pin) held.set('pin', { source: 'pin' });
  if (f.policy) held.set('policy', { source: 'policy' });
  return AGREED_SOURCES.flatMap((s) => held.get(s) ?? []);
}
