// The `modelseal` CLI build: `vite build -c vite.cli.config.ts` (via `node scripts/build.mjs cli`).
// Self-contained ESM files for Node 20: every dependency bundled, only Node built-ins left external,
// and the `crypto`/`util` shim aliases applied so the CLI runs the same adapter as the extension.
//   dist/cli/modelseal.js  the command (shebang, executable)
//   dist/cli/core-lib.js   core functions for benchmarks (built right after, same settings)
// Two builds rather than two inputs, so neither file imports a shared chunk.
import { build, defineConfig, type InlineConfig, type Plugin } from 'vite';
import { chmodSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { shimAliases } from './scripts/shim-aliases.mjs';

const root = import.meta.dirname;
const outDir = resolve(root, 'dist/cli');

/** Adds the shebang if the bundler dropped it and makes the command executable. */
function executable(): Plugin {
  return {
    name: 'modelseal:cli-executable',
    renderChunk(code, chunk) {
      if (chunk.fileName !== 'modelseal.js' || code.startsWith('#!')) return null;
      return { code: `#!/usr/bin/env node\n${code}`, map: null };
    },
    writeBundle() {
      const bin = resolve(outDir, 'modelseal.js');
      if (existsSync(bin)) chmodSync(bin, 0o755);
    },
  };
}

/** Builds the benchmark library after the command, into the same folder. */
function alsoBuildCoreLib(): Plugin {
  return {
    name: 'modelseal:cli-core-lib',
    async closeBundle() {
      await build(cliConfig('extension/cli/core-lib.ts', 'core-lib', false));
    },
  };
}

// `node:*` and Node's other built-ins stay external, except the bare `crypto`/`util` that sigstore-js
// requires: those resolve to the shims through the aliases.
const isExternal = (id: string) => id.startsWith('node:') || (builtinModules.includes(id) && id !== 'crypto' && id !== 'util');

function cliConfig(entry: string, name: string, first: boolean): InlineConfig {
  return {
    configFile: false,
    root,
    resolve: { alias: shimAliases },
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: first,
      target: 'node20',
      minify: false,
      sourcemap: false,
      ssr: true,
      reportCompressedSize: false,
      rollupOptions: {
        input: { [name]: resolve(root, entry) },
        external: isExternal,
        output: { format: 'es', entryFileNames: '[name].js', inlineDynamicImports: true },
      },
    },
    ssr: { noExternal: true, target: 'node' },
    plugins: first ? [executable(), alsoBuildCoreLib()] : [],
  };
}

export default defineConfig(cliConfig('extension/cli/modelseal.ts', 'modelseal', true));
