/**
 * `modelseal verify MODEL_PATH [--signature FILE] (--identity ID --issuer URL | --key PEM | --ca PEM...)
 *                  [--trusted-root FILE | --offline] [--ignore-paths PATH...] [--json]`
 * Same meaning as `model_signing verify sigstore|key|certificate`. Exit 0 verified, 1 not verified
 * (reason and code on stderr, per-file table), 2 bad usage.
 */
import { POLICY_CA_FLAGS, POLICY_SINGLE_FLAGS } from './policy-flags.js';
import { realpath, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { IgnoreMatcher } from '../core/files/ignore.js';
import { MAX_BUNDLE_BYTES } from '../core/oms/limits.js';
import { MODEL_SIG, perFileSignaturePath } from '../core/hub/signature-locator.js';
import { DEFAULT_IGNORES } from '../core/files/listing.js';
import { verifyModel, type VerifyMode } from '../core/verify-model.js';
import { verdictForError } from '../core/failure.js';
import { asModelSealError, isModelSealError, type ModelSealError } from '../core/errors.js';
import type { LockDocument } from '../core/lock/types.js';
import { readLockFile } from './lock-file.js';
import type { Verdict } from '../core/verdict.js';
import { nodeHasher } from './node-hasher.js';
import { listModel } from './node-listing.js';
import { HashPool } from './node-hash-pool.js';
import { openRegular, readRegular } from './node-open.js';
import { agreedLine, notVerifiedLines, publisherLine, safe, signerLine, table } from './report.js';
import { lockSignerFlags, storeTrust, withLock, withPublishers, type TrustSource } from './trust-source.js';
import { builtinDirectory } from '../core/publishers/builtin.js';
import { hubAccess } from './hub-access.js';
import { verifyLocalWithTrust } from './local-trust.js';
import { sigstoreTrustedRoot } from './trust-root.js';

const USAGE = `usage: modelseal verify MODEL_PATH [--signature FILE]
         (--identity ID --issuer URL | --key PEM | --ca PEM... | --trust-store FILE --repo OWNER/NAME [--endpoint URL] [--dataset] [--no-publishers])
         [--lock FILE] [--trusted-root FILE | --offline] [--ignore-paths PATH...] [--json]
  MODEL_PATH is a directory (default signature MODEL_PATH/model.sig) or one file
  (default FILE.sig if present, else model.sig beside it).`;

const MAX_SMALL_FILE = 10 * 1024 * 1024;

interface Args {
  model: string;
  signature?: string;
  identity?: string;
  issuer?: string;
  key?: string;
  ca: string[];
  trustedRoot?: string;
  ignorePaths: string[];
  json: boolean;
  /** The built-in Sigstore trust root, no TUF update (no network). */
  offline: boolean;
  /** The extension's exported trust store, judged for `repo` on `endpoint`. */
  trustStore?: string;
  /** A lock: only its exact signed content verifies. */
  lock?: string;
  repo?: string;
  endpoint?: string;
  dataset?: boolean;
  /** With --trust-store: the publishers' directory judges repos the store says nothing about (off with --no-publishers). */
  noPublishers?: boolean;
}

const SINGLE: Record<string, 'signature' | 'identity' | 'issuer' | 'key' | 'trustedRoot' | 'trustStore' | 'lock' | 'repo' | 'endpoint'> = {
  ...POLICY_SINGLE_FLAGS,
  '--repo': 'repo',
  '--signature': 'signature',
};
const MULTI: Record<string, 'ca' | 'ignorePaths'> = {
  ...POLICY_CA_FLAGS,
  '--ignore-paths': 'ignorePaths',
  '--ignore_paths': 'ignorePaths',
};

export function parseVerifyArgs(argv: readonly string[]): Args | string {
  const out: Partial<Args> & { ca: string[]; ignorePaths: string[]; json: boolean; offline: boolean } = { ca: [], ignorePaths: [], json: false, offline: false };
  const positional: string[] = [];
  let lastMulti: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positional.push(a);
      lastMulti = undefined;
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    if (flag === '--json' || flag === '--dataset' || flag === '--offline' || flag === '--no-publishers') {
      if (inline !== undefined) return `${flag} takes no value`;
      if (flag === '--json') out.json = true;
      else if (flag === '--offline') out.offline = true;
      else if (flag === '--no-publishers') out.noPublishers = true;
      else out.dataset = true;
      lastMulti = undefined;
      continue;
    }
    const single = SINGLE[flag];
    const multi = MULTI[flag];
    if (single) {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) return `${flag} needs a value`;
      if (out[single] !== undefined) return `${flag} given twice`;
      out[single] = v;
      lastMulti = undefined;
    } else if (multi) {
      const list = out[multi];
      const before = list.length;
      if (inline !== undefined) list.push(inline);
      while (inline === undefined && i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) list.push(argv[++i] as string);
      if (list.length === before) return `${flag} needs at least one value`;
      lastMulti = inline === undefined ? list : undefined;
    } else {
      return `unknown option ${flag}`;
    }
  }
  // `--ignore-paths a b MODEL`: a variadic option swallowed the model path; give it back.
  if (positional.length === 0 && lastMulti && lastMulti.length > 1) positional.push(lastMulti.pop() as string);
  if (positional.length !== 1) return positional.length === 0 ? 'MODEL_PATH is required' : `one MODEL_PATH expected, got ${positional.length}`;
  out.model = positional[0] as string;
  const modes = [out.identity !== undefined || out.issuer !== undefined, out.key !== undefined, out.ca.length > 0, out.trustStore !== undefined].filter(Boolean).length;
  if (modes > 1 || (modes === 0 && out.lock === undefined)) return 'choose exactly one of --identity/--issuer, --key, --ca, --trust-store (or --lock alone for a Sigstore-signed lock)';
  if ((out.identity === undefined) !== (out.issuer === undefined)) return '--identity and --issuer go together';
  if (out.trustedRoot !== undefined && out.identity === undefined && out.trustStore === undefined && out.lock === undefined) return '--trusted-root only applies to Sigstore verification';
  if ((out.trustStore === undefined) !== (out.repo === undefined)) return '--trust-store and --repo go together (the store trusts signers per repo)';
  if (out.trustStore === undefined && (out.endpoint !== undefined || out.dataset)) return '--endpoint and --dataset only apply with --trust-store';
  return out as Args;
}

export class UsageError extends Error {}

/** A lock file that does not parse, validate or recompute: refused with its own code (exit 1). */
class LockRefused extends Error {
  constructor(
    readonly path: string,
    override readonly cause: ModelSealError,
  ) {
    super(cause.message);
  }
}

/** Our ModelSealErrors (a FIFO, a device) say what is wrong; anything else is an errno code. */
function readFailure(e: unknown, what: string, path: string): UsageError {
  if (e instanceof UsageError) return e;
  if (isModelSealError(e)) return new UsageError(`${what} ${path} is ${e.message}`);
  return new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
}

export async function readSmall(path: string, what: string): Promise<Buffer> {
  try {
    return await readRegular(path, MAX_SMALL_FILE, () => new UsageError(`${what} ${path} is larger than ${MAX_SMALL_FILE} bytes`));
  } catch (e) {
    throw readFailure(e, what, path);
  }
}

/** Reads at most one byte past the bundle limit: enough for the core to say BUNDLE_TOO_LARGE. */
async function readSignature(path: string): Promise<Uint8Array> {
  try {
    const { fh, size } = await openRegular(path);
    try {
      const buf = new Uint8Array(Math.min(size, MAX_BUNDLE_BYTES + 1));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw readFailure(e, 'signature', path);
  }
}

/**
 * `MODEL/model.sig` for a directory; for one file `FILE.sig` (per-file signatures), else `model.sig`
 * beside it. The names are the hub locator's; the CLI does not search further (a folder's own
 * `model.sig` is the directory default; Kaggle's `.kaggle/signing.json` is given with `--signature`).
 */
async function defaultSignature(model: string, isDir: boolean): Promise<string> {
  if (isDir) return join(model, MODEL_SIG);
  const perFile = perFileSignaturePath(model);
  return (await stat(perFile).catch(() => undefined))?.isFile() ? perFile : join(dirname(model), MODEL_SIG);
}

/** model_signing semantics: paths are relative to the CWD and only count when inside the model. */
async function insideModel(modelRoot: string, p: string): Promise<string | undefined> {
  const abs = resolve(p);
  const real = await realpath(abs).catch(() => abs);
  const rel = relative(modelRoot, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

export async function runVerify(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const args = parseVerifyArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`modelseal verify: ${args}\n${USAGE}\n`);
    return 2;
  }
  let verdict: Verdict;
  try {
    verdict = await run(args);
  } catch (e) {
    if (e instanceof LockRefused) {
      process.stderr.write(`modelseal: NOT VERIFIED: the lock ${safe(e.path)} is refused: ${safe(e.cause.message)} [${e.cause.code}]\n`);
      return 1;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`modelseal verify: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  return report(verdict, args.json);
}

async function run(args: Args): Promise<Verdict> {
  const modelStat = await stat(args.model).catch(() => undefined);
  if (!modelStat || (!modelStat.isDirectory() && !modelStat.isFile())) throw new UsageError(`model path ${args.model} does not exist`);
  const modelRoot = await realpath(args.model);
  const signaturePath = args.signature ?? (await defaultSignature(args.model, modelStat.isDirectory()));
  const signatureBytes = await readSignature(signaturePath);

  let trust: TrustSource | undefined;
  if (args.trustStore !== undefined) {
    const text = (await readSmall(args.trustStore, 'trust store')).toString('utf8');
    try {
      trust = storeTrust(text, args.trustStore);
      if (!args.noPublishers) trust = withPublishers(trust, builtinDirectory());
    } catch (e) {
      throw new UsageError(`trust store ${args.trustStore}: ${isModelSealError(e) ? `${e.message} [${e.code}]` : String(e)}`);
    }
  }
  let lock: LockDocument | undefined;
  if (args.lock !== undefined) {
    try {
      lock = await readLockFile(args.lock);
    } catch (e) {
      throw new LockRefused(args.lock, asModelSealError(e, 'LOCK_INVALID'));
    }
    if (trust) trust = withLock(trust, lock, args.lock);
  }
  const lockFlags = lock ? lockSignerFlags(lock) : undefined;
  let mode: VerifyMode;
  if (trust) mode = { kind: 'sigstore', anyIdentity: true };
  else if (lock && args.key === undefined && args.ca.length === 0 && args.identity === undefined) {
    // The lock alone: its Sigstore signer is the identity policy; key and CA signers need their material.
    if (!lockFlags || lockFlags.kind !== 'sigstore') throw new UsageError(`the lock's signer is a ${lock.signer.kind}: name it with ${lock.signer.kind === 'key' ? '--key' : '--ca'} too`);
    const trustedRoot = await sigstoreTrustedRoot(args);
    mode = { kind: 'sigstore', identity: lockFlags.identity, issuer: lockFlags.issuer, ...(trustedRoot !== undefined ? { trustedRoot } : {}) };
  } else if (args.key !== undefined) mode = { kind: 'key', publicKeyPem: (await readSmall(args.key, 'public key')).toString('utf8') };
  else if (args.ca.length > 0) mode = { kind: 'certificate', caPems: await Promise.all(args.ca.map(async (c) => (await readSmall(c, 'CA certificate')).toString('utf8'))) };
  else {
    const trustedRoot = await sigstoreTrustedRoot(args);
    mode = { kind: 'sigstore', identity: args.identity as string, issuer: args.issuer as string, ...(trustedRoot !== undefined ? { trustedRoot } : {}) };
  }

  const isDir = modelStat.isDirectory();
  const ignorePaths: string[] = [];
  if (isDir) {
    for (const p of args.ignorePaths) {
      const rel = await insideModel(modelRoot, p);
      if (rel !== undefined) ignorePaths.push(rel);
    }
  }
  const sigRel = isDir ? await insideModel(modelRoot, signaturePath) : undefined;
  const prune = isDir ? new IgnoreMatcher([...DEFAULT_IGNORES, ...ignorePaths]) : undefined;
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  const pool = startPool(workers);
  try {
    let listing: Awaited<ReturnType<typeof listModel>>;
    try {
      listing = await listModel(modelRoot, prune, pool ? (p) => pool.source(p) : undefined);
    } catch (e) {
      // Unreadable directories or special files: could not check, which is a verdict, not a crash.
      return verdictForError(asModelSealError(e, 'IO_ERROR'), { checkedAt: Date.now(), subject: { path: args.model } });
    }
    if (trust) {
      let hub: string;
      try {
        hub = hubAccess(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}).endpoint;
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      return await verifyLocalWithTrust({
        signatureBytes,
        listing: listing.files,
        ignorePaths,
        signaturePath: sigRel ?? null,
        singleFile: listing.singleFile,
        trust,
        ref: { hub, kind: args.dataset ? 'dataset' : 'model', repo: args.repo as string },
        trustedRoot: await sigstoreTrustedRoot(args),
        path: args.model,
        concurrency: workers * 2,
      });
    }
    return await verifyModel({
      ...(lock ? { lock } : {}),
      signatureBytes,
      listing: listing.files,
      mode,
      ignorePaths,
      signaturePath: sigRel ?? null,
      singleFile: listing.singleFile,
      hashers: nodeHasher,
      subtle: globalThis.crypto.subtle,
      // Two jobs per worker keep every worker fed while results travel back.
      concurrency: workers * 2,
      subject: { path: args.model },
    });
  } finally {
    await pool?.close();
  }
}

/** `--trusted-root FILE` as JSON (or as text, which the Sigstore verifier refuses with TRUSTED_ROOT_INVALID). */
export async function trustedRootOf(path: string | undefined): Promise<unknown> {
  if (path === undefined) return undefined;
  const text = (await readSmall(path, 'trusted root')).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    // Handed on as text: the Sigstore verifier reports it as TRUSTED_ROOT_INVALID.
    return text;
  }
}

/** Worker threads when available; otherwise files hash on the main thread (same results, slower). */
function startPool(size: number): HashPool | undefined {
  try {
    return new HashPool(size);
  } catch {
    return undefined;
  }
}

function report(v: Verdict, json: boolean): number {
  const ok = v.state === 'verified';
  if (json) process.stdout.write(JSON.stringify(v, null, 2) + '\n');
  const files = 'files' in v && v.files ? v.files : [];
  if (ok) {
    const agreed = agreedLine(v);
    const publisher = publisherLine(v);
    if (!json) process.stdout.write(`Verified: ${signerLine(v)}\n${publisher ? `  ${publisher}\n` : ''}${agreed ? `  ${agreed}\n` : ''}${table(files)}\n`);
    return 0;
  }
  const lines = notVerifiedLines(v);
  if (files.length) lines.push(table(files));
  process.stderr.write(lines.join('\n') + '\n');
  return 1;
}
