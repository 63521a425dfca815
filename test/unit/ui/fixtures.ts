/** Verdicts for every state, and hostile strings, shared by the UI tests and the static previews. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FileResult, SignatureEvidence, Signer, Verdict, VerdictState } from '../../../extension/core/verdict.js';
import type { MessagesJson } from '../../../extension/ui/i18n.js';
import type { Settings } from '../../../extension/shared/messages.js';
import { emptyDocument, repoKey } from '../../../extension/core/trust/types.js';
import type { TrustDocument } from '../../../extension/core/trust/types.js';
import { toAlerts, toHistory, toTrustSnapshot } from '../../../extension/ui/view-models.js';
import type { PopupActions, PopupData } from '../../../popup/Popup.js';

export const LOCALE_PATH = resolve(process.cwd(), 'public/_locales/en/messages.json');
export const loadMessages = (): MessagesJson => JSON.parse(readFileSync(LOCALE_PATH, 'utf8')) as MessagesJson;

export const GHA_SIGNER: Signer = {
  kind: 'sigstore',
  identity: 'https://github.com/acme-ai/granite-mini/.github/workflows/release.yml@refs/tags/v1.2.0',
  issuer: 'https://token.actions.githubusercontent.com',
};
export const EMAIL_SIGNER: Signer = { kind: 'sigstore', identity: 'Granite.Preview@ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };
export const KEY_SIGNER: Signer = { kind: 'key', keyFingerprint: '3f2a9c01d7e4b8a2c6d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9' };

export const HOSTILE = {
  script: '<script>alert(1)</script>@evil.example',
  bidi: 'admin@\u202Emoc.elgoog\u202C.example',
  zeroWidth: 'rel\u200Bease@acme.example',
  cyrillic: 'https://github.com/аcme-ai/granite-mini/.github/workflows/release.yml@refs/heads/main', // а is U+0430
  long: 'x'.repeat(5000) + '@example.com',
  control: 'bot\u0007\u001b[31m@example.com',
};

export const EVIDENCE: SignatureEvidence = {
  signer: GHA_SIGNER,
  logEntries: [{ log: 'https://rekor.sigstore.dev', logIndex: '182736450', integratedTime: 1774870440, kind: 'dsse', kindVersion: '0.0.1' }],
  timestamps: [{ source: 'tlog', time: 1774870440000 }],
  rootDigest: 'a3f1c2d4e5b6978812345678901234567890abcdefabcdefabcdefabcdef0123',
  predicateType: 'https://model_signing/signature/v1.0',
};

export const FILES: FileResult[] = [
  { path: 'config.json', status: 'verified', algorithm: 'sha256' },
  { path: 'model-00001-of-00002.safetensors', status: 'verified', algorithm: 'sha256' },
  { path: 'model-00002-of-00002.safetensors', status: 'verified', algorithm: 'sha256' },
  { path: 'tokenizer.json', status: 'verified', algorithm: 'sha256' },
  { path: 'README.md', status: 'verified', algorithm: 'sha256' },
];
const CHANGED_FILES: FileResult[] = FILES.map((f) =>
  f.path === 'model-00002-of-00002.safetensors' ? { ...f, status: 'mismatch' as const, expected: 'aa11', actual: 'bb22' } : f,
).concat([{ path: 'extra.bin', status: 'unsigned' }]);

const subject = { repo: 'acme-ai/granite-mini', revision: 'main', commit: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' };
const checkedAt = 1774871000000;

export const VERDICTS: Record<VerdictState, Verdict> = {
  checking: { state: 'checking', subject, checkedAt },
  verified: { state: 'verified', subject, checkedAt, signature: EVIDENCE, files: FILES, trustedSince: 1772000000000 },
  'verified-first-use': { state: 'verified-first-use', subject, checkedAt, signature: { ...EVIDENCE, signer: EMAIL_SIGNER }, files: FILES },
  'identity-changed': {
    state: 'identity-changed',
    subject,
    checkedAt,
    signature: { ...EVIDENCE, signer: { kind: 'sigstore', identity: 'someone-else@gmail.com', issuer: 'https://accounts.google.com' } },
    files: FILES,
    previousSigners: [GHA_SIGNER],
    failure: { code: 'IDENTITY_MISMATCH', reason: 'Signed by someone-else@gmail.com, not the pinned signer.', params: { signer: 'someone-else@gmail.com' } },
  },
  'signature-removed': {
    state: 'signature-removed',
    subject,
    checkedAt,
    previousSigners: [GHA_SIGNER],
    failure: { code: 'NOT_FOUND', reason: 'No model.sig at this commit; revision 1a2b3c was signed.' },
  },
  'files-changed': {
    state: 'files-changed',
    subject,
    checkedAt,
    signature: EVIDENCE,
    files: CHANGED_FILES,
    failure: { code: 'FILES_MISMATCH', reason: '2 files differ from the signed manifest.', params: { count: 2, files: 'model-00002-of-00002.safetensors, extra.bin' } },
  },
  'invalid-signature': {
    state: 'invalid-signature',
    subject,
    checkedAt,
    failure: { code: 'SIGNATURE_INVALID', reason: 'The DSSE signature does not verify with the certificate key.' },
  },
  'partly-signed': {
    state: 'partly-signed',
    subject,
    checkedAt,
    signature: EVIDENCE,
    files: FILES.concat([{ path: 'modeling_evil.py', status: 'unsigned', reason: 'no signature covers this file' }]),
    uncovered: ['modeling_evil.py'],
    failure: { code: 'PARTLY_SIGNED', reason: '1 file is covered by no signature: modeling_evil.py', params: { count: 1, files: 'modeling_evil.py' } },
  },
  'unpinned-revision': {
    state: 'unpinned-revision',
    subject: { ...subject, revision: 'refs/pr/1' },
    checkedAt,
    signature: { ...EVIDENCE, signer: EMAIL_SIGNER },
    files: FILES,
    defaultBranch: 'main',
    failure: { code: 'NOT_DEFAULT_BRANCH', reason: 'not pinned: the trusted signer comes from main', params: { signer: 'Granite.Preview@ibm.com', defaultBranch: 'main' } },
  },
  unsigned: { state: 'unsigned', subject, checkedAt },
  unverifiable: {
    state: 'unverifiable',
    subject,
    checkedAt,
    failure: { code: 'AUTH_REQUIRED', reason: 'Sign in to the hub to check this repo (gated).' },
  },
  'lock-mismatch': {
    state: 'lock-mismatch',
    subject: { ...subject, commit: '1b4f0e9851971998e732078544c96b36c3d01ced' },
    checkedAt,
    signature: { ...EVIDENCE, rootDigest: 'b4c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2' },
    files: FILES,
    lock: { commit: subject.commit, rootDigest: EVIDENCE.rootDigest },
    failure: { code: 'LOCK_MISMATCH', reason: 'the signed content differs from your lock: 1 file differs: model-00002-of-00002.safetensors', params: { count: 1, files: 'model-00002-of-00002.safetensors' } },
  },
};

/** Expected English state names (the one wording per state). */
export const LABELS: Record<VerdictState, string> = {
  checking: 'Checking',
  verified: 'Verified',
  'verified-first-use': 'Verified, first use',
  'identity-changed': 'Identity changed',
  'signature-removed': 'Signature removed',
  'files-changed': 'Files changed after signing',
  'invalid-signature': 'Invalid signature',
  'partly-signed': 'Partly signed',
  'unpinned-revision': 'Signed, not the default branch',
  unsigned: 'Not signed',
  unverifiable: 'Could not verify',
  'lock-mismatch': 'Differs from your lock',
};

export function withSigner(v: Verdict, signer: Signer): Verdict {
  if (!('signature' in v) || !v.signature) throw new Error('verdict has no signature');
  return { ...v, signature: { ...v.signature, signer } } as Verdict;
}

/** Real-world long values: a log named by its base64 id (no base URL in the trusted root), a Rekor v2 shard, a 20-digit index. */
export function longValues(v: Verdict): Verdict {
  if (!('signature' in v) || !v.signature) return v;
  const logEntries = [
    ...v.signature.logEntries,
    { log: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=', logIndex: '18446744073709551615', integratedTime: 1774870440, kind: 'dsse', kindVersion: '0.0.1' },
    { log: 'https://log2025-1.rekor.sigstore.dev', logIndex: '5617', kind: 'dsse', kindVersion: '0.0.2' },
  ];
  const files = 'files' in v && v.files ? [...v.files, { path: `weights/${'shard-'.repeat(30)}final.safetensors`, status: 'verified' as const }] : undefined;
  return { ...v, signature: { ...v.signature, logEntries }, ...(files ? { files } : {}) } as Verdict;
}

const context = { url: 'https://huggingface.co/acme-ai/granite-mini', hub: 'https://huggingface.co', kind: 'model' as const, repo: 'acme-ai/granite-mini' };
const settings: Settings = { hubs: ['https://huggingface.co', 'https://hf-mirror.com'], signersPerRepo: 1, maxHashBytes: 10 * 1024 * 1024 };

/** A trust store document in the core's own type, as the worker's `trust/snapshot` returns it. */
export const TRUST_DOC: TrustDocument = {
  ...emptyDocument(),
  repos: {
    [repoKey({ hub: 'https://huggingface.co', kind: 'model', repo: 'acme-ai/granite-mini' })]: {
      hub: 'https://huggingface.co',
      kind: 'model',
      repo: 'acme-ai/granite-mini',
      pins: [{ signer: GHA_SIGNER, since: 1772000000000, commit: 'a1'.repeat(20), via: 'first-use' }],
      signedSince: 1772000000000,
      // Newest last, as the store keeps it.
      history: [
        { commit: 'a1'.repeat(20), seenAt: 1772000000000, state: 'verified-first-use', signer: GHA_SIGNER },
        { commit: 'b2'.repeat(20), seenAt: 1774000000000, state: 'verified', signer: GHA_SIGNER },
        { commit: 'c3'.repeat(20), seenAt: 1774871000000, state: 'identity-changed', signer: { ...EMAIL_SIGNER, identity: 'someone-else@gmail.com' } },
      ],
    },
    [repoKey({ hub: 'https://huggingface.co', kind: 'model', repo: 'plain/unsigned' })]: {
      hub: 'https://huggingface.co',
      kind: 'model',
      repo: 'plain/unsigned',
      pins: [],
      history: [{ commit: 'd4'.repeat(20), seenAt: 1774000000000, state: 'unsigned' }],
    },
  },
  expected: [
    { kind: 'sigstore', scope: 'ibm-granite/*', identity: 'Granite.Preview@ibm.com', glob: false, issuer: 'https://sigstore.verify.ibm.com/oauth2', createdAt: 1772000000000 },
    { kind: 'key', scope: 'acme-ai/keyed', publicKeyPem: '-----BEGIN PUBLIC KEY-----', keyFingerprint: KEY_SIGNER.keyFingerprint!, createdAt: 1772000000000 },
  ],
  alerts: [
    { id: 1, hub: 'https://huggingface.co', kind: 'model', repo: HOSTILE.bidi, state: 'files-changed', at: 1774000000000, read: true, reason: '1 file differ from the signed manifest: model.bin', code: 'FILES_MISMATCH', params: { count: 1, files: 'model.bin' } },
    { id: 2, hub: 'https://huggingface.co', kind: 'model', repo: 'acme-ai/granite-mini', commit: 'c3'.repeat(20), state: 'identity-changed', at: 1774871000000, read: false, reason: 'Signer changed' },
  ],
  nextAlertId: 3,
};

/** What the worker's `alerts/list` answers: newest first plus the unread count. */
export const ALERTS_REPLY = { alerts: [...TRUST_DOC.alerts].reverse(), unread: 1 };

const alerts = toAlerts(ALERTS_REPLY);
const trust = toTrustSnapshot(TRUST_DOC);
const history = toHistory(Object.values(TRUST_DOC.repos)[0]);

/** Everything the popup shows, for one state of the current tab. */
export function popupData(state: VerdictState): PopupData {
  return { tab: { tabId: 7, context, verdict: VERDICTS[state] }, history, alerts, trust, settings };
}

const none = async () => undefined;
/** Popup actions that do nothing: for rendering views without a worker. */
export const NOOP_ACTIONS: PopupActions = {
  acceptSigner: none,
  previewAccept: async () => {
    throw new Error('no plan here');
  },
  markAlertsRead: () => undefined,
  removePin: none,
  setExpected: none,
  removeExpected: none,
  save: none,
  requestHost: async () => false,
  exportJson: async () => '{}',
  previewImport: async () => {
    throw new Error('no import here');
  },
  applyImport: none,
};
