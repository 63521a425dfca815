import type { FixtureRepo } from './index.d.mts';
import type { SigningKey } from './scenarios.d.mts';
export const HISTORY_REPOS: { sameSigner: string; signerChange: string; removal: string; long: string; rateLimited: string };
export function historyRepos(key: SigningKey): FixtureRepo[];

