// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { timed } from '../../../content-scripts/timing.js';

afterEach(() => vi.restoreAllMocks());

describe('timed', () => {
  it('returns what the function returns and records a modelseal:content measure around it', () => {
    const measure = vi.spyOn(performance, 'measure');
    const start = performance.now();
    const value = timed(() => {
      // Busy for a few milliseconds, so the measure has to span the call.
      const until = performance.now() + 5;
      while (performance.now() < until);
      return 42;
    });
    expect(value).toBe(42);
    expect(measure).toHaveBeenCalledTimes(1);
    const [name, opts] = measure.mock.calls[0]! as [string, { start: number; end: number }];
    expect(name).toBe('modelseal:content');
    expect(opts.start).toBeGreaterThanOrEqual(start);
    expect(opts.end - opts.start).toBeGreaterThanOrEqual(4);
  });

  it('names the part after the mark', () => {
    const measure = vi.spyOn(performance, 'measure');
    timed(() => undefined, ':banner');
    expect(measure.mock.calls[0]![0]).toBe('modelseal:content:banner');
  });

  it('still records the measure when the function throws, and rethrows', () => {
    const measure = vi.spyOn(performance, 'measure');
    expect(() =>
      timed(() => {
        throw new Error('boom');
      }, ':marks'),
    ).toThrow('boom');
    expect(measure).toHaveBeenCalledWith('modelseal:content:marks', expect.objectContaining({ start: expect.any(Number), end: expect.any(Number) }));
  });

  it('nests: inner and outer work are both measured, outer spanning inner', () => {
    const measure = vi.spyOn(performance, 'measure');
    timed(() => timed(() => 1, ':inner'));
    const calls = measure.mock.calls as unknown as [string, { start: number; end: number }][];
    const [innerName, inner] = calls[0]!;
    const [outerName, outer] = calls[1]!;
    expect([innerName, outerName]).toEqual(['modelseal:content:inner', 'modelseal:content']);
    expect(outer.start).toBeLessThanOrEqual(inner.start);
    expect(outer.end).toBeGreaterThanOrEqual(inner.end);
  });
});
