/** Untrusted identity text analysis for display, and GitHub Actions identity parsing. */
export { analyseIdentity, codePointLabel, isPlainIdentity, plainLine } from './identity-text.js';
export type { AnalyseOptions, IdentityAnalysis, IdentityFlag, Segment } from './identity-text.js';
export { parseGitHubActionsIdentity } from './github-actions.js';
export type { GitHubActionsIdentity } from './github-actions.js';
export { CONFUSABLES } from './confusables.js';
