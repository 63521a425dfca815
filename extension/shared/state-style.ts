/**
 * The one visual vocabulary for verdict states: message key, icon and colours per state. Popup, frame,
 * warning page and the worker's toolbar icon all read this table, so a state looks the same everywhere.
 * Pure data: safe to import from the worker (no DOM, no Preact).
 */
import { STATE_TABLE, VERDICT_STATES } from '../core/verdict.js';
import type { Tone, VerdictState } from '../core/verdict.js';
import type { IconName } from './icon-paths.js';

export interface ToneColours {
  /** Text and icon colour on `bg` (WCAG AA on bg). */
  fg: string;
  /** Soft background for banners and chips. */
  bg: string;
  border: string;
  /** Solid colour for the toolbar icon and badge (white text/glyph on it). */
  solid: string;
}

export const TONE_COLOURS: Readonly<Record<Tone, ToneColours>> = {
  green: { fg: '#116329', bg: '#dafbe1', border: '#4ac26b', solid: '#1a7f37' },
  blue: { fg: '#0550ae', bg: '#ddf4ff', border: '#54aeff', solid: '#0969da' },
  red: { fg: '#a40e26', bg: '#ffebe9', border: '#ff8182', solid: '#cf222e' },
  amber: { fg: '#7d4e00', bg: '#fff8c5', border: '#d4a72c', solid: '#9a6700' },
  grey: { fg: '#424a53', bg: '#f6f8fa', border: '#d0d7de', solid: '#6e7781' },
};

export interface StateStyle {
  tone: Tone;
  colours: ToneColours;
  icon: IconName;
  /** `_locales` key of the short state name ("Verified", "Identity changed"…). */
  labelKey: string;
  /** `_locales` key of the one-line explanation shown under the name. */
  summaryKey: string;
  /** Toolbar badge text (ASCII, ≤ 1 char) or '' for none. */
  badge: string;
}

const ICONS: Readonly<Record<VerdictState, IconName>> = {
  checking: 'spinner',
  verified: 'shieldCheck',
  'verified-first-use': 'pin',
  'identity-changed': 'personAlert',
  'signature-removed': 'shieldOff',
  'files-changed': 'fileAlert',
  'invalid-signature': 'xCircle',
  'partly-signed': 'shieldHalf',
  'unpinned-revision': 'branch',
  unsigned: 'minusCircle',
  unverifiable: 'warnTriangle',
  'lock-mismatch': 'lock',
};

const BADGES: Readonly<Record<VerdictState, string>> = {
  checking: '',
  verified: '',
  'verified-first-use': '',
  'identity-changed': '!',
  'signature-removed': '!',
  'files-changed': '!',
  'invalid-signature': '!',
  'partly-signed': '?',
  'unpinned-revision': '?',
  unsigned: '',
  unverifiable: '?',
  'lock-mismatch': '?',
};

/** `verified-first-use` → `verifiedFirstUse` (message keys allow only [A-Za-z0-9_@]). */
export function stateKey(state: VerdictState): string {
  return state.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function build(): Record<VerdictState, StateStyle> {
  const out = {} as Record<VerdictState, StateStyle>;
  for (const state of VERDICT_STATES) {
    const tone = STATE_TABLE[state].tone;
    const key = stateKey(state);
    out[state] = {
      tone,
      colours: TONE_COLOURS[tone],
      icon: ICONS[state],
      labelKey: `state_${key}`,
      summaryKey: `state_${key}_summary`,
      badge: BADGES[state],
    };
  }
  return out;
}

export const STATE_STYLE: Readonly<Record<VerdictState, StateStyle>> = build();

/** Defensive lookup for values that crossed a message boundary. Unknown → "could not verify". */
export function styleOf(state: unknown): StateStyle {
  return typeof state === 'string' && Object.prototype.hasOwnProperty.call(STATE_STYLE, state)
    ? STATE_STYLE[state as VerdictState]
    : STATE_STYLE.unverifiable;
}
