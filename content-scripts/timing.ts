const MARK = 'modelseal:content';

/**
 * Runs `fn` and records the main-thread time it took as a `modelseal:content` measure (plus an
 * optional named part), which the benchmark reads from the page's timeline. Work deferred to idle
 * callbacks is wrapped too, so the figure covers everything the content script does on the page.
 */
export function timed<T>(fn: () => T, part = ''): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(MARK + part, { start, end: performance.now() });
  }
}
