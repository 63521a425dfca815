/**
 * Test doubles for the browser APIs the content scripts use and happy-dom does not implement
 * (its IntersectionObserver and ResizeObserver never report; it has no requestIdleCallback), plus
 * small builders for hub-like file lists and verdicts. The code under test is never replaced.
 */
import { vi } from 'vitest';
import type { FileResult, SignatureEvidence, Verdict } from '../../../extension/core/verdict.js';

/** An IntersectionObserver the test drives: `report()` calls the page's callback like the browser would. */
export class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly observed = new Set<Element>();
  disconnected = false;
  constructor(
    private readonly callback: IntersectionObserverCallback,
    readonly options?: IntersectionObserverInit,
  ) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(el: Element): void {
    this.observed.add(el);
  }
  unobserve(el: Element): void {
    this.observed.delete(el);
  }
  disconnect(): void {
    this.disconnected = true;
    this.observed.clear();
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
  /** Reports `targets` (only those still observed, as a browser would) entering or leaving the viewport margin. */
  report(targets: Element[], isIntersecting: boolean, rect: (el: Element, i: number) => { top: number; height: number } = () => ({ top: 0, height: 20 })): void {
    const entries = targets
      .filter((t) => this.observed.has(t))
      .map((target, i) => {
        const r = rect(target, i);
        return { target, isIntersecting, boundingClientRect: { top: r.top, height: r.height } } as unknown as IntersectionObserverEntry;
      });
    if (entries.length) this.callback(entries, this as unknown as IntersectionObserver);
  }
}

/** A ResizeObserver the test drives. */
export class FakeResizeObserver {
  static instances: FakeResizeObserver[] = [];
  readonly observed = new Set<Element>();
  disconnected = false;
  constructor(private readonly callback: ResizeObserverCallback) {
    FakeResizeObserver.instances.push(this);
  }
  observe(el: Element): void {
    this.observed.add(el);
  }
  unobserve(el: Element): void {
    this.observed.delete(el);
  }
  disconnect(): void {
    this.disconnected = true;
    this.observed.clear();
  }
  report(targets: Element[]): void {
    const entries = targets.filter((t) => this.observed.has(t)).map((target) => ({ target }) as unknown as ResizeObserverEntry);
    if (entries.length) this.callback(entries, this as unknown as ResizeObserver);
  }
}

/** requestIdleCallback / cancelIdleCallback with a queue the test runs one slice at a time. */
export class IdleQueue {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  readonly request = (cb: () => void): number => {
    const id = this.next++;
    this.pending.set(id, cb);
    return id;
  };
  readonly cancel = (id: number): void => {
    this.pending.delete(id);
  };
  /** Runs the callbacks pending now (not those they request); returns how many ran. */
  runSlice(): number {
    const now = [...this.pending];
    this.pending.clear();
    for (const [, cb] of now) cb();
    return now.length;
  }
  /** Runs slices until nothing is pending (bounded). */
  drain(max = 1000): number {
    let slices = 0;
    while (this.pending.size && slices < max) {
      this.runSlice();
      slices++;
    }
    return slices;
  }
}

export const EVIDENCE = {
  signer: { kind: 'sigstore', identity: 'release@acme.example', issuer: 'https://accounts.example' },
  logEntries: [],
  timestamps: [],
  rootDigest: 'ab'.repeat(32),
  predicateType: 'https://model_signing/signature/v1.0',
} satisfies SignatureEvidence;

export function verifiedVerdict(paths: string[], subject: Verdict['subject'] = {}): Verdict {
  const files: FileResult[] = paths.map((path) => ({ path, status: 'verified', algorithm: 'sha256' }));
  return { state: 'verified', checkedAt: 1, subject, signature: EVIDENCE, files };
}

/** Root-relative hub link to a file, each path segment percent-encoded as the hub writes it. */
export function fileHref(repo: string, view: 'blob' | 'resolve', revision: string, path: string, dataset = false): string {
  return `${dataset ? '/datasets/' : '/'}${repo}/${view}/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export interface RowSpec {
  /** Links of the row, in order (href as written in the page). */
  hrefs: string[];
  /** Visible name (text only). */
  text?: string;
  className?: string;
}

/** A `<ul>` of `<li>` rows built with DOM APIs (never markup), appended to `parent`. */
export function fileList(rows: RowSpec[], parent: Element = document.body): { list: HTMLUListElement; rows: HTMLLIElement[]; links: HTMLAnchorElement[][] } {
  const list = document.createElement('ul');
  const lis: HTMLLIElement[] = [];
  const links: HTMLAnchorElement[][] = [];
  for (const spec of rows) {
    const li = document.createElement('li');
    if (spec.className) li.className = spec.className;
    const as = spec.hrefs.map((href, i) => {
      const a = document.createElement('a');
      a.setAttribute('href', href);
      a.textContent = i === 0 ? (spec.text ?? href) : 'download';
      li.append(a);
      return a;
    });
    list.append(li);
    lis.push(li);
    links.push(as);
  }
  parent.append(list);
  return { list, rows: lis, links };
}

/** Waits for one animation frame (happy-dom runs them on a timer). */
export const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));
/** Lets MutationObserver callbacks and resolved promises run. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * happy-dom does not load frames and logs one error per frame inserted; our frames are
 * extension pages that never load in a test anyway. Other console errors still print.
 */
export function quietFrameLoads(): void {
  const error = console.error.bind(console);
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (args.some((a) => String(a).includes('Iframe page loading is disabled'))) return;
    error(...args);
  });
}

/**
 * Closed shadow roots are unreachable from their host: record each one as attachShadow returns it
 * (restored by vi.restoreAllMocks).
 */
export function recordShadowRoots(): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  const attach = HTMLElement.prototype.attachShadow;
  vi.spyOn(HTMLElement.prototype, 'attachShadow').mockImplementation(function (this: HTMLElement, init: ShadowRootInit) {
    const root = attach.call(this, init);
    roots.push(root);
    return root;
  });
  return roots;
}
