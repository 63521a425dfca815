/** Per-file mark frame: `mark.html?tab=N&path=P`, a 16 px icon with a title. */
import { render } from 'preact';
import '../ui/styles.css';
import { FileMark } from '../ui/FileMark.js';
import { followTab, tabIdFromQuery } from './live.js';

const root = document.getElementById('app');
const tabId = tabIdFromQuery();
const path = (new URLSearchParams(location.search).get('path') ?? '').slice(0, 4096);

if (root) {
  render(<FileMark verdict={{ state: 'checking', checkedAt: Date.now() }} path={path} />, root);
  if (tabId !== undefined) {
    followTab(tabId, (s) => render(<FileMark verdict={s.verdict} path={path} />, root), () => undefined);
  }
}
