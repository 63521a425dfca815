/**
 * `modelseal download REPO[@REVISION] [DIR]`: the signature and the signer first, then only the
 * signed bytes. Order of work:
 *
 *   1. check the revision as the extension does (hub-check.ts: resolve to a commit, verify every
 *      signature, compare the hub's listing, decide() the signer with the CLI's trust source); a
 *      refused signature or signer stops here, before any weight is fetched;
 *   2. download every file a verified manifest lists (and `--include` selects) from
 *      `/resolve/<commit>/<path>`, each hashed while it streams and renamed into place only when it
 *      matches (verified-fetch.ts); files no signature covers are listed, never fetched;
 *   3. decide() again with the hashed bytes as the file results: that is the verdict reported.
 *
 * Exit codes as `verify`: 0 every selected file is on disk under its name and verified, 1 not
 * verified (the reason, what was kept and what was deleted), 2 bad usage, 3 internal error.
 */
import { mkdir, realpath, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { asModelSealError, isModelSealError } from '../core/errors.js';
import { adapterFor } from '../core/hubs/index.js';
import type { FileResult, Verdict } from '../core/verdict.js';
import { nodeHasher } from './node-hasher.js';
import { authorizedFetch, hubAccess, type HubAccess } from './hub-access.js';
import { parseDownloadArgs, type DownloadArgs } from './download-args.js';
import { lockSignerFlags, policyTrust, storeTrust, withLock, withPublishers, type TrustSource } from './trust-source.js';
import { builtinDirectory } from '../core/publishers/builtin.js';
import { readLockFile } from './lock-file.js';
import type { LockDocument } from '../core/lock/types.js';
import { checkHubRevision, redecide, type HubCheck } from './hub-check.js';
import { downloadTargets, type FileTarget } from './download-targets.js';
import { fetchVerifiedFile, localPath, partialPathOf, type FileOutcome } from './verified-fetch.js';
import { includeFilter } from './glob.js';
import { Progress } from './progress.js';
import { readSmall, UsageError } from './verify-command.js';
import { sigstoreTrustedRoot } from './trust-root.js';
import { agreedLine, notVerifiedLines, publisherLine, safe, signerLine, table } from './report.js';

const USAGE = `usage: modelseal download REPO[@REVISION] [DIR] [--dataset] [--endpoint URL] [--token TOKEN]
         (--identity ID --issuer URL | --key PEM | --ca PEM... | --trust-store FILE) [--lock FILE] [--trusted-root FILE | --offline]
         [--include GLOB...] [--jobs N] [--retries N] [--timeout SECONDS] [--no-fsync] [--no-publishers] [--json]
  modelseal download --lock FILE [REPO[@REVISION] [DIR]]: only the locked content (default: the locked repo and commit).
  DIR defaults to the repo's name. HF_ENDPOINT and HF_TOKEN are honoured (--endpoint/--token win);
  the token is sent to the endpoint's origin only.`;

/** Pre-download states that still let the signed files be fetched: signer accepted, no listed file differs. */
function mayDownload(v: Verdict): boolean {
  if (v.state === 'verified' || v.state === 'verified-first-use') return true;
  if (!('signature' in v) || !v.signature || !('failure' in v)) return false;
  // Files the hub listing could not settle (too large for the pre-check, budget) are hashed by the
  // download itself; uncovered files are simply not fetched. decide() reaches these codes only
  // after the signer was accepted and no file differed.
  return (v.state === 'unverifiable' && (v.failure.code === 'TOO_LARGE_TO_HASH' || v.failure.code === 'WORK_BUDGET_EXCEEDED')) || v.state === 'partly-signed';
}

interface Summary {
  downloaded: string[];
  alreadyPresent: string[];
  mismatched: Array<{ path: string; algorithm: string; expected: string; actual: string; servedBy: string; range?: { start: number; end: number } }>;
  failed: Array<{ path: string; code: string; reason: string; kept?: string }>;
  notCovered: string[];
  ignored: string[];
  excluded: number;
}

export async function runDownload(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const args = parseDownloadArgs(argv);
  if (typeof args === 'string') return usage(args);
  try {
    return await run(args);
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
}

function usage(message: string): number {
  process.stderr.write(`modelseal download: ${message}\n${USAGE}\n`);
  return 2;
}

/** Whom to trust: the policy flags, the trust store, else the signer a lock names; then the lock on top. */
export async function trustSource(args: DownloadArgs, repo: string, lock?: LockDocument): Promise<TrustSource> {
  let source: TrustSource;
  try {
    if (args.trustStore !== undefined) {
      const text = (await readSmall(args.trustStore, 'trust store')).toString('utf8');
      source = storeTrust(text, args.trustStore);
      // The store's pins and policies win; the directory judges the repos it says nothing about.
      if (args.publishers) source = withPublishers(source, builtinDirectory());
    } else if (args.key !== undefined) source = policyTrust(repo, { kind: 'key', publicKeyPem: (await readSmall(args.key, 'public key')).toString('utf8') });
    else if (args.ca.length > 0) source = policyTrust(repo, { kind: 'certificate', caPems: await Promise.all(args.ca.map(async (c) => (await readSmall(c, 'CA certificate')).toString('utf8'))) });
    else if (args.identity !== undefined) source = policyTrust(repo, { kind: 'sigstore', identity: args.identity, issuer: args.issuer as string });
    else {
      const flags = lock ? lockSignerFlags(lock) : undefined;
      if (!flags) throw new UsageError(lock ? `the lock's signer is a ${lock.signer.kind}: name it with ${lock.signer.kind === 'key' ? '--key' : '--ca'} too` : 'say whom to trust');
      source = policyTrust(repo, flags);
    }
  } catch (e) {
    if (isModelSealError(e)) throw new UsageError(`${args.trustStore !== undefined ? `trust store ${args.trustStore}: ` : ''}${e.message} [${e.code}]`);
    throw e;
  }
  return lock && args.lock ? withLock(source, lock, args.lock) : source;
}

/** The lock the user named, or a refusal printed with its own code (exit 1). */
export async function lockOrRefusal(path: string | undefined): Promise<LockDocument | number | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readLockFile(path);
  } catch (e) {
    const err = asModelSealError(e, 'LOCK_INVALID');
    process.stderr.write(`modelseal: NOT VERIFIED: the lock ${safe(path)} is refused: ${safe(err.message)} [${err.code}]\n  nothing was downloaded or checked\n`);
    return 1;
  }
}

async function run(args: DownloadArgs): Promise<number> {
  const lock = await lockOrRefusal(args.lock);
  if (typeof lock === 'number') return lock;
  // `download --lock FILE` alone: the locked repo at the locked commit, on the locked hub.
  const repo = args.repo || (lock?.repo as string);
  const revision = args.revision ?? (!args.repo && lock ? lock.commit : undefined);
  const kind = args.repo || !lock ? args.kind : lock.kind;
  const endpoint = args.endpoint ?? (lock && !process.env.HF_ENDPOINT ? lock.hub : undefined);
  let access: HubAccess;
  try {
    access = hubAccess({ ...(endpoint !== undefined ? { endpoint } : {}), ...(args.token !== undefined ? { token: args.token } : {}) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const trust = await trustSource(args, repo, lock);
  const trustedRoot = await sigstoreTrustedRoot(args);
  const selected = includeFilter(args.include);
  const tty = Boolean(process.stderr.isTTY);
  const note = (m: string) => process.stderr.write(`${safe(m)}\n`);
  const fetchFn = authorizedFetch(access);
  const client = adapterFor(access.endpoint).createClient({
    fetch: fetchFn,
    endpoint: access.endpoint,
    includeCredentials: false,
    onProgress: (p) => note(`rate limited by the hub; retrying in ${p.retryInSeconds} s (attempt ${p.attempt})`),
  });

  // 1. Signature and signer, before any weights.
  // maxHashBytes 0: no file is fetched to be hashed before the download (that would fetch it twice);
  // files the hub's listing cannot settle stay unchecked here and are hashed as they download.
  const hub = await checkHubRevision({ client, kind, repo, ...(revision !== undefined ? { revision } : {}), trust, trustedRoot, hashers: nodeHasher, maxHashBytes: 0 });
  const pre = hub.decision.verdict;
  if (!mayDownload(pre)) return refuse(pre, args.json, 'nothing was downloaded');

  // 2. The signed files.
  const commit = hub.check.commit as string;
  const targets = downloadTargets(hub.signed, hub.sizes);
  const out = hub.check.outcome.status === 'signed' ? hub.check.outcome : undefined;
  const allFiles = out?.files ?? [];
  const summary: Summary = { downloaded: [], alreadyPresent: [], mismatched: [], failed: [], notCovered: [], ignored: [], excluded: 0 };
  const chosen: FileTarget[] = [];
  for (const f of allFiles) {
    const t = targets.get(f.path);
    if (!selected(f.path)) {
      if (t) summary.excluded++;
      continue;
    }
    if (t) chosen.push(t);
    else if (f.status === 'unsigned') summary.notCovered.push(f.path);
    else if (f.status === 'ignored' && !hub.signatureBytes.has(f.path)) summary.ignored.push(f.path);
  }
  if (chosen.length === 0 && args.include.length > 0) throw new UsageError('no signed file matches --include');

  const dir = resolve(args.dir ?? basename(hub.check.repo));
  await mkdir(dir, { recursive: true });
  const root = await realpath(dir);
  await writeSignatures(root, hub);

  const totalBytes = chosen.reduce((n, t) => n + t.size, 0);
  const progress = new Progress(process.stderr, totalBytes, chosen.length, tty);
  if (!args.json || tty) progress.note(`${safe(hub.check.repo)} at ${commit}: ${signerLine(pre)}; fetching ${chosen.length} signed file${chosen.length === 1 ? '' : 's'} (${Progress.human(totalBytes)}) into ${dir}`);
  const outcomes = new Map<string, FileOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const t = chosen[next++] as FileTarget;
      progress.start(t.path, t.size);
      const o = await fetchVerifiedFile(t, {
        url: client.fileUrl(kind, hub.check.repo, commit, t.path),
        commit,
        fetch: fetchFn,
        root,
        hashers: nodeHasher,
        retries: args.retries,
        idleTimeoutMs: args.timeoutSeconds * 1000,
        maxRetryWaitSeconds: 60,
        sync: args.sync,
        onBytes: (n) => progress.add(n),
        note: (m) => progress.note(m),
      });
      outcomes.set(t.path, o);
      progress.finish(describeOutcome(o), o.status === 'verified' && o.how === 'already-present' ? t.size : 0);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(args.jobs, Math.max(1, chosen.length)) }, worker));
  } finally {
    progress.stop();
  }

  // 3. The verdict on the bytes.
  const files: FileResult[] = [];
  for (const f of allFiles) {
    if (!selected(f.path)) continue;
    const o = outcomes.get(f.path);
    files.push(o ? resultOf(o) : f);
    if (!o) continue;
    if (o.status === 'verified') (o.how === 'downloaded' ? summary.downloaded : summary.alreadyPresent).push(o.path);
    else if (o.status === 'mismatch') summary.mismatched.push({ path: o.path, servedBy: o.servedBy, algorithm: o.result.algorithm, expected: o.result.expected, actual: o.result.actual, ...(o.result.range ? { range: o.result.range } : {}) });
    else summary.failed.push({ path: o.path, code: o.code, reason: o.reason, ...(o.kept ? { kept: o.kept } : {}) });
  }
  let verdict = redecide(hub, files, new Set(outcomes.keys()), trust).verdict;
  if (summary.failed.length > 0 && verdict.state === 'unverifiable') {
    const first = summary.failed[0] as Summary['failed'][number];
    verdict = {
      ...verdict,
      failure: {
        code: first.code as never,
        reason: `${summary.failed.length} file${summary.failed.length === 1 ? ' was' : 's were'} not downloaded: ${summary.failed.slice(0, 5).map((f) => `${f.path} (${f.reason})`).join(', ')}`,
      },
    };
  }
  return report(verdict, summary, dir, args.json, trust);
}

/** The verified signature files go into DIR too, so `modelseal verify DIR` works on the copy. */
async function writeSignatures(root: string, hub: HubCheck): Promise<void> {
  for (const [path, bytes] of hub.signatureBytes) {
    const final = localPath(root, path);
    await mkdir(dirname(final), { recursive: true });
    const tmp = partialPathOf(final);
    await writeFile(tmp, bytes);
    await rename(tmp, final);
  }
}

function resultOf(o: FileOutcome): FileResult {
  if (o.status === 'verified') {
    const r = o.results[0];
    return { path: o.path, status: 'verified', ...(r ? { algorithm: r.algorithm, expected: r.expected, actual: r.actual } : {}) };
  }
  if (o.status === 'mismatch') return { path: o.path, status: 'mismatch', algorithm: o.result.algorithm, expected: o.result.expected, actual: o.result.actual, reason: `bytes served by ${o.servedBy} differ from the signed digest` };
  return { path: o.path, status: 'unchecked', reason: `not downloaded: ${o.reason}` };
}

function describeOutcome(o: FileOutcome): string {
  switch (o.status) {
    case 'verified':
      return `verified   ${safe(o.path)}${o.how === 'already-present' ? ' (already on disk)' : ''}${o.resumedFrom ? ` (resumed at byte ${o.resumedFrom})` : ''}`;
    case 'mismatch':
      return `MISMATCH   ${safe(o.path)}: ${o.result.algorithm} expected ${o.result.expected}, got ${o.result.actual}${o.result.range ? ` (bytes ${o.result.range.start}-${o.result.range.end})` : ''} from ${safe(o.servedBy)}; deleted`;
    case 'failed':
      return `FAILED     ${safe(o.path)}: ${safe(o.reason)} [${o.code}]${o.kept ? `; partial kept as ${safe(o.kept)}` : ''}`;
  }
}

function refuse(v: Verdict, json: boolean, what: string): number {
  if (json) process.stdout.write(JSON.stringify({ verdict: v, download: { refused: true } }, null, 2) + '\n');
  const failure = 'failure' in v ? v.failure : undefined;
  const lines = [`modelseal: NOT VERIFIED (${v.state}): ${safe(failure?.reason ?? (v.state === 'unsigned' ? 'this revision has no signature' : 'unknown reason'))} [${failure?.code ?? 'NOT_SIGNED'}]`];
  const who = signerLine(v);
  if (who) lines.push(`  ${who}`);
  const agreed = agreedLine(v);
  if (agreed) lines.push(`  ${agreed}`);
  lines.push(`  ${what}`);
  process.stderr.write(lines.join('\n') + '\n');
  return 1;
}

function report(v: Verdict, s: Summary, dir: string, json: boolean, trust: TrustSource): number {
  const ok = v.state === 'verified' || v.state === 'verified-first-use';
  if (json) process.stdout.write(JSON.stringify({ verdict: v, download: { dir, ...s } }, null, 2) + '\n');
  const lines: string[] = [];
  if (s.notCovered.length) lines.push(`  not downloaded, covered by no signature: ${s.notCovered.map(safe).join(', ')}`);
  if (s.ignored.length) lines.push(`  not downloaded, outside the signed manifest (ignored paths, git metadata): ${s.ignored.map(safe).join(', ')}`);
  if (s.excluded) lines.push(`  not selected by --include: ${s.excluded} signed file${s.excluded === 1 ? '' : 's'}`);
  if (ok) {
    if (!json) {
      const first = v.state === 'verified-first-use' ? `\n  first use: this signer is not pinned in ${safe(trust.describe)}; it was not changed` : '';
      const agreed = agreedLine(v);
      const publisher = publisherLine(v);
      process.stdout.write(`Verified: ${signerLine(v)}${first}\n${publisher ? `  ${publisher}\n` : ''}${agreed ? `  ${agreed}\n` : ''}  ${s.downloaded.length} downloaded, ${s.alreadyPresent.length} already on disk, all hashed and matching, in ${dir}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
    }
    return 0;
  }
  const out = notVerifiedLines(v);
  for (const m of s.mismatched) out.push(`  digest mismatch: ${safe(m.path)} ${m.algorithm} expected ${m.expected} actual ${m.actual}${m.range ? ` (bytes ${m.range.start}-${m.range.end})` : ''}, served by ${safe(m.servedBy)}: deleted`);
  for (const f of s.failed) out.push(`  not downloaded: ${safe(f.path)}: ${safe(f.reason)} [${f.code}]${f.kept ? `; partial kept as ${safe(f.kept)} (run the same command again to resume)` : ''}`);
  out.push(`  under their final names in ${dir}: only verified files (${s.downloaded.length} downloaded, ${s.alreadyPresent.length} already on disk)`);
  out.push(...lines);
  const files = 'files' in v && v.files ? v.files : [];
  if (files.length && !json) out.push(table(files));
  process.stderr.write(out.join('\n') + '\n');
  return 1;
}

