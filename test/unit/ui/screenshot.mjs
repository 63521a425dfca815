// Screenshots the static UI previews written by preview.test.ts, with Debian's Chromium:
//   npx vitest run --project unit test/unit/ui/preview.test.ts && node test/unit/ui/screenshot.mjs
// PNGs go next to the HTML in test-results/ui-preview/. Never downloads a browser.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright';

const dir = resolve(process.cwd(), 'test-results/ui-preview');
const only = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 760, height: 600 }, deviceScaleFactor: 1 });
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.html'))) {
    if (only.length && !only.some((o) => name.includes(o))) continue;
    await page.goto(pathToFileURL(resolve(dir, name)).href);
    const popup = name.startsWith('popup');
    await page.setViewportSize({ width: popup ? 440 : 760, height: 600 });
    await page.screenshot({ path: resolve(dir, name.replace(/\.html$/, '.png')), fullPage: true, animations: 'disabled' });
    console.log('wrote', name.replace(/\.html$/, '.png'));
  }
} finally {
  await browser.close();
}
