/**
 * `modelseal lock REPO[@REVISION] [-o modelseal.lock.json]`: writes down one verified revision's
 * signed content (hub, kind, repo, commit, signer, manifest root digest, each file's path,
 * algorithm, digest and size) with the core's lock module, so that `verify --lock` and
 * `download --lock` later accept exactly that content and nothing else.
 *
 * The revision is checked as `download` checks it (signature, the hub's listing, the signer). With
 * policy flags or a trust store the signer must be accepted by them; with none, the lock records
 * whoever validly signed and prints it for the user to review (the lock then is the trust decision).
 * Only a revision signed by one repo-wide signature can be locked (that is what a lock describes).
 */
import { writeFile, rename } from 'node:fs/promises';
import { resolve, dirname, basename, join } from 'node:path';
import { adapterFor } from '../core/hubs/index.js';
import { createLock } from '../core/lock/create.js';
import { serializeLock } from '../core/lock/parse.js';
import type { Verdict } from '../core/verdict.js';
import type { VerificationPlan } from '../core/trust/store.js';
import { parseDownloadArgs, type DownloadArgs } from './download-args.js';
import { authorizedFetch, hubAccess } from './hub-access.js';
import { checkHubRevision } from './hub-check.js';
import { nodeHasher } from './node-hasher.js';
import { safe, signerLine } from './report.js';
import { UsageError } from './verify-command.js';
import { sigstoreTrustedRoot } from './trust-root.js';
import { trustSource } from './download-command.js';
import type { TrustSource } from './trust-source.js';

const USAGE = `usage: modelseal lock REPO[@REVISION] [-o modelseal.lock.json] [--dataset] [--endpoint URL] [--token TOKEN]
         [--identity ID --issuer URL | --key PEM | --ca PEM... | --trust-store FILE] [--trusted-root FILE | --offline] [--json]
  Without a signer to trust, the lock records whoever validly signed (printed: review it).`;

const DEFAULT_OUTPUT = 'modelseal.lock.json';

/** Anyone who validly signs (Sigstore), judged by nobody: decide() then reports first use or "not the default branch". */
function anySigner(): TrustSource {
  const none: VerificationPlan = { publicKeyPems: [], caPems: [] };
  return { plan: () => none, state: () => ({ trust: { pins: [] }, policies: { signersPerRepo: 1, expected: [] } }), describe: 'nobody (the lock records the signer)' };
}

function lockable(v: Verdict, named: boolean): boolean {
  if (v.state === 'verified' || v.state === 'verified-first-use') return true;
  // No signer named: a valid signature on another revision is the user's choice to lock.
  if (v.state === 'unpinned-revision') return !named;
  // Files the listing cannot settle are still signed content: the lock records the manifest.
  return v.state === 'unverifiable' && 'signature' in v && v.signature !== undefined && (v.failure.code === 'TOO_LARGE_TO_HASH' || v.failure.code === 'WORK_BUDGET_EXCEEDED');
}

export async function runLock(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const args = parseDownloadArgs(argv, 'lock');
  if (typeof args === 'string') {
    process.stderr.write(`modelseal lock: ${args}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`modelseal lock: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

async function run(args: DownloadArgs): Promise<number> {
  let access;
  try {
    access = hubAccess({ ...(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}), ...(args.token !== undefined ? { token: args.token } : {}) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const named = args.trustStore !== undefined || args.key !== undefined || args.ca.length > 0 || args.identity !== undefined;
  const trust = named ? await trustSource(args, args.repo) : anySigner();
  const trustedRoot = await sigstoreTrustedRoot(args);
  const fetchFn = authorizedFetch(access);
  const client = adapterFor(access.endpoint).createClient({ fetch: fetchFn, endpoint: access.endpoint, includeCredentials: false });
  const hub = await checkHubRevision({ client, kind: args.kind, repo: args.repo, ...(args.revision !== undefined ? { revision: args.revision } : {}), trust, trustedRoot, hashers: nodeHasher });
  const v = hub.decision.verdict;
  const out = hub.check.outcome;
  const only = out.status === 'signed' && out.signatures?.length === 1 ? out.signatures[0] : undefined;
  if (!lockable(v, named) || !only || only.scope.kind !== 'repo' || !only.content || !hub.check.commit) {
    const failure = 'failure' in v ? v.failure : undefined;
    const why = !lockable(v, named)
      ? `${v.state}: ${failure?.reason ?? (v.state === 'unsigned' ? 'this revision has no signature' : 'not verified')} [${failure?.code ?? 'NOT_SIGNED'}]`
      : 'only a revision signed by one repo-wide signature (model.sig at the root) can be locked';
    process.stderr.write(`modelseal lock: NOT LOCKED (${safe(why)})\n${signerLine(v) ? `  ${signerLine(v)}\n` : ''}`);
    return 1;
  }
  const lock = createLock({ hub: hub.check.hub, kind: hub.check.kind, repo: hub.check.repo, commit: hub.check.commit, evidence: only.evidence, content: only.content });
  const text = serializeLock(lock);
  const target = resolve(args.output ?? DEFAULT_OUTPUT);
  const tmp = join(dirname(target), `.${basename(target)}.modelseal-partial`);
  await writeFile(tmp, text);
  await rename(tmp, target);
  if (args.json) process.stdout.write(text);
  else {
    process.stdout.write(
      `Locked ${safe(lock.repo)} at ${lock.commit}: ${signerLine(v)}\n  ${lock.files.length} signed entr${lock.files.length === 1 ? 'y' : 'ies'}, written to ${target}\n` +
        (named ? '' : '  no signer was named: check that this signer is the one you expect before relying on the lock\n'),
    );
  }
  return 0;
}
