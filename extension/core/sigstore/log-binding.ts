/**
 * Which trusted log vouches for each transparency-log entry. A bundle's `logId` is only a label:
 * Rekor v2 signs nothing that covers it. sigstore-js 3.1 checked a checkpoint with whichever trusted
 * log matched the note's 4-byte key hint; 4.1 restricts that to logs with the named id, but still
 * accepts a checkpoint-only entry whatever the log key's validity window. Here the log the entry
 * names must itself have signed what proves the entry (its SET when present, its checkpoint when
 * present) while its key was valid; that log, and no other, is what we report.
 */
import { crypto as sigstoreCrypto, json } from '@sigstore/core';
import type { Bundle } from '@sigstore/bundle';
import type { TransparencyLogEntry as Entry, TransparencyLogInstance, TrustedRoot } from '@sigstore/protobuf-specs';
import type { TrustMaterial } from '@sigstore/verify';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ModelSealError } from '../errors.js';
import { equalBytes } from './shims/der.js';
import { base64ToBytes } from './shims/keys.js';

type Authority = TrustMaterial['tlogs'][number];

// A checkpoint carries the log's signature plus witness cosignatures; only lines with the log's own
// key hint are tried, and a note repeating that hint more often than this is not a checkpoint.
const MAX_LINES_PER_HINT = 8;

/**
 * For every entry, the trusted log it names whose key verified it (first such log if the root lists
 * one key under several names). Throws TLOG_INVALID when the named log did not sign the entry's
 * proofs, or its key was not valid when it did. `authorities` is the trust material sigstore-js built
 * from `root` (one per `root.tlogs`); `verifiedTimes` are the bundle's RFC 3161 times sigstore-js
 * verified, which date entries that carry no SET (see checkpointTimeFailure).
 */
export function authenticatedLogs(
  bundle: Bundle,
  root: TrustedRoot,
  authorities: readonly Authority[],
  verifiedTimes: readonly Date[],
): TransparencyLogInstance[] {
  if (authorities.length !== root.tlogs.length) {
    throw new ModelSealError('INTERNAL_ERROR', 'trust material does not match the trusted root');
  }
  return bundle.verificationMaterial.tlogEntries.map((entry, n) => {
    const id = entry.logId?.keyId;
    const named = root.tlogs
      .map((log, i) => ({ log, authority: authorities[i] as Authority }))
      .filter(({ log }) => id?.length && (sameId(log.logId?.keyId, id) || sameId(log.checkpointKeyId?.keyId, id)));
    const first = named[0];
    if (!first) throw new ModelSealError('TLOG_INVALID', `log entry ${n} names a log that is not in the trusted root`);
    if (!entry.inclusionPromise && !entry.inclusionProof?.checkpoint) {
      throw new ModelSealError('TLOG_INVALID', `log entry ${n} has neither a signed entry timestamp nor a checkpoint`);
    }
    for (const { log, authority } of named) {
      sameLog(log, authority);
      if (failure(entry, authority, verifiedTimes) === undefined) return log;
    }
    const why = failure(entry, first.authority, verifiedTimes);
    throw new ModelSealError('TLOG_INVALID', `log entry ${n} names ${first.log.baseUrl || 'a trusted log'}, but ${why}`);
  });
}

function failure(entry: Entry, authority: Authority, verifiedTimes: readonly Date[]): string | undefined {
  const proof = proofFailure(entry, authority);
  if (proof !== undefined) return `${proof} was not signed by that log's key`;
  return entry.inclusionPromise ? undefined : checkpointTimeFailure(authority, verifiedTimes);
}

/**
 * An entry proven by a checkpoint alone (Rekor v2, or v1 without its SET) has no signed log time: a
 * v2 integratedTime is absent or 0 and ignored, and an unsigned v1 one proves nothing. The verified
 * RFC 3161 times are then the entry's time, and every one of them must lie in the log key's validity
 * (closed interval; sigstore-js turns a missing end into the end of time). All, not one: each is an
 * independently verified claim about when the signature existed, so a time outside the window means
 * the bundle cannot show the log acted while its key was trusted; accepting on any one would let a
 * single in-window timestamp launder entries from a retired key.
 */
function checkpointTimeFailure(authority: Authority, verifiedTimes: readonly Date[]): string | undefined {
  if (verifiedTimes.length === 0) {
    return 'it is proven only by a checkpoint and the bundle has no verified RFC 3161 timestamp to date it';
  }
  const { start, end } = authority.validFor;
  const outside = verifiedTimes.find((t) => !(start.getTime() <= t.getTime() && t.getTime() <= end.getTime()));
  if (outside === undefined) return undefined;
  return `that log's key was not valid at the verified timestamp ${isoOrRaw(outside)} (valid ${isoOrRaw(start)} to ${isoOrRaw(end)})`;
}

function isoOrRaw(d: Date): string {
  return Number.isFinite(d.getTime()) ? d.toISOString() : String(d);
}

function sameId(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.length > 0 && equalBytes(a, b);
}

/** Guards the index pairing of root logs and sigstore-js authorities; fails closed if it ever breaks. */
function sameLog(log: TransparencyLogInstance, authority: Authority): void {
  const id = log.checkpointKeyId?.keyId ?? log.logId?.keyId;
  if (authority.baseURL !== log.baseUrl || !id || !equalBytes(authority.logID, id)) {
    throw new ModelSealError('INTERNAL_ERROR', 'trust material does not match the trusted root');
  }
}

/** Which of the entry's proofs `authority`'s key does not verify, or undefined if all it has do. */
function proofFailure(entry: Entry, authority: Authority): string | undefined {
  if (entry.inclusionPromise && !setVerifies(entry, authority)) return 'its signed entry timestamp';
  const envelope = entry.inclusionProof?.checkpoint?.envelope;
  if (envelope !== undefined && !checkpointVerifies(envelope, authority)) return 'its checkpoint';
  return undefined;
}

/** Rekor v1 SET: the log key over the canonical {body, integratedTime, logID, logIndex}, inside the key's validity. */
function setVerifies(entry: Entry, authority: Authority): boolean {
  const promise = entry.inclusionPromise;
  const logId = entry.logId?.keyId;
  if (!promise || !logId) return false;
  const integrated = Number(entry.integratedTime);
  const at = new Date(integrated * 1000);
  if (!(authority.validFor.start <= at && at <= authority.validFor.end)) return false;
  const payload = json.canonicalize({
    body: bytesToBase64(entry.canonicalizedBody),
    integratedTime: integrated,
    logIndex: Number(entry.logIndex),
    logID: bytesToHex(logId),
  });
  return verifies(new TextEncoder().encode(payload), authority, promise.signedEntryTimestamp);
}

/**
 * Signed note (C2SP): the note is everything up to and including the first line break of the blank
 * line; each following "\u2014 <name> <base64(key hint || signature)>" line is one signature.
 */
export function checkpointVerifies(envelope: string, authority: Authority): boolean {
  const split = envelope.indexOf('\n\n');
  if (split < 0) return false;
  const note = new TextEncoder().encode(envelope.slice(0, split + 1));
  const hint = authority.logID.subarray(0, 4);
  let tried = 0;
  for (const [, , encoded] of envelope.slice(split + 2).matchAll(/\u2014 (\S+) (\S+)\n/g)) {
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(encoded ?? '');
    } catch {
      continue;
    }
    if (bytes.length < 5 || !equalBytes(bytes.subarray(0, 4), hint)) continue;
    if (++tried > MAX_LINES_PER_HINT) return false;
    if (verifies(note, authority, bytes.subarray(4))) return true;
  }
  return false;
}

/** The same call sigstore-js makes, so inside its verify memo a repeated check costs nothing. */
function verifies(data: Uint8Array, authority: Authority, signature: Uint8Array): boolean {
  try {
    return sigstoreCrypto.verify(toBuffer(data), authority.publicKey, toBuffer(signature));
  } catch {
    return false;
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return (globalThis as unknown as { Buffer: typeof Buffer }).Buffer.from(bytes);
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
