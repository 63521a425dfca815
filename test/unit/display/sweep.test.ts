/**
 * Identity display over the whole code space (finding 10): generated from Unicode's own categories
 * and properties as Node knows them, not from a list, so a character is caught because of what it is.
 * Every format character (Cf), nonspacing or enclosing mark (Mn, Me), control, surrogate, separator,
 * odd space, default-ignorable, private-use or unassigned code point is shown as ⟦U+XXXX⟧ and flagged;
 * every character whose compatibility form is plain ASCII is a look-alike.
 */
import { describe, expect, it } from 'vitest';
import { analyseIdentity, codePointLabel, hiddenWhy, lookAlike } from '../../../extension/core/display/index.js';

const MAX_CP = 0x10ffff;
const MUST_HIDE = /[\p{Cf}\p{Mn}\p{Me}\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;
const chr = (cp: number) => String.fromCodePoint(cp);

function* codeSpace(): Generator<number> {
  for (let cp = 0; cp <= MAX_CP; cp++) yield cp;
}

describe('whole-category sweep over U+0000…U+10FFFF', () => {
  it('every character of those categories must be shown by its code point; everything else is shown as itself', () => {
    const missed: string[] = [];
    let hidden = 0;
    for (const cp of codeSpace()) {
      const ch = chr(cp);
      const must = cp !== 0x20 && MUST_HIDE.test(ch);
      const why = hiddenWhy(ch);
      if (must && !why) missed.push(codePointLabel(cp));
      if (why) hidden++;
      // Marks hide as marks (unless default-ignorable, then as invisible); format chars never as marks.
      if (/\p{Cf}/u.test(ch)) expect(why === 'invisible' || why === 'bidi-control', codePointLabel(cp)).toBe(true);
      if (/[\p{Mn}\p{Me}]/u.test(ch) && !/\p{Default_Ignorable_Code_Point}/u.test(ch)) expect(why, codePointLabel(cp)).toBe('combining-mark');
    }
    expect(missed).toEqual([]);
    expect(hidden).toBeGreaterThan(900_000); // most of the code space is unassigned or private use
  });

  it('the analyser never puts such a character in a text segment (the code space in 512-character chunks)', () => {
    for (let start = 0; start <= MAX_CP; start += 512) {
      let s = '';
      for (let cp = start; cp < Math.min(start + 512, MAX_CP + 1); cp++) s += chr(cp);
      const a = analyseIdentity(s, { maxLength: 1024 });
      for (const seg of a.segments) {
        if (seg.kind !== 'text' && seg.kind !== 'confusable') continue;
        for (const ch of seg.text) if (ch !== ' ' && MUST_HIDE.test(ch)) throw new Error(`${codePointLabel(ch.codePointAt(0) ?? 0)} shown as itself`);
      }
    }
  });

  it('each assigned format character and mark, between two letters, is flagged and shown as its code point', () => {
    let n = 0;
    for (const cp of codeSpace()) {
      const ch = chr(cp);
      if (!/[\p{Cf}\p{Mn}\p{Me}]/u.test(ch)) continue;
      n++;
      const a = analyseIdentity(`ab${ch}cd`);
      expect(a.flags.some((f) => f === 'invisible' || f === 'bidi-control' || f === 'combining-mark'), codePointLabel(cp)).toBe(true);
      expect(a.visible).toBe(`ab${codePointLabel(cp)}cd`);
    }
    expect(n).toBeGreaterThan(2000);
  });

  it('every character whose NFKC form is printable ASCII passes for that ASCII (and is flagged next to Latin)', () => {
    let n = 0;
    for (const cp of codeSpace()) {
      if (cp < 0x80 || (cp >= 0xd800 && cp <= 0xdfff)) continue;
      const ch = chr(cp);
      const nfkc = ch.normalize('NFKC');
      if (nfkc === ch || !/^[\x21-\x7e]+$/.test(nfkc)) continue;
      n++;
      expect(lookAlike(ch)?.latin ?? '', codePointLabel(cp)).not.toBe('');
      const a = analyseIdentity(`release${ch}bot@example.com`);
      expect(a.flags.some((f) => f === 'confusable' || f === 'invisible'), codePointLabel(cp)).toBe(true);
    }
    expect(n).toBeGreaterThan(1000); // mathematical alphanumerics alone are about a thousand
  });
});

describe('the reported gaps', () => {
  it.each([
    [0x2800, 'invisible'], // BRAILLE PATTERN BLANK (So): draws nothing
    [0x1d159, 'invisible'], // MUSICAL SYMBOL NULL NOTEHEAD (So): draws nothing
    [0x1d173, 'invisible'], // MUSICAL SYMBOL BEGIN BEAM (Cf)
    [0x13430, 'invisible'], // EGYPTIAN HIEROGLYPH VERTICAL JOINER (Cf)
    [0x1bca0, 'invisible'], // SHORTHAND FORMAT LETTER OVERLAP (Cf)
    [0x0301, 'combining-mark'], // COMBINING ACUTE ACCENT (Mn)
    [0x0338, 'combining-mark'], // COMBINING LONG SOLIDUS OVERLAY (Mn): = becomes ≠
    [0x20dd, 'combining-mark'], // COMBINING ENCLOSING CIRCLE (Me)
  ])('U+%s is shown by its code point and flagged %s', (cp, flag) => {
    const a = analyseIdentity(`release${chr(cp)}@example.com`);
    expect(a.flags).toContain(flag);
    expect(a.visible).toBe(`release${codePointLabel(cp)}@example.com`);
  });

  it('Latin small capitals are look-alikes of the capitals, alone or next to ordinary Latin', () => {
    const a = analyseIdentity('ꜱᴇᴄᴜʀɪᴛʏ@example.com');
    expect(a.flags).toContain('confusable');
    expect(a.segments.filter((s) => s.kind === 'confusable').map((s) => (s.kind === 'confusable' ? s.looksLike : ''))).toEqual(['S', 'E', 'C', 'U', 'R', 'I', 'T', 'Y']);
    expect(analyseIdentity('ᴀᴅᴍɪɴ').flags).toContain('confusable');
    expect(analyseIdentity('paypaʟ').flags).toContain('confusable');
  });

  it('plain identities stay unflagged', () => {
    for (const id of ['stefanb@us.ibm.com', 'https://github.com/acme/model/.github/workflows/release.yml@refs/tags/v1', 'José.Müller@example.org', 'Ζωή']) {
      expect(analyseIdentity(id).flags, id).toEqual([]);
    }
  });
});
