/**
 * Importing a further publishers' directory (enterprise use): the same two steps as trust imports.
 * A preview lists every entry it would add or override, with its signers and source; applying needs
 * that preview's id (the same text) and the typed confirmation, since every entry widens trust.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ModelSealError } from '../errors.js';
import { describeSigner } from '../trust/signer.js';
import { documentedAsSigner, entryForRepo, parsePublisherDirectoryText, type PublisherDirectory } from './directory.js';

/** What the user types to confirm a directory import. */
export const PUBLISHERS_IMPORT_CONFIRMATION = 'trust these publishers';
/** Imported directories kept at once (each bounded by DIRECTORY_LIMITS). */
export const MAX_IMPORTED_DIRECTORIES = 8;

export interface PublisherImportPreview {
  /** SHA-256 of the imported text: applying must name it. */
  id: string;
  entries: Array<{
    namespace: string;
    name: string;
    /** One line per signer (hostile text, render as text only). */
    signers: string[];
    source: { kind: string; urls: string[]; checked: string };
    /** A namespace the directories in force already list: this entry would speak for it instead. */
    overrides: boolean;
  }>;
  confirmation: string;
}

const idOf = (json: string) => bytesToHex(sha256(new TextEncoder().encode(json)));

export function previewPublisherImport(json: string, inForce: PublisherDirectory | undefined): PublisherImportPreview {
  const dir = parsePublisherDirectoryText(json);
  return {
    id: idOf(json),
    entries: dir.publishers.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      signers: p.signers.map((s) => describeSigner(documentedAsSigner(s))),
      source: { kind: p.source.kind, urls: [...p.source.urls], checked: p.source.checked },
      overrides: entryForRepo(inForce, `${p.namespace}/x`) !== undefined,
    })),
    confirmation: PUBLISHERS_IMPORT_CONFIRMATION,
  };
}

/** The directory to keep, only for the previewed text and with the typed confirmation. */
export function confirmPublisherImport(json: string, previewId: string, confirmation: string): PublisherDirectory {
  const dir = parsePublisherDirectoryText(json);
  if (typeof previewId !== 'string' || previewId !== idOf(json)) throw new ModelSealError('PREVIEW_MISMATCH', 'this is not the directory that was previewed: preview it again');
  if (typeof confirmation !== 'string' || confirmation.trim() !== PUBLISHERS_IMPORT_CONFIRMATION) {
    throw new ModelSealError('CONFIRMATION_MISMATCH', `type "${PUBLISHERS_IMPORT_CONFIRMATION}" to confirm this import`);
  }
  return dir;
}
