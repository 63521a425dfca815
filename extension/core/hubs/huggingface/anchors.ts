/**
 * Where ModelSeal attaches to Hugging Face pages. The pages are server-rendered Svelte islands
 * (`<div class="SVELTE_HYDRATER contents" data-target="ModelHeader" …>`) whose class names are
 * Tailwind chains that change: only `data-target` and link hrefs are relied on. Selectors only;
 * which link is which file is read from its URL (page-url.ts).
 */
import type { HubPageAnchors } from '../adapter.js';

/** Repo header islands, in order of preference: the banner goes right after the first found. */
const HEADER_TARGETS = ['ModelHeader', 'DatasetHeader', 'RepoHeader'];

export const huggingfaceAnchors: HubPageAnchors = {
  bannerAnchor(root: ParentNode): Element | null {
    for (const t of HEADER_TARGETS) {
      const el = root.querySelector(`[data-target="${t}"]`);
      if (el) return el;
    }
    return null;
  },
  // File rows link to `/{repo}/blob/{rev}/{path}` and `/{repo}/resolve/{rev}/{path}?download=true`.
  fileLinkSelector: 'a[href*="/resolve/"], a[href*="/blob/"]',
  fileRowSelector: 'li, tr',
  // Listing cards (organisation, profile, search) are `<article>`s whose link names the repo.
  listingLinkSelector: 'article a[href]',
};
