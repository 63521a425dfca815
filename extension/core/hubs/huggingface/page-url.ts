/**
 * Hugging Face page URL → which repo (and revision) the page is about, from the URL alone. Pure and
 * tiny: the content script imports it, so no other core code is pulled in here.
 */

import type { HubPage, RepoKind } from '../adapter.js';

export type { HubPage, PageView, RepoKind } from '../adapter.js';

// First path segments that are hub sections, never an owner name.
const RESERVED = new Set([
  'api', 'docs', 'settings', 'spaces', 'models', 'datasets', 'organizations', 'collections', 'papers',
  'blog', 'login', 'logout', 'join', 'pricing', 'enterprise', 'new', 'new-dataset', 'new-space',
  'new-collection', 'tasks', 'learn', 'chat', 'posts', 'search', 'notifications', 'inference-endpoints',
  'inference', 'welcome', 'billing', 'oauth', 'privacy', 'terms-of-service', 'security', 'changelog',
  'huggingchat', 'storage', 'static-proxy', 'front', 'avatars', 'mcp', 'subscribe', 'pro', 'hardware',
  'leaderboards', 'jobs', 'sitemap.xml', 'robots.txt', 'favicon.ico', 'team',
]);

// Hub names: letters, digits, '-', '_', '.', not starting with '.' or '-', bounded length.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
const MAX_URL = 8192;
// File views that a legacy single-name repo (`/gpt2/resolve/main/config.json`) can have. A single
// segment alone, or followed by anything else, is a user or org profile.
const LEGACY_SECTIONS = new Set(['resolve', 'blob', 'tree']);
// Sections that follow owner/name.
const REPO_SECTIONS = new Set(['tree', 'blob', 'resolve', 'raw', 'commits', 'commit']);

/** How to read a path that fits both a legacy single-name repo and owner/name. */
export type Reading = 'auto' | 'legacy' | 'owner-name';

/**
 * The reading of a hub URL that makes it a file (`resolve` or `raw`), if any reading does: a
 * download is judged if it is a file under either reading of an ambiguous path.
 */
export function parseHubFileUrl(url: string | URL, hubs: readonly string[]): HubPage | null {
  for (const reading of ['auto', 'legacy', 'owner-name'] as const) {
    const p = parseHubPageUrl(url, hubs, reading);
    if (p && (p.view === 'resolve' || p.view === 'raw') && p.revision !== undefined && p.path !== undefined) return p;
  }
  return null;
}

/**
 * Other origins that are the same hub (it redirects them to itself). A link or download through an
 * alias is judged as the hub's own, or the alias becomes a way around the guard.
 */
const HUB_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'https://huggingface.co': ['https://hf.co', 'https://www.huggingface.co', 'http://hf.co', 'http://www.huggingface.co'],
};

/** The configured hub an origin belongs to (itself, a named alias, or the http form of an https hub). */
export function hubOfOrigin(origin: string, hubs: readonly string[]): string | undefined {
  if (hubs.includes(origin)) return origin;
  for (const hub of hubs) {
    if (HUB_ALIASES[hub]?.includes(origin)) return hub;
    // Plain http to an https hub's host: same server, and ModelSeal fetches it over https anyway.
    if (hub.startsWith('https://') && origin === `http://${hub.slice('https://'.length)}`) return hub;
  }
  return undefined;
}

/**
 * Hosts the hub sends `/resolve/` file bytes from (its storage CDN and Xet bridge). Only file
 * downloads may be redirected there; nothing under them names a repo or file.
 */
export function isHubStorageHost(hub: string, host: string): boolean {
  if (hub !== 'https://huggingface.co') return false;
  const h = host.toLowerCase();
  return h === 'cdn-lfs.hf.co' || h === 'cdn-lfs-us-1.hf.co' || h === 'cdn-lfs.huggingface.co' || h === 'cdn-lfs-us-1.huggingface.co' || h === 'cas-bridge.xethub.hf.co' || /^[a-z0-9-]{1,63}\.cdn\.hf\.co$/.test(h);
}

/** Encodes a repo path segment by segment (slashes stay separators). */
export function encodeRepoPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `/resolve/` URL of a file at a commit on `hub` itself (never an alias). */
export function hubFileUrl(hub: string, kind: RepoKind, repo: string, commit: string, path: string, opts?: { download?: boolean }): string {
  const prefix = kind === 'dataset' ? '/datasets/' : '/';
  return `${hub}${prefix}${repo}/resolve/${encodeURIComponent(commit)}/${encodeRepoPath(path)}${opts?.download ? '?download=true' : ''}`;
}

function decodeSegment(s: string): string | undefined {
  try {
    const d = decodeURIComponent(s);
    // Control characters never belong in a revision or path.
    return /[\u0000-\u001f\u007f]/.test(d) ? undefined : d;
  } catch {
    return undefined;
  }
}

function decodePath(segments: string[]): string | undefined {
  if (segments.length === 0) return undefined;
  const out: string[] = [];
  for (const s of segments) {
    if (s === '') continue; // trailing or doubled slash
    const d = decodeSegment(s);
    if (d === undefined || d === '.' || d === '..' || d.includes('\\')) return undefined;
    out.push(d);
  }
  return out.length ? out.join('/') : undefined;
}

/**
 * Parse a hub page URL. Returns null for anything that is not a model or dataset repo page (docs,
 * settings, spaces, profiles, listings, API URLs, other origins when `hubs` is given).
 */
export function parseHubPageUrl(url: string | URL, hubs?: readonly string[], reading: Reading = 'auto'): HubPage | null {
  let u: URL;
  try {
    if (typeof url === 'string' && url.length > MAX_URL) return null;
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  // Without `hubs` the URL's own origin is the hub; with them, aliases map to the hub they stand for.
  const hub = hubs ? hubOfOrigin(u.origin, hubs) : u.origin;
  if (hub === undefined) return null;

  const parts = u.pathname.split('/').slice(1);
  let kind: RepoKind = 'model';
  if (parts[0] === 'datasets') {
    kind = 'dataset';
    parts.shift();
  } else if (parts[0] !== undefined && RESERVED.has(parts[0])) {
    return null;
  }
  // Legacy single-name repos only in file views with a revision: `/gpt2/resolve/main/…`.
  const legacyShape = parts[0] !== undefined && NAME.test(parts[0]) && LEGACY_SECTIONS.has(parts[1] ?? '') && (parts[2] ?? '') !== '';
  // `/o/tree/resolve/main/f` reads both ways; 'auto' takes owner/name when its third segment is a
  // repo section. isHubFileUrl() tries both readings, so neither one can hide a download.
  const legacy = legacyShape && (reading === 'legacy' || (reading === 'auto' && !REPO_SECTIONS.has(parts[2] ?? '')));
  const segments: string[] = legacy ? [parts[0] ?? '', '', ...parts.slice(1)] : parts;
  const [owner, name, section, rev, ...rest] = segments;
  // A repo needs owner/name (or the legacy form above); a single segment is a user or org profile.
  if (owner === undefined || name === undefined || !NAME.test(owner) || (!legacy && !NAME.test(name))) return null;
  const base = { hub, kind, repo: legacy ? owner : `${owner}/${name}` };

  if (section === undefined || section === '') return { ...base, view: 'home' };
  switch (section) {
    case 'tree':
    case 'blob':
    case 'resolve':
    case 'raw':
    case 'commits': {
      if (rev === undefined || rev === '') return { ...base, view: section === 'commits' ? 'commits' : 'other' };
      let revision = decodeSegment(rev);
      // Unencoded special refs (refs/pr/N, refs/convert/X) take three segments.
      if (revision === 'refs' && (rest[0] === 'pr' || rest[0] === 'convert') && rest[1]) {
        revision = decodeSegment(`refs/${rest[0]}/${rest[1]}`);
        rest.splice(0, 2);
      }
      if (revision === undefined || revision === '') return { ...base, view: 'other' };
      const path = decodePath(rest);
      // A file view without a file path is not a file view.
      if ((section === 'blob' || section === 'resolve' || section === 'raw') && path === undefined) {
        return { ...base, view: 'other', revision };
      }
      return path === undefined ? { ...base, view: section, revision } : { ...base, view: section, revision, path };
    }
    case 'commit': {
      const sha = rev === undefined ? undefined : decodeSegment(rev);
      if (sha === undefined || !/^[0-9a-f]{7,64}$/i.test(sha)) return { ...base, view: 'other' };
      return { ...base, view: 'commit', revision: sha.toLowerCase() };
    }
    default:
      // discussions, settings of the repo, etc.: still this repo, no revision in the URL.
      return { ...base, view: 'other' };
  }
}

/** For the listing-page grammar (listing-url.ts): first path segments that are not owners, and hub names. */
export { RESERVED as RESERVED_FIRST_SEGMENTS, NAME as HUB_NAME };
