/** Deterministic random inputs: the parsers never throw, and what they return keeps its invariants. */
import { describe, expect, it } from 'vitest';
import { analyseIdentity, parseGitHubActionsIdentity } from '../../../extension/core/display/index.js';
import { parseHubPageUrl } from '../../../extension/core/hubs/huggingface/page-url.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const POOL = [
  'a', 'Z', '0', '/', '.', '-', '_', '@', ':', '%', '2F', '%2E', '?', '#', ' ', '\u202e', '\u200b', '\u0430', '\u03bf',
  'tree', 'blob', 'resolve', 'commit', 'datasets', 'refs', 'pr', '..', '\n', '\u0000', '😀', 'ｇ', '\ud800', '*',
];

function randomText(r: () => number, max: number): string {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += POOL[Math.floor(r() * POOL.length)];
  return s;
}

describe('fuzz', () => {
  it('analyseIdentity never throws, never loses a hidden character and respects the cut', () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(r, 60);
      const max = 1 + Math.floor(r() * 40);
      const a = analyseIdentity(text, { maxLength: max });
      const shownChars = a.segments.reduce((n, s) => n + (s.kind === 'text' ? Array.from(s.text).length : s.kind === 'truncated' ? 0 : 1), 0);
      expect(shownChars).toBeLessThanOrEqual(max);
      if (/[\u202e]/.test(text)) expect(a.flags).toContain('bidi-control');
      if (/[\u200b]/.test(text)) expect(a.flags).toContain('invisible');
      // Text segments never carry a character that should have been made visible.
      for (const s of a.segments) if (s.kind === 'text') expect(s.text).not.toMatch(/[\u202e\u200b\u0000\n]/);
    }
  });

  it('parseHubPageUrl never throws and only returns well-formed repos', () => {
    const r = rng(7);
    for (let i = 0; i < 5000; i++) {
      const url = `https://huggingface.co/${randomText(r, 12)}`;
      const p = parseHubPageUrl(url);
      if (p === null) continue;
      expect(p.repo).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*\/[A-Za-z0-9_][A-Za-z0-9._-]*$/);
      if (p.path !== undefined) expect(p.path.split('/')).not.toContain('..');
      if (p.revision !== undefined) expect(p.revision).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('parseGitHubActionsIdentity never throws on random URIs', () => {
    const r = rng(99);
    for (let i = 0; i < 3000; i++) {
      const id = `https://github.com/${randomText(r, 10)}/.github/workflows/${randomText(r, 4)}.yml@${randomText(r, 5)}`;
      const g = parseGitHubActionsIdentity(id);
      if (g) expect(g.ref.startsWith('refs/')).toBe(true);
    }
  });
});
