/**
 * The UI's view of the core identity analysis (`extension/core/display/`): components depend on this
 * small surface only, so the core can evolve without touching every view.
 */
import { analyseIdentity, parseGitHubActionsIdentity } from '../core/display/index.js';
import type { IdentityAnalysis, IdentityFlag, Segment } from '../core/display/index.js';

export type { IdentityAnalysis, IdentityFlag, Segment };

export const MAX_IDENTITY_CHARS = 160;

export function analyzeIdentity(value: string, maxChars = MAX_IDENTITY_CHARS): IdentityAnalysis {
  return analyseIdentity(value, { maxLength: maxChars });
}

/** Flags worth a warning chip ('empty' is shown as "(none)" instead). */
export function warningFlags(a: IdentityAnalysis): IdentityFlag[] {
  return a.flags.filter((f) => f !== 'empty');
}

export interface GithubActionsIdentity {
  /** owner/name, prefixed by the host when it is not github.com (GitHub Enterprise Cloud). */
  repo: string;
  workflow: string;
  ref: string;
}

/** `https://github.com/OWNER/REPO/.github/workflows/FILE@REF` → its parts; anything else → undefined. */
export function parseGithubActionsIdentity(identity: string): GithubActionsIdentity | undefined {
  const p = parseGitHubActionsIdentity(identity);
  if (!p) return undefined;
  const repo = `${p.owner}/${p.repo}`;
  return { repo: p.host === 'github.com' ? repo : `${p.host}/${repo}`, workflow: p.workflow, ref: p.ref };
}
