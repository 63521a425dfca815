/**
 * Signed repos for the download tests and bench, made by the fixture factory (real key signatures
 * over real manifests): deterministic pseudo-random weights so sizes are realistic and every byte
 * matters.
 */
import { createHash } from 'node:crypto';
import { signModel } from '../factory/index.js';
import { file, repo } from '../fixture-hub/repo.mjs';
import { fixtureKey } from '../fixture-hub/scenarios.mjs';
import type { FixtureFile, FixtureRepo } from '../fixture-hub/index.d.mts';

export const KEY = fixtureKey();
export const OTHER_KEY = fixtureKey('someone-else');

/** `n` deterministic bytes from a label (SHA-256 in counter mode). */
export function bytesOf(label: string, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let at = 0;
  for (let i = 0; at < n; i++) {
    const block = createHash('sha256').update(`${label}:${i}`).digest();
    at += block.copy(out, at, 0, Math.min(block.length, n - at));
  }
  return out;
}

type Opts = { method?: 'files' | 'shards'; hashType?: 'sha256' | 'blake2b' | 'blake3'; shardSize?: number; key?: ReturnType<typeof fixtureKey> };

/** A repo whose root model.sig signs every file given (`lfs` marks the LFS weights). */
export function signedRepo(id: string, files: Array<{ path: string; bytes: Buffer; lfs?: boolean }>, opts: Opts = {}, extra: FixtureFile[] = []): FixtureRepo {
  const key = opts.key ?? KEY;
  const { signature } = signModel({
    files: Object.fromEntries(files.map((f) => [f.path, new Uint8Array(f.bytes)])),
    signer: key.signer,
    name: id.split('/')[1] as string,
    ...(opts.method ? { method: opts.method } : {}),
    ...(opts.hashType ? { hashType: opts.hashType } : {}),
    ...(opts.shardSize ? { shardSize: opts.shardSize } : {}),
  });
  return repo({ id, commits: { v1: [file('model.sig', signature), ...files.map((f) => file(f.path, f.bytes, { lfs: Boolean(f.lfs) })), ...extra] } });
}

export const MiB = 1024 * 1024;

/** The usual model: a config (non-LFS, hashed by the pre-check) and two LFS weight files. */
export function modelFiles(label: string, sizes: [number, number] = [3 * MiB + 17, 2 * MiB + 5]) {
  return [
    { path: 'config.json', bytes: Buffer.from(`{"model": "${label}"}\n`) },
    { path: 'weights/a.safetensors', bytes: bytesOf(`${label}/a`, sizes[0]), lfs: true },
    { path: 'weights/b.safetensors', bytes: bytesOf(`${label}/b`, sizes[1]), lfs: true },
  ];
}
