/**
 * A revision's signatures side by side: what each covers (the whole repo, a folder, one file), its
 * signature file, how many files it covers, and who signed it. Paths and signers are hostile text.
 */
import type { SignatureSummary } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { SignerView } from './SignerView.js';
import { t, tp } from './i18n.js';

/** Signatures listed; the locator verifies at most 64, and the rest are counted. */
const MAX_SHOWN = 16;

function Coverage({ s }: { s: SignatureSummary }) {
  const c = s.coverage;
  if (c.kind === 'repo') return <strong>{t('signatures_coverRepo')}</strong>;
  return (
    <>
      <strong>{c.kind === 'folder' ? t('signatures_coverFolder') : t('signatures_coverFile')}</strong>{' '}
      <IdentityText value={c.kind === 'folder' ? `${c.folder}/` : c.file} maxChars={80} />
    </>
  );
}

export function SignaturesList({ signatures }: { signatures: readonly SignatureSummary[] }) {
  return (
    <>
      <h3 class="ms-h3">{tp('signatures_heading', signatures.length)}</h3>
      <ul class="ms-signatures">
        {signatures.slice(0, MAX_SHOWN).map((s) => (
          <li key={s.path} class="ms-signature" data-coverage={s.coverage.kind}>
            <p class="ms-small">
              <Coverage s={s} /> <span class="ms-muted">· {tp('signatures_files', s.files)} · {t('signatures_file')}</span>{' '}
              <IdentityText value={s.path} maxChars={80} chips={false} />
            </p>
            <SignerView signer={s.signer} compact />
          </li>
        ))}
      </ul>
      {signatures.length > MAX_SHOWN && <p class="ms-small ms-muted">{tp('partly_more', signatures.length - MAX_SHOWN)}</p>}
    </>
  );
}
