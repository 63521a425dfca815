/**
 * Untrusted identity text (certificate SANs, issuers, repo and file names) → segments and flags that
 * a UI renders as plain text. Hidden characters become visible tokens; look-alike letters are marked;
 * over-long values are cut visibly. Nothing here produces markup.
 */
import { lookAlike } from './confusables.js';

export type IdentityFlag =
  | 'bidi-control'
  | 'invisible'
  | 'control'
  | 'combining-mark'
  | 'mixed-script'
  | 'confusable'
  | 'truncated'
  | 'empty';

export type Segment =
  | { kind: 'text'; text: string }
  /** A character that would not show (or would reorder text): render `label`, e.g. ⟦U+202E⟧. */
  | { kind: 'hidden'; codePoint: number; label: string; why: HiddenWhy }
  /** A letter from another script that looks like `looksLike`. */
  | { kind: 'confusable'; text: string; looksLike: string; script: string }
  /** Where the value was cut. */
  | { kind: 'truncated'; omitted: number };

/** Why a character is shown by its code point instead of itself. */
export type HiddenWhy = 'bidi-control' | 'invisible' | 'control' | 'combining-mark';

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
// Whole Unicode categories and properties, not lists, so characters added to them later are caught
// too. Controls, lone surrogates, line and paragraph separators:
const CONTROL = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;
// Format characters (zero-width, tags, Egyptian and shorthand format controls, musical beams…),
// default-ignorable code points (fillers, variation selectors), and every space but U+0020.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{White_Space}\p{Zs}]/u;
// Graphic symbols that draw nothing in common fonts (no property says so): braille blank, null notehead.
const BLANK_SYMBOL = /[\u2800\u{1d159}]/u;
// Nonspacing and enclosing marks stack on, overlay or hide their neighbours (U+0338 turns = into ≠).
const MARK = /[\p{Mn}\p{Me}]/u;
// Private-use and unassigned code points: no agreed glyph, so never shown as if they had one.
const NO_GLYPH = /[\p{Co}\p{Cn}]/u;

/** Why `ch` must be shown by its code point, or undefined when it may be shown as itself. */
export function hiddenWhy(ch: string): HiddenWhy | undefined {
  if (ch === ' ') return undefined;
  if (BIDI.test(ch)) return 'bidi-control';
  if (CONTROL.test(ch) || NO_GLYPH.test(ch)) return 'control';
  if (INVISIBLE.test(ch) || BLANK_SYMBOL.test(ch)) return 'invisible';
  if (MARK.test(ch)) return 'combining-mark';
  return undefined;
}

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
    letters.some((c) => /\p{Script=Latin}/u.test(c) && !lookAlike(c)) || (letters.length > 0 && letters.every((c) => lookAlike(c)));

  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0) ?? 0;
    const script = scriptOf(ch);
    if (script) scripts.add(script);
    if (i >= max) return; // still scan the tail for flags and scripts
    const why = hiddenWhy(ch);
    if (why) {
      flush();
      flags.add(why);
      segments.push({ kind: 'hidden', codePoint: cp, label: codePointLabel(cp), why });
      return;
    }
    const look = lookAlikesMatter ? lookAlike(ch) : undefined;
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
    const why = hiddenWhy(ch);
    if (why) flags.add(why);
    else if (lookAlikesMatter && lookAlike(ch)) flags.add('confusable');
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
