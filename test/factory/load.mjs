// Loads the fixture factory from plain Node scripts (fixture hub, demo, bench), which cannot import
// TypeScript: each test/factory/*.ts module is transpiled with the project's TypeScript into
// node_modules/.cache/modelseal-factory/ (so package imports resolve) and index.js is imported.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** @returns {Promise<typeof import('./index.ts')>} */
export async function loadFactory() {
  const out = join(root, 'node_modules', '.cache', 'modelseal-factory');
  mkdirSync(out, { recursive: true });
  // Write-then-rename so concurrent loaders never import a half-written module.
  const put = (file, text) => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  };
  put(join(out, 'package.json'), '{ "type": "module" }\n');
  for (const name of readdirSync(here)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.d.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(join(here, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: name,
    });
    put(join(out, name.replace(/\.ts$/, '.js')), outputText);
  }
  return import(pathToFileURL(join(out, 'index.js')).href);
}
