/**
 * Step 1, resolve: the revision as asked → its commit (following a rename) and tree. A page naming
 * no revision (DEFAULT_REVISION) is the default branch: its head comes from the repo info endpoint,
 * and only then is the commit known to be the default head (the only one that may pin on first use).
 */
import type { HubClient, TreeFile } from '../../hubs/adapter.js';
import type { RepoKind } from '../../hubs/adapter.js';
import { DEFAULT_REVISION } from '../revision-check.js';

export interface ResolvedRevision {
  /** Repo id after renames. */
  repo: string;
  renamedFrom?: string;
  commit: string;
  /** Set (true) only when the revision asked for was the default branch. */
  atDefaultHead?: true;
  defaultBranch?: string;
  tree: TreeFile[];
}

/** Throws the hub's failure (a ModelSealError with its code). */
export async function resolveRevision(client: HubClient, kind: RepoKind, repo: string, revision: string): Promise<ResolvedRevision> {
  const atDefault = revision === DEFAULT_REVISION;
  const resolved = atDefault ? await client.resolveDefaultHead(kind, repo) : await client.resolveRevision(kind, repo, revision);
  const out: ResolvedRevision = { repo: resolved.repo, commit: resolved.commit, tree: [] };
  if (resolved.renamedFrom) out.renamedFrom = resolved.renamedFrom;
  if (atDefault) {
    out.atDefaultHead = true;
    const named = (resolved as { defaultBranch?: string }).defaultBranch;
    if (named) out.defaultBranch = named;
  }
  out.tree = await client.listTree(kind, out.repo, out.commit);
  return out;
}
