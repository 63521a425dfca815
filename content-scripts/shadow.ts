/**
 * Closed-shadow hosts: the page cannot reach inside (host.shadowRoot is null for it), and the host's
 * own inline style is re-asserted if a page script rewrites it.
 */
export function closedHost(tag: string, hostStyle: string, signal: AbortSignal): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(tag);
  host.setAttribute('style', hostStyle);
  const root = host.attachShadow({ mode: 'closed' });
  const guard = new MutationObserver(() => {
    if (host.getAttribute('style') !== hostStyle) host.setAttribute('style', hostStyle);
    if (host.hidden) host.hidden = false;
  });
  guard.observe(host, { attributes: true });
  signal.addEventListener(
    'abort',
    () => {
      guard.disconnect();
      host.remove();
    },
    { once: true },
  );
  return { host, root };
}

/** A style element with text content only (no markup parsing anywhere). */
export function styleEl(css: string): HTMLStyleElement {
  const s = document.createElement('style');
  s.textContent = css;
  return s;
}

/** `a:b;c:d` → `a:b !important;c:d !important`. */
export function important(decls: string): string {
  return decls
    .split(';')
    .filter((d) => d.trim())
    .map((d) => `${d.trim()} !important`)
    .join(';');
}
