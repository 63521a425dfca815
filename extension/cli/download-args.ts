/**
 * Arguments of `modelseal download`. The policy flags are verify's (model_signing spellings too);
 * `--trust-store FILE` replaces them with the extension's exported trust store.
 */
import { POLICY_CA_FLAGS, POLICY_SINGLE_FLAGS } from './policy-flags.js';

export interface DownloadArgs {
  /** Empty when `--lock` names the repo. */
  repo: string;
  revision?: string;
  dir?: string;
  kind: 'model' | 'dataset';
  endpoint?: string;
  token?: string;
  identity?: string;
  issuer?: string;
  key?: string;
  ca: string[];
  trustedRoot?: string;
  trustStore?: string;
  lock?: string;
  include: string[];
  /** `modelseal lock`: where to write the lock. */
  output?: string;
  jobs: number;
  /** fsync each verified file before its rename (off with --no-fsync). */
  sync: boolean;
  retries: number;
  timeoutSeconds: number;
  json: boolean;
  /** The built-in Sigstore trust root, no TUF update (no network). */
  offline: boolean;
  /** With --trust-store: repos it says nothing about are judged by the publishers' directory (off with --no-publishers). */
  publishers: boolean;
}

type Single = 'endpoint' | 'token' | 'identity' | 'issuer' | 'key' | 'trustedRoot' | 'trustStore' | 'lock' | 'jobs' | 'retries' | 'timeout' | 'output';
const SINGLE: Record<string, Single> = {
  ...POLICY_SINGLE_FLAGS,
  '--token': 'token',
  '--jobs': 'jobs',
  '--retries': 'retries',
  '--timeout': 'timeout',
  '--output': 'output',
  '-o': 'output',
};
const MULTI: Record<string, 'ca' | 'include'> = {
  ...POLICY_CA_FLAGS,
  '--include': 'include',
};

function intIn(v: string, flag: string, min: number, max: number): number | string {
  if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max) return `${flag} must be a whole number from ${min} to ${max}`;
  return Number(v);
}

/**
 * `command`: `download` needs someone to trust (policy flags, a trust store or a lock); `lock` may
 * name none (the lock then records whoever validly signed, for the user to review) and takes `-o`.
 */
export function parseDownloadArgs(argv: readonly string[], command: 'download' | 'lock' = 'download'): DownloadArgs | string {
  const single: Partial<Record<Single, string>> = {};
  const multi = { ca: [] as string[], include: [] as string[] };
  const positional: string[] = [];
  let kind: 'model' | 'dataset' = 'model';
  let json = false;
  let offline = false;
  let sync = true;
  let publishers = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') && !(a === '-o' && command === 'lock')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    if (flag === '--no-publishers' && command === 'download') {
      if (inline !== undefined) return `${flag} takes no value`;
      publishers = false;
      continue;
    }
    if (flag === '--no-fsync' && command === 'download') {
      sync = false;
      continue;
    }
    if (flag === '--json' || flag === '--dataset' || flag === '--offline') {
      if (inline !== undefined) return `${flag} takes no value`;
      if (flag === '--json') json = true;
      else if (flag === '--offline') offline = true;
      else kind = 'dataset';
      continue;
    }
    const s = SINGLE[flag];
    const m = MULTI[flag];
    const downloadOnly = s === 'jobs' || s === 'retries' || s === 'timeout' || s === 'lock' || flag === '--include';
    if ((s === 'output' && command !== 'lock') || (downloadOnly && command === 'lock')) return `unknown option ${flag} for modelseal ${command}`;
    if (s) {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) return `${flag} needs a value`;
      if (single[s] !== undefined) return `${flag} given twice`;
      single[s] = v;
    } else if (m) {
      const list = multi[m];
      const before = list.length;
      if (inline !== undefined) list.push(inline);
      // Variadic like verify's: values up to the next flag. Positionals go first (REPO [DIR]).
      while (inline === undefined && i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) list.push(argv[++i] as string);
      if (list.length === before) return `${flag} needs at least one value`;
    } else return `unknown option ${flag}`;
  }
  const maxPositional = command === 'lock' ? 1 : 2;
  if (positional.length === 0 && single.lock === undefined) return 'REPO is required';
  if (positional.length > maxPositional) return `${command === 'lock' ? 'REPO' : 'REPO [DIR]'} expected, got ${positional.length} arguments (put REPO and DIR before variadic flags like --include)`;
  const spec = positional[0] ?? '';
  const at = spec.indexOf('@');
  const repo = at >= 0 ? spec.slice(0, at) : spec;
  const revision = at >= 0 ? spec.slice(at + 1) : undefined;
  if ((positional.length > 0 && !repo) || revision === '') return 'REPO@REVISION needs both parts';
  const modes = [single.identity !== undefined || single.issuer !== undefined, single.key !== undefined, multi.ca.length > 0, single.trustStore !== undefined].filter(Boolean).length;
  if (modes > 1) return 'choose one of --identity/--issuer, --key, --ca, --trust-store';
  if (modes === 0 && single.lock === undefined && command === 'download') return 'say whom to trust: --identity/--issuer, --key, --ca, --trust-store or --lock';
  if ((single.identity === undefined) !== (single.issuer === undefined)) return '--identity and --issuer go together';
  const jobs = intIn(single.jobs ?? '4', '--jobs', 1, 64);
  const retries = intIn(single.retries ?? '4', '--retries', 0, 20);
  const timeoutSeconds = intIn(single.timeout ?? '60', '--timeout', 1, 3600);
  for (const v of [jobs, retries, timeoutSeconds]) if (typeof v === 'string') return v;
  const out: DownloadArgs = { repo, kind, ca: multi.ca, include: multi.include, jobs: jobs as number, sync, retries: retries as number, timeoutSeconds: timeoutSeconds as number, json, offline, publishers };
  if (revision !== undefined) out.revision = revision;
  if (positional[1] !== undefined) out.dir = positional[1];
  for (const k of ['endpoint', 'token', 'identity', 'issuer', 'key', 'trustedRoot', 'trustStore', 'lock', 'output'] as const) {
    const v = single[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
