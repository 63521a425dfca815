/**
 * Untrusted identity text (certificate SANs, issuers, repo and file names) → segments and flags that
 * a UI renders as plain text. Hidden characters become visible tokens; look-alike letters are marked;
 * over-long values are cut visibly. Nothing here produces markup.
 */
import { CONFUSABLES } from './confusables.js';

export type IdentityFlag =
  | 'bidi-control'
  | 'invisible'
  | 'control'
  | 'mixed-script'
  | 'confusable'
  | 'truncated'
  | 'empty';

export type Segment =
  | { kind: 'text'; text: string }
  /** A character that would not show (or would reorder text): render `label`, e.g. ⟦U+202E⟧. */
  | { kind: 'hidden'; codePoint: number; label: string; why: 'bidi-control' | 'invisible' | 'control' }
  /** A letter from another script that looks like `looksLike`. */
  | { kind: 'confusable'; text: string; looksLike: string; script: string }
  /** Where the value was cut. */
  | { kind: 'truncated'; omitted: number };

export interface IdentityAnalysis {
  segments: Segment[];
  flags: IdentityFlag[];
  /** Scripts of the letters seen (e.g. ["Latin", "Cyrillic"]). */
  scripts: string[];
  /** The visible rendering as one string (hidden characters as ⟦U+XXXX⟧), for titles and logs. */
  visible: string;
}

export interface AnalyseOptions {
  /** Code points shown before cutting. Default 200. */
  maxLength?: number;
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// Zero-width, joiners, word joiner, invisible operators, BOM, soft hyphen, Hangul fillers, tag and variation chars.
const INVISIBLE = /[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/u;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufff9-\ufffb]/u;
// Unusual spaces look like a plain space but are not one.
const ODD_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Georgian', /\p{Script=Georgian}/u],
];

function scriptOf(ch: string): string | undefined {
  if (!/\p{L}/u.test(ch)) return undefined;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return 'Other';
}

export function codePointLabel(cp: number): string {
  return `⟦U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟧`;
}

export function analyseIdentity(input: string, opts: AnalyseOptions = {}): IdentityAnalysis {
  const max = Math.max(1, opts.maxLength ?? 200);
  const flags = new Set<IdentityFlag>();
  const scripts = new Set<string>();
  const segments: Segment[] = [];
  let text = '';
  const flush = () => {
    if (text) segments.push({ kind: 'text', text });
    text = '';
  };
  const chars = Array.from(typeof input === 'string' ? input : String(input));
  if (chars.length === 0) flags.add('empty');
  // Look-alikes matter next to Latin text, or when every letter is one (a whole-script spoof);
  // an honest Greek or Cyrillic name is not flagged for its shared letter shapes.
  const letters = chars.filter((c) => /\p{L}/u.test(c));
  const lookAlikesMatter =
    letters.some((c) => /\p{Script=Latin}/u.test(c) && !CONFUSABLES.has(c)) ||
    (letters.length > 0 && letters.every((c) => CONFUSABLES.has(c)));

  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0) ?? 0;
    const script = scriptOf(ch);
    if (script) scripts.add(script);
    if (i >= max) return; // still scan the tail for flags and scripts
    const why: 'bidi-control' | 'invisible' | 'control' | undefined = BIDI.test(ch)
      ? 'bidi-control'
      : INVISIBLE.test(ch)
        ? 'invisible'
        : CONTROL.test(ch)
          ? 'control'
          : ODD_SPACE.test(ch)
            ? 'invisible'
            : undefined;
    if (why) {
      flush();
      flags.add(why);
      segments.push({ kind: 'hidden', codePoint: cp, label: codePointLabel(cp), why });
      return;
    }
    const look = lookAlikesMatter ? CONFUSABLES.get(ch) : undefined;
    if (look) {
      flush();
      flags.add('confusable');
      segments.push({ kind: 'confusable', text: ch, looksLike: look.latin, script: look.script });
      return;
    }
    text += ch;
  });
  // Flags for what lies beyond the cut must not be lost.
  for (const ch of chars.slice(max)) {
    if (BIDI.test(ch)) flags.add('bidi-control');
    else if (INVISIBLE.test(ch) || ODD_SPACE.test(ch)) flags.add('invisible');
    else if (CONTROL.test(ch)) flags.add('control');
    else if (lookAlikesMatter && CONFUSABLES.has(ch)) flags.add('confusable');
  }
  flush();
  if (chars.length > max) {
    flags.add('truncated');
    segments.push({ kind: 'truncated', omitted: chars.length - max });
  }
  const real = [...scripts].filter((s) => s !== 'Other');
  if (real.length > 1 || (real.length === 1 && scripts.has('Other'))) flags.add('mixed-script');

  const visible = segments
    .map((s) => (s.kind === 'text' || s.kind === 'confusable' ? s.text : s.kind === 'hidden' ? s.label : `… (+${s.omitted})`))
    .join('');
  return { segments, flags: [...flags], scripts: [...scripts], visible };
}

/** True when nothing about the text needs a warning chip. */
export function isPlainIdentity(a: IdentityAnalysis): boolean {
  return a.flags.length === 0;
}

/** Hostile text for a one-line, plain-text message: hidden characters shown as ⟦U+XXXX⟧, cut visibly. */
export function plainLine(text: string, maxLength = 120): string {
  return analyseIdentity(text, { maxLength }).visible;
}
