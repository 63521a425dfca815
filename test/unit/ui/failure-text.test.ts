import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../extension/core/errors.js';
import type { FailureInfo, Verdict } from '../../../extension/core/verdict.js';
import { Banner } from '../../../extension/ui/Banner.js';
import { FailureText } from '../../../extension/ui/FailureText.js';
import { StateHeader } from '../../../extension/ui/StateHeader.js';
import { WarningView } from '../../../extension/ui/WarningView.js';
import { FAILURE_PARAMS, FAILURE_SENTENCES, failureText } from '../../../extension/ui/failure-text.js';
import { formatMessage, useMessages } from '../../../extension/ui/i18n.js';
import { VERDICTS, loadMessages } from './fixtures.js';
import { html, plain } from './render.js';

const messages = loadMessages();
const f = (code: string, params?: FailureInfo['params'], reason = 'english reason'): FailureInfo =>
  ({ code, reason, ...(params ? { params } : {}) }) as FailureInfo;

describe('failure sentences in the locale file', () => {
  it('exist for every code with parameters, with exactly the placeholders the UI fills, at fixed positions', () => {
    for (const [code, uses] of Object.entries(FAILURE_SENTENCES)) {
      expect(ERROR_CODES, code).toContain(code);
      expect(messages[`code_${code}`], `code_${code} is the fallback`).toBeDefined();
      const keys = uses.includes('count') ? [`failure_${code}_one`, `failure_${code}_other`] : [`failure_${code}`];
      for (const key of keys) {
        const entry = messages[key];
        expect(entry, key).toBeDefined();
        const placeholders = Object.entries(entry!.placeholders ?? {});
        expect(placeholders.map(([n]) => n).sort(), key).toEqual([...uses].sort());
        for (const [name, p] of placeholders) expect(p.content, `${key}.${name}`).toBe(`$${FAILURE_PARAMS.indexOf(name as never) + 1}`);
        for (const name of uses) expect(entry!.message, key).toContain(`$${name}$`);
      }
    }
    const declared = Object.keys(messages).filter((k) => k.startsWith('failure_'));
    const known = Object.keys(FAILURE_SENTENCES).flatMap((c) => [`failure_${c}`, `failure_${c}_one`, `failure_${c}_other`]);
    expect(declared.filter((k) => !known.includes(k))).toEqual([]);
  });
});

describe('failureText', () => {
  useMessages(messages);

  it('renders the parameters the core fills, plural by count', () => {
    expect(failureText(f('FILES_MISMATCH', { count: 1, files: 'model.safetensors' }))).toBe('1 file differs from the signed files: model.safetensors');
    expect(failureText(f('FILES_MISMATCH', { count: 12, files: 'a.bin, b.bin' }))).toBe('12 files differ from the signed files: a.bin, b.bin');
    expect(failureText(f('TOO_LARGE_TO_HASH', { count: 1, files: 'big.bin' }))).toBe(
      '1 file is too large to hash in the browser (big.bin); check the model on disk with modelseal verify.',
    );
    expect(failureText(f('PARTLY_SIGNED', { count: 2, files: 'a.py, b.py' }))).toBe('2 files are covered by no signature: a.py, b.py');
    expect(failureText(f('IDENTITY_MISMATCH', { signer: 'eve@example.com' }))).toBe('Signed by eve@example.com, not by the signer you trust for this repo.');
    expect(failureText(f('NOT_DEFAULT_BRANCH', { signer: 'eve@example.com', defaultBranch: 'main' }))).toBe(
      'Signed by eve@example.com, but not on main: the trusted signer for this repo is taken from main.',
    );
    expect(failureText(f('WORK_BUDGET_EXCEEDED', { limit: 2000 }))).toBe('Checking this revision needed more than the per-check budget allows (2,000).');
    expect(failureText(f('SYMLINK_NOT_ALLOWED', { files: 'weights/link' }))).toBe('weights/link is a symbolic link, and the signature does not allow symbolic links.');
    expect(failureText(f('IO_ERROR', { count: '3', files: 'a, b, c' }))).toBe('3 files could not be read: a, b, c');
  });

  it("falls back to the code's sentence without params, with a param missing, empty or of the wrong kind", () => {
    const fallback = messages['code_FILES_MISMATCH']!.message;
    expect(failureText(f('FILES_MISMATCH'))).toBe(fallback);
    expect(failureText(f('FILES_MISMATCH', { count: 2 }))).toBe(fallback);
    expect(failureText(f('FILES_MISMATCH', { count: 2, files: '' }))).toBe(fallback);
    expect(failureText(f('FILES_MISMATCH', { count: 'two', files: 'a' }))).toBe(fallback);
    expect(failureText(f('FILES_MISMATCH', { count: -1, files: 'a' }))).toBe(fallback);
    expect(failureText(f('NOT_DEFAULT_BRANCH', { signer: 'x' }))).toBe(messages['code_NOT_DEFAULT_BRANCH']!.message);
    expect(failureText(f('AUTH_REQUIRED', { count: 1 }))).toBe(messages['code_AUTH_REQUIRED']!.message);
    for (const code of ERROR_CODES) expect(failureText(f(code)), code).toBe(messages[`code_${code}`]!.message);
  });

  it("shows the core's reason only for a code this UI does not know", () => {
    expect(failureText(f('NO_SUCH_CODE', { count: 1 }, 'something odd'))).toBe('something odd');
    expect(failureText(f('<b>x</b>', undefined, 'odd'))).toBe('odd');
  });

  it('treats parameters as text: no markup, no placeholder expansion, hidden characters shown', () => {
    const hostile = f('FILES_MISMATCH', { count: 2, files: '<img src=x onerror=alert(1)>, $1 $files$ $$, \uE0000\uE001, evil\u202Etxt.exe' });
    const out = html(FailureText, { failure: hostile });
    expect(out).not.toContain('<img');
    // Private-use characters (the UI's own placeholder markers, if any leaked) are shown as code points too.
    expect(plain(out)).toContain('2 files differ from the signed files: <img src=x onerror=alert(1)>, $1 $files$ $$, ⟦U+E000⟧0⟦U+E001⟧, evil⟦U+202E⟧txt.exe');
    expect(out).not.toMatch(/\u202E/);
    expect(failureText(hostile)).toContain('$1 $files$ $$');
    // A value cannot break the line into several.
    expect(failureText(f('IDENTITY_MISMATCH', { signer: 'a\nb' }))).toBe('Signed by a b, not by the signer you trust for this repo.');
  });

  it('in the extension, uses the browser i18n and still falls back when a translation lacks the sentence', () => {
    useMessages(undefined);
    const g = globalThis as { chrome?: unknown };
    const before = g.chrome;
    const file = { ...messages };
    g.chrome = { i18n: { getMessage: (k: string, subs?: string[]) => (file[k] ? formatMessage(file[k], subs ?? []) : ''), getUILanguage: () => 'en-US' } };
    try {
      expect(failureText(f('FILES_MISMATCH', { count: 1, files: 'a.bin' }))).toBe('1 file differs from the signed files: a.bin');
      delete file['failure_FILES_MISMATCH_one'];
      delete file['failure_FILES_MISMATCH_other'];
      expect(failureText(f('FILES_MISMATCH', { count: 1, files: 'a.bin' }))).toBe(messages['code_FILES_MISMATCH']!.message);
    } finally {
      g.chrome = before;
      useMessages(messages);
    }
  });
});

describe('every surface shows the localized sentence', () => {
  const v = { ...VERDICTS['files-changed'], failure: f('FILES_MISMATCH', { count: 1, files: 'model.bin' }, '1 file differ from the signed manifest: model.bin') } as Verdict;
  const sentence = '1 file differs from the signed files: model.bin';

  it('popup and warning state line, banner, warning reason', () => {
    expect(plain(html(StateHeader, { verdict: v }))).toContain(sentence);
    expect(plain(html(Banner, { verdict: v }))).toContain(sentence);
    const pending = { requestId: 'r', url: 'https://huggingface.co/a/b/resolve/main/x.bin', check: { verdict: v, allow: false }, source: 'click' as const };
    const warning = html(WarningView, { pending, onDecision: async () => undefined });
    expect(plain(warning.slice(warning.indexOf('ms-warning-reason')))).toContain(sentence);
    for (const out of [html(StateHeader, { verdict: v }), html(Banner, { verdict: v }), warning]) expect(plain(out)).not.toContain('differ from the signed manifest');
  });
});
