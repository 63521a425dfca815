/**
 * The signing history as a picture: time runs left to right, each signer's run of versions is a
 * coloured band, a change of signer is a red line, a removal (no signature between two versions) a
 * red hatched gap, a version that does not verify a grey tick. Built from elements (no markup
 * strings); every band and marker is focusable and named in words, and the legend names the colours,
 * so nothing depends on seeing colour.
 */
import type { SignatureHistoryView } from '../shared/messages.js';
import { historyBands, sameSigner } from '../core/history/bands.js';
import type { Signer } from '../core/verdict.js';
import { SignerName, isoDay } from './SigningHistory.js';
import { signerLine } from './SignerView.js';
import { t, tp } from './i18n.js';

const WIDTH = 900;
const HEIGHT = 90;
const PAD = 10;
/** Distinct in light and dark mode, and for common colour-vision deficiencies (Okabe–Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];

export function HistoryTimeline({ view, onSelect }: { view: SignatureHistoryView; onSelect?: (commit: string) => void }) {
  const bands = historyBands(view.versions);
  const dated = view.versions.filter((v) => Number.isFinite(Date.parse(v.date ?? '')));
  if (view.versions.length === 0) return null;
  const signers: Signer[] = [];
  for (const b of bands) if (b.signer && !signers.some((s) => sameSigner(s, b.signer!))) signers.push(b.signer);
  const colourOf = (s: Signer) => PALETTE[signers.findIndex((x) => sameSigner(x, s)) % PALETTE.length]!;

  // Time axis when every version has a date; else one slot per version, oldest on the left.
  const byTime = dated.length === view.versions.length;
  const oldestFirst = [...view.versions].reverse();
  const times = oldestFirst.map((v) => Date.parse(v.date ?? ''));
  const t0 = byTime ? Math.min(...times) : 0;
  const t1 = byTime ? Math.max(...times) : oldestFirst.length - 1;
  const span = Math.max(1, t1 - t0);
  const xOfIndex = (i: number) => PAD + ((byTime ? times[i]! - t0 : i) / span) * (WIDTH - 2 * PAD - 40);
  const xOf = (commit: string) => xOfIndex(oldestFirst.findIndex((v) => v.commit === commit));
  const x1 = xOfIndex(oldestFirst.length - 1) + 40;

  const verified = bands.filter((b) => b.signer);
  return (
    <figure class="ms-timeline">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={t('timeline_label')} class="ms-timeline-svg">
        {verified.map((b) => {
          const newest = b.versions[0]!;
          const oldest = b.versions.at(-1)!;
          const start = xOf(oldest.commit);
          // A band runs until the next newer version (any signer), or a little past the newest one.
          const idx = oldestFirst.findIndex((v) => v.commit === newest.commit);
          const end = idx + 1 < oldestFirst.length ? xOfIndex(idx + 1) : x1;
          const label = `${t('shistory_signedBy')} ${signerLine(b.signer)}, ${tp('shistory_versions', b.versions.length)}, ${isoDay(b.from)} → ${isoDay(b.to)}`;
          return (
            <rect
              key={`band-${newest.commit}`}
              class="ms-tl-band"
              data-band={newest.commit}
              x={start}
              y={20}
              width={Math.max(4, end - start)}
              height={40}
              fill={colourOf(b.signer!)}
              tabindex={0}
              role="button"
              aria-label={label}
              onClick={() => onSelect?.(newest.commit)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect?.(newest.commit);
                }
              }}
            >
              <title>{label}</title>
            </rect>
          );
        })}
        {view.versions
          .filter((v) => !v.outcome.ok)
          .map((v) => (
            <rect key={`bad-${v.commit}`} class="ms-tl-bad" data-bad={v.commit} x={xOf(v.commit) - 2} y={14} width={4} height={52} tabindex={0} aria-label={t('timeline_bad', isoDay(v.date))}>
              <title>{t('timeline_bad', isoDay(v.date))}</title>
            </rect>
          ))}
        {view.removals
          .filter((r) => r.before)
          .map((r) => {
            const a = xOf(r.after);
            const b = xOf(r.before!);
            return (
              <rect key={`gap-${r.after}`} class="ms-tl-gap" data-gap={r.after} x={Math.min(a, b) + 6} y={20} width={Math.max(4, Math.abs(b - a) - 6)} height={40} tabindex={0} aria-label={t('timeline_gap')}>
                <title>{t('timeline_gap')}</title>
              </rect>
            );
          })}
        {bands
          .filter((b) => b.signer && b.signerChangedFromOlder)
          .map((b) => {
            const x = xOf(b.versions.at(-1)!.commit);
            const label = t('timeline_change', isoDay(b.from));
            return (
              <line key={`chg-${b.versions.at(-1)!.commit}`} class="ms-tl-change" data-change={b.versions.at(-1)!.commit} x1={x} x2={x} y1={6} y2={74} tabindex={0} aria-label={label}>
                <title>{label}</title>
              </line>
            );
          })}
        <text x={PAD} y={86} class="ms-tl-axis">
          {byTime ? isoDay(new Date(t0).toISOString()) : ''}
        </text>
        <text x={WIDTH - PAD} y={86} text-anchor="end" class="ms-tl-axis">
          {byTime ? isoDay(new Date(t1).toISOString()) : ''}
        </text>
      </svg>
      <figcaption>
        <ul class="ms-tl-legend">
          {signers.map((s) => (
            <li key={signerLine(s)}>
              <span class="ms-tl-swatch" style={{ background: colourOf(s) }} aria-hidden="true" /> <SignerName signer={s} />
            </li>
          ))}
          <li>
            <span class="ms-tl-swatch ms-tl-swatch-change" aria-hidden="true" /> {t('timeline_legendChange')}
          </li>
          <li>
            <span class="ms-tl-swatch ms-tl-swatch-gap" aria-hidden="true" /> {t('timeline_legendGap')}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
