/**
 * Publishers' documented signers: hub namespace → the signers its publisher uses, each entry with its
 * source. A strict, bounded reader (the shipped file and imported ones alike are untrusted input until
 * read here) and the lookups decide() needs. directory.schema.json describes the same rules.
 */
import { ModelSealError } from '../errors.js';
import type { Signer } from '../verdict.js';

export const DIRECTORY_FORMAT = 'modelseal-publishers/v1';

export const DIRECTORY_LIMITS = {
  /** Bytes of one directory's JSON text (an import). */
  bytes: 512 * 1024,
  publishers: 500,
  signersPerPublisher: 20,
  urlsPerSource: 10,
} as const;

export type DocumentedSigner =
  | { kind: 'sigstore'; identity: string; issuer: string }
  | { kind: 'key'; keyFingerprint: string }
  | { kind: 'certificate'; caSubject: string; caPem?: string };

export interface PublisherSource {
  /** Where the fact comes from: the publisher's own documentation, signatures seen on its repos, or an organisation's policy (imports). */
  kind: 'publisher-documentation' | 'observed-signatures' | 'organisation-policy';
  note?: string;
  urls: string[];
  /** YYYY-MM-DD: when the source was last checked. */
  checked: string;
}

export interface PublisherEntry {
  namespace: string;
  /** The publisher's display name, e.g. "IBM". */
  name: string;
  /** Hub origin the namespace lives on; absent: any configured hub. */
  hub?: string;
  signers: DocumentedSigner[];
  source: PublisherSource;
}

export interface PublisherDirectory {
  format: typeof DIRECTORY_FORMAT;
  publishers: PublisherEntry[];
}

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

function fail(where: string, what: string): never {
  throw new ModelSealError('STORE_INVALID', `publishers directory: ${where}: ${what}`);
}

function record(v: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'not an object');
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(where, `unknown field ${JSON.stringify(k.slice(0, 40))}`);
  return v as Record<string, unknown>;
}

function text(v: unknown, where: string, max: number, min = 1): string {
  if (typeof v !== 'string' || v.length < min || v.length > max) fail(where, `not a string of ${min}..${max} characters`);
  // Control characters have no place in names, identities or URLs.
  if (/[\u0000-\u001f\u007f]/.test(v)) fail(where, 'contains control characters');
  return v;
}

function httpsUrl(v: unknown, where: string): string {
  const s = text(v, where, 500);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    fail(where, 'not a URL');
  }
  if (u.protocol !== 'https:') fail(where, 'not an https URL');
  return s;
}

function list(v: unknown, where: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v) || v.length < min || v.length > max) fail(where, `not a list of ${min}..${max} items`);
  return v;
}

function parseSigner(v: unknown, where: string): DocumentedSigner {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case 'sigstore': {
      const r = record(v, where, ['kind', 'identity', 'issuer']);
      return { kind, identity: text(r.identity, `${where}.identity`, 500), issuer: httpsUrl(r.issuer, `${where}.issuer`) };
    }
    case 'key': {
      const r = record(v, where, ['kind', 'keyFingerprint']);
      if (typeof r.keyFingerprint !== 'string' || !FINGERPRINT.test(r.keyFingerprint)) fail(`${where}.keyFingerprint`, 'not 64 lowercase hex digits');
      return { kind, keyFingerprint: r.keyFingerprint };
    }
    case 'certificate': {
      const r = record(v, where, ['kind', 'caSubject', 'caPem']);
      return {
        kind,
        caSubject: text(r.caSubject, `${where}.caSubject`, 500),
        ...(r.caPem !== undefined ? { caPem: text(r.caPem, `${where}.caPem`, 16384).replace(/\r\n/g, '\n') } : {}),
      };
    }
    default:
      fail(`${where}.kind`, 'not sigstore, key or certificate');
  }
}

function parseSource(v: unknown, where: string): PublisherSource {
  const r = record(v, where, ['kind', 'note', 'urls', 'checked']);
  if (r.kind !== 'publisher-documentation' && r.kind !== 'observed-signatures' && r.kind !== 'organisation-policy') fail(`${where}.kind`, 'unknown source kind');
  if (typeof r.checked !== 'string' || !DATE.test(r.checked) || Number.isNaN(Date.parse(r.checked))) fail(`${where}.checked`, 'not a YYYY-MM-DD date');
  return {
    kind: r.kind,
    ...(r.note !== undefined ? { note: text(r.note, `${where}.note`, 1000) } : {}),
    urls: list(r.urls, `${where}.urls`, 1, DIRECTORY_LIMITS.urlsPerSource).map((u, i) => httpsUrl(u, `${where}.urls[${i}]`)),
    checked: r.checked,
  };
}

function parseEntry(v: unknown, where: string): PublisherEntry {
  const r = record(v, where, ['namespace', 'name', 'hub', 'signers', 'source']);
  if (typeof r.namespace !== 'string' || !NAMESPACE.test(r.namespace)) fail(`${where}.namespace`, 'not a hub namespace');
  return {
    namespace: r.namespace,
    name: text(r.name, `${where}.name`, 200),
    ...(r.hub !== undefined ? { hub: new URL(httpsUrl(r.hub, `${where}.hub`)).origin } : {}),
    signers: list(r.signers, `${where}.signers`, 1, DIRECTORY_LIMITS.signersPerPublisher).map((s, i) => parseSigner(s, `${where}.signers[${i}]`)),
    source: parseSource(r.source, `${where}.source`),
  };
}

/** A directory document (already parsed JSON), strictly: unknown fields, wrong types or oversize lists are refused. */
export function parsePublisherDirectory(v: unknown): PublisherDirectory {
  const r = record(v, 'document', ['$schema', 'format', 'publishers']);
  if (r.format !== DIRECTORY_FORMAT) fail('format', `not ${DIRECTORY_FORMAT}`);
  const publishers = list(r.publishers, 'publishers', 0, DIRECTORY_LIMITS.publishers).map((e, i) => parseEntry(e, `publishers[${i}]`));
  const seen = new Set<string>();
  for (const p of publishers) {
    const key = `${p.hub ?? ''} ${p.namespace.toLowerCase()}`;
    if (seen.has(key)) fail('publishers', `namespace ${p.namespace} listed twice`);
    seen.add(key);
  }
  return { format: DIRECTORY_FORMAT, publishers };
}

/** A directory's JSON text (an import), size-bounded before parsing. */
export function parsePublisherDirectoryText(json: string): PublisherDirectory {
  if (typeof json !== 'string' || json.length > DIRECTORY_LIMITS.bytes) fail('document', `larger than ${DIRECTORY_LIMITS.bytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail('document', 'not JSON');
  }
  return parsePublisherDirectory(value);
}

/** Directories in order of precedence, one entry per namespace: the first directory naming a namespace speaks for it. */
export function mergeDirectories(dirs: readonly PublisherDirectory[]): PublisherDirectory {
  const byKey = new Map<string, PublisherEntry>();
  for (const d of dirs) for (const p of d.publishers) {
    const key = p.namespace.toLowerCase();
    if (!byKey.has(key)) byKey.set(key, p);
  }
  return { format: DIRECTORY_FORMAT, publishers: [...byKey.values()].slice(0, DIRECTORY_LIMITS.publishers * 4) };
}

/** The namespace (owner) of a repo id `owner/name`. */
export function namespaceOf(repo: string): string {
  const i = repo.indexOf('/');
  return i > 0 ? repo.slice(0, i) : repo;
}

function onHub(p: PublisherEntry, hub: string | undefined): boolean {
  return p.hub === undefined || hub === undefined || p.hub === hub;
}

/** The entry for a repo's namespace (hub namespaces compare without case). */
export function entryForRepo(dir: PublisherDirectory | undefined, repo: string, hub?: string): PublisherEntry | undefined {
  const ns = namespaceOf(repo).toLowerCase();
  return dir?.publishers.find((p) => p.namespace.toLowerCase() === ns && onHub(p, hub));
}

/**
 * Whether a verified signer is one the entry documents. Exact matches only; a Sigstore signer that
 * carries a CI source repository is not the plain identity the entry names.
 */
export function documents(entry: PublisherEntry, signer: Signer): boolean {
  return entry.signers.some((d) => {
    switch (d.kind) {
      case 'sigstore':
        return signer.kind === 'sigstore' && signer.identity === d.identity && signer.issuer === d.issuer && signer.sourceRepository === undefined;
      case 'key':
        return signer.kind === 'key' && signer.keyFingerprint === d.keyFingerprint;
      case 'certificate':
        return signer.kind === 'certificate' && signer.caSubject === d.caSubject;
    }
  });
}

/** Every entry that documents this signer, in directory order. */
export function publishersOf(dir: PublisherDirectory | undefined, signer: Signer, hub?: string): PublisherEntry[] {
  return dir ? dir.publishers.filter((p) => onHub(p, hub) && documents(p, signer)) : [];
}

/** A documented signer as a verdict Signer (for "expected" lists in reasons). */
export function documentedAsSigner(d: DocumentedSigner): Signer {
  switch (d.kind) {
    case 'sigstore':
      return { kind: 'sigstore', identity: d.identity, issuer: d.issuer };
    case 'key':
      return { kind: 'key', keyFingerprint: d.keyFingerprint };
    case 'certificate':
      return { kind: 'certificate', caSubject: d.caSubject };
  }
}
