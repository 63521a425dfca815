/**
 * Bounded HTTP helpers for the hub client: status → typed error, rate-limit header parsing, body
 * reading with a size cap and truncation check. Environment-free (fetch Response only).
 */
import { ModelSealError } from '../../errors.js';

/** Seconds to wait from `RateLimit: "api";r=0;t=N` (IETF draft form the Hub sends) or `Retry-After`. */
export function parseRetryAfterSeconds(headers: Headers, nowMs: number): number | undefined {
  const rl = headers.get('ratelimit');
  if (rl) {
    const m = /(?:^|[;,\s])t=(\d{1,7})(?:[;,\s]|$)/.exec(rl);
    if (m?.[1]) return Number(m[1]);
  }
  const ra = headers.get('retry-after');
  if (ra) {
    const trimmed = ra.trim();
    if (/^\d{1,7}$/.test(trimmed)) return Number(trimmed);
    const at = Date.parse(trimmed);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - nowMs) / 1000));
  }
  return undefined;
}

/** Maps a non-2xx hub answer to one typed error. `X-Error-Code` tells gated from missing/private. */
export function statusError(res: Response, url: string, nowMs: number): ModelSealError {
  const hubCode = (res.headers.get('x-error-code') ?? '').slice(0, 64);
  const hubMessage = (res.headers.get('x-error-message') ?? '').slice(0, 300);
  const details = { status: res.status, url, hubCode: hubCode || undefined, hubMessage: hubMessage || undefined };
  const s = res.status;
  if (s === 401 || s === 403) {
    const why =
      hubCode === 'GatedRepo'
        ? 'this repo is gated: sign in to the hub and accept its conditions to check it'
        : 'sign in to the hub to check this repo (it is private, gated or does not exist)';
    return new ModelSealError('AUTH_REQUIRED', why, details);
  }
  if (s === 404) {
    const what =
      hubCode === 'RevisionNotFound' ? 'revision not found' : hubCode === 'EntryNotFound' ? 'file not found' : 'not found';
    return new ModelSealError('NOT_FOUND', `${what} on the hub`, details);
  }
  if (s === 429) {
    const retryAfterSeconds = parseRetryAfterSeconds(res.headers, nowMs);
    return new ModelSealError('RATE_LIMITED', 'the hub is rate limiting requests', { ...details, retryAfterSeconds });
  }
  if (s >= 500) return new ModelSealError('NETWORK_ERROR', `the hub answered ${s}`, details);
  return new ModelSealError('RESPONSE_MALFORMED', `unexpected hub answer ${s}`, details);
}

/**
 * Reads a body into memory, refusing more than `maxBytes` (checked before and while streaming) and
 * detecting truncation against Content-Length when the body is not content-encoded.
 */
export async function readBounded(res: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const declaredRaw = res.headers.get('content-length');
  const declared = declaredRaw !== null && /^\d{1,15}$/.test(declaredRaw.trim()) ? Number(declaredRaw) : undefined;
  // A compressed length only underestimates the decoded size, so this early refusal is always sound.
  if (declared !== undefined && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ModelSealError('RESPONSE_TOO_LARGE', `response larger than ${maxBytes} bytes`, { url, declared });
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new ModelSealError('RESPONSE_TOO_LARGE', `response larger than ${maxBytes} bytes`, { url });
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof ModelSealError) throw e;
      if (isAbort(e)) throw e;
      throw new ModelSealError('NETWORK_ERROR', 'connection lost while reading the response (truncated)', { url });
    }
  }
  // Only a shortfall is truncation, and only when we can see the body was not compressed: a CORS
  // response hides Content-Encoding but shows Content-Length (then JSON parsing and the tree's file
  // sizes still catch truncation).
  const encoded = (res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
  const headersFiltered = res.type === 'cors' || res.type === 'opaque';
  if (declared !== undefined && !encoded && !headersFiltered && total < declared) {
    throw new ModelSealError('RESPONSE_MALFORMED', `truncated response: ${total} of ${declared} bytes`, { url });
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

export function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && ((e as { name?: unknown }).name === 'AbortError' || (e as { name?: unknown }).name === 'TimeoutError');
}

/** The `rel="next"` target of a Link header, if any. */
export function parseNextLink(link: string | null): string | undefined {
  if (!link || link.length > 8192) return undefined;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m?.[1] !== undefined && /(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}
