/**
 * Download-guard and hub-redirect attacks, end to end: the built dist/chrome in Debian's Chromium
 * against the fixture hub (context.route, no network), plus two local servers:
 * - "another origin" (plain HTTP on 127.0.0.1): Playwright does not route the follow-up hop of a
 *   redirect, so a real server is the only sure witness that nothing was sent there;
 * - the same fixture hub over TLS, which huggingface.co resolves to (--host-resolver-rules), for what
 *   Playwright does not route: downloads the extension starts itself, and requests a test lets
 *   through with route.continue() so they can be streamed slowly (a pause must land before the end).
 *
 * Findings: 4 (downloads through redirectors, hub aliases and legacy URLs), 5 (allowed downloads
 * must come from the verified commit, not a branch that moved), 9 (synthetic clicks and download
 * floods from page scripts), 12 (an API redirect to another origin must not be followed).
 *
 * MODELSEAL_E2E_DIST points it at another build (to show the attacks against an older one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page, Route } from 'playwright';
import { launchWithExtension, extensionPage, send, waitForFinalState, DIST } from '../fixture-hub/browser.mjs';
import { installFixtureHub, hubFetch, HUB } from '../fixture-hub/hub.mjs';
import { buildScenarios, hasShared } from '../fixture-hub/scenarios.mjs';
import type { FixtureHub, Launched } from '../fixture-hub/index.d.mts';

const dist = process.env.MODELSEAL_E2E_DIST ? resolve(process.env.MODELSEAL_E2E_DIST) : DIST;

interface Dl { id: number; url: string; finalUrl: string; state: string; totalBytes: number; fileSize: number; bytesReceived: number; error?: string }

if (!hasShared()) {
  console.log('e2e: ../shared/fixtures/oms-real not found: download attack tests not registered');
} else {
  describe('download and redirect attacks (dist/chrome, fixture hub)', () => {
    let b: Launched;
    let hub: FixtureHub;
    let extPage: Page;
    let server: Server;
    let tls: Server;
    /** Paths the TLS hub served (what Playwright did not route). */
    const tlsHits: string[] = [];
    let offOrigin = '';
    /** Requests that reached the stand-in "other origin" (a real server) and the routed ones. */
    const offHits: string[] = [];
    const evilHits: string[] = [];
    const built = buildScenarios();
    const signed = built.repos.find((r) => r.id === 'ibm-fixture/sigstore-signed');
    const changed = `${HUB}/ibm-fixture/lfs-changed/resolve/main/signme-1?download=true`;

    beforeAll(async () => {
      if (!existsSync(resolve(dist, 'manifest.json'))) throw new Error(`${dist} is missing: run \`node scripts/build.mjs chrome\` first`);
      server = createServer((req, res) => {
        offHits.push(`${req.method} ${req.url}`);
        if (req.url?.startsWith('/slow/')) {
          // A download that takes its time (Playwright names downloads itself, so Chromium's filename
          // hold never comes and a tiny routed body would finish before any pause could land).
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${req.url.slice(6)}"`, 'content-length': String(64 << 20) });
          const timer = setInterval(() => res.write(Buffer.alloc(16 << 10, 0x42)), 100);
          res.on('close', () => clearInterval(timer));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        res.end('{"sha":"0000000000000000000000000000000000000000"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      offOrigin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

      // The hub over TLS (self-signed; the browser is told to accept it).
      const dir = mkdtempSync(join(tmpdir(), 'modelseal-e2e-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=huggingface.co', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      let fetchHub: (url: string) => Promise<Response> = async () => new Response('not ready', { status: 503 });
      tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
        const path = req.url ?? '/';
        tlsHits.push(path);
        if (path.includes('/resolve/main/')) {
          // A branch that moved: other bytes, streamed slowly.
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="moved.bin"', 'content-length': String(64 << 20) });
          const timer = setInterval(() => res.write(Buffer.alloc(16 << 10, 0x42)), 100);
          res.on('close', () => clearInterval(timer));
          return;
        }
        void fetchHub(`${HUB}${path}`).then(async (r) => {
          const headers: Record<string, string> = {};
          r.headers.forEach((v, k) => (headers[k] = v));
          res.writeHead(r.status, headers);
          res.end(Buffer.from(await r.arrayBuffer()));
        });
      });
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      const tlsAddr = tls.address();
      const tlsPort = typeof tlsAddr === 'object' && tlsAddr ? tlsAddr.port : 0;

      b = await launchWithExtension({ dist, extraArgs: [`--host-resolver-rules=MAP huggingface.co 127.0.0.1:${tlsPort}`, '--ignore-certificate-errors'] });
      hub = await installFixtureHub(b.context, built.repos);
      // installFixtureHub's hub has the route handler (the .d.mts type leaves it out).
      fetchHub = hubFetch(hub as Parameters<typeof hubFetch>[0]) as (url: string) => Promise<Response>;
      // A third-party redirector and hub aliases. Real hf.co and www. redirect to huggingface.co.
      await b.context.route('https://evil.example/**', async (route: Route) => {
        const u = new URL(route.request().url());
        evilHits.push(u.pathname + u.search);
        const to = u.searchParams.get('to');
        if (u.pathname === '/r' && to) return route.fulfill({ status: 302, headers: { Location: to } });
        return route.fulfill({ status: 200, contentType: 'application/json', body: '{"sha":"0000000000000000000000000000000000000000"}' });
      });
      for (const alias of ['https://hf.co', 'https://www.huggingface.co']) {
        await b.context.route(`${alias}/**`, (route: Route) => {
          const u = new URL(route.request().url());
          return route.fulfill({ status: 307, headers: { Location: `${HUB}${u.pathname}${u.search}` } });
        });
      }
      // Plain http to the hub's host: served as is (a network attacker's or a downgrade's answer).
      await b.context.route('http://huggingface.co/**', (route: Route) =>
        route.fulfill({ status: 200, contentType: 'application/octet-stream', headers: { 'Content-Disposition': 'attachment; filename="x.bin"' }, body: 'http bytes' }),
      );
      extPage = await extensionPage(b.context, b.extensionId);
    });

    afterAll(async () => {
      await b?.context.close();
      await new Promise((r) => server?.close(r));
      tls?.closeAllConnections();
      await new Promise((r) => tls?.close(r));
    });

    const downloads = (urlRegex: string): Promise<Dl[]> =>
      b.worker.evaluate(
        async (re) =>
          (await (globalThis as unknown as { chrome: { downloads: { search(q: object): Promise<Dl[]> } } }).chrome.downloads.search({ urlRegex: re })).map((d) => ({
            id: d.id, url: d.url, finalUrl: d.finalUrl, state: d.state, totalBytes: d.totalBytes, fileSize: d.fileSize, bytesReceived: d.bytesReceived, error: d.error,
          })),
        urlRegex,
      );

    const warningPages = () => b.context.pages().filter((p) => p.url().includes('/extension/pages/warning.html'));

    /** Starts something that should end in a warning; returns the pending request, then cancels it. */
    async function expectWarning(start: () => Promise<unknown>) {
      const opened = b.context.waitForEvent('page', { predicate: (p) => p.url().includes('warning.html'), timeout: 20_000 });
      await start();
      const warning = await opened;
      const requestId = new URL(warning.url()).searchParams.get('request') ?? '';
      const pending = await send(extPage, { type: 'download/pending', requestId });
      expect(await send(extPage, { type: 'download/decision', requestId, proceed: false })).toMatchObject({ ok: true, value: true });
      await warning.close().catch(() => undefined);
      return pending.value as { url: string; source: string; check: { allow: boolean; verdict: { state: string; failure?: { code: string } }; file?: { path: string } } };
    }

    /** A plain hub-like page at `path` (any hub path the fixture does not know), with `body` HTML. */
    async function hubPage(path: string, body: string): Promise<Page> {
      await b.context.route(`${HUB}${path}`, (route: Route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: `<!doctype html><html><body>${body}</body></html>` }));
      const page = await b.context.newPage();
      await page.goto(`${HUB}${path}`);
      return page;
    }

    // --- finding 12 -----------------------------------------------------------------------------

    it('finding 12: a revision API 307 to another origin is refused and that origin receives no request', async () => {
      const apiHits = () => offHits.filter((h) => h.includes('/api/'));
      const before = { off: apiHits().length, evil: evilHits.length };
      for (const [repoId, target] of [
        ['attack/api-off-origin', `${offOrigin}/api/models/attack/api-off-origin/revision/main`],
        ['attack/api-evil', 'https://evil.example/api/models/attack/api-evil/revision/main'],
      ] as const) {
        // Both the repo info answer (a page without a revision) and the revision answer redirect.
        const api = `${HUB}/api/models/${repoId}`;
        await b.context.route((u: URL) => u.href === api || u.href.startsWith(`${api}/`) || u.href.startsWith(`${api}?`), (route: Route) =>
          route.fulfill({ status: 307, headers: { Location: target }, body: `Temporary Redirect. Redirecting to ${target}` }),
        );
        const page = await hubPage(`/${repoId}`, `<h1>${repoId}</h1>`);
        const s = await waitForFinalState(b.worker, page);
        // Give a follow-up hop time to land, then count: nothing reached the other origin…
        await new Promise((r) => setTimeout(r, 1000));
        expect(apiHits().slice(before.off)).toEqual([]);
        expect(evilHits.slice(before.evil)).toEqual([]);
        // …and the page says why it could not verify.
        expect(s.verdict.state).toBe('unverifiable');
        expect(s.verdict.failure.code).toBe('RESPONSE_MALFORMED');
        await page.close();
      }
    });

    it('finding 12: a file fetch (/resolve/) redirected off the hub and its storage is refused unsent', async () => {
      const before = offHits.filter((h) => h.includes(' /file/')).length;
      // Every file of this repo the worker fetches answers 302 to the other origin.
      await b.context.route(`${HUB}/ibm-fixture/extra-file/resolve/**`, (route: Route) => {
        const name = new URL(route.request().url()).pathname.split('/').pop() ?? 'x';
        return route.fulfill({ status: 302, headers: { Location: `${offOrigin}/file/${name}` } });
      });
      const page = await b.context.newPage();
      await page.goto(`${HUB}/ibm-fixture/extra-file`);
      const s = await waitForFinalState(b.worker, page);
      await new Promise((r) => setTimeout(r, 1000));
      expect(offHits.filter((h) => h.includes(' /file/')).length).toBe(before);
      expect(s.verdict.state).not.toMatch(/^verified/);
      await page.close();
    });

    it('finding 12: a renamed repo still works: the hub redirects its page, and the page names the new repo', async () => {
      // Old name: page and API both answer 307 within the hub, as the Hub does. The page's next hop
      // goes to the TLS hub; the worker never follows the API redirect (the browser hides its target).
      await b.context.route(`${HUB}/attack/old-name`, (route: Route) => route.fulfill({ status: 307, headers: { Location: `${HUB}/ibm-fixture/sigstore-signed` } }));
      await b.context.route(`${HUB}/api/models/attack/old-name/**`, (route: Route) =>
        route.fulfill({ status: 307, headers: { Location: '/api/models/ibm-fixture/sigstore-signed/revision/main' } }),
      );
      const page = await b.context.newPage();
      await page.goto(`${HUB}/attack/old-name`);
      expect(page.url()).toBe(`${HUB}/ibm-fixture/sigstore-signed`);
      const s = await waitForFinalState(b.worker, page);
      expect(s.verdict.subject.repo).toBe('ibm-fixture/sigstore-signed');
      expect(['verified', 'verified-first-use']).toContain(s.verdict.state);
      await page.close();
    });

    // --- finding 4 ------------------------------------------------------------------------------

    it('finding 4: a third-party redirector to a hub file is judged by the URL the bytes come from', async () => {
      const page = await b.context.newPage();
      const p = await expectWarning(() => page.goto(`https://evil.example/r?to=${encodeURIComponent(changed)}`).catch(() => undefined));
      expect(p.source).toBe('browser');
      expect(p.check).toMatchObject({ allow: false, verdict: { state: 'files-changed' }, file: { path: 'signme-1' } });
      await page.close();
    });

    it('finding 4: hf.co, www.huggingface.co and http://huggingface.co are the hub', async () => {
      const page = await b.context.newPage();
      for (const alias of ['https://hf.co', 'https://www.huggingface.co']) {
        const p = await expectWarning(() => page.goto(changed.replace(HUB, alias)).catch(() => undefined));
        expect(p.check, alias).toMatchObject({ allow: false, verdict: { state: 'files-changed' } });
      }
      const p = await expectWarning(() => page.goto(changed.replace('https:', 'http:')).catch(() => undefined));
      expect(p.check).toMatchObject({ allow: false, verdict: { state: 'files-changed' } });
      await page.close();
    });

    it('finding 4: a legacy single-name repo URL (/gpt2/resolve/main/…) is held, not waved through', async () => {
      await b.context.route(`${HUB}/gpt2/resolve/**`, (route: Route) =>
        route.fulfill({ status: 200, contentType: 'application/octet-stream', headers: { 'Content-Disposition': 'attachment; filename="model.safetensors"' }, body: 'legacy bytes' }),
      );
      const page = await b.context.newPage();
      const p = await expectWarning(() => page.goto(`${HUB}/gpt2/resolve/main/model.safetensors?download=true`).catch(() => undefined));
      expect(p.check.allow).toBe(false);
      await page.close();
    });

    // --- finding 5 ------------------------------------------------------------------------------

    it('finding 5: an allowed download is fetched from /resolve/<verified commit>/, never from the moved branch', async () => {
      expect(signed).toBeDefined();
      const page = await b.context.newPage();
      await page.goto(`${HUB}/ibm-fixture/sigstore-signed`);
      const s = await waitForFinalState(b.worker, page);
      expect(['verified', 'verified-first-use']).toContain(s.verdict.state);
      const commit = s.verdict.subject.commit as string;
      expect(commit).toMatch(/^[0-9a-f]{40}$/);
      const size = (name: string) => signed?.commits.get(commit)?.files.find((f) => f.path === name)?.bytes.length;

      // `main` moves after the check: from now on the branch serves other bytes. Requests for it go
      // on to the TLS hub, which streams them (slowly: a download of them can still be stopped).
      const branchHits: string[] = [];
      await b.context.route(`${HUB}/ibm-fixture/sigstore-signed/resolve/main/**`, (route: Route) => {
        branchHits.push(route.request().url());
        return route.continue();
      });
      const served = () => tlsHits.filter((h) => h.startsWith('/ibm-fixture/sigstore-signed/resolve/'));

      // A signed file becomes a verified download: the engine fetches the commit URL, hashes it, and
      // hands the browser a copy only when it matches. Its status and kept size, by path:
      const verified = async (name: string) =>
        ((await send(extPage, { type: 'verified/list' })).value as Array<{ path: string; status: string; url: string; downloadId?: number }>).filter((d) => d.path === name);
      const keptSize = async (name: string) => {
        const [d] = await verified(name);
        if (d?.status !== 'done' || d.downloadId === undefined) return undefined;
        const [item] = await b.worker.evaluate(async (id) => (await (globalThis as unknown as { chrome: { downloads: { search(q: object): Promise<Dl[]> } } }).chrome.downloads.search({ id })).map((x) => ({ fileSize: x.fileSize, state: x.state })), d.downloadId);
        return item?.state === 'complete' ? item.fileSize : undefined;
      };
      // A click: the worker starts the commit URL; the branch is never asked.
      await page.locator('a[href*="/resolve/"][href*="signme-1"]').click();
      await expect.poll(() => keptSize('signme-1'), { timeout: 20_000 }).toBe(size('signme-1'));
      expect((await verified('signme-1')).map((d) => d.url)).toEqual([expect.stringContaining(`/resolve/${commit}/signme-1`)]);
      expect(branchHits).toEqual([]);
      expect(served()).toEqual([`/ibm-fixture/sigstore-signed/resolve/${commit}/signme-1?download=true`]);

      // Started another way through the branch: that download is dropped and the commit's file fetched.
      await page.goto(`${HUB}/ibm-fixture/sigstore-signed/resolve/main/signme-2?download=true`).catch(() => undefined);
      await expect.poll(() => keptSize('signme-2'), { timeout: 20_000 }).toBe(size('signme-2'));
      expect(branchHits.length).toBe(1); // the browser did start on the branch…
      // …and that copy is not kept.
      await expect.poll(async () => (await downloads('sigstore-signed/resolve/main/signme-2')).map((d) => d.state), { timeout: 10_000 }).toEqual(['interrupted']);
      expect(served()).toEqual([
        `/ibm-fixture/sigstore-signed/resolve/${commit}/signme-1?download=true`,
        '/ibm-fixture/sigstore-signed/resolve/main/signme-2?download=true',
        `/ibm-fixture/sigstore-signed/resolve/${commit}/signme-2?download=true`,
      ]);
      await page.close();
    });

    // --- finding 9 ------------------------------------------------------------------------------

    it('finding 9: six synthetic a.click() calls open no warning and fetch nothing; a real click still warns', async () => {
      const warningsBefore = warningPages().length;
      const resolveBefore = hub.stats.byRepo.get('ibm-fixture/lfs-changed')?.resolve ?? 0;
      const page = await hubPage('/attack/clicker', `<h1>clicker</h1><a id="dl" href="${changed.replace('signme-1', 'signme-2')}">download</a>`);
      await page.evaluate(() => {
        const a = document.getElementById('dl') as HTMLAnchorElement;
        for (let i = 0; i < 6; i++) a.click();
      });
      await new Promise((r) => setTimeout(r, 3000));
      expect(warningPages().length).toBe(warningsBefore);
      expect(hub.stats.byRepo.get('ibm-fixture/lfs-changed')?.resolve ?? 0).toBe(resolveBefore);
      expect(await downloads('lfs-changed/resolve/.*signme-2')).toEqual([]);
      // Control: the user's own click on the same link is held and warned about, once.
      const p = await expectWarning(() => page.locator('#dl').click());
      expect(p).toMatchObject({ source: 'click', check: { allow: false } });
      await page.close();
    });

    it('finding 9: a page script starting the same download six times gets one warning, and none of the copies', async () => {
      const page = await hubPage('/attack/flooder', '<h1>flooder</h1>');
      const before = warningPages().length;
      const url = changed.replace('signme-1', 'ignore-me');
      // Let these through to the TLS hub, which streams them slowly (so they can still be stopped).
      await b.context.route(`${HUB}/ibm-fixture/lfs-changed/resolve/main/ignore-me*`, (route: Route) => route.continue());
      await page.evaluate((u) => {
        for (let i = 0; i < 6; i++) {
          const f = document.createElement('iframe');
          f.src = u;
          document.body.append(f);
        }
      }, url);
      await expect.poll(() => warningPages().length - before, { timeout: 20_000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 3000));
      expect(warningPages().length - before).toBe(1);
      // None went through: every copy is paused (the one being asked about) or cancelled.
      const states = (await downloads('lfs-changed/resolve/main/ignore-me')).map((d) => d.state);
      expect(states.length).toBeGreaterThan(0);
      expect(states.filter((st) => st === 'complete')).toEqual([]);
      for (const w of warningPages()) await w.close();
      await page.close();
    });
  });
}
