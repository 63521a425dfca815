/**
 * Per-file marks frame. One frame serves a strip of rows: `mark.html?tab=N#[[path,y],…]` draws a
 * 16 px icon for each path at y px from its top (`mark.html?tab=N&path=P` draws one at 0). The
 * content script only says where rows are (it updates the fragment when they move, a same-document
 * navigation); what each icon says, and its title naming the path, come from the worker's verdict
 * for this tab, never from the page. Each frame follows the tab like the banner (ui/follow-tab.ts) and draws
 * nothing once the page it served is gone.
 */
import { render } from 'preact';
import '../ui/styles.css';
import type { Verdict } from '../core/verdict.js';
import { FileMark } from '../ui/FileMark.js';
import { followTab, tabIdFromQuery } from '../ui/follow-tab.js';

const MAX_MARKS = 200;
const MAX_PATH = 4096;
const MAX_Y = 1_000_000;

type Placed = { path: string; y: number };

/** The strip layout from the fragment; anything malformed draws nothing rather than guessing. */
function placements(): Placed[] {
  const single = new URLSearchParams(location.search).get('path');
  if (!location.hash) return single ? [{ path: single.slice(0, MAX_PATH), y: 0 }] : [];
  let raw: unknown;
  try {
    raw = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Placed[] = [];
  for (const e of raw.slice(0, MAX_MARKS)) {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') continue;
    const y = Math.round(e[1]);
    if (e[0].length <= MAX_PATH && y >= 0 && y <= MAX_Y) out.push({ path: e[0], y });
  }
  return out;
}

const root = document.getElementById('app');
const tabId = tabIdFromQuery();
let verdict: Verdict | undefined = { state: 'checking', checkedAt: Date.now() };
let placed = placements();

function draw() {
  if (!root) return;
  const v = verdict;
  if (!v) return render(null, root);
  render(
    <>
      {placed.map((p) => (
        <FileMark key={`${p.path}\n${p.y}`} verdict={v} path={p.path} named top={p.y} />
      ))}
    </>,
    root,
  );
}

if (root) {
  draw();
  addEventListener('hashchange', () => {
    placed = placements();
    draw();
  });
  if (tabId !== undefined)
    followTab(tabId, {
      ask: 'frame/verdict',
      stopWhenGone: true,
      onState: (s) => {
        if (!s) return;
        verdict = s.verdict;
        draw();
      },
      onGone: () => {
        verdict = undefined;
        draw();
      },
    });
}
