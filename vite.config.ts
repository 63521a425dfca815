// The extension build: `vite build --mode chrome` → dist/chrome, `--mode firefox` → dist/firefox
// (run through `node scripts/build.mjs chrome|firefox`). One manifest.json serves both targets; the
// background key the target does not use is stripped here.
import { defineConfig, type Plugin } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { shimAliases } from './scripts/shim-aliases.mjs';

type Target = 'chrome' | 'firefox';

const root = import.meta.dirname;
const exists = (p: string) => existsSync(resolve(root, p));
// MODELSEAL_PAGES=0 builds the worker and content script alone (while the pages are being written).
const withPages = process.env.MODELSEAL_PAGES !== '0';

// Extension pages owned by the UI work; wired in when they exist so the shell builds on its own.
const PAGES = {
  popup: 'popup/index.html',
  warning: 'extension/pages/warning.html',
  frame: 'extension/pages/frame.html',
  mark: 'extension/pages/mark.html',
} as const;

/** Locales live in public/_locales (copied as is) or _locales at the root. */
function localesDir(): string | undefined {
  for (const d of ['public/_locales', '_locales']) if (exists(`${d}/en/messages.json`)) return d;
  return undefined;
}

function buildManifest(target: Target): ManifestV3Export {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const m = JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8')) as any;
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };
  m.version = pkg.version;
  if (target === 'chrome') {
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else {
    delete m.background.service_worker;
    delete m.minimum_chrome_version;
  }
  if (withPages && exists(PAGES.popup)) m.action.default_popup = PAGES.popup;
  // Only the frame pages the content script embeds are reachable from hub pages.
  const framePages = withPages ? [PAGES.frame, PAGES.mark].filter(exists) : [];
  // Custom hub endpoints can be any https origin, so the frames match https://*/*; they show nothing
  // but what the worker says about the embedding tab.
  m.web_accessible_resources = framePages.length ? [{ resources: framePages, matches: ['https://*/*'] }] : [];
  const locales = localesDir();
  if (locales) {
    const en = JSON.parse(readFileSync(resolve(root, locales, 'en/messages.json'), 'utf8')) as Record<string, unknown>;
    m.default_locale = 'en';
    if ('extName' in en) m.name = '__MSG_extName__';
    if ('extDescription' in en) m.description = '__MSG_extDescription__';
  }
  return m as ManifestV3Export;
}

/** Copies a root-level `_locales/` into the output (public/_locales is copied by Vite itself). */
function rootLocales(): Plugin {
  return {
    name: 'modelseal:root-locales',
    generateBundle() {
      if (!exists('_locales/en/messages.json')) return;
      for (const lang of readdirSync(resolve(root, '_locales'))) {
        const file = resolve(root, '_locales', lang, 'messages.json');
        if (!existsSync(file)) continue;
        this.emitFile({ type: 'asset', fileName: `_locales/${lang}/messages.json`, source: readFileSync(file) });
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  const pages = Object.fromEntries(Object.entries(PAGES).filter(([, p]) => withPages && exists(p)).map(([k, p]) => [k, resolve(root, p)]));
  return {
    resolve: { alias: shimAliases },
    define: { __MODELSEAL_TARGET__: JSON.stringify(target) },
    plugins: [
      crx({
        manifest: buildManifest(target),
        browser: target,
        // A self-contained IIFE: no loader chunk, nothing extra exposed to hub pages.
        contentScripts: { standaloneFiles: ['content-scripts/hub.ts'] },
      }),
      rootLocales(),
    ],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: target === 'firefox' ? 'firefox128' : 'chrome120',
      minify: true,
      sourcemap: false,
      // Workers cannot import(): keep every module of the worker in static chunks.
      rollupOptions: { input: pages, output: { inlineDynamicImports: false } },
      modulePreload: false,
    },
  };
});
