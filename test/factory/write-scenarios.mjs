#!/usr/bin/env node
// Usage: node test/factory/write-scenarios.mjs OUTDIR
// Writes the factory's signed example models (see scenarios.ts) with their verification material.
import { resolve } from 'node:path';
import { loadFactory } from './load.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node test/factory/write-scenarios.mjs OUTDIR');
  process.exit(2);
}
const factory = await loadFactory();
for (const s of factory.writeScenarioModels(resolve(dir))) console.log(`${s.name}\t${s.expect}\t${s.description}`);
