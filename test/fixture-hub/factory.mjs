// The project's fixture factory (test/factory), loaded once per process for the plain-JS hub modules
// (they also run outside vitest: demo, bench), so every key signature and tree listing the hub
// serves comes from the same code the factory's own tests prove.
import { loadFactory } from '../factory/load.mjs';

export const factory = await loadFactory();
