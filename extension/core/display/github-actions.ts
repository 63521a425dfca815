/**
 * GitHub Actions workflow identities (Fulcio SAN URIs) → repo, workflow and ref, so the UI can show
 * "acme/model · .github/workflows/release.yml · refs/tags/v1" instead of one long URI.
 */
export interface GitHubActionsIdentity {
  host: string;
  owner: string;
  repo: string;
  /** Workflow file path inside the repo, e.g. .github/workflows/release.yml */
  workflow: string;
  /** e.g. refs/heads/main, refs/tags/v1.0 */
  ref: string;
}

// GitHub names: ASCII only, so anything else falls back to raw (flagged) display.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const WORKFLOW = /^\.github\/workflows\/[A-Za-z0-9._/-]{1,200}\.ya?ml$/;
const REF = /^refs\/(?:heads|tags|pull)\/[\x21-\x7e]{1,250}$/;

export function parseGitHubActionsIdentity(identity: string): GitHubActionsIdentity | null {
  if (typeof identity !== 'string' || identity.length > 1024) return null;
  const m = /^https:\/\/(github\.com|[a-z0-9.-]+\.ghe\.com)\/([^/]+)\/([^/]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(identity);
  if (!m) return null;
  const [, host, owner, repo, workflow, ref] = m;
  if (!host || !owner || !repo || !workflow || !ref) return null;
  if (!OWNER.test(owner) || !REPO.test(repo) || !WORKFLOW.test(workflow) || !REF.test(ref)) return null;
  if (workflow.split('/').some((s) => s === '..' || s === '.')) return null;
  return { host, owner, repo, workflow, ref };
}
