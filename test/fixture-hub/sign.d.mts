import type { KeyObject } from 'node:crypto';
import type { FixtureFile } from './index.d.mts';
export interface NewSigningKey { privateKey: KeyObject; publicKey: KeyObject; pem: string; fingerprint: string }
export function newSigningKey(): NewSigningKey;
export function pae(type: string, payload: Uint8Array): Buffer;
export function statementFor(name: string, files: FixtureFile[], ignorePaths?: string[]): Record<string, unknown>;
export function keySignedBundle(key: NewSigningKey, name: string, files: FixtureFile[], ignorePaths?: string[]): Buffer;
