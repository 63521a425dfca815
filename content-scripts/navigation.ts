/**
 * Follows in-place navigation on hub pages (Svelte/Next style pushState): calls `onPage` with a fresh
 * AbortSignal for every distinct URL, aborting the previous page's signal first, so each page's
 * listeners, observers and mounts are torn down with it. History calls made by the page are
 * invisible to an isolated world, so we watch the Navigation API when present, `popstate`, and DOM
 * mutations (every SPA navigation re-renders something), and compare `location.href`.
 */
export function watchPages(onPage: (url: string, signal: AbortSignal) => void, root: AbortSignal): void {
  // An abort listener added now would never run: nothing started here could be torn down.
  if (root.aborted) return;
  let current = '';
  let controller: AbortController | undefined;
  const check = () => {
    if (root.aborted) return;
    const href = location.href.split('#')[0] ?? '';
    if (href === current) return;
    current = href;
    controller?.abort();
    controller = new AbortController();
    onPage(href, controller.signal);
  };
  root.addEventListener('abort', () => controller?.abort(), { once: true });
  addEventListener('popstate', check, { signal: root });
  // Back from another site through the back/forward cache: the worker dropped this tab's state when
  // it left, so the restored page announces itself again.
  addEventListener(
    'pageshow',
    (e) => {
      if (!(e as PageTransitionEvent).persisted) return;
      current = '';
      check();
    },
    { signal: root },
  );
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  nav?.addEventListener('navigatesuccess', check, { signal: root });
  // Mutations come in bursts; one URL comparison per animation frame is plenty.
  let queued = false;
  const mo = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      check();
    });
  });
  mo.observe(document, { childList: true, subtree: true });
  root.addEventListener('abort', () => mo.disconnect(), { once: true });
  check();
}
