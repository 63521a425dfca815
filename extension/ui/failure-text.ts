/**
 * A failure as a sentence in the UI's language. The core sends a code, an English reason (for the
 * CLI) and parameters; the sentence is `failure_<CODE>` from `_locales` with the parameters filled
 * in, or, when that sentence cannot be made, the code's fixed sentence `code_<CODE>`.
 */
import type { FailureInfo } from '../core/verdict.js';
import { formatCount, message, tp } from './i18n.js';

/** Parameter names, in their fixed substitution order: every `failure_*` message maps `count` to $1, `files` to $2, … */
export const FAILURE_PARAMS = ['count', 'files', 'signer', 'defaultBranch', 'limit'] as const;
export type FailureParam = (typeof FAILURE_PARAMS)[number];

/**
 * The parameters each `failure_<CODE>` sentence uses (a unit test keeps this in step with the
 * placeholders in the English file). A sentence is only used when all of them are present: the
 * browser's i18n would silently leave a gap for a missing one.
 */
export const FAILURE_SENTENCES: Readonly<Record<string, readonly FailureParam[]>> = {
  FILES_MISMATCH: ['count', 'files'],
  TOO_LARGE_TO_HASH: ['count', 'files'],
  PARTLY_SIGNED: ['count', 'files'],
  IO_ERROR: ['count', 'files'],
  SYMLINK_NOT_ALLOWED: ['files'],
  IDENTITY_MISMATCH: ['signer'],
  CERTIFICATE_CA_NOT_TRUSTED: ['signer'],
  NOT_DEFAULT_BRANCH: ['signer', 'defaultBranch'],
  WORK_BUDGET_EXCEEDED: ['limit'],
  LOCK_MISMATCH: ['count', 'files'],
};

/** Bounds one parameter so it cannot swamp the line (the view cuts further, visibly). */
const MAX_PARAM_CHARS = 400;

function paramText(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? formatCount(v) : undefined;
  if (typeof v !== 'string' || v === '') return undefined;
  return v.replace(/[\r\n]+/g, ' ').slice(0, MAX_PARAM_CHARS);
}

function countOf(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

const CODE = /^[A-Z0-9_]{1,64}$/;

/** The code's fixed sentence (`code_<CODE>`), or undefined for a code this UI has no wording for. */
export function codeWording(code: string): string | undefined {
  return CODE.test(code) ? message(`code_${code}`) : undefined;
}

/** Trusted wording from `_locales` (`text`) and hostile values from the verdict (`value`). */
export type FailurePart = { text: string } | { value: string };

// Private-use markers stand in for the values while the message is formatted, so hostile values never
// pass through the message formatter and can be rendered apart (isolated, hidden characters shown).
const mark = (i: number) => `\uE000${i}\uE001`;
const MARKS = /\uE000(\d)\uE001/g;

/** The `failure_<CODE>` sentence with its parameters, or undefined when any it uses is missing. */
export function paramSentence(failure: Pick<FailureInfo, 'code' | 'params'>): FailurePart[] | undefined {
  if (!CODE.test(failure.code) || !Object.prototype.hasOwnProperty.call(FAILURE_SENTENCES, failure.code)) return undefined;
  const uses = FAILURE_SENTENCES[failure.code]!;
  const params: Record<string, unknown> = failure.params && typeof failure.params === 'object' ? failure.params : {};
  const values = FAILURE_PARAMS.map((name) => (uses.includes(name) ? paramText(params[name]) : ''));
  if (values.some((v) => v === undefined)) return undefined;
  const subs = FAILURE_PARAMS.map((name, i) => (uses.includes(name) ? mark(i) : ''));
  const key = `failure_${failure.code}`;
  let formatted: string | undefined;
  if (uses.includes('count')) {
    const count = countOf(params['count']);
    if (count === undefined) return undefined;
    // The count is $1, written by tp for the locale (a number, not hostile text).
    const s = tp(key, count, ...subs.slice(1));
    formatted = s === key ? undefined : s;
  } else {
    formatted = message(key, ...subs);
  }
  if (!formatted) return undefined;
  const parts: FailurePart[] = [];
  let at = 0;
  for (const m of formatted.matchAll(MARKS)) {
    if (m.index > at) parts.push({ text: formatted.slice(at, m.index) });
    parts.push({ value: values[Number(m[1])]! });
    at = m.index + m[0].length;
  }
  if (at < formatted.length) parts.push({ text: formatted.slice(at) });
  return parts;
}

/**
 * One failure for people: the parameter sentence, else the code's sentence, else (a code this UI
 * does not know) the core's own reason, as a hostile value.
 */
export function failureParts(failure: Pick<FailureInfo, 'code' | 'reason' | 'params'>): FailurePart[] {
  const sentence = paramSentence(failure);
  if (sentence) return sentence;
  const wording = codeWording(failure.code);
  return wording ? [{ text: wording }] : [{ value: failure.reason }];
}

/** The same as plain text (tests, tooltips, comparisons). Render with `FailureText`, never as markup. */
export function failureText(failure: Pick<FailureInfo, 'code' | 'reason' | 'params'>): string {
  return failureParts(failure)
    .map((p) => ('text' in p ? p.text : p.value))
    .join('');
}

/** Hidden and reordering characters made visible, so a tooltip cannot disguise hostile text. */
export function plainTitle(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, (c) => `⟦U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`).slice(0, 300);
}
