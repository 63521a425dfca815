// Transparency logs in the two shapes Sigstore bundles carry:
// - Rekor v1: ECDSA P-256 log key, log ID = SHA-256(SPKI), signed entry timestamps (SET) over the
//   canonical JSON {body, integratedTime, logID, logIndex}, checkpoints as signed notes whose
//   origin is "<host> - <tree id>".
// - Rekor v2: Ed25519 log key, C2SP signed-note checkpoints whose key ID is
//   SHA-256(origin || "\n" || 0x01 || public key), no SET and no integrated time.
// Both keep every leaf, so inclusion proofs are real multi-leaf RFC 6962 paths.
import { json } from '@sigstore/core';
import { b64, concat, hex, sha256, utf8 } from './bytes.js';
import { deriveKey, type KeyPair } from './keys.js';
import { inclusionPath, leafHash, rootHash } from './merkle.js';

/** protobuf-specs JSON of a TransparencyLogEntry. */
export interface TlogEntryJson {
  logIndex: string;
  logId: { keyId: string };
  kindVersion: { kind: string; version: string };
  integratedTime?: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof: {
    logIndex: string;
    rootHash: string;
    treeSize: string;
    hashes: string[];
    checkpoint: { envelope: string };
  };
  canonicalizedBody: string;
}

export interface LogOptions {
  /** Filler entries logged before the first real one, so real leaves are never first. */
  prefill?: number;
  /** Filler entries logged after each real one, so real leaves are not last either. */
  trailing?: number;
}

abstract class TestLog {
  readonly leaves: Uint8Array[] = [];
  private readonly leafHashes: Uint8Array[] = [];
  private fillers = 0;
  protected readonly trailing: number;

  abstract readonly key: KeyPair;
  abstract readonly logId: Uint8Array;
  abstract readonly baseUrl: string;
  abstract readonly origin: string;
  /** The signer name on checkpoint lines (must match the trusted root's base URL). */
  abstract readonly noteName: string;

  protected constructor(opts: LogOptions) {
    this.trailing = opts.trailing ?? 2;
    for (let i = 0; i < (opts.prefill ?? 5); i++) this.appendFiller();
  }

  protected appendLeaf(body: Uint8Array): number {
    this.leaves.push(body);
    this.leafHashes.push(leafHash(body));
    return this.leaves.length - 1;
  }

  private appendFiller(): void {
    this.appendLeaf(utf8(json.canonicalize({ apiVersion: '0.0.1', kind: 'filler', spec: { n: this.fillers++ } })));
  }

  get size(): number {
    return this.leaves.length;
  }

  /** Signed-note checkpoint over the current tree head. */
  checkpoint(size = this.size): string {
    const root = rootHash(this.leafHashes.slice(0, size));
    const note = `${this.origin}\n${size}\n${b64(root)}\n`;
    const sig = this.key.sign(utf8(note));
    return `${note}\n\u2014 ${this.noteName} ${b64(concat(this.logId.slice(0, 4), sig))}\n`;
  }

  /** Appends `body`, then the trailing fillers, and returns the proof against the grown tree. */
  protected logBody(body: Uint8Array): { index: number; proof: TlogEntryJson['inclusionProof'] } {
    const index = this.appendLeaf(body);
    for (let i = 0; i < this.trailing; i++) this.appendFiller();
    const size = this.size;
    return {
      index,
      proof: {
        logIndex: String(index),
        rootHash: b64(rootHash(this.leafHashes)),
        treeSize: String(size),
        hashes: inclusionPath(index, this.leafHashes).map(b64),
        checkpoint: { envelope: this.checkpoint(size) },
      },
    };
  }

  abstract add(body: Uint8Array, kind: string, version: string, integratedTime: number): TlogEntryJson;
}

export class RekorV1Log extends TestLog {
  readonly key: KeyPair;
  readonly logId: Uint8Array;
  readonly baseUrl: string;
  readonly origin: string;
  readonly noteName: string;

  constructor(seed: string, host = 'rekor.sigstore.test', treeId = '1193050959916656506', opts: LogOptions = {}) {
    super(opts);
    this.key = deriveKey('P-256', `${seed}:rekor-v1`);
    this.logId = sha256(this.key.spki);
    this.baseUrl = `https://${host}`;
    this.origin = `${host} - ${treeId}`;
    this.noteName = host;
  }

  /** The SET: the log's signature over the canonical verification payload. */
  signedEntryTimestamp(body: Uint8Array, integratedTime: number, logIndex: number): Uint8Array {
    const payload = json.canonicalize({
      body: b64(body),
      integratedTime,
      logID: hex(this.logId),
      logIndex,
    });
    return this.key.sign(utf8(payload));
  }

  add(body: Uint8Array, kind: string, version: string, integratedTime: number): TlogEntryJson {
    const { index, proof } = this.logBody(body);
    return {
      logIndex: String(index),
      logId: { keyId: b64(this.logId) },
      kindVersion: { kind, version },
      integratedTime: String(integratedTime),
      inclusionPromise: { signedEntryTimestamp: b64(this.signedEntryTimestamp(body, integratedTime, index)) },
      inclusionProof: proof,
      canonicalizedBody: b64(body),
    };
  }
}

export class RekorV2Log extends TestLog {
  readonly key: KeyPair;
  readonly logId: Uint8Array;
  readonly baseUrl: string;
  readonly origin: string;
  readonly noteName: string;

  constructor(seed: string, host = 'log2025-1.rekor.sigstore.test', opts: LogOptions = {}) {
    super(opts);
    this.key = deriveKey('Ed25519', `${seed}:rekor-v2`);
    this.origin = host;
    this.noteName = host;
    this.baseUrl = `https://${host}`;
    // C2SP signed-note key ID for Ed25519 (algorithm byte 0x01); Sigstore uses it as the log ID.
    this.logId = sha256(utf8(`${host}\n`), new Uint8Array([0x01]), this.key.rawPublicKey);
  }

  add(body: Uint8Array, kind: string, version: string): TlogEntryJson {
    const { index, proof } = this.logBody(body);
    return {
      logIndex: String(index),
      logId: { keyId: b64(this.logId) },
      kindVersion: { kind, version },
      inclusionProof: proof,
      canonicalizedBody: b64(body),
    };
  }
}
