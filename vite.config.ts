// The extension build: `vite build --mode chrome` → dist/chrome, `--mode firefox` → dist/firefox
// (run through `node scripts/build.mjs chrome|firefox`). One manifest.json serves both targets; the
// background key the target does not use is stripped here.
import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { shimAliases } from './scripts/shim-aliases.mjs';

type Target = 'chrome' | 'firefox';

const root = import.meta.dirname;

// Extension pages, built as extra inputs next to what the manifest names.
const PAGES = {
  popup: 'popup/index.html',
  warning: 'extension/pages/warning.html',
  frame: 'extension/pages/frame.html',
  mark: 'extension/pages/mark.html',
  listingMark: 'extension/pages/listing-mark.html',
  checkFiles: 'extension/pages/check-files.html',
  downloads: 'extension/pages/downloads.html',
  history: 'extension/pages/history.html',
  // Chromium only: hosts the verified-download engine (workers, blob URLs) for the service worker.
  offscreen: 'extension/offscreen/offscreen.html',
} as const;

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
    // Firefox runs the download engine in its event page: no offscreen documents there.
    m.permissions = m.permissions.filter((p: string) => p !== 'offscreen');
  }
  m.action.default_popup = PAGES.popup;
  // Only the frame pages the content script embeds, only to the built-in hubs (the static content
  // script matches), and only at the per-session dynamic URL: any other site can neither embed them
  // nor probe chrome-extension://ID/… to detect the extension. Hubs the user adds at run time are not
  // listed (the manifest is fixed at build time): there the content script mounts no frames and the
  // toolbar icon and popup carry the verdict.
  const hubMatches: string[] = m.content_scripts.flatMap((c: { matches: string[] }) => c.matches);
  m.web_accessible_resources = [{ resources: [PAGES.frame, PAGES.mark, PAGES.listingMark], matches: hubMatches, use_dynamic_url: true }];
  // Wording lives in public/_locales (copied by Vite as is).
  m.default_locale = 'en';
  m.name = '__MSG_extName__';
  m.description = '__MSG_extDescription__';
  return m as ManifestV3Export;
}

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  const pages = Object.fromEntries(Object.entries(PAGES).map(([k, p]) => [k, resolve(root, p)]));
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
