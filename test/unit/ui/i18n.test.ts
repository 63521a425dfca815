import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../extension/core/errors.js';
import { FILE_STATUSES, VERDICT_STATES } from '../../../extension/core/verdict.js';
import { formatCount, formatMessage, message, messagesLocale, pluralCategory, t, tp, useMessages } from '../../../extension/ui/i18n.js';
import { FAILURE_SENTENCES } from '../../../extension/ui/failure-text.js';
import { STATE_STYLE } from '../../../extension/shared/state-style.js';
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
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(t|tp|message)\(\s*'([A-Za-z0-9_@]+)'/g)) {
      // A counted message is its plural forms; English has two.
      if (m[1] === 'tp') for (const form of ['one', 'other']) staticKeys.add(`${m[2]!}_${form}`);
      else staticKeys.add(m[2]!);
    }

// Keys built at run time: state names and summaries, file statuses, warning reasons, flags, banner prefixes.
const dynamicKeys = new Set<string>([
  ...VERDICT_STATES.flatMap((s) => [STATE_STYLE[s].labelKey, STATE_STYLE[s].summaryKey]),
  ...[...FILE_STATUSES, 'unknown'].flatMap((s) => [fileStatusKey(s), `warn_${fileStatusKey(s)}`]),
  ...['bidi', 'invisible', 'control', 'combining', 'mixedScript', 'confusable', 'tooLong'].map((f) => `flag_${f}`),
  ...ERROR_CODES.map((c) => `code_${c}`),
  ...Object.entries(FAILURE_SENTENCES).flatMap(([c, uses]) => (uses.includes('count') ? [`failure_${c}_one`, `failure_${c}_other`] : [`failure_${c}`])),
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

/** Messages that show a count as a bare number (a label, not grammar), so need no plural forms. */
const COUNT_LABELS = new Set([
  'files_count',
  'tab_alertsUnread',
  'policy_caCount',
  'policy_removeAll',
  ...['policiesAdded', 'policiesChanged', 'policiesRemoved', 'pinsAdded', 'pinsChanged', 'pinsRemoved', 'locksAdded', 'locksRemoved', 'locksChanged'].map((k) => `import_${k}`),
]);

describe('plural forms', () => {
  it('every message with a count is a plural family with an _other form (or a bare-number label)', () => {
    const counted = Object.entries(messages).filter(([, e]) => Object.keys(e.placeholders ?? {}).some((n) => n.toLowerCase() === 'count'));
    expect(counted.length).toBeGreaterThan(8);
    for (const [key] of counted) {
      if (COUNT_LABELS.has(key)) continue;
      const m = /^(.+)_(zero|one|two|few|many|other)$/.exec(key);
      expect(m, `${key} has a count but no plural form`).not.toBeNull();
      expect(messages[`${m![1]!}_other`], `${m![1]!}_other`).toBeDefined();
      expect(messages[m![1]!], `${m![1]!} must not also exist without a form`).toBeUndefined();
    }
  });

  it('the English file says it is English, so English plural rules apply', () => {
    expect(messages['plural_locale']!.message).toBe('en');
  });

  it('picks the form by Intl.PluralRules and writes the count for the locale', () => {
    useMessages(messages);
    try {
      expect(messagesLocale()).toBe('en');
      expect(pluralCategory(1)).toBe('one');
      expect(pluralCategory(0)).toBe('other');
      expect(tp('files_showAll', 1)).toBe('Show 1 file');
      expect(tp('files_showAll', 10000)).toBe('Show all 10,000 files');
      expect(tp('value_more', 1)).toBe('… +1 more character');
      expect(tp('value_more', 2)).toBe('… +2 more characters');
      expect(tp('failure_FILES_MISMATCH', 1, 'a.bin')).toBe('1 file differs from the signed files: a.bin');
      expect(tp('failure_FILES_MISMATCH', 3, 'a.bin, b.bin, c.bin')).toBe('3 files differ from the signed files: a.bin, b.bin, c.bin');
      expect(tp('no_such_family', 2)).toBe('no_such_family');
      expect(message('no_such_key')).toBeUndefined();
    } finally {
      useMessages(undefined);
    }
  });

  it("follows the locale file's language: Polish has few and many, Arabic zero and two; a missing form falls back to _other", () => {
    const family = (forms: string[]): typeof messages =>
      Object.fromEntries(forms.map((f) => [`n_${f}`, { message: `${f}:$count$`, placeholders: { count: { content: '$1' } } }]));
    useMessages({ plural_locale: { message: 'pl' }, ...family(['one', 'few', 'many', 'other']) });
    try {
      expect([1, 2, 5, 22, 1.5].map((n) => tp('n', n))).toEqual(['one:1', 'few:2', 'many:5', 'few:22', 'other:1,5']);
      useMessages({ plural_locale: { message: 'ar' }, ...family(['zero', 'two', 'other']) });
      expect([0, 2, 1].map((n) => tp('n', n))).toEqual(['zero:0', 'two:2', 'other:1']);
      // A malformed language tag must not break the view: English rules instead.
      useMessages({ plural_locale: { message: 'not a tag!' }, ...family(['one', 'other']) });
      expect(tp('n', 1)).toBe('one:1');
      expect(formatCount(1234)).toBe('1,234');
    } finally {
      useMessages(undefined);
    }
  });

  it('in the extension, takes the language from the locale file the browser picked, else the UI language', () => {
    const g = globalThis as { chrome?: unknown };
    const before = g.chrome;
    const file: Record<string, string> = { n_one: 'one $1', n_other: 'other $1' };
    g.chrome = { i18n: { getMessage: (k: string, subs?: string[]) => (file[k] ?? '').replace('$1', subs?.[0] ?? ''), getUILanguage: () => 'fr' } };
    try {
      // No plural_locale message: the UI language decides (French: 0 and 1 are "one").
      expect(tp('n', 0)).toBe('one 0');
      file['plural_locale'] = 'en';
      expect(tp('n', 0)).toBe('other 0');
    } finally {
      g.chrome = before;
    }
  });
});
