/** What a host tells the core about the files actually present (on disk, or on a hub). */
import type { DigestSource, HashAlgorithm, HasherFactory } from '../hash/types.js';

export type { DigestSource };

export interface ListedFile {
  /** POSIX path relative to the model root (for a single-file model: its file name). */
  path: string;
  /** Size in bytes; required to check `shards` manifests. */
  size?: number;
  /** True for a symbolic link (refused unless the signature allows symlinks). */
  symlink?: boolean;
  /** Whole-file digests already known from a trusted-enough source (e.g. the Hub's LFS sha256). */
  digests?: Partial<Record<HashAlgorithm, string>>;
  /** How to hash the content when no usable digest is known (preferred: hosts stream natively). */
  hash?: DigestSource;
  /** Or the whole content, hashed in memory with the injected hashers (small files only). */
  content?: () => Promise<Uint8Array>;
  /** Why this file cannot be hashed here (it becomes `unchecked`). */
  unhashableReason?: string;
}

export interface CheckOptions {
  /** Caller-given ignore paths, relative to the model root (prefix match by path component). */
  ignorePaths?: readonly string[];
  /** The signature file's path inside the model, always ignored. Default `model.sig`; null for none. */
  signaturePath?: string | null;
  /** The model is one file: a manifest path "." names listing[0]. */
  singleFile?: boolean;
  /** Parallel hash jobs (default 4). */
  concurrency?: number;
  /** Hashers for `content` files (default @noble/hashes). */
  hashers?: HasherFactory;
}

/** Default ignores at the model root (OMS spec §6.2): git metadata never belongs to the model. */
export const DEFAULT_IGNORES: readonly string[] = ['.git', '.gitattributes', '.github', '.gitignore'];
