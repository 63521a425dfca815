/**
 * Reads the hub's answer to a listing request (`/api/models?…&expand[]=siblings&expand[]=sha`):
 * which listed repos carry a signature file at their latest revision. Hostile input: bounded entry
 * and file counts, repo ids checked against the hub's grammar, anything malformed skipped.
 */
import { locateSignatures } from '../../hub/signature-locator.js';
import { MAX_LISTING_ENTRIES } from './listing-url.js';

export interface ListedRepo {
  repo: string;
  /** The latest revision (head of the default branch), when the hub said. */
  sha?: string;
  /** Signature files found among the revision's file names (model.sig, folder or per-file .sig, Kaggle's). */
  signatureFiles: string[];
}

/** File names looked at per repo: a repo with more is judged by its first ones (the root model.sig sorts early). */
const MAX_SIBLINGS = 20_000;
const REPO_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}\/[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;

export function readListingAnswer(json: unknown): ListedRepo[] {
  if (!Array.isArray(json)) return [];
  const out: ListedRepo[] = [];
  for (const raw of json.slice(0, MAX_LISTING_ENTRIES)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as { id?: unknown; sha?: unknown; siblings?: unknown };
    if (typeof e.id !== 'string' || !REPO_ID.test(e.id)) continue;
    const names: string[] = [];
    if (Array.isArray(e.siblings)) {
      for (const s of e.siblings.slice(0, MAX_SIBLINGS)) {
        const name = (s as { rfilename?: unknown } | null)?.rfilename;
        if (typeof name === 'string' && name.length <= 1024) names.push(name);
      }
    }
    const entry: ListedRepo = { repo: e.id, signatureFiles: locateSignatures(names).slice(0, 8).map((l) => l.path) };
    if (typeof e.sha === 'string' && /^[0-9a-f]{40}$/.test(e.sha)) entry.sha = e.sha;
    out.push(entry);
  }
  return out;
}
