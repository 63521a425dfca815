import type { FixtureRepo } from './index.d.mts';
export const HF_REAL: string;
export function hasHfReal(): boolean;
export const ORIGINAL: string;
export const EXACT_COPY: string;
export const REQUANT_COPY: string;
export const UNSLOTH_COPY: string;
export function publisherRepos(): { rootDigests: { ibm: string; unsloth: string }; repos: FixtureRepo[] };
