/**
 * A small table of letters from other scripts (and fullwidth forms) that look like Latin letters or
 * digits. Not the whole Unicode confusables list: enough to catch the usual spoofs of e-mail
 * addresses, URLs and repo names.
 */
export interface Confusable {
  latin: string;
  script: string;
}

const CYRILLIC = 'аa вb сc еe һh іi јj кk мm нH оo рp ѕs тt хx уy ԁd ԛq ԝw ӏl АA ВB СC ЕE НH ІI ЈJ КK МM ОO РP ЅS ТT ХX УY ԌG ԚQ ԜW ҮY';
const GREEK = 'αa βb εe ιi κk νv οo ρp τt υu χx ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX';
// Latin small capitals read as the capital letter (ꜱᴇᴄᴜʀɪᴛʏ): same script, so mixed-script misses them.
const SMALL_CAPITALS = 'ᴀA ʙB ᴄC ᴅD ᴇE ꜰF ɢG ʜH ɪI ᴊJ ᴋK ʟL ᴍM ɴN ᴏO ᴘP ꞯQ ʀR ꜱS ᴛT ᴜU ᴠV ᴡW ʏY ᴢZ ᴁÆ ɶŒ ᴌL ᴎN ᴙR ᴚR ᴆD';
const OTHER = 'ɑa ɡg ɩi ꓲI ꓡL ꓳO ꓑP ꓢS ꓔT ꓴU ꓪW ꓫX ꓬY ꓜZ ᎪA ᏴB ᏟC ᎠD ᎬE ᎻH ᏆI ᎫJ ᏦK ᎷM ᏢP ᏚS ᎢT ᏙV ᏔW ᏃZ ℓl ℮e';

function build(): Map<string, Confusable> {
  const m = new Map<string, Confusable>();
  const add = (table: string, script: string) => {
    for (const pair of table.split(' ')) {
      const [ch, ...rest] = Array.from(pair);
      const latin = rest.join('').trim();
      if (ch && latin) m.set(ch, { latin, script });
    }
  };
  add(CYRILLIC, 'Cyrillic');
  add(GREEK, 'Greek');
  add(SMALL_CAPITALS, 'Latin small capital');
  add(OTHER, 'Other');
  // Fullwidth ASCII (U+FF01–FF5E) mirrors every printable ASCII character.
  for (let cp = 0xff01; cp <= 0xff5e; cp++) m.set(String.fromCodePoint(cp), { latin: String.fromCodePoint(cp - 0xfee0), script: 'Fullwidth' });
  // Digits and letters that pass for others in Latin-only spoofs are left to the mixed-script flag.
  return m;
}

export const CONFUSABLES: ReadonlyMap<string, Confusable> = build();

const ASCII_GRAPHIC = /^[\x21-\x7e]+$/;
const derived = new Map<string, Confusable | null>();

/**
 * What `ch` passes for, if anything: the table above, else any non-ASCII character whose
 * compatibility form (NFKC) is printable ASCII: mathematical and enclosed letters (𝐚, ⓐ), ligatures
 * (ﬁ), super- and subscripts, roman numerals (ⅰ)… — generated from Unicode, not listed.
 */
export function lookAlike(ch: string): Confusable | undefined {
  const known = CONFUSABLES.get(ch);
  if (known) return known;
  if (ch.length === 0 || ch.charCodeAt(0) < 0x80) return undefined;
  let d = derived.get(ch);
  if (d === undefined) {
    const n = ch.normalize('NFKC');
    d = n !== ch && ASCII_GRAPHIC.test(n) ? { latin: n, script: 'Compatibility form' } : null;
    if (derived.size < 4096) derived.set(ch, d);
  }
  return d ?? undefined;
}
