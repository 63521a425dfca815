/**
 * `t(key, substitutions)`: every user-visible string comes from `_locales/<lang>/messages.json`.
 * In the extension it defers to the browser's i18n (`getMessage`); in Node (unit tests, the static
 * previews) it formats from a messages.json object handed to `useMessages`, with the same placeholder
 * rules (`$name$` → placeholder content, `$1`…`$9` → substitutions, `$$` → `$`).
 */

export interface MessageEntry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}
export type MessagesJson = Record<string, MessageEntry>;

interface I18nApi {
  getMessage(key: string, substitutions?: string | string[]): string;
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
  const strings = subs.map(String);
  if (fallback) {
    const entry = fallback[key];
    return entry ? formatMessage(entry, strings) : key;
  }
  const api = runtimeI18n();
  if (api) {
    const s = api.getMessage(key, strings);
    if (s) return s;
  }
  return key;
}
