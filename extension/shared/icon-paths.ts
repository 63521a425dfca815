/**
 * Icon geometry as SVG path data on a 16×16 grid, all drawn with a round 1.6-unit stroke and no fill.
 * Kept as plain strings so the popup renders them as inline SVG and the worker can draw the same
 * shapes on an OffscreenCanvas with `new Path2D(d)` for the toolbar icon. No remote assets.
 */
export const ICON_PATHS = {
  spinner: ['M8 1.8a6.2 6.2 0 1 1-6.2 6.2'],
  shieldCheck: ['M8 1.5 2.5 3.6v4c0 3.2 2.3 5.8 5.5 6.9 3.2-1.1 5.5-3.7 5.5-6.9v-4z', 'M5.4 8.1l1.9 1.9 3.4-3.5'],
  pin: ['M8 14.6s4.6-4.3 4.6-7.9a4.6 4.6 0 0 0-9.2 0c0 3.6 4.6 7.9 4.6 7.9z', 'M8 8.4a1.6 1.6 0 1 0 0-3.2 1.6 1.6 0 0 0 0 3.2z'],
  personAlert: ['M6 7.2a2.6 2.6 0 1 0 0-5.2 2.6 2.6 0 0 0 0 5.2z', 'M1.4 14.4c0-2.6 2-4.6 4.6-4.6s4.6 2 4.6 4.6', 'M13.6 3.5v5.2', 'M13.6 12v.4'],
  shieldOff: ['M8 1.5 2.5 3.6v4c0 3.2 2.3 5.8 5.5 6.9 3.2-1.1 5.5-3.7 5.5-6.9v-4z', 'M1.5 1.5l13 13'],
  fileAlert: ['M3.4 1.5h6l3.2 3.2v9.8H3.4z', 'M9.4 1.5v3.2h3.2', 'M8 6.6v3.8', 'M8 12.6v.2'],
  xCircle: ['M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z', 'M5.6 5.6l4.8 4.8', 'M10.4 5.6l-4.8 4.8'],
  minusCircle: ['M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z', 'M5 8h6'],
  shieldHalf: ['M8 1.5 2.5 3.6v4c0 3.2 2.3 5.8 5.5 6.9 3.2-1.1 5.5-3.7 5.5-6.9v-4z', 'M8 1.5v13'],
  branch: ['M4.5 2v8.5', 'M4.5 14a1.6 1.6 0 1 0 0-3.2 1.6 1.6 0 0 0 0 3.2z', 'M11.5 6a1.6 1.6 0 1 0 0-3.2 1.6 1.6 0 0 0 0 3.2z', 'M11.5 6c0 3-7 2.5-7 4.8'],
  warnTriangle: ['M8 1.8 15 14.3H1z', 'M8 6.2v3.9', 'M8 12.2v.2'],
  lock: ['M3.5 7.2h9v7.3h-9z', 'M5.4 7.2V5a2.6 2.6 0 0 1 5.2 0v2.2', 'M8 10v1.6'],
  bell: ['M4 11.5V7a4 4 0 0 1 8 0v4.5l1.2 1.2H2.8z', 'M6.6 14.3h2.8'],
  chip: ['M8 1.8 15 14.3H1z', 'M8 6.2v3.9', 'M8 12.2v.2'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof ICON_PATHS;

/** Stroke width on the 16-unit grid; scale with the drawing size. */
export const ICON_STROKE = 1.6;
