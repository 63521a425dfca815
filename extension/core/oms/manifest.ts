/** The signed manifest: what a verified OMS statement says the model consists of. */
import type { HashAlgorithm } from '../hash/types.js';
import type { ByteRange } from '../hash/shards.js';

export const PREDICATE_V1 = 'https://model_signing/signature/v1.0';
export const PREDICATE_DIGESTS_V01 = 'https://model_signing/Digests/v0.1';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

export const DEFAULT_SHARD_SIZE = 1_000_000_000;

export interface Serialization {
  method: 'files' | 'shards';
  hashType: HashAlgorithm;
  allowSymlinks: boolean;
  /** Signed ignore paths, normalized (no "./", no trailing "/"). Empty before model_signing 1.1. */
  ignorePaths: string[];
  /** Only for `shards`. */
  shardSize?: number;
}

export interface ManifestResource {
  /** The name exactly as signed (`path` or `path:start:end`). */
  name: string;
  /** The file path ("." for a single-file model named that way). */
  path: string;
  /** Byte range for `shards` resources. */
  range?: ByteRange;
  algorithm: string;
  /** Lowercase hex digest. */
  digest: string;
}

export interface SignedManifest {
  predicateType: string;
  /** `v1.0` for signature/v1.0, `digests-v0.1` for the 0.1/0.2 one-subject-per-file format. */
  format: 'v1.0' | 'digests-v0.1';
  /** Informational model name from the statement subject. */
  modelName: string;
  /** Lowercase hex SHA-256 root digest: signed in v1.0 (and recomputed), computed for v0.1. */
  rootDigest: string;
  serialization: Serialization;
  /** In listed order (root digest order). */
  resources: ManifestResource[];
}
