/**
 * The repo's base models (its card's `base_model`), each with its own verdict: "Base model:
 * ibm-granite/granite-4.1-3b · Verified · signed by …". One level is shown; a base's own bases are
 * fetched only when the user asks. A valid signature nobody trusted yet says so (nothing was pinned).
 */
import { useState } from 'preact/hooks';
import type { BaseModelView, LineageView } from '../extension/shared/messages.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { StateChip } from '../extension/ui/StateHeader.js';
import { FailureText } from '../extension/ui/FailureText.js';
import { signerLine } from '../extension/ui/SignerView.js';
import { PublisherLine } from '../extension/ui/PublisherLine.js';
import { t, tp } from '../extension/ui/i18n.js';

/** Levels the user can open below the page's repo (each one a click). */
const MAX_DEPTH = 4;

export type LoadLineage = (repo: string) => Promise<LineageView>;

function BaseRow({ base, load, depth }: { base: BaseModelView; load: LoadLineage | undefined; depth: number }) {
  const [next, setNext] = useState<LineageView | { error: string } | 'loading' | undefined>();
  const open = () => {
    if (!load) return;
    setNext('loading');
    load(base.repo).then(setNext, (e: unknown) => setNext({ error: e instanceof Error ? e.message : String(e) }));
  };
  return (
    <li data-base={base.repo} data-base-state={base.state} data-base-untrusted={base.untrusted ? 'true' : undefined}>
      <div class="ms-small">
        {t('lineage_baseModel')} <IdentityText value={base.repo} maxChars={96} />{' '}
        {base.untrusted ? (
          <span class="ms-state-chip" data-tone="amber" data-state="signed-untrusted">
            {t('lineage_signedUntrusted')}
          </span>
        ) : (
          <StateChip state={base.state} />
        )}
      </div>
      {base.signer && (
        <div class="ms-small">
          {t('lineage_signedBy')}{' '}
          {base.signer.kind === 'key' ? <span class="ms-mono">{signerLine(base.signer)}</span> : <IdentityText value={signerLine(base.signer)} maxChars={80} />}
        </div>
      )}
      <PublisherLine note={base.publisher} />
      {base.untrusted && <div class="ms-small ms-muted">{t('lineage_untrustedNote')}</div>}
      {base.failure && (
        <div class="ms-small">
          <FailureText failure={base.failure} /> <code class="ms-code">{base.failure.code}</code>
        </div>
      )}
      {base.bases > 0 && depth < MAX_DEPTH && load && next === undefined && (
        <button type="button" class="ms-linkish" data-lineage-deeper={base.repo} onClick={open}>
          {tp('lineage_showBases', base.bases)}
        </button>
      )}
      {next === 'loading' && <p class="ms-muted ms-small">{t('loading')}</p>}
      {next !== undefined && next !== 'loading' && ('error' in next ? <p class="ms-error ms-small">{next.error}</p> : <LineageList view={next} load={load} depth={depth + 1} />)}
    </li>
  );
}

function LineageList({ view, load, depth }: { view: LineageView; load: LoadLineage | undefined; depth: number }) {
  if (view.bases.length === 0) return <p class="ms-muted ms-small">{t('lineage_none')}</p>;
  return (
    <>
      <ul class="ms-list ms-lineage" data-lineage-of={view.repo}>
        {view.bases.map((b) => (
          <BaseRow key={b.repo} base={b} load={load} depth={depth} />
        ))}
      </ul>
      {view.more > 0 && <p class="ms-muted ms-small">{tp('lineage_more', view.more)}</p>}
    </>
  );
}

/** Nothing at all for a repo whose card names no base model. */
export function LineagePanel({ view, load }: { view: LineageView; load?: LoadLineage | undefined }) {
  if (view.bases.length === 0 && view.more === 0) return null;
  return (
    <section data-testid="lineage">
      <h3 class="ms-h3">{t('section_lineage')}</h3>
      <p class="ms-muted ms-small">{t('lineage_note')}</p>
      <LineageList view={view} load={load} depth={0} />
    </section>
  );
}
