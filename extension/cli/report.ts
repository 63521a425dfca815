/**
 * Terminal output shared by the CLI's commands: hostile text made safe for a terminal, the per-file
 * table, the signer line.
 */
import type { FileResult, Verdict } from '../core/verdict.js';

/** Terminal-safe text: signer identities and file names are hostile (escape sequences). */
export function safe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const MAX_TABLE_ROWS = 200;

function row(f: FileResult): string {
  let extra = '';
  if (f.status === 'mismatch' && f.expected && f.actual) extra = `  expected ${f.expected.slice(0, 16)}… got ${f.actual.slice(0, 16)}…`;
  if (f.reason) extra += `  (${f.reason})`;
  return `  ${f.status.padEnd(9)} ${safe(f.path)}${safe(extra)}`;
}

/** Per-file table; for big models only the problem rows, then counts, so the answer stays readable. */
export function table(files: readonly FileResult[]): string {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  const summary = `  ${files.length} files: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`;
  if (files.length <= MAX_TABLE_ROWS) return [...files.map(row), summary].join('\n');
  const problems = files.filter((f) => f.status !== 'verified' && f.status !== 'ignored');
  const shown = problems.slice(0, MAX_TABLE_ROWS).map(row);
  if (problems.length > MAX_TABLE_ROWS) shown.push(`  … ${problems.length - MAX_TABLE_ROWS} more`);
  return [...shown, summary].join('\n');
}

export function signerLine(v: Verdict): string {
  if (!('signature' in v) || !v.signature) return '';
  const s = v.signature.signer;
  const who =
    s.kind === 'sigstore' ? `${s.identity ?? '?'} (issuer ${s.issuer ?? '?'})` : s.kind === 'key' ? `key sha256:${s.keyFingerprint ?? '?'}` : `${s.identity ?? '?'} (CA ${s.caSubject ?? '?'})`;
  return `signed by ${safe(who)} [${s.kind}], root digest ${v.signature.rootDigest}`;
}


/** Whose signature it is, from the publishers' directory (documented signer, a copy), one line; empty when it says nothing. */
export function publisherLine(v: Verdict): string {
  const p = v.publisher;
  if (!p) return '';
  const who = `${safe(p.name)} (${safe(p.namespace)})`;
  const source = p.source ? `; source: ${p.source.kind === 'observed-signatures' ? "signatures seen on the publisher's own repos, not a document by the publisher" : p.source.kind === 'organisation-policy' ? 'an imported directory' : "the publisher's documentation"} (${safe(p.source.url)}, checked ${safe(p.source.checked)})` : '';
  switch (p.relation) {
    case 'documented':
      return `documented by the publisher: ${who}${source}`;
    case 'exact-copy':
      return `an exact copy of ${safe(p.original ?? '?')}'s signed release, signed by ${who}, not by the owner of this repo (${safe(p.owner)})${source}`;
    case 'changed-copy':
      return `signed by ${who}, not by the owner of this repo (${safe(p.owner)}): these files differ from ${safe(p.original ?? '?')}'s signed release${source}`;
    default:
      return `signed by ${who}, not by the owner of this repo (${safe(p.owner)})${source}`;
  }
}

const SOURCE_NAMES: Record<string, string> = {
  signature: 'signature',
  'transparency-log': 'transparency log entry',
  'hub-digests': "hub's listed digests",
  'bytes-hashed': 'bytes hashed here',
  lock: 'your lock',
  pin: 'your pin',
  policy: 'your policy',
};

/** "Sources that agreed" (the verdict's `agreed`), one line; empty when the verdict lists none. */
export function agreedLine(v: Verdict): string {
  const agreed = v.agreed ?? [];
  if (agreed.length === 0) return '';
  return `sources that agreed: ${agreed.map((a) => `${SOURCE_NAMES[a.source] ?? a.source}${a.files !== undefined ? ` (${a.files} file${a.files === 1 ? '' : 's'})` : ''}`).join(', ')}`;
}

/** The first lines of a refusal: state, reason and code, then who signed and what agreed, when known. */
export function notVerifiedLines(v: Verdict): string[] {
  const failure = 'failure' in v ? v.failure : undefined;
  const lines = [`modelseal: NOT VERIFIED (${v.state}): ${safe(failure?.reason ?? 'unknown reason')} [${failure?.code ?? 'INTERNAL_ERROR'}]`];
  const who = signerLine(v);
  if (who) lines.push(`  ${who}`);
  const publisher = publisherLine(v);
  if (publisher) lines.push(`  ${publisher}`);
  const agreed = agreedLine(v);
  if (agreed) lines.push(`  ${agreed}`);
  return lines;
}
