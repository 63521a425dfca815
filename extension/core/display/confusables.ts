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
const OTHER = 'ɑa ɡg ɩi ʟL ꓲI ꓡL ꓳO ꓑP ꓢS ꓔT ꓴU ꓪW ꓫX ꓬY ꓜZ ᎪA ᏴB ᏟC ᎠD ᎬE ᎻH ᏆI ᎫJ ᏦK ᎷM ᏢP ᏚS ᎢT ᏙV ᏔW ᏃZ ℓl ℮e';

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
  add(OTHER, 'Other');
  // Fullwidth ASCII (U+FF01–FF5E) mirrors every printable ASCII character.
  for (let cp = 0xff01; cp <= 0xff5e; cp++) m.set(String.fromCodePoint(cp), { latin: String.fromCodePoint(cp - 0xfee0), script: 'Fullwidth' });
  // Digits and letters that pass for others in Latin-only spoofs are left to the mixed-script flag.
  return m;
}

export const CONFUSABLES: ReadonlyMap<string, Confusable> = build();
