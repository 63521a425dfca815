/** Ignore-path matching: exact relative path or any path under it (component-wise), never substrings. */
import { isUnder, normalizeIgnorePath } from '../oms/paths.js';

export class IgnoreMatcher {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(paths: Iterable<string>) {
    for (const raw of paths) {
      const p = normalizeIgnorePath(raw);
      if (!this.exact.has(p)) {
        this.exact.add(p);
        this.prefixes.push(p);
      }
    }
  }

  matches(path: string): boolean {
    if (this.exact.has(path)) return true;
    // Walk the path's ancestors: O(depth) set lookups instead of scanning every prefix.
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
      if (this.exact.has(path.slice(0, i))) return true;
    }
    return false;
  }

  get size(): number {
    return this.prefixes.length;
  }

  /** For reports. */
  list(): readonly string[] {
    return this.prefixes;
  }
}

export { isUnder };
