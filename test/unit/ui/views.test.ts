import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATE_TABLE, VERDICT_STATES } from '../../../extension/core/verdict.js';
import type { Verdict } from '../../../extension/core/verdict.js';
import { Banner } from '../../../extension/ui/Banner.js';
import { FileMark } from '../../../extension/ui/FileMark.js';
import { StateHeader } from '../../../extension/ui/StateHeader.js';
import { VerdictView } from '../../../extension/ui/VerdictView.js';
import { ICON_PATHS } from '../../../extension/shared/icon-paths.js';
import { logViewerUrl } from '../../../extension/ui/format.js';
import { STATE_STYLE, TONE_COLOURS, styleOf } from '../../../extension/shared/state-style.js';
import { EMAIL_SIGNER, HOSTILE, KEY_SIGNER, LABELS, VERDICTS, loadMessages, withSigner } from './fixtures.js';

const MESSAGES = loadMessages();
import { html, plain, text } from './render.js';

/** What each fixture's failure reads as: from its parameters where the fixture has them, else the code's sentence. */
const SENTENCES: Partial<Record<string, string>> = {
  'identity-changed': 'Signed by someone-else@gmail.com, not by the signer you trust for this repo.',
  'signature-removed': MESSAGES['code_NOT_FOUND']!.message,
  'files-changed': '2 files differ from the signed files: model-00002-of-00002.safetensors, extra.bin',
  'invalid-signature': MESSAGES['code_SIGNATURE_INVALID']!.message,
  'partly-signed': '1 file is covered by no signature: modeling_evil.py',
  'unpinned-revision': 'Signed by Granite.Preview@ibm.com, but not on main: the trusted signer for this repo is taken from main.',
  unverifiable: MESSAGES['code_AUTH_REQUIRED']!.message,
  'lock-mismatch': '1 file differs from the version you locked: model-00002-of-00002.safetensors',
};

describe('state vocabulary', () => {
  it('gives every state the tone of the state table, an icon, and a badge only for alerts and failures', () => {
    for (const s of VERDICT_STATES) {
      const style = STATE_STYLE[s];
      expect(style.tone).toBe(STATE_TABLE[s].tone);
      expect(style.colours).toBe(TONE_COLOURS[style.tone]);
      expect(ICON_PATHS[style.icon].length).toBeGreaterThan(0);
      expect(style.badge === '!').toBe(STATE_TABLE[s].alert);
    }
    expect(STATE_STYLE.unsigned.tone).toBe('grey'); // absence is not failure
    expect(styleOf('no-such-state')).toBe(STATE_STYLE.unverifiable);
  });

  it('keeps the stylesheet colours in step with TONE_COLOURS', () => {
    const css = readFileSync(resolve(process.cwd(), 'extension/ui/styles.css'), 'utf8');
    for (const [tone, c] of Object.entries(TONE_COLOURS)) {
      for (const part of ['fg', 'bg', 'border'] as const) {
        expect(css).toContain(`--ms-${tone}-${part}: ${c[part]};`);
      }
    }
  });

  it('draws icons with path data only (no remote assets)', () => {
    for (const paths of Object.values(ICON_PATHS)) for (const d of paths) expect(d).toMatch(/^[MmLlHhVvCcSsQqTtAaZz0-9 .,-]+$/);
  });
});

describe.each(VERDICT_STATES)('state %s', (state) => {
  const v = VERDICTS[state];
  const tone = STATE_TABLE[state].tone;

  it('StateHeader shows the one wording and colour', () => {
    const out = html(StateHeader, { verdict: v });
    expect(out).toContain(`data-tone="${tone}"`);
    expect(out).toContain(`data-state="${state}"`);
    expect(text(out).startsWith(LABELS[state])).toBe(true);
    if ('failure' in v) {
      // The localized sentence is shown; the core's English reason only as the code's tooltip.
      expect(plain(out)).toContain(`Reason: ${SENTENCES[state]}`);
      expect(text(out)).toContain(v.failure.code);
      if (SENTENCES[state] !== v.failure.reason) expect(text(out)).not.toContain(v.failure.reason);
      expect(out).toContain(`title="${v.failure.reason}"`);
    }
    expect(out).toContain('<svg');
  });

  it('VerdictView renders the detail', () => {
    const out = html(VerdictView, { verdict: v, onAcceptSigner: async () => undefined });
    const words = text(out);
    expect(words).toContain(LABELS[state]);
    expect(words).toContain('acme-ai/granite-mini');
    if ('signature' in v && v.signature) {
      expect(words).toContain('Manifest root digest');
      expect(words).toContain(v.signature.rootDigest);
      expect(out).toContain('href="https://search.sigstore.dev/?logIndex=182736450"');
    }
    if ('files' in v && v.files) for (const f of v.files) expect(words).toContain(f.path);
    if (state === 'checking') expect(out).toContain('ms-spin');
  });

  it('Banner is one line: icon, wording, signer or reason, popup hint', () => {
    const out = html(Banner, { verdict: v });
    expect(out).toContain(`data-tone="${tone}"`);
    const words = text(out);
    expect(words.startsWith(LABELS[state])).toBe(true);
    expect(words).toContain('Details in the toolbar popup');
    if ('failure' in v && state !== 'identity-changed') expect(plain(out)).toContain(SENTENCES[state]);
  });

  it('FileMark falls back to the repo state without a file result', () => {
    const out = html(FileMark, { verdict: v, path: 'not-in-the-list.bin' });
    expect(out).toContain(`data-tone="${tone}"`);
    expect(out).toContain(`title="${LABELS[state]}"`);
  });
});

describe('state-specific detail', () => {
  it('verified: GitHub Actions identity as repo, workflow, ref; issuer; trusted since', () => {
    const words = text(html(VerdictView, { verdict: VERDICTS.verified }));
    expect(words).toMatch(/Repository acme-ai\/granite-mini Workflow \.github\/workflows\/release\.yml Ref refs\/tags\/v1\.2\.0/);
    expect(words).toContain('Issuer https://token.actions.githubusercontent.com');
    expect(words).toContain('Trusted since 2026-02-25 06:13 UTC.');
    expect(words).toContain('Log Index Time https://rekor.sigstore.dev 182736450 2026-03-30 11:34 UTC');
    expect(words).toContain('2026-03-30 11:34 UTC');
  });

  it('first use says the signer is now pinned', () => {
    const words = text(html(VerdictView, { verdict: VERDICTS['verified-first-use'] }));
    expect(words).toContain('Identity Granite.Preview@ibm.com');
    expect(words).toContain('Pinned now');
  });

  it('identity changed: old and new side by side, accept step asks for the repo name', () => {
    const out = html(VerdictView, { verdict: VERDICTS['identity-changed'], onAcceptSigner: async () => undefined });
    const oldCol = out.slice(out.indexOf('ms-compare-old'), out.indexOf('ms-compare-new'));
    const newCol = out.slice(out.indexOf('ms-compare-new'), out.indexOf('ms-accept'));
    expect(text(oldCol)).toContain('acme-ai/granite-mini');
    expect(text(newCol)).toContain('someone-else@gmail.com');
    expect(text(out)).toContain('type the repo name');
    expect(out).toMatch(/<button type="submit" class="ms-btn ms-btn-danger" disabled/);
    // Without an accept callback (warning page details) there is no accept form.
    expect(html(VerdictView, { verdict: VERDICTS['identity-changed'] })).not.toContain('ms-accept');
  });

  it('files changed: problem files first with their status', () => {
    const out = html(VerdictView, { verdict: VERDICTS['files-changed'] });
    const rows = [...out.matchAll(/<tr data-status="(\w+)"/g)].map((m) => m[1]);
    expect(rows.slice(0, 2)).toEqual(['mismatch', 'unsigned']);
    expect(text(out)).toContain('Changed: 1');
    expect(text(out)).toContain('Not signed: 1');
  });

  it('key signer shows the fingerprint, and no log link', () => {
    const v: Verdict = { ...withSigner(VERDICTS.verified, KEY_SIGNER) } as Verdict;
    if (v.state !== 'verified') throw new Error();
    v.signature = { ...v.signature, logEntries: [] };
    const words = text(html(VerdictView, { verdict: v }));
    expect(words).toContain('Key (SHA-256) ' + KEY_SIGNER.keyFingerprint);
    expect(words).toContain('No transparency log entry');
  });

  it('a 10,000-file table renders a bounded page of rows', () => {
    const files = Array.from({ length: 10_000 }, (_, i) => ({ path: `shard-${i}.bin`, status: 'verified' as const }));
    const v = { ...VERDICTS.verified, files } as Verdict;
    const out = html(VerdictView, { verdict: v });
    expect([...out.matchAll(/<tr data-status=/g)].length).toBe(200);
    expect(text(out)).toContain('Show all 10,000 files');
  });
});

describe('hostile identities in every view', () => {
  const cases = Object.entries(HOSTILE);
  it.each(cases)('%s is inert in VerdictView and Banner', (_name, identity) => {
    for (const base of [VERDICTS.verified, VERDICTS['identity-changed']]) {
      const v = withSigner(base, { ...EMAIL_SIGNER, identity, issuer: identity });
      for (const out of [html(VerdictView, { verdict: v, onAcceptSigner: async () => undefined }), html(Banner, { verdict: v })]) {
        expect(out).not.toMatch(/<script/i);
        expect(out).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u0007\u001b]/);
        expect(out.length).toBeLessThan(20_000);
      }
      expect(html(Banner, { verdict: v })).not.toContain('<button');
      const detail = html(VerdictView, { verdict: v });
      if (_name !== 'script') expect(detail).toContain('data-flag=');
      const banner = html(Banner, { verdict: v });
      if (_name !== 'script') expect(text(banner)).toContain('suspicious text');
    }
  });

  it('a hostile repo name and file names are inert too', () => {
    const v = {
      ...VERDICTS['files-changed'],
      subject: { repo: 'evil/<img src=x onerror=alert(1)>', commit: 'abc' },
      files: [{ path: 'model\u202Etxt.exe', status: 'mismatch' as const }],
    } as Verdict;
    const out = html(VerdictView, { verdict: v });
    expect(out).not.toContain('<img');
    expect(text(out)).toContain('model ⟦U+202E⟧ txt.exe bidi control');
  });
});

describe('failure wording', () => {
  it('words an unknown or malformed code by the verdict reason', () => {
    const v = { ...VERDICTS.unverifiable, failure: { code: 'NO_SUCH_CODE' as never, reason: 'something odd' } } as Verdict;
    expect(text(html(Banner, { verdict: v }))).toContain('something odd');
    const w = { ...VERDICTS.unverifiable, failure: { code: '<b>x</b>' as never, reason: 'odd' } } as Verdict;
    expect(html(StateHeader, { verdict: w })).not.toContain('<b>');
  });
});

describe('log viewer link', () => {
  it('links only public-good Rekor v1 entries with a decimal index', () => {
    expect(logViewerUrl({ log: 'https://rekor.sigstore.dev', logIndex: '42' })).toBe('https://search.sigstore.dev/?logIndex=42');
    expect(logViewerUrl({ log: 'https://rekor.sigstore.dev/', logIndex: '42' })).toBe('https://search.sigstore.dev/?logIndex=42');
    expect(logViewerUrl({ log: 'https://log2025-1.rekor.sigstore.dev', logIndex: '42' })).toBeUndefined();
    expect(logViewerUrl({ log: 'https://rekor.sigstore.dev', logIndex: '42&x=javascript:' })).toBeUndefined();
    expect(logViewerUrl({ log: 'https://rekor.sigstore.dev.evil', logIndex: '1' })).toBeUndefined();
  });
});

describe('FileMark', () => {
  it('shows the per-file status in the title, and a verified file in a red repo takes the repo colour', () => {
    const ok = html(FileMark, { verdict: VERDICTS.verified, path: 'config.json' });
    expect(ok).toContain('data-tone="green"');
    expect(ok).toContain('title="Matches · Verified"');
    const bad = html(FileMark, { verdict: VERDICTS['files-changed'], path: 'model-00002-of-00002.safetensors' });
    expect(bad).toContain('data-tone="red"');
    expect(bad).toContain('title="Changed · Files changed after signing"');
    const inChanged = html(FileMark, { verdict: VERDICTS['identity-changed'], path: 'config.json' });
    expect(inChanged).toContain('data-tone="red"');
  });
});
