import type { HubTreeItem } from '../factory/index.js';
import type { FixtureFile, FixtureRepo } from './index.d.mts';
export function sha256Hex(bytes: Uint8Array): string;
export function commitSha(label: string): string;
export function file(path: string, bytes: string | Uint8Array, opts?: { lfs?: boolean; lfsOid?: string }): FixtureFile;
export function treeListing(files: FixtureFile[]): HubTreeItem[];
export function repo(def: Record<string, unknown>): FixtureRepo;
