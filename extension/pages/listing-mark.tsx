/**
 * One listing entry's mark: `listing-mark.html?tab=N&kind=model&repo=owner/name`. What it says comes
 * from the worker's answer for this tab's listing (`listing/mark`, answered only to a frame inside
 * that tab's hub page), never from the page or the URL: a frame asked about a repo the listing did
 * not find signed draws nothing.
 */
import { render } from 'preact';
import '../ui/styles.css';
import type { ListingMark } from '../shared/messages.js';
import { ListingMarkView } from '../ui/ListingMarkView.js';
import { request } from '../ui/rpc.js';
import { tabIdFromQuery } from '../ui/follow-tab.js';

const root = document.getElementById('app');
const tabId = tabIdFromQuery();
const q = new URLSearchParams(location.search);
const kind = q.get('kind');
const repo = q.get('repo');

if (root && tabId !== undefined && (kind === 'model' || kind === 'dataset') && repo && repo.length <= 200) {
  request({ type: 'listing/mark', tabId, kind, repo }).then(
    (mark: ListingMark | null) => render(mark ? <ListingMarkView mark={mark} /> : null, root),
    () => render(null, root),
  );
}
