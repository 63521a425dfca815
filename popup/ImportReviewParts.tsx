/**
 * The parts every import review (trust file, publishers' directory) ends with: the typed word that
 * confirms a change to what is trusted, and the apply / cancel row with the error line.
 */
import { t } from '../extension/ui/i18n.js';

export function TypedWordField({ expected, name, word, setWord, ok }: { expected: string; name: string; word: string; setWord(w: string): void; ok: boolean }) {
  return (
    <label class="ms-field">
      <span>
        {t('import_typeWord')} <strong class="ms-mono">{expected}</strong>
      </span>
      <input type="text" name={name} autocomplete="off" spellcheck={false} value={word} onInput={(e) => setWord(e.currentTarget.value)} aria-invalid={word !== '' && !ok} />
    </label>
  );
}

export function ImportActions({ canApply, danger, onCancel, error }: { canApply: boolean; danger: boolean; onCancel(): void; error: string | undefined }) {
  return (
    <>
      <div class="ms-row">
        <button type="submit" class={danger ? 'ms-btn ms-btn-danger' : 'ms-btn'} disabled={!canApply}>
          {t('import_apply')}
        </button>
        <button type="button" class="ms-btn" onClick={onCancel}>
          {t('import_cancel')}
        </button>
      </div>
      {error && (
        <p class="ms-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** The button that opens a JSON file for an import review; the input is cleared so the same file can be picked again. */
export function JsonFileButton({ label, name, onFile }: { label: string; name: string; onFile(file: File | undefined): void }) {
  return (
    <label class="ms-btn ms-file">
      {label}
      <input
        type="file"
        name={name}
        accept="application/json,.json"
        onChange={(e) => {
          const input = e.currentTarget;
          onFile(input.files?.[0]);
          input.value = '';
        }}
      />
    </label>
  );
}
