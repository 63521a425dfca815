/**
 * Intercepts clicks on hub download links (`/resolve/…`, hub aliases included). A user's click is
 * held and the worker answers: a verified file is downloaded by the worker (from its commit) right
 * away, anything else opens the warning page. Synthetic clicks (`isTrusted === false`) are dropped.
 * Downloads started other ways are caught by the worker's downloads guard.
 */
import { pagesFor } from '../extension/core/hubs/pages.js';
import { request } from '../extension/shared/rpc.js';

export function interceptDownloads(hub: string, signal: AbortSignal): void {
  const pages = pagesFor(hub);
  const onClick = (ev: MouseEvent) => {
    const a = (ev.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!a) return;
    const page = pages.parseFileUrl(a.href, [hub]);
    if (!page || page.view !== 'resolve') return;
    if (!ev.isTrusted) {
      // A page script's a.click(): it must not drive our warnings, nor reach the file unchecked.
      // Dropped outright (no navigation); a script that navigates another way meets the downloads guard.
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return;
    }
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return; // new tab/window: the guard sees it
    ev.preventDefault();
    ev.stopImmediatePropagation();
    // Allowed: the worker downloads the file; not: it opened the warning page. Worker unreachable or
    // refused: fall back to the browser, where the downloads guard still runs.
    request({ type: 'download/check', url: a.href }).then(
      () => undefined,
      () => location.assign(a.href),
    );
  };
  // Capture phase on window: we see the click before the hub's own handlers.
  addEventListener('click', onClick, { capture: true, signal });
}
