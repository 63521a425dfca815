/**
 * Which hub the CLI talks to and with what token, as the Hub's own tools decide it: `--endpoint`,
 * else `HF_ENDPOINT`, else https://huggingface.co; `--token`, else `HF_TOKEN`, else the token file
 * (`HF_TOKEN_PATH`, else `$HF_HOME/token`, else `~/.cache/huggingface/token`).
 *
 * The token is sent only to the endpoint's own origin: every request (each redirect hop included,
 * since the hub client and the downloader follow redirects by hand) goes through `authorizedFetch`,
 * which adds it only when the URL's origin is the endpoint's. A storage CDN the hub redirects to
 * never sees it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FetchLike } from '../core/env.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubAccess {
  /** The endpoint's origin (no path, no trailing slash). */
  endpoint: string;
  token?: string;
  /** Where the token came from, for messages (never the token itself). */
  tokenSource?: string;
}

function tokenFile(env: NodeJS.ProcessEnv): string {
  if (env.HF_TOKEN_PATH) return env.HF_TOKEN_PATH;
  const home = env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface');
  return join(home, 'token');
}

/** Throws a plain Error (a usage error) for an endpoint that is not an http(s) origin. */
export function hubAccess(flags: { endpoint?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): HubAccess {
  const raw = flags.endpoint ?? (env.HF_ENDPOINT || DEFAULT_ENDPOINT);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`endpoint ${raw} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`endpoint ${raw} is not an http(s) URL`);
  if (url.pathname !== '/' && url.pathname !== '') throw new Error(`endpoint ${raw} must be an origin (no path)`);
  const out: HubAccess = { endpoint: url.origin };
  if (flags.token !== undefined) return { ...out, token: flags.token, tokenSource: '--token' };
  if (env.HF_TOKEN) return { ...out, token: env.HF_TOKEN, tokenSource: 'HF_TOKEN' };
  const file = tokenFile(env);
  try {
    const t = readFileSync(file, 'utf8').trim();
    if (t && t.length < 4096) return { ...out, token: t, tokenSource: file };
  } catch {
    // No token file: anonymous, like the Hub's tools.
  }
  return out;
}

/** `fetch` that adds `Authorization: Bearer <token>` to requests for the endpoint's origin only. */
export function authorizedFetch(access: HubAccess, base: FetchLike = fetch): FetchLike {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    // Never forward a caller's Authorization either: only this function decides where it goes.
    headers.delete('authorization');
    if (access.token && new URL(input).origin === access.endpoint) headers.set('authorization', `Bearer ${access.token}`);
    return base(input, { ...init, headers });
  };
}
