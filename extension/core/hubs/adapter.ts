/**
 * The hub seam. Everything specific to one hub (its page URL grammar, its API, its storage hosts, the
 * page islands and links the content script anchors to) lives in one adapter under `hubs/<name>/`;
 * the rest of ModelSeal speaks only these types. Types only: importing this file costs no code.
 */

export type RepoKind = 'model' | 'dataset';
export type PageView = 'home' | 'tree' | 'blob' | 'resolve' | 'raw' | 'commit' | 'commits' | 'other';

/** What a hub page (or file) URL is about, read from the URL alone. */
export interface HubPage {
  /** Origin of the hub, e.g. https://huggingface.co */
  hub: string;
  kind: RepoKind;
  /** owner/name, or a legacy single name (`gpt2`) the hub redirects to its owner/name. */
  repo: string;
  view: PageView;
  /** As written in the URL (decoded): a branch, tag, refs/pr/N or a commit SHA. */
  revision?: string;
  /** File or folder path inside the repo (decoded, POSIX). */
  path?: string;
}
