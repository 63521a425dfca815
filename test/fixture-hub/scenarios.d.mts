import type { KeySigner } from '../factory/index.js';
import type { FixtureFile, FixtureRepo, Scenario } from './index.d.mts';
export const SHARED: string;
export const OMS_REAL: string;
export const MAX_SIGNED_FILES: number;
export function hasShared(): boolean;
export interface SigningKey { signer: KeySigner; pem: string; fingerprint: string }
export function fixtureKey(seed?: string): SigningKey;
export function keySignedFiles(key: SigningKey, n: number, name?: string): FixtureFile[];
export interface SkippedScenario { name: string; why: string }
export const SIGSTORE_ONLY: SkippedScenario[];
export function buildScenarios(opts?: { shared?: boolean }): { repos: FixtureRepo[]; scenarios: Scenario[]; key: SigningKey; skipped: SkippedScenario[] };
export const SIGSTORE_IDENTITY: string;
export const SIGSTORE_ISSUER: string;
