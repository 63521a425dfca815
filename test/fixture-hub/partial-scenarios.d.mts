import type { FixtureRepo, Scenario } from './index.d.mts';

/** Whether ../shared/fixtures/hf-real (OpenAI's real subfolder signature) is present. */
export function hasHfReal(): boolean;
export function partialSignatureRepos(key: unknown): FixtureRepo[];
export function partialSignatureScenarios(visit: unknown, keyPolicy: unknown): Scenario[];
