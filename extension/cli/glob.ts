/**
 * `--include` patterns, matched like `huggingface-cli download --include` (fnmatch): `*` matches any
 * run of characters including '/', `?` one character, `[abc]` / `[!abc]` a class. Patterns come from
 * the user, paths from the hub; both are bounded so a pattern cannot cost more than linear regex work.
 */
const MAX_PATTERN = 1024;

export function globToRegExp(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN) throw new Error(`--include pattern longer than ${MAX_PATTERN} characters`);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      // Runs of stars are one star: keeps the regex free of nested quantifiers.
      while (pattern[i + 1] === '*') i++;
      re += '.*';
    } else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Whether `path` matches any pattern (no patterns: everything matches). */
export function includeFilter(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => true;
  const res = patterns.map(globToRegExp);
  return (path) => res.some((r) => r.test(path));
}
