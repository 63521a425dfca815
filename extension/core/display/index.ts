/** Untrusted identity text analysis for display, and GitHub Actions identity parsing. */
export { analyseIdentity, codePointLabel, hiddenWhy, isPlainIdentity, plainLine } from './identity-text.js';
export type { AnalyseOptions, HiddenWhy, IdentityAnalysis, IdentityFlag, Segment } from './identity-text.js';
export { parseGitHubActionsIdentity } from './github-actions.js';
export type { GitHubActionsIdentity } from './github-actions.js';
export { CONFUSABLES, lookAlike } from './confusables.js';
