/**
 * The one way to name a hub repo and a revision of it, everywhere: page URLs, messages, the worker's
 * cache, the trust store. Each shape has one key function.
 */
import type { RepoKind } from './hubs/adapter.js';

export type { RepoKind };

export interface RepoRef {
  /** Hub origin, e.g. https://huggingface.co */
  hub: string;
  kind: RepoKind;
  /** owner/name */
  repo: string;
}

export interface RevisionRef extends RepoRef {
  /** Branch, tag, PR ref or commit as the page named it (DEFAULT_REVISION: the default branch head). */
  revision: string;
  /** The commit SHA the revision resolved to, once known. */
  commit?: string;
}

/**
 * The repo's key. Repo ids are case-insensitive on the hub. This is the trust store's persisted key
 * format (`hub|kind|owner/name` lower-cased): changing it would orphan stored pins.
 */
export function repoKey(ref: RepoRef): string {
  return `${ref.hub}|${ref.kind}|${ref.repo.toLowerCase()}`;
}

/** A revision's key: the commit when known (what the verification is about), else the revision as named. */
export function revisionKey(ref: RevisionRef): string {
  return `${repoKey(ref)}@${ref.commit ?? ref.revision}`;
}

/** Just the repo of a ref (drops revision, commit and anything else). */
export function repoOf(ref: RepoRef): RepoRef {
  return { hub: ref.hub, kind: ref.kind, repo: ref.repo };
}
