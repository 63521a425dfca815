/**
 * The name a verified file is saved under. The path comes from the hub (hostile): only its last
 * segment is used, with everything a downloads folder or a file manager could misread removed.
 * `downloads.download` refuses absolute paths and `..`, but control, bidi and invisible characters,
 * reserved device names and trailing dots would still pass or mislead; they do not here.
 */
const MAX_NAME = 160;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function downloadFilename(path: string): string {
  const last = path.split(/[/\\]/).filter((s) => s !== '').pop() ?? '';
  let name = last
    .normalize('NFC')
    // Controls, format characters (bidi overrides, zero-width), separators other than space, unassigned and private use.
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/gu, '')
    .replace(/[<>:"/\\|?*~]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (name.length > MAX_NAME) {
    // Keep the extension (what the file is) and cut the stem.
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  return name === '' ? 'download' : name;
}
