/**
 * TrustStore: the trust document over injected KeyValueStorage, written through one serialized
 * writer (every change is read-modify-write inside a queue, so concurrent callers from many tabs
 * lose nothing). Records hub checks (decide → pin, history, alert), accepts signers only with the
 * typed repo name, manages expected identities and k, exports and imports validated JSON.
 * Use one TrustStore per storage key: it is that key's only writer.
 */
import { ModelSealError } from '../errors.js';
import type { Clock, KeyValueStorage } from '../env.js';
import { systemClock } from '../env.js';
import type { RevisionCheck } from '../hub/revision-check.js';
import { STATE_TABLE, type Signer, type Verdict } from '../verdict.js';
import { decide, type RepoTrustState } from './decide.js';
import type { PublisherDirectory } from '../publishers/directory.js';
import { createLock } from '../lock/create.js';
import { parsePublicKeyPem } from '../signers/ec-key.js';
import { LIMITS, migrate, parseAlert, parseExpected, parseRepo, parseScope, parseSigner } from './schema.js';
import { expectedFor } from './signer.js';
import { applyAccept, planAccept, type AcceptPlan, type PolicyChoice } from './accept.js';
import { EXPORT_FORMAT, parseImport, planImport, type ImportDiff, type ImportMode, type ImportPreview } from './import.js';
import { emptyDocument, repoKey, type Alert, type ExpectedIdentity, type HistoryEntry, type RepoLock, type RepoRecord, type RepoRef, type TrustDocument } from './types.js';

export const TRUST_STORAGE_KEY = 'modelseal.trust';

export interface TrustStoreOptions {
  key?: string;
  clock?: Clock;
}

/**
 * What verifyRevision needs from the trust layer: public keys the user named for this repo (key-signed
 * bundles can only be verified with them). Sigstore bundles are verified for any identity; decide()
 * then judges the signer.
 */
export interface VerificationPlan {
  publicKeyPems: string[];
  /** Trust anchors for certificate-mode (private CA) signatures. */
  caPems: string[];
}

export type ExpectedIdentityInput =
  | { kind?: 'sigstore'; scope: string; identity: string; issuer: string; glob?: boolean }
  | { kind: 'key'; scope: string; publicKeyPem: string; keyFingerprint?: string }
  | { kind: 'certificate'; scope: string; caPems: string[] };

export class TrustStore {
  private readonly storage: KeyValueStorage;
  private readonly key: string;
  private readonly clock: Clock;
  private queue: Promise<unknown> = Promise.resolve();
  private cache?: TrustDocument;

  constructor(storage: KeyValueStorage, opts: TrustStoreOptions = {}) {
    this.storage = storage;
    this.key = opts.key ?? TRUST_STORAGE_KEY;
    this.clock = opts.clock ?? systemClock;
  }

  /** Current document (validated and migrated copy). A corrupt stored document reads as an error, never as empty. */
  async snapshot(): Promise<TrustDocument> {
    return this.serial(() => this.load());
  }

  /** Applies `fn` to the current document and persists the result, strictly one at a time. */
  update<T>(fn: (doc: TrustDocument) => T): Promise<T> {
    return this.mutate((doc) => ({ value: fn(doc), write: true }));
  }

  /** Turn a revision check into the final Verdict, recording pins, history and alerts. */
  record(check: RevisionCheck, opts: { publishers?: PublisherDirectory } = {}): Promise<Verdict> {
    return this.mutate((doc) => {
      const known = doc.repos[repoKey({ hub: check.hub, kind: check.kind, repo: check.repo })];
      const before = known ? JSON.stringify(known) : undefined;
      const alertsBefore = doc.nextAlertId;
      const rec = this.repoRecord(doc, check);
      const { verdict, newPin } = decide(check, trustStateOf(rec), { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected, ...(opts.publishers ? { publishers: opts.publishers } : {}) });
      if (newPin) rec.pins = [...rec.pins, newPin].slice(-LIMITS.pinsPerRepo);
      // "Seen signed" makes a later unsigned revision an alert: only the default branch head or a
      // trusted signer may set it, or anyone's signed pull request could raise false alarms.
      const trustedSigned = check.atDefaultHead === true || verdict.state === 'verified' || verdict.state === 'verified-first-use';
      if (check.outcome.status === 'signed' && rec.signedSince === undefined && trustedSigned) rec.signedSince = check.checkedAt;
      const signer = 'signature' in verdict && verdict.signature ? verdict.signature.signer : undefined;
      if (check.commit && verdict.state !== 'unverifiable') {
        const entry: HistoryEntry = { commit: check.commit, ...(verdict.subject?.revision ? { revision: verdict.subject.revision } : {}), seenAt: check.checkedAt, state: verdict.state, ...(signer ? { signer } : {}) };
        // One entry per commit: a re-check replaces the older observation.
        rec.history = [...rec.history.filter((h) => h.commit !== check.commit), entry].slice(-LIMITS.historyPerRepo);
      }
      // A first visit whose signing history shows a change offers both signers: the earlier one was
      // verified by the history walk at its own commit, so it counts as seen on this repo (accepting it
      // needs that, and the same typed confirmation).
      const prev = verdict.history?.status === 'read' && verdict.state === 'unpinned-revision' ? verdict.history.changedFrom : undefined;
      if (prev && !rec.history.some((h) => h.commit === prev.commit)) {
        const seen: HistoryEntry = { commit: prev.commit, seenAt: check.checkedAt, state: 'unpinned-revision', signer: prev.signer };
        rec.history = [...rec.history.slice(0, -1), seen, ...rec.history.slice(-1)].slice(-LIMITS.historyPerRepo);
      }
      if (STATE_TABLE[verdict.state].alert && 'failure' in verdict) {
        const dup = doc.alerts.some((a) => repoKey(a) === repoKey(rec) && a.commit === check.commit && a.state === verdict.state);
        if (!dup) {
          const alert: Alert = {
            id: doc.nextAlertId++,
            hub: rec.hub,
            kind: rec.kind,
            repo: rec.repo,
            state: verdict.state,
            at: check.checkedAt,
            read: false,
            reason: verdict.failure.reason,
            // Code and parameters let the UI word the alert in its language (the reason is English).
            code: verdict.failure.code,
            ...(verdict.failure.params ? { params: { ...verdict.failure.params } } : {}),
            ...(check.commit ? { commit: check.commit } : {}),
            ...(signer ? { signer } : {}),
            ...('previousSigners' in verdict ? { previousSigners: verdict.previousSigners } : {}),
          };
          parseAlert(alert, 'alert');
          doc.alerts = [...doc.alerts, alert].slice(-LIMITS.alerts);
        }
      }
      // What is written must read back: hostile values (e.g. an absurdly long identity) fail this
      // one record with STORE_INVALID instead of making the stored document unreadable later.
      // The lock is not changed here and was validated when it was made or read: skip re-reading it
      // (thousands of entries) on every page view.
      const { lock: _unchanged, ...recorded } = rec;
      parseRepo(recorded, 'repo');
      // Re-visiting a known commit with the same outcome changes nothing: skip the write.
      const write = before === undefined || before !== JSON.stringify(rec) || doc.nextAlertId !== alertsBefore;
      return { value: verdict, write };
    });
  }

  /**
   * The user accepts a new signer for a repo (after an identity change). Only with the repo name
   * typed exactly, and only for a signer actually observed on this repo with a valid signature.
   * When a policy names another signer for this repo, `policy` says how to change it (see
   * previewAccept); without it the accept is refused (POLICY_CONFLICT), since a pin alone would not
   * make the repo trust the signer. The plan is recomputed here on the current document.
   */
  acceptSigner(ref: RepoRef, signer: Signer, confirmationText: string, opts: { policy?: PolicyChoice; policyScope?: string } = {}): Promise<AcceptPlan> {
    return this.update((doc) => {
      const s = parseSigner(signer, 'signer');
      if (typeof confirmationText !== 'string' || confirmationText.trim() !== ref.repo) {
        throw new ModelSealError('CONFIRMATION_MISMATCH', 'type the repo name exactly to accept the new signer');
      }
      const now = this.clock.now();
      const plan = planAccept(doc, ref, s, now);
      applyAccept(doc, ref, plan, opts.policy, now, opts.policyScope);
      return plan;
    });
  }

  /** What acceptSigner would change (pin, policy), for the user to see before typing the repo name. */
  async previewAccept(ref: RepoRef, signer: Signer): Promise<AcceptPlan> {
    return planAccept(await this.snapshot(), ref, parseSigner(signer, 'signer'), this.clock.now());
  }

  /**
   * "Lock this version": the user locks a repo to this revision's signed content. Only a revision
   * that decide() calls verified on its own (a trusted signer, every file checked and matching, no
   * current lock consulted, so a lock can be moved to a newer verified revision) and that is signed
   * by one repo-wide signature. Refused with LOCK_INVALID otherwise; nothing changes.
   */
  lockRevision(check: RevisionCheck): Promise<RepoLock> {
    return this.update((doc) => {
      const ref = { hub: check.hub, kind: check.kind, repo: check.repo };
      const rec = doc.repos[repoKey(ref)];
      if (!rec || !check.commit) throw new ModelSealError('LOCK_INVALID', 'this repo has not been verified yet');
      const { lock: _current, ...unlocked } = trustStateOf(rec);
      const { verdict } = decide(check, unlocked, { signersPerRepo: doc.settings.signersPerRepo, expected: doc.expected });
      if (verdict.state !== 'verified') throw new ModelSealError('LOCK_INVALID', `only a verified revision signed by a trusted signer can be locked (this one is ${verdict.state})`);
      const out = check.outcome;
      const only = out.status === 'signed' && out.signatures?.length === 1 ? out.signatures[0] : undefined;
      if (!only || only.scope.kind !== 'repo' || !only.content) throw new ModelSealError('LOCK_INVALID', 'only a revision signed by one repo-wide signature can be locked');
      if (!rec.lock && Object.values(doc.repos).filter((r) => r.lock).length >= LIMITS.locks) throw new ModelSealError('STORE_INVALID', `at most ${LIMITS.locks} repos can be locked`);
      const document = createLock({ ...ref, commit: check.commit, evidence: only.evidence, content: only.content });
      rec.lock = { lockedAt: this.clock.now(), document };
      // What is written must read back (the lock's size limits included).
      parseRepo(rec, 'repo');
      return rec.lock;
    });
  }

  removeLock(ref: RepoRef): Promise<void> {
    return this.update((doc) => {
      const rec = doc.repos[repoKey(ref)];
      if (rec) delete rec.lock;
    });
  }

  removePin(ref: RepoRef): Promise<void> {
    return this.update((doc) => {
      const rec = doc.repos[repoKey(ref)];
      if (rec) {
        rec.pins = [];
        delete rec.signedSince;
      }
    });
  }

  /** Adds or replaces the policy for a scope (`owner/name` or `owner/*`). A `*` in an identity makes it a glob unless `glob` says otherwise. */
  setExpected(input: ExpectedIdentityInput): Promise<void> {
    return this.update((doc) => {
      const e = parseExpected(
        { glob: 'identity' in input && typeof input.identity === 'string' ? input.identity.includes('*') : undefined, kind: 'sigstore', ...input, createdAt: this.clock.now() },
        'policy',
      );
      // A key policy names its key by fingerprint, so signers are compared by it (and a bad PEM fails here).
      if (e.kind === 'key') e.keyFingerprint = parsePublicKeyPem(e.publicKeyPem).fingerprint;
      if (doc.expected.length >= LIMITS.expected) throw new ModelSealError('STORE_INVALID', 'too many policies');
      // One policy per scope and kind: setting again replaces.
      doc.expected = [...doc.expected.filter((x) => !(x.scope.toLowerCase() === e.scope.toLowerCase() && x.kind === e.kind)), e];
    });
  }

  removeExpected(scope: string): Promise<void> {
    return this.update((doc) => {
      const s = parseScope(scope, 'scope').toLowerCase();
      doc.expected = doc.expected.filter((x) => x.scope.toLowerCase() !== s);
    });
  }

  setSignersPerRepo(k: number): Promise<void> {
    if (!Number.isInteger(k) || k < 1 || k > LIMITS.signersPerRepo) {
      return Promise.reject(new ModelSealError('STORE_INVALID', `signers per repo must be 1..${LIMITS.signersPerRepo}`));
    }
    return this.update((doc) => {
      doc.settings.signersPerRepo = k;
    });
  }

  async alerts(): Promise<{ alerts: Alert[]; unread: number }> {
    const doc = await this.snapshot();
    return { alerts: [...doc.alerts].reverse(), unread: doc.alerts.filter((a) => !a.read).length };
  }

  /**
   * A transparency log showed two trees of one size while this repo's signature was checked. Not a
   * verdict of the repo, but red and loud all the same: one alert per distinct equivocation (the
   * reason names the log and both checkpoints). Resolves to whether an alert was added.
   */
  logAlert(about: RepoRef & { commit?: string }, failure: { code: 'LOG_EQUIVOCATION'; reason: string }): Promise<boolean> {
    return this.mutate((doc) => {
      if (doc.alerts.some((a) => a.code === failure.code && a.reason === failure.reason)) return { value: false, write: false };
      const alert: Alert = {
        id: doc.nextAlertId++,
        hub: about.hub,
        kind: about.kind,
        repo: about.repo,
        state: 'invalid-signature',
        at: this.clock.now(),
        read: false,
        reason: failure.reason,
        code: failure.code,
        ...(about.commit ? { commit: about.commit } : {}),
      };
      parseAlert(alert, 'alert');
      doc.alerts = [...doc.alerts, alert].slice(-LIMITS.alerts);
      return { value: true, write: true };
    });
  }

  markAlertsRead(ids?: readonly number[]): Promise<void> {
    return this.update((doc) => {
      for (const a of doc.alerts) if (!ids || ids.includes(a.id)) a.read = true;
    });
  }

  async repo(ref: RepoRef): Promise<RepoRecord | undefined> {
    return (await this.snapshot()).repos[repoKey(ref)];
  }

  /** What verifyRevision needs for this repo (keys from key policies). */
  async plan(ref: RepoRef): Promise<VerificationPlan> {
    return planFor(ref.repo, (await this.snapshot()).expected);
  }

  async exportJson(): Promise<string> {
    const doc = await this.snapshot();
    return JSON.stringify({ format: EXPORT_FORMAT, exportedAt: this.clock.now(), document: doc }, null, 2);
  }

  /** What importing this file would change, merged or replacing. Changes nothing; a bad file throws STORE_INVALID. */
  async previewImport(json: string): Promise<ImportPreview> {
    const incoming = parseImport(json);
    const doc = await this.snapshot();
    return { merge: planImport(doc, incoming, 'merge').diff, replace: planImport(doc, incoming, 'replace').diff };
  }

  /**
   * Applies an import the user previewed. The change is recomputed on the current document and must
   * be the one previewed (`previewId`, else PREVIEW_MISMATCH), and typed-confirmed when it needs it
   * (CONFIRMATION_MISMATCH). A refusal changes nothing.
   */
  applyImport(json: string, opts: { mode: ImportMode; confirmation?: string; previewId: string }): Promise<ImportDiff> {
    let incoming: TrustDocument;
    try {
      incoming = parseImport(json);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.mutate((doc) => {
      const { next, diff } = planImport(doc, incoming, opts.mode);
      if (typeof opts.previewId !== 'string' || diff.id !== opts.previewId) {
        throw new ModelSealError('PREVIEW_MISMATCH', 'the trust data changed since this import was previewed: preview it again');
      }
      if (diff.confirmation !== undefined && (typeof opts.confirmation !== 'string' || opts.confirmation.trim() !== diff.confirmation)) {
        throw new ModelSealError('CONFIRMATION_MISMATCH', `type "${diff.confirmation}" to confirm this import`);
      }
      Object.assign(doc, next);
      return { value: diff, write: true };
    });
  }

  // --- internals ---------------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Read-modify-write inside the queue; `fn` works on a private copy, so a throw changes nothing. */
  private mutate<T>(fn: (doc: TrustDocument) => { value: T; write: boolean }): Promise<T> {
    return this.serial(async () => {
      const doc = await this.load();
      const { value, write } = fn(doc);
      if (write) {
        await this.storage.set(this.key, doc);
        this.cache = doc;
      }
      return value;
    });
  }

  /**
   * The validated document, as a private copy. After the first read the store keeps its own last
   * written version (it is the only writer of its key), so each change costs a copy, not a re-parse.
   */
  private async load(): Promise<TrustDocument> {
    if (this.cache) return structuredClone(this.cache);
    const raw = await this.storage.get(this.key);
    // Round-trip through the validator: storage may hold an older version or a damaged value.
    const doc = raw === undefined || raw === null ? emptyDocument() : migrate(structuredClone(raw));
    this.cache = doc;
    return structuredClone(doc);
  }

  private repoRecord(doc: TrustDocument, check: RevisionCheck): RepoRecord {
    const ref = { hub: check.hub, kind: check.kind, repo: check.repo };
    const key = repoKey(ref);
    let rec = doc.repos[key];
    if (!rec) {
      // A renamed repo keeps what was trusted under its old name (the hub itself told us of the rename).
      const old = check.renamedFrom ? doc.repos[repoKey({ ...ref, repo: check.renamedFrom })] : undefined;
      rec = { hub: check.hub, kind: check.kind, repo: check.repo, pins: old ? [...old.pins] : [], history: old ? [...old.history] : [] };
      if (old?.signedSince !== undefined) rec.signedSince = old.signedSince;
      if (Object.keys(doc.repos).length >= LIMITS.repos) {
        // Forget the least recently seen repo rather than refuse to record.
        const oldest = Object.entries(doc.repos).sort((a, b) => lastSeen(a[1]) - lastSeen(b[1]))[0];
        if (oldest) delete doc.repos[oldest[0]];
      }
      doc.repos[key] = rec;
    }
    return rec;
  }
}

/** What decide() reads from a repo's record. */
function trustStateOf(rec: RepoRecord): RepoTrustState {
  return { pins: rec.pins, ...(rec.signedSince !== undefined ? { signedSince: rec.signedSince } : {}), ...(rec.lock ? { lock: rec.lock.document } : {}) };
}

function lastSeen(r: RepoRecord): number {
  return r.history.at(-1)?.seenAt ?? r.pins.at(-1)?.since ?? 0;
}

export function planFor(repo: string, expected: readonly ExpectedIdentity[]): VerificationPlan {
  const scoped = expectedFor(repo, expected);
  return {
    publicKeyPems: scoped.flatMap((e) => (e.kind === 'key' ? [e.publicKeyPem] : [])),
    caPems: scoped.flatMap((e) => (e.kind === 'certificate' ? e.caPems : [])),
  };
}
