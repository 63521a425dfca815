/**
 * Whose signature it is, from the verdict's publisher note: the repo's own publisher (documented
 * signer), or another publisher's signature on a copy. Every name is hostile text: IdentityText only.
 */
import type { PublisherNote } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { t } from './i18n.js';

/** Where the directory entry comes from, worded for people (the date it was checked filled in). */
function sourceLine(kind: string, checked: string): string | undefined {
  switch (kind) {
    case 'publisher-documentation':
      return t('publisher_sourceDocumentation', checked);
    case 'observed-signatures':
      return t('publisher_sourceObserved', checked);
    case 'organisation-policy':
      return t('publisher_sourceOrganisation', checked);
    default:
      return undefined;
  }
}

function Who({ note }: { note: PublisherNote }) {
  return <IdentityText value={`${note.name} (${note.namespace})`} maxChars={96} />;
}

export function PublisherLine({ note }: { note: PublisherNote | undefined }) {
  if (!note) return null;
  const source = note.source ? sourceLine(note.source.kind, note.source.checked) : undefined;
  return (
    <div class="ms-publisher" data-relation={note.relation}>
      {note.relation === 'documented' ? (
        <p class="ms-small">
          {t('publisher_documented')} <Who note={note} />
        </p>
      ) : (
        <>
          {note.relation === 'exact-copy' && note.original && (
            <p class="ms-small" data-copy="exact">
              {t('publisher_exactCopy')} <IdentityText value={note.original} maxChars={96} />
            </p>
          )}
          {note.relation === 'changed-copy' && note.original && (
            <p class="ms-small" data-copy="changed">
              {t('publisher_changedCopy')} <IdentityText value={note.original} maxChars={96} />
            </p>
          )}
          <p class="ms-small" data-owner>
            {t('publisher_signedBy')} <Who note={note} />
            {t('publisher_notOwner')} <IdentityText value={note.owner} maxChars={96} />
          </p>
        </>
      )}
      {source && <p class="ms-small ms-muted">{source}</p>}
    </div>
  );
}
