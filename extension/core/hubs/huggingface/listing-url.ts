/**
 * Hugging Face pages that list repos, and the one API request that answers for a whole listing.
 * Page part (content scripts load it): URL grammar only.
 *
 * - `/{owner}`: an organisation page or a user's profile → the owner's models.
 * - `/models?search=…&author=…&sort=…&p=N`, `/datasets?…`: search results.
 * Collections (`/collections/…`) are not listings here: the collections API names items without
 * their files, so telling which are signed would take one request per item.
 */
import type { ListingPage } from '../adapter.js';

export type { ListingPage };
import { HUB_NAME, RESERVED_FIRST_SEGMENTS, hubOfOrigin } from './page-url.js';


/** The hub's listing pages show 30 entries per page. */
const PAGE_SIZE = 30;
/** The API answers at most this many entries per request: later pages of a huge search are not marked. */
export const MAX_LISTING_ENTRIES = 1000;
const MAX_QUERY = 200;

/** Page sort names → the API's sort keys. */
const SORTS: Readonly<Record<string, string>> = {
  trending: 'trendingScore',
  likes: 'likes',
  downloads: 'downloads',
  created: 'createdAt',
  modified: 'lastModified',
};

/** An organisation or profile page of owner models: every entry it shows (hundreds at most) is covered. */
const OWNER_LIMIT = MAX_LISTING_ENTRIES;

export function parseListingUrl(url: string, hubs: readonly string[]): ListingPage | null {
  let u: URL;
  try {
    if (url.length > 8192) return null;
    u = new URL(url);
  } catch {
    return null;
  }
  const hub = hubOfOrigin(u.origin, hubs);
  if (hub === undefined) return null;
  const parts = u.pathname.split('/').slice(1).filter((p, i, all) => p !== '' || i < all.length - 1);
  if (parts.length !== 1 || parts[0] === undefined || parts[0] === '') return null;
  const first = parts[0];
  if (first === 'models' || first === 'datasets') {
    const q = u.searchParams;
    const page: ListingPage = { hub, kind: first === 'models' ? 'model' : 'dataset', limit: PAGE_SIZE };
    const author = q.get('author');
    if (author !== null) {
      if (!HUB_NAME.test(author)) return null;
      page.author = author;
    }
    const search = q.get('search');
    if (search !== null && search !== '') {
      if (search.length > MAX_QUERY || /[\u0000-\u001f\u007f]/.test(search)) return null;
      page.search = search;
    }
    const sort = SORTS[q.get('sort') ?? ''];
    if (sort) page.sort = sort;
    const p = Number(q.get('p') ?? '0');
    const index = Number.isSafeInteger(p) && p >= 0 ? p : 0;
    page.limit = Math.min(MAX_LISTING_ENTRIES, (index + 1) * PAGE_SIZE);
    return page;
  }
  if (RESERVED_FIRST_SEGMENTS.has(first) || !HUB_NAME.test(first)) return null;
  return { hub, kind: 'model', author: first, limit: OWNER_LIMIT };
}

/** The one request for a listing: its repos with their file names (siblings) and head commit (sha). */
export function listingApiUrl(page: ListingPage): string {
  const q = new URLSearchParams();
  if (page.author !== undefined) q.set('author', page.author);
  if (page.search !== undefined) q.set('search', page.search);
  if (page.sort !== undefined) {
    q.set('sort', page.sort);
    q.set('direction', '-1');
  }
  q.set('limit', String(page.limit));
  q.append('expand[]', 'siblings');
  q.append('expand[]', 'sha');
  return `${page.hub}/api/${page.kind === 'dataset' ? 'datasets' : 'models'}?${q.toString()}`;
}
