import { ICON_PATHS, ICON_STROKE } from '../shared/icon-paths.js';
import type { IconName } from '../shared/icon-paths.js';

/** Inline SVG from the shared path table; decorative (the wording next to it carries the meaning). */
export function Icon({ name, size = 16, spin = false }: { name: IconName; size?: number; spin?: boolean }) {
  return (
    <svg
      class={spin ? 'ms-icon ms-spin' : 'ms-icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      stroke-width={ICON_STROKE}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {ICON_PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
