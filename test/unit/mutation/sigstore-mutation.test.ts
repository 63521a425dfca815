/**
 * Mutation tests: every valid bundle (conformance happy paths, real OMS signatures) verifies as is, and
 * every systematic single-field or single-byte corruption of what a bundle carries (signature,
 * payload, certificate, inclusion-proof hashes, root hash, checkpoint, SET, log entry body, RFC 3161
 * timestamps, log index, integrated time, tree size, log id, message digest, log id relabelled as another
 * trusted log) is rejected, as is a Rekor v2 bundle checked against a root whose log key was not valid
 * at its timestamps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productionTrustedRootJson, verifyConformanceCase, type ConformanceCaseInput } from '../../../extension/core/sigstore/index.js';

const shared = resolve(process.cwd(), '../shared/fixtures');
const suite = join(shared, 'sigstore-conformance/bundle-verify');

interface Subject {
  name: string;
  input: Omit<ConformanceCaseInput, 'bundleJson'>;
  bundle: Record<string, unknown>;
  /** Rekor v2 entries carry no SET; their integratedTime is not evidence and is ignored by design. */
  rekorV2: boolean;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

const BASE64_KEYS = new Set(['sig', 'signature', 'payload', 'rawBytes', 'rootHash', 'signedEntryTimestamp', 'canonicalizedBody', 'signedTimestamp', 'keyId', 'digest']);
const NUMBER_KEYS = new Set(['logIndex', 'integratedTime', 'treeSize']);

/** Every (path, kind) in the bundle that a mutation targets. */
function targets(value: Json, path: Path = [], out: Array<{ path: Path; kind: 'base64' | 'number' | 'text' }> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => targets(v, [...path, i], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const parent = path[path.length - 1];
      if (typeof v === 'string' && (BASE64_KEYS.has(k) || parent === 'hashes')) out.push({ path: [...path, k], kind: 'base64' });
      else if (typeof v === 'string' && k === 'envelope') out.push({ path: [...path, k], kind: 'text' });
      else if ((typeof v === 'string' || typeof v === 'number') && NUMBER_KEYS.has(k)) out.push({ path: [...path, k], kind: 'number' });
      else targets(v, [...path, k], out);
    }
    if (path[path.length - 1] === 'inclusionProof' && Array.isArray((value as { hashes?: unknown }).hashes)) {
      ((value as { hashes: string[] }).hashes).forEach((_, i) => out.push({ path: [...path, 'hashes', i], kind: 'base64' }));
    }
  }
  return out;
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  const copy = structuredClone(root);
  let o = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(last as number, 1);
    else delete o[last];
  } else o[last] = value;
  return copy;
}

function getAt(root: Json, path: Path): Json {
  let o = root as Record<string | number, Json>;
  for (const k of path) o = o[k] as Record<string | number, Json>;
  return o as unknown as Json;
}

/** Up to `n` evenly spread byte positions, always including the first and the last. */
function positions(len: number, n: number): number[] {
  if (len <= n) return Array.from({ length: len }, (_, i) => i);
  return [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * (len - 1)) / (n - 1))))];
}

/** The log ids of the trusted root the subject verifies against. */
function trustedLogIds(subject: Subject): string[] {
  const root = (subject.input.trustedRootJson ? JSON.parse(subject.input.trustedRootJson) : productionTrustedRootJson()) as {
    tlogs?: Array<{ logId?: { keyId?: string } }>;
  };
  return [...new Set((root.tlogs ?? []).map((t) => t.logId?.keyId).filter((id): id is string => typeof id === 'string'))];
}

/** Whole-field corruptions: the entry's kind and version, the DSSE payload type, entries and timestamps removed. */
function structural(subject: Subject): Array<{ label: string; bundle: Json }> {
  const b = subject.bundle as Json;
  const out: Array<{ label: string; bundle: Json }> = [];
  const vm = ['verificationMaterial'];
  const entries = (getAt(b, [...vm, 'tlogEntries']) as Json[] | undefined) ?? [];
  entries.forEach((e, i) => {
    const kv = (e as { kindVersion?: { kind: string; version: string } }).kindVersion;
    if (!kv) return;
    for (const kind of ['hashedrekord', 'dsse', 'intoto'].filter((k) => k !== kv.kind)) {
      out.push({ label: `tlogEntries.${i}.kind = ${kind}`, bundle: setAt(b, [...vm, 'tlogEntries', i, 'kindVersion', 'kind'], kind) });
    }
    const version = kv.version === '0.0.1' ? '0.0.2' : '0.0.1';
    out.push({ label: `tlogEntries.${i}.version = ${version}`, bundle: setAt(b, [...vm, 'tlogEntries', i, 'kindVersion', 'version'], version) });
    out.push({ label: `tlogEntries.${i} removed`, bundle: setAt(b, [...vm, 'tlogEntries', i], undefined) });
    // Relabelled as another trusted log: nothing in Rekor v2 signs the log id, the verifier must bind it.
    const own = (e as { logId?: { keyId?: string } }).logId?.keyId;
    for (const other of trustedLogIds(subject).filter((id) => id !== own)) {
      out.push({ label: `tlogEntries.${i}.logId = ${other}`, bundle: setAt(b, [...vm, 'tlogEntries', i, 'logId', 'keyId'], other) });
    }
    // v0.1 bundles may rest on the SET alone (inclusion proofs became mandatory in v0.2).
    if (!String((b as { mediaType?: string }).mediaType).endsWith('version=0.1')) {
      out.push({ label: `tlogEntries.${i}.inclusionProof removed`, bundle: setAt(b, [...vm, 'tlogEntries', i, 'inclusionProof'], undefined) });
    }
  });
  const dsse = (b as { dsseEnvelope?: { payloadType: string } }).dsseEnvelope;
  if (dsse) out.push({ label: 'payloadType = application/json', bundle: setAt(b, ['dsseEnvelope', 'payloadType'], 'application/json') });
  // Rekor v2 entries give no time of their own: without the TSA timestamp nothing dates the signature.
  if (subject.rekorV2 && getAt(b, vm) && (getAt(b, vm) as { timestampVerificationData?: unknown }).timestampVerificationData) {
    out.push({ label: 'timestampVerificationData removed', bundle: setAt(b, [...vm, 'timestampVerificationData'], undefined) });
  }
  return out;
}

function mutations(subject: Subject): Array<{ label: string; bundle: Json }> {
  const out: Array<{ label: string; bundle: Json }> = structural(subject);
  const b = subject.bundle as Json;
  for (const { path, kind } of targets(b)) {
    const label = path.join('.');
    const field = path[path.length - 1];
    if (kind === 'number') {
      if (field === 'integratedTime' && subject.rekorV2) continue;
      const v = BigInt(getAt(b, path) as string);
      for (const next of [v + 1n, v - 1n, 0n].filter((x) => x !== v)) out.push({ label: `${label} = ${next}`, bundle: setAt(b, path, next.toString()) });
      continue;
    }
    const text = getAt(b, path) as string;
    out.push({ label: `${label} removed`, bundle: setAt(b, path, undefined) });
    if (kind === 'text') {
      // Cosignatures by witnesses the trusted root does not know cannot be checked by anyone; a
      // verifier skips them. Corrupting the note or the log's own signature must fail.
      const origin = text.split('\n')[0] ?? '';
      const unverifiable = (p: number) => {
        const lineStart = text.lastIndexOf('\n', p - 1) + 1;
        const line = text.slice(lineStart, text.indexOf('\n', p) === -1 ? undefined : text.indexOf('\n', p));
        return line.startsWith('\u2014 ') && !line.startsWith(`\u2014 ${origin} `);
      };
      for (const p of positions(text.length, 24).filter((q) => !unverifiable(q))) {
        const c = text.charCodeAt(p);
        const swapped = c === 0x0a ? ' ' : String.fromCharCode(c === 0x41 ? 0x42 : c ^ 0x01);
        out.push({ label: `${label} char ${p}`, bundle: setAt(b, path, text.slice(0, p) + swapped + text.slice(p + 1)) });
      }
      continue;
    }
    const bytes = Buffer.from(text, 'base64');
    const perField = field === 'rawBytes' || field === 'signedTimestamp' || field === 'canonicalizedBody' || field === 'payload' ? 24 : 8;
    for (const p of positions(bytes.length, perField)) {
      const m = Buffer.from(bytes);
      m[p] = (m[p] as number) ^ 0x01;
      out.push({ label: `${label} byte ${p}/${bytes.length}`, bundle: setAt(b, path, m.toString('base64')) });
    }
  }
  return out;
}

function load(caseName: string): Subject {
  const dir = join(suite, caseName);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  const has = (f: string) => existsSync(join(dir, f));
  const bundle = JSON.parse(read('bundle.sigstore.json')) as Record<string, unknown>;
  const kinds = JSON.stringify(bundle);
  return {
    name: caseName,
    bundle,
    rekorV2: !kinds.includes('inclusionPromise'),
    input: {
      artifact: { bytes: new Uint8Array(readFileSync(has('artifact') ? join(dir, 'artifact') : join(suite, 'a.txt'))) },
      ...(has('identity') ? { identity: read('identity').trim() } : {}),
      ...(has('issuer') ? { issuer: read('issuer').trim() } : {}),
      ...(has('key.pub') ? { publicKeyPem: read('key.pub') } : {}),
      ...(has('trusted_root.json') ? { trustedRootJson: read('trusted_root.json') } : {}),
    },
  };
}

function loadOms(version: string): Subject {
  const bundle = JSON.parse(readFileSync(join(shared, `oms-real/${version}-sigstore/model.sig`), 'utf8')) as Record<string, unknown>;
  const payload = JSON.parse(Buffer.from((bundle.dsseEnvelope as { payload: string }).payload, 'base64').toString('utf8'));
  return {
    name: `oms-real ${version}`,
    bundle,
    rekorV2: false,
    input: {
      artifact: { sha256: payload.subject[0].digest.sha256 },
      identity: 'stefanb@us.ibm.com',
      issuer: 'https://sigstore.verify.ibm.com/oauth2',
    },
  };
}

const HAPPY = [
  'happy-path-v0.1',
  'happy-path-v0.2',
  'happy-path-v0.3',
  'happy-path-intoto-in-dsse-v3',
  'intoto-with-custom-trust-root',
  'managed-key-happy-path',
  'rekor2-happy-path',
  'rekor2-dsse-happy-path',
  'rekor2-timestamp-with-embedded-cert',
  'bundle-with-sct-with-extensions',
];

if (!existsSync(suite)) {
  console.log(`mutation tests: ${suite} not found, not registered`);
} else {
  const subjects = [...HAPPY.map(load), ...['v1.0.1', 'v1.1.0'].map(loadOms)];
  describe('single-field and single-byte corruptions of valid bundles are all rejected', () => {
    it.each(subjects.map((s) => [s.name, s] as const))('%s', async (_name, subject) => {
      const verify = (bundle: Json) => verifyConformanceCase({ ...subject.input, bundleJson: JSON.stringify(bundle) });
      const original = verify(subject.bundle as Json);
      expect(original.ok ? 'verified' : `${original.code}: ${original.message}`).toBe('verified');
      const all = mutations(subject);
      expect(all.length).toBeGreaterThan(40);
      const accepted: string[] = [];
      for (const [n, m] of all.entries()) {
        // Minutes of synchronous work would starve the worker's RPC to the runner ("Timeout calling onTaskUpdate").
        if (n % 20 === 0) await new Promise((r) => setTimeout(r, 0));
        if (verify(m.bundle).ok) accepted.push(m.label);
      }
      expect(accepted).toEqual([]);
    });
  });

  // The trust root is input too: a Rekor v2 entry has only its checkpoint, so the log key's validFor
  // must hold the verified TSA times (upstream checks it only at a SET's integratedTime).
  describe('Rekor v2: the log key validity window must hold every verified timestamp', () => {
    it.each(subjects.filter((s) => s.rekorV2).map((s) => [s.name, s] as const))('%s', (_name, subject) => {
      const verify = (trustedRootJson: string) =>
        verifyConformanceCase({ ...subject.input, trustedRootJson, bundleJson: JSON.stringify(subject.bundle) });
      const rootJson = subject.input.trustedRootJson ?? JSON.stringify(productionTrustedRootJson());
      const original = verify(rootJson);
      if (!original.ok) throw new Error(`${original.code}: ${original.message}`);
      const times = original.verification.timestamps.filter((t) => t.source === 'tsa').map((t) => t.time);
      expect(times.length).toBeGreaterThan(0);
      const [first, last] = [Math.min(...times), Math.max(...times)];
      const ownId = (subject.bundle as { verificationMaterial: { tlogEntries: Array<{ logId: { keyId: string } }> } })
        .verificationMaterial.tlogEntries[0]?.logId.keyId;
      const withWindow = (start: number, end: number) => {
        const root = JSON.parse(rootJson) as { tlogs: Array<{ logId?: { keyId?: string }; checkpointKeyId?: { keyId?: string }; publicKey: Record<string, unknown> }> };
        const logs = root.tlogs.filter((t) => t.logId?.keyId === ownId || t.checkpointKeyId?.keyId === ownId);
        expect(logs.length).toBeGreaterThan(0);
        for (const t of logs) t.publicKey.validFor = { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
        return JSON.stringify(root);
      };
      const HOUR = 3600_000;
      const outcome = (r: ReturnType<typeof verify>) => (r.ok ? 'verified' : r.code);
      expect(outcome(verify(withWindow(first, last)))).toBe('verified');
      expect(outcome(verify(withWindow(first - HOUR, first - 1)))).toBe('TLOG_INVALID');
      expect(outcome(verify(withWindow(last + 1, last + HOUR)))).toBe('TLOG_INVALID');
    });
  });
}
