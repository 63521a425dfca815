/**
 * `modelseal verify-bundle`: the Sigstore conformance client protocol.
 *   --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM)
 *   [--trusted-root FILE] FILE|sha256:HEX
 * Exit 0 only when verified; 1 not verified (reason and code on stderr); 2 bad usage.
 */
import { isModelSealError } from '../core/errors.js';
import { verifyConformanceCase, type ConformanceCaseInput } from '../core/sigstore/index.js';
import { readRegular } from './node-open.js';

const USAGE =
  'usage: modelseal verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM) [--trusted-root FILE] FILE|sha256:HEX';
const MAX_SMALL_FILE = 1024 * 1024;
// Artifacts are hashed in memory by the core; keep the CLI's input bounded.
const MAX_ARTIFACT = 512 * 1024 * 1024;

interface Args {
  bundle: string;
  identity?: string;
  issuer?: string;
  key?: string;
  trustedRoot?: string;
  artifact: string;
}

const VALUE_FLAGS: Record<string, keyof Omit<Args, 'artifact'>> = {
  '--bundle': 'bundle',
  '--certificate-identity': 'identity',
  '--certificate-oidc-issuer': 'issuer',
  '--key': 'key',
  '--trusted-root': 'trustedRoot',
};

function parseArgs(argv: string[]): Args | string {
  const out: Partial<Args> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const field = VALUE_FLAGS[flag];
    if (field) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) return `${flag} needs a value`;
      if (out[field] !== undefined) return `${flag} given twice`;
      out[field] = value;
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else positional.push(a);
  }
  if (positional.length !== 1) return 'exactly one artifact (FILE or sha256:HEX) is required';
  if (!out.bundle) return '--bundle is required';
  const identityMode = out.identity !== undefined || out.issuer !== undefined;
  if (identityMode && out.key !== undefined) return 'use either --key or --certificate-identity/--certificate-oidc-issuer';
  if (!out.key && (out.identity === undefined || out.issuer === undefined)) {
    return '--certificate-identity and --certificate-oidc-issuer are both required (or --key)';
  }
  return { ...out, artifact: positional[0] as string } as Args;
}

async function readBounded(path: string, max: number, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readRegular(path, max, () => new Error(`${what} ${path} is larger than ${max} bytes`)));
  } catch (e) {
    // openRegular's reason ("not a regular file (a FIFO)") reads best with the path in front.
    throw isModelSealError(e) ? new Error(`${what} ${path} is ${e.message}`) : e;
  }
}

export async function runVerifyBundle(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`modelseal verify-bundle: ${args}\n${USAGE}\n`);
    return 2;
  }
  let input: ConformanceCaseInput;
  try {
    const text = (p: string, what: string) => readBounded(p, MAX_SMALL_FILE, what).then((b) => new TextDecoder().decode(b));
    const digest = /^sha256:([0-9a-fA-F]{64})$/.exec(args.artifact);
    if (args.artifact.startsWith('sha256:') && !digest) {
      process.stderr.write(`modelseal verify-bundle: sha256: must be followed by 64 hex digits\n${USAGE}\n`);
      return 2;
    }
    input = {
      bundleJson: await text(args.bundle, 'bundle'),
      artifact: digest ? { sha256: (digest[1] as string).toLowerCase() } : { bytes: await readBounded(args.artifact, MAX_ARTIFACT, 'artifact') },
      ...(args.identity !== undefined ? { identity: args.identity } : {}),
      ...(args.issuer !== undefined ? { issuer: args.issuer } : {}),
      ...(args.key !== undefined ? { publicKeyPem: await text(args.key, 'key') } : {}),
      ...(args.trustedRoot !== undefined ? { trustedRootJson: await text(args.trustedRoot, 'trusted root') } : {}),
    };
  } catch (e) {
    process.stderr.write(`modelseal verify-bundle: not verified: IO_ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const result = verifyConformanceCase(input);
  if (!result.ok) {
    process.stderr.write(`modelseal verify-bundle: not verified: ${result.code}: ${result.message}\n`);
    return 1;
  }
  const s = result.verification.signer;
  process.stdout.write(`verified: ${s.kind === 'key' ? `key sha256:${s.keyFingerprint ?? ''}` : `${s.identity ?? ''} (${s.issuer ?? ''})`}\n`);
  return 0;
}
