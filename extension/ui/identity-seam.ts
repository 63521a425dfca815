/**
 * Seam between the UI and the core's identity analysis (`extension/core/display/`, another module).
 * The UI renders only what this returns: text segments, visible stand-ins for hidden characters, and
 * flags. Until the core module lands this holds a small conservative analysis of its own; the
 * signature of `analyzeIdentity` / `parseGithubActionsIdentity` is what the components depend on.
 */

export type IdentityFlag = 'bidi' | 'invisible' | 'control' | 'mixed-script' | 'confusable' | 'too-long';

export type IdentitySegment =
  | { kind: 'text'; text: string }
  /** A character that would be invisible or reorder text: shown as ⟦U+XXXX⟧, never emitted raw. */
  | { kind: 'hidden'; codePoint: number; label: string };

export interface IdentityAnalysis {
  segments: IdentitySegment[];
  flags: IdentityFlag[];
  /** Code points in the full value, and how many were left out of `segments`. */
  length: number;
  omitted: number;
}

export const MAX_IDENTITY_CHARS = 160;

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// Zero-width, format and filler characters that render as nothing (or as a blank) in most fonts.
const INVISIBLE =
  /[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e0fff}\u{1d173}-\u{1d17a}]/u;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Spaces other than U+0020 look like a space but compare differently.
const ODD_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

// Latin look-alikes from Cyrillic and Greek (lower and upper case), enough to catch the common spoofs.
const LOOKALIKES = new Set(
  'аеорсухіјѕԁԛԝһӏвнкмтАВЕКМНОРСТХУІЈЅԌԚԜαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ'.split(''),
);

const SCRIPTS: Array<[string, RegExp]> = [
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
];

function scriptOf(ch: string): string | undefined {
  if (!/\p{L}/u.test(ch)) return undefined;
  for (const [name, re] of SCRIPTS) if (re.test(ch)) return name;
  return 'Other';
}

function hex(cp: number): string {
  return 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
}

export function analyzeIdentity(value: string, maxChars = MAX_IDENTITY_CHARS): IdentityAnalysis {
  const flags = new Set<IdentityFlag>();
  const scripts = new Set<string>();
  const segments: IdentitySegment[] = [];
  let run = '';
  let count = 0;
  for (const ch of value) {
    count++;
    const cp = ch.codePointAt(0) ?? 0;
    let hidden: IdentityFlag | undefined;
    if (BIDI.test(ch)) hidden = 'bidi';
    else if (CONTROL.test(ch)) hidden = 'control';
    else if (INVISIBLE.test(ch) || ODD_SPACE.test(ch)) hidden = 'invisible';
    if (hidden) flags.add(hidden);
    const script = scriptOf(ch);
    if (script) scripts.add(script);
    if (LOOKALIKES.has(ch) || (cp > 0x7f && /^[\x21-\x7e]$/.test(ch.normalize('NFKC')))) flags.add('confusable');
    if (count > maxChars) continue;
    if (hidden) {
      if (run) segments.push({ kind: 'text', text: run });
      run = '';
      segments.push({ kind: 'hidden', codePoint: cp, label: `⟦${hex(cp)}⟧` });
    } else {
      run += ch;
    }
  }
  if (run) segments.push({ kind: 'text', text: run });
  if (scripts.size > 1) flags.add('mixed-script');
  const omitted = Math.max(0, count - maxChars);
  if (omitted > 0) flags.add('too-long');
  return { segments, flags: [...flags], length: count, omitted };
}

export interface GithubActionsIdentity {
  repo: string;
  workflow: string;
  ref: string;
}

/** `https://github.com/OWNER/REPO/.github/workflows/FILE@REF` → its parts; anything else → undefined. */
export function parseGithubActionsIdentity(identity: string): GithubActionsIdentity | undefined {
  const m = /^https:\/\/github\.com\/([^/\s@]+\/[^/\s@]+)\/(\.github\/workflows\/[^@\s]+)@(\S+)$/.exec(identity);
  if (!m || identity.length > 1024) return undefined;
  return { repo: m[1]!, workflow: m[2]!, ref: m[3]! };
}
