/** Warning page entry: `warning.html?request=ID` → `download/pending`, then `download/decision`. */
import { render } from 'preact';
import '../ui/styles.css';
import { WarningView } from '../ui/WarningView.js';
import { t } from '../ui/i18n.js';
import { browser, request } from '../ui/rpc.js';

async function main() {
  const root = document.getElementById('app');
  if (!root) return;
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = t('warn_pageTitle');
  const requestId = new URLSearchParams(location.search).get('request') ?? '';
  if (!/^[\w-]{1,128}$/.test(requestId)) {
    render(<p class="ms-error">{t('warn_unknownRequest')}</p>, root);
    return;
  }
  try {
    const pending = await request({ type: 'download/pending', requestId });
    if (!pending) {
      render(<p class="ms-error">{t('warn_unknownRequest')}</p>, root);
      return;
    }
    const onDecision = async (proceed: boolean) => {
      await request({ type: 'download/decision', requestId, proceed });
      // Give the user a moment to read the outcome, then close the tab we were opened in.
      setTimeout(() => window.close(), 1200);
    };
    // The held download is replaced by a verified one; this tab becomes the downloads page, which
    // shows its progress and, on a mismatch, both digests.
    const onVerifyAnyway = async () => {
      await request({ type: 'verified/start', url: pending.url, requestId, anyway: true });
      setTimeout(() => location.assign(browser.runtime.getURL('extension/pages/downloads.html')), 800);
    };
    render(<WarningView pending={pending} onDecision={onDecision} onVerifyAnyway={onVerifyAnyway} />, root);
  } catch (e) {
    render(
      <p class="ms-error" role="alert">
        {t('warn_unknownRequest')} {e instanceof Error ? e.message : String(e)}
      </p>,
      root,
    );
  }
}

void main();
