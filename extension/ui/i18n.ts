/**
 * `t(key, substitutions)`: every user-visible string comes from `_locales/<lang>/messages.json`.
 * In the extension it defers to the browser's i18n (`getMessage`); in Node (unit tests, the static
 * previews) it formats from a messages.json object handed to `useMessages`, with the same placeholder
 * rules (`$name$` → placeholder content, `$1`…`$9` → substitutions, `$$` → `$`).
 *
 * Counted messages come in plural forms `key_one`, `key_other` (and `_zero`, `_two`, `_few`, `_many`
 * where a language needs them), picked by `tp(key, count)` with Intl.PluralRules.
 */

export interface MessageEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type MessagesJson = Record<string, MessageEntry>;

interface I18nApi {
  getMessage(key: string, substitutions?: string | string[]): string;
  getUILanguage?(): string;
}

let fallback: MessagesJson | undefined;

/** Node/preview: format from this messages.json instead of the browser's i18n. */
export function useMessages(messages: MessagesJson | undefined): void {
  fallback = messages;
}

function runtimeI18n(): I18nApi | undefined {
  const g = globalThis as { chrome?: { i18n?: I18nApi }; browser?: { i18n?: I18nApi } };
  const api = g.browser?.i18n ?? g.chrome?.i18n;
  return api && typeof api.getMessage === 'function' ? api : undefined;
}

/** Formats one entry the way Chromium and Firefox do. Substituted values are never re-expanded. */
export function formatMessage(entry: MessageEntry, subs: readonly string[]): string {
  const placeholders = new Map<string, string>();
  for (const [name, p] of Object.entries(entry.placeholders ?? {})) placeholders.set(name.toLowerCase(), p.content);
  const expandSubs = (s: string) =>
    s.replace(/\$\$|\$([1-9])/g, (m, n: string | undefined) => (n ? (subs[Number(n) - 1] ?? '') : '$'));
  return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$([1-9])/g, (m, name: string | undefined, n: string | undefined) => {
    if (name !== undefined) {
      const content = placeholders.get(name.toLowerCase());
      return content === undefined ? '' : expandSubs(content);
    }
    if (n !== undefined) return subs[Number(n) - 1] ?? '';
    return '$';
  });
}

/**
 * The translation of `key`. Substitutions are plain strings (hostile ones included: the result is
 * only ever rendered as a text node). A missing key returns the key itself, so gaps are visible.
 */
export function t(key: string, ...subs: Array<string | number>): string {
  return message(key, ...subs) ?? key;
}

/** The translation of `key`, or undefined when the locale has no such message (callers pick a fallback). */
export function message(key: string, ...subs: Array<string | number>): string | undefined {
  const strings = subs.map(String);
  if (fallback) {
    const entry = fallback[key];
    return entry ? formatMessage(entry, strings) : undefined;
  }
  const s = runtimeI18n()?.getMessage(key, strings);
  return s ? s : undefined;
}

/**
 * The language whose plural rules the messages follow. `plural_locale` is a message in each locale
 * file, so it names the file the browser actually picked (its UI language may have no file at all).
 */
export function messagesLocale(): string {
  const named = message('plural_locale');
  if (named && /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/.test(named)) return named.replace(/_/g, '-');
  return runtimeI18n()?.getUILanguage?.() || 'en';
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, locale: string, make: (l: string) => T): T {
  let v = cache.get(locale);
  if (!v) {
    try {
      v = make(locale);
    } catch {
      v = make('en'); // a malformed or unknown tag must not break the view
    }
    cache.set(locale, v);
  }
  return v;
}

/** The plural category of `count` in the messages' language (`one`, `other`, …). */
export function pluralCategory(count: number): Intl.LDMLPluralRule {
  return cached(pluralRules, messagesLocale(), (l) => new Intl.PluralRules(l)).select(count);
}

/** A number as the messages' language writes it (10,000 in English). */
export function formatCount(n: number): string {
  return cached(numberFormats, messagesLocale(), (l) => new Intl.NumberFormat(l)).format(n);
}

/**
 * A counted message: `key_<category>` for `count` by the language's plural rules, else `key_other`.
 * The count is `$1` (written for the locale); `subs` follow as `$2`….
 */
export function tp(key: string, count: number, ...subs: Array<string | number>): string {
  const n = formatCount(count);
  return message(`${key}_${pluralCategory(count)}`, n, ...subs) ?? message(`${key}_other`, n, ...subs) ?? key;
}
