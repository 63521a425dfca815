/**
 * The policy form's draft, checked before it is sent. The worker checks again; checking here lets the
 * form say what is wrong with a paste while the user still has it in front of them.
 */
import { parseCertificatesPem } from '../extension/core/signers/certificate.js';
import { parsePublicKeyPem } from '../extension/core/signers/ec-key.js';
import { formatName } from '../extension/core/signers/x509-name.js';
import { t } from '../extension/ui/i18n.js';

export type PolicyKind = 'sigstore' | 'key' | 'certificate';
export const POLICY_KINDS: readonly PolicyKind[] = ['sigstore', 'key', 'certificate'];

/** What the worker accepts (`trust/set-expected`, `-key`, `-ca`). */
export type PolicyInput =
  | { kind: 'sigstore'; scope: string; identity: string; issuer: string }
  | { kind: 'key'; scope: string; publicKeyPem: string }
  | { kind: 'certificate'; scope: string; caPems: string[] };

export interface PolicyDraft {
  kind: PolicyKind;
  scope: string;
  identity: string;
  /** The worker treats an identity holding `*` as a pattern, so the choice must agree with the text. */
  match: 'exact' | 'glob';
  issuer: string;
  keyPem: string;
  caPem: string;
}

export const EMPTY_DRAFT: PolicyDraft = { kind: 'sigstore', scope: '', identity: '', match: 'exact', issuer: '', keyPem: '', caPem: '' };

/** The worker's limits (extension/background/validate.ts). */
export const MAX_PEM_CHARS = 16_384;
export const MAX_CAS = 8;
/** The worker's bounds on a scope and on an identity or issuer. */
const MAX_SCOPE_CHARS = 200;
const MAX_TEXT_CHARS = 4096;
/** What a picked file may weigh before it is read at all. */
export const MAX_PEM_FILE_BYTES = MAX_PEM_CHARS * MAX_CAS;

export interface DraftCheck {
  /** Set when the draft is complete and sound. */
  input?: PolicyInput;
  /** What is wrong with what was typed (never set for fields still empty), and where. */
  problem?: string;
  field?: 'scope' | 'body';
  /** What the pasted PEM holds, for the user to recognise: CA subjects, or the key's fingerprint. */
  preview?: string[];
}

/** `owner/name` or `owner/*`, as the trust store's parseScope accepts them (a name never starts with . or -). */
export function validScope(scope: string): boolean {
  return scope.length <= MAX_SCOPE_CHARS && /^[A-Za-z0-9_][\w.-]*\/(\*|[A-Za-z0-9_][\w.-]*)$/.test(scope);
}

function httpsUrl(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Every `label` block in PEM text, CRs dropped (a file may hold several). */
export function pemBlocks(text: string, label: 'CERTIFICATE' | 'PUBLIC KEY'): string[] {
  const re = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return (text.replace(/\r/g, '').match(re) ?? []).map((b) => `${b}\n`);
}

function checkKey(text: string): DraftCheck {
  if (PRIVATE_KEY.test(text)) return { problem: t('policy_privateKey') };
  const blocks = pemBlocks(text, 'PUBLIC KEY');
  if (blocks.length !== 1) return { problem: blocks.length === 0 && text.includes('-----BEGIN CERTIFICATE-----') ? t('policy_keyIsCert') : t('policy_badKey') };
  const pem = blocks[0]!;
  if (pem.length > MAX_PEM_CHARS) return { problem: t('policy_pemTooLarge') };
  try {
    return { preview: [t('policy_keyPreview', parsePublicKeyPem(pem).fingerprint)], input: { kind: 'key', scope: '', publicKeyPem: pem } };
  } catch {
    return { problem: t('policy_badKey') };
  }
}

function checkCas(text: string): DraftCheck {
  if (PRIVATE_KEY.test(text)) return { problem: t('policy_privateKey') };
  const blocks = pemBlocks(text, 'CERTIFICATE');
  if (blocks.length === 0) return { problem: t('policy_noCerts') };
  if (blocks.length > MAX_CAS) return { problem: t('policy_tooManyCerts', String(MAX_CAS)) };
  if (blocks.some((b) => b.length > MAX_PEM_CHARS)) return { problem: t('policy_pemTooLarge') };
  const subjects: string[] = [];
  for (const [i, b] of blocks.entries()) {
    const subject = caSubject(b);
    if (subject === undefined) return { problem: t('policy_badCert', String(i + 1)) };
    subjects.push(subject);
  }
  return { preview: subjects, input: { kind: 'certificate', scope: '', caPems: blocks } };
}

/** The certificate's subject as "CN=…, O=…", or undefined when it is not a readable X.509 certificate. */
export function caSubject(pem: string): string | undefined {
  try {
    const [cert] = parseCertificatesPem(pem);
    return cert ? formatName(cert) : undefined;
  } catch {
    return undefined;
  }
}

export function checkDraft(d: PolicyDraft): DraftCheck {
  const scope = d.scope.trim();
  const scopeProblem = scope !== '' && !validScope(scope) ? t('policy_badScope') : undefined;
  let body: DraftCheck;
  if (d.kind === 'key') body = d.keyPem.trim() === '' ? {} : checkKey(d.keyPem);
  else if (d.kind === 'certificate') body = d.caPem.trim() === '' ? {} : checkCas(d.caPem);
  else {
    const identity = d.identity.trim();
    const issuer = d.issuer.trim();
    let problem: string | undefined;
    if (identity !== '' && d.match === 'exact' && identity.includes('*')) problem = t('policy_exactHasStar');
    else if (identity !== '' && d.match === 'glob' && !identity.includes('*')) problem = t('policy_globNoStar');
    else if (identity.length > MAX_TEXT_CHARS || issuer.length > MAX_TEXT_CHARS) problem = t('policy_tooLong');
    else if (issuer !== '' && !httpsUrl(issuer)) problem = t('policy_badIssuer');
    body = problem ? { problem } : identity && issuer ? { input: { kind: 'sigstore', scope: '', identity, issuer } } : {};
  }
  const problem = scopeProblem ?? body.problem;
  const out: DraftCheck = {};
  if (problem) {
    out.problem = problem;
    out.field = scopeProblem ? 'scope' : 'body';
  }
  if (body.preview) out.preview = body.preview;
  if (!problem && scope && body.input) out.input = { ...body.input, scope };
  return out;
}
