/**
 * The Hugging Face adapter's page part: URL grammar and page anchors. What content scripts load, so
 * it must never import the API client (client.ts, http.ts).
 */
import type { HubPages, RepoKind } from '../adapter.js';
import { huggingfaceAnchors } from './anchors.js';
import { parseListingUrl } from './listing-url.js';
import { hubFileUrl, hubOfOrigin, isHubStorageHost, parseHubFileUrl, parseHubPageUrl } from './page-url.js';

export const huggingfacePages: HubPages = {
  name: 'huggingface',
  parsePageUrl: (url, hubs) => parseHubPageUrl(url, hubs),
  parseFileUrl: parseHubFileUrl,
  hubOfOrigin,
  isStorageHost: isHubStorageHost,
  fileUrl: hubFileUrl,
  fileLinkPrefixes(kind: RepoKind, repo: string, revision: string): string[] {
    const base = kind === 'dataset' ? '/datasets/' : '/';
    return ['blob', 'resolve'].map((v) => `${base}${repo}/${v}/${encodeURIComponent(revision)}/`);
  },
  anchors: huggingfaceAnchors,
  parseListingUrl,
};
