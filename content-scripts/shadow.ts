/**
 * Closed-shadow hosts: the page cannot reach inside (host.shadowRoot is null for it), and a host's
 * inline style is re-asserted if a page script rewrites it. One observer guards every host of a page.
 */
const guarded = new WeakMap<Element, string>();
let guard: MutationObserver | undefined;

function guardHost(host: HTMLElement, style: string): void {
  guarded.set(host, style);
  guard ??= new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target as HTMLElement;
      const want = guarded.get(el);
      if (want === undefined) continue;
      if (el.getAttribute('style') !== want) el.setAttribute('style', want);
      if (el.hidden) el.hidden = false;
    }
  });
  guard.observe(host, { attributes: true });
}

export function closedHost(tag: string, hostStyle: string, signal: AbortSignal): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(tag);
  host.setAttribute('style', hostStyle);
  const root = host.attachShadow({ mode: 'closed' });
  guardHost(host, hostStyle);
  signal.addEventListener(
    'abort',
    () => {
      guarded.delete(host);
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
