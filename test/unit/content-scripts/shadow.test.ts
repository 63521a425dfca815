// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedHost, important, styleEl } from '../../../content-scripts/shadow.js';
import { settle } from './doubles.js';

const STYLE = important('all:initial;display:block;width:100%;height:44px');

let page: AbortController;
beforeEach(() => {
  document.body.replaceChildren();
  page = new AbortController();
});
afterEach(() => page.abort());

describe('important', () => {
  it('marks every declaration !important, trimming and dropping empty ones', () => {
    expect(important('a:b;c:d')).toBe('a:b !important;c:d !important');
    expect(important(' display: block ;; width:0;  ')).toBe('display: block !important;width:0 !important');
    expect(important('')).toBe('');
  });
});

describe('closedHost', () => {
  it('builds a host element with a closed shadow root the page cannot reach', () => {
    const { host, root } = closedHost('modelseal-test', STYLE, page.signal);
    expect(host.tagName).toBe('MODELSEAL-TEST');
    expect(root.mode).toBe('closed');
    expect(root.host).toBe(host);
    expect(host.shadowRoot).toBeNull();
    // Placing it is the caller's job.
    expect(host.isConnected).toBe(false);
  });

  it('sets the host style with every declaration !important', () => {
    const { host } = closedHost('modelseal-test', STYLE, page.signal);
    expect(host.getAttribute('style')).toBe(STYLE);
    const decls = host.getAttribute('style')!.split(';');
    expect(decls.length).toBe(4);
    for (const d of decls) expect(d).toMatch(/ !important$/);
  });

  it('re-asserts its style and visibility when a page script rewrites them', async () => {
    const { host } = closedHost('modelseal-test', STYLE, page.signal);
    document.body.append(host);
    host.setAttribute('style', 'display:none !important');
    await settle();
    expect(host.getAttribute('style')).toBe(STYLE);
    host.removeAttribute('style');
    await settle();
    expect(host.getAttribute('style')).toBe(STYLE);
    host.hidden = true;
    await settle();
    expect(host.hidden).toBe(false);
    expect(host.getAttribute('style')).toBe(STYLE);
  });

  it('guards each host with its own style', async () => {
    const a = closedHost('modelseal-a', important('width:1px'), page.signal).host;
    const b = closedHost('modelseal-b', important('width:2px'), page.signal).host;
    document.body.append(a, b);
    a.setAttribute('style', 'x:y');
    b.setAttribute('style', 'x:y');
    await settle();
    expect(a.getAttribute('style')).toBe('width:1px !important');
    expect(b.getAttribute('style')).toBe('width:2px !important');
  });

  it('is removed from the page when the page signal aborts, and no longer guarded', async () => {
    const { host } = closedHost('modelseal-test', STYLE, page.signal);
    document.body.append(host);
    page.abort();
    expect(host.isConnected).toBe(false);
    expect(document.querySelector('modelseal-test')).toBeNull();
    host.setAttribute('style', 'color:red');
    await settle();
    expect(host.getAttribute('style')).toBe('color:red');
  });

  it('does not touch hosts of another page when one page aborts', () => {
    const other = new AbortController();
    const mine = closedHost('modelseal-test', STYLE, page.signal).host;
    const theirs = closedHost('modelseal-test', STYLE, other.signal).host;
    document.body.append(mine, theirs);
    other.abort();
    expect(mine.isConnected).toBe(true);
    expect(theirs.isConnected).toBe(false);
  });
});

describe('styleEl', () => {
  it('carries the CSS as text only: markup inside it is never parsed', () => {
    const css = 'iframe{border:0}</style><script>alert(1)</script><img src=x onerror=alert(1)>';
    const s = styleEl(css);
    expect(s.tagName).toBe('STYLE');
    expect(s.textContent).toBe(css);
    expect(s.children.length).toBe(0);
    document.body.append(s);
    expect(document.querySelector('script, img')).toBeNull();
  });
});
