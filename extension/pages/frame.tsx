/** In-page banner frame: `frame.html?tab=N`, one line, follows the tab's verdict. */
import { render } from 'preact';
import '../ui/styles.css';
import type { TabState } from '../shared/messages.js';
import { Banner } from '../ui/Banner.js';
import { t } from '../ui/i18n.js';
import { followTab, tabIdFromQuery } from '../ui/follow-tab.js';

const root = document.getElementById('app');
const tabId = tabIdFromQuery();
const checking = (): TabState => ({ tabId: tabId ?? -1, verdict: { state: 'checking', checkedAt: Date.now() } });

if (root) {
  document.title = t('extName');
  render(<Banner verdict={checking().verdict} />, root);
  if (tabId !== undefined) {
    followTab(tabId, {
      ask: 'frame/verdict',
      stopWhenGone: true,
      onState: (s) => s && render(<Banner verdict={s.verdict} progress={s.progress} />, root),
      // The page this frame served is gone (or it was never embedded in one): show nothing.
      onGone: () => render(null, root),
    });
  }
}
