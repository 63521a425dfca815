/**
 * Toolbar icon per tab: the state's glyph (shared with the popup) drawn white on the state's solid
 * tone colour, so the icon says the same as every other surface. Drawn once per state with
 * OffscreenCanvas (workers and Firefox event pages have it) and kept.
 */
import type { VerdictState } from '../core/verdict.js';
import { STATE_STYLE } from '../shared/state-style.js';
import { ICON_PATHS, ICON_STROKE } from '../shared/icon-paths.js';

const SIZES = [16, 32] as const;
const cache = new Map<VerdictState, Record<string, ImageData>>();

export function iconImages(state: VerdictState): Record<string, ImageData> | undefined {
  const hit = cache.get(state);
  if (hit) return hit;
  if (typeof OffscreenCanvas === 'undefined' || typeof Path2D === 'undefined') return undefined;
  const style = STATE_STYLE[state];
  const out: Record<string, ImageData> = {};
  for (const size of SIZES) {
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    const r = size * 0.22;
    ctx.fillStyle = style.colours.solid;
    ctx.beginPath();
    ctx.roundRect(0, 0, size, size, r);
    ctx.fill();
    // Glyph on the 16-unit grid, inset so the stroke stays inside the tile.
    const inset = size * 0.14;
    const scale = (size - 2 * inset) / 16;
    ctx.translate(inset, inset);
    ctx.scale(scale, scale);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = ICON_STROKE * 1.25;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const d of ICON_PATHS[style.icon]) ctx.stroke(new Path2D(d));
    out[String(size)] = ctx.getImageData(0, 0, size, size);
  }
  cache.set(state, out);
  return out;
}
