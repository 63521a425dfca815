import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../extension/core/errors.js';
import { FILE_STATUSES, VERDICT_STATES } from '../../../extension/core/verdict.js';
import { formatMessage, t, useMessages } from '../../../extension/ui/i18n.js';
import { STATE_STYLE } from '../../../extension/ui/state-style.js';
import { fileStatusKey } from '../../../extension/ui/FileTable.js';
import { loadMessages } from './fixtures.js';

const messages = loadMessages();

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

const UI_DIRS = ['extension/ui', 'extension/pages', 'popup'].map((d) => resolve(process.cwd(), d));
const staticKeys = new Set<string>();
for (const dir of UI_DIRS)
  for (const file of sources(dir))
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([A-Za-z0-9_@]+)'/g)) staticKeys.add(m[1]!);

// Keys built at run time: state names and summaries, file statuses, warning reasons, flags, banner prefixes.
const dynamicKeys = new Set<string>([
  ...VERDICT_STATES.flatMap((s) => [STATE_STYLE[s].labelKey, STATE_STYLE[s].summaryKey]),
  ...[...FILE_STATUSES, 'unknown'].flatMap((s) => [fileStatusKey(s), `warn_${fileStatusKey(s)}`]),
  ...['bidi', 'invisible', 'control', 'combining', 'mixedScript', 'confusable', 'tooLong'].map((f) => `flag_${f}`),
  ...ERROR_CODES.map((c) => `code_${c}`),
  'banner_by',
  'banner_nowBy',
  'extDescription',
]);

describe('locale file', () => {
  it('has every key the UI sources use', () => {
    expect(staticKeys.size).toBeGreaterThan(50);
    const missing = [...staticKeys, ...dynamicKeys].filter((k) => !(k in messages));
    expect(missing).toEqual([]);
  });

  it('has no key nobody uses', () => {
    const unused = Object.keys(messages).filter((k) => !staticKeys.has(k) && !dynamicKeys.has(k));
    expect(unused).toEqual([]);
  });

  it('uses valid names, non-empty messages and declared placeholders only', () => {
    for (const [key, entry] of Object.entries(messages)) {
      expect(key).toMatch(/^[A-Za-z0-9_@]+$/);
      expect(entry.message.trim()).not.toBe('');
      const declared = new Set(Object.keys(entry.placeholders ?? {}).map((n) => n.toLowerCase()));
      for (const m of entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)) expect(declared.has(m[1]!.toLowerCase()), `${key}: $${m[1]}$`).toBe(true);
      for (const p of Object.values(entry.placeholders ?? {})) expect(p.content).toMatch(/^\$[1-9]$/);
    }
  });

  it('names each of the nine states once, with distinct wording', () => {
    const labels = VERDICT_STATES.map((s) => messages[STATE_STYLE[s].labelKey]!.message);
    expect(new Set(labels).size).toBe(VERDICT_STATES.length);
  });
});

describe('formatMessage / t', () => {
  it('expands named placeholders and positional substitutions', () => {
    expect(formatMessage(messages['files_count']!, ['12', 'Matches'])).toBe('Matches: 12');
    expect(formatMessage({ message: 'a $X$ b $$ c $2', placeholders: { x: { content: '$1' } } }, ['one', 'two'])).toBe('a one b $ c two');
  });

  it('inserts substitutions literally (no re-expansion of $ sequences from hostile text)', () => {
    expect(formatMessage(messages['import_failed']!, ['$1 $error$ $$'])).toBe('Nothing was changed: $1 $error$ $$');
  });

  it('reads the messages file in Node and shows a missing key as itself', () => {
    useMessages(messages);
    try {
      expect(t('state_unsigned')).toBe('Not signed');
      expect(t('trust_since', '2026-01-01 00:00 UTC')).toBe('Trusted since 2026-01-01 00:00 UTC.');
      expect(t('no_such_key')).toBe('no_such_key');
    } finally {
      useMessages(undefined);
    }
  });

  it('defers to the browser i18n API when no file is loaded', () => {
    const g = globalThis as { chrome?: unknown };
    const before = g.chrome;
    g.chrome = { i18n: { getMessage: (k: string, subs?: string[]) => (k === 'hello' ? `hi ${subs?.[0] ?? ''}` : '') } };
    try {
      expect(t('hello', 'you')).toBe('hi you');
      expect(t('absent')).toBe('absent');
    } finally {
      g.chrome = before;
    }
  });
});
