import { describe, expect, it } from 'vitest';
import { downloadFilename } from '../../../extension/background/verified-filename.js';

describe('downloadFilename (hub paths are hostile)', () => {
  it('keeps the last path segment only', () => {
    expect(downloadFilename('weights/model-00001-of-00002.safetensors')).toBe('model-00001-of-00002.safetensors');
    expect(downloadFilename('../../etc/passwd')).toBe('passwd');
    expect(downloadFilename('a\\b\\c.bin')).toBe('c.bin');
  });

  it('drops bidi overrides, zero-width and control characters', () => {
    expect(downloadFilename('model\u202Etxt.exe')).toBe('modeltxt.exe');
    expect(downloadFilename('mo\u200Bdel\u0000.bin')).toBe('model.bin');
    expect(downloadFilename('a\nb.bin')).toBe('ab.bin');
  });

  it('replaces characters file systems refuse, and hidden or trailing dots', () => {
    expect(downloadFilename('a<b>:c"d|e?f*.bin')).toBe('a_b__c_d_e_f_.bin');
    expect(downloadFilename('.bashrc')).toBe('bashrc');
    expect(downloadFilename('model.bin. . ')).toBe('model.bin');
  });

  it('renames Windows device names and never returns an empty name', () => {
    expect(downloadFilename('CON')).toBe('_CON');
    expect(downloadFilename('nul.txt')).toBe('_nul.txt');
    expect(downloadFilename('...')).toBe('download');
    expect(downloadFilename('')).toBe('download');
  });

  it('bounds the length and keeps the extension', () => {
    const name = downloadFilename(`${'x'.repeat(500)}.safetensors`);
    expect(name.length).toBe(160);
    expect(name.endsWith('.safetensors')).toBe(true);
  });
});
