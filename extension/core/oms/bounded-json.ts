/**
 * JSON parsing with limits checked before JSON.parse runs: size in bytes and nesting depth, so a
 * hostile signature cannot make the parser (or our walkers) exhaust memory or stack.
 */
import { ModelSealError, type ErrorCode } from '../errors.js';

export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
  /** Codes to raise, so the same parser serves bundles and statements. */
  tooLarge?: ErrorCode;
  tooDeep?: ErrorCode;
  malformed?: ErrorCode;
}

/** Maximum nesting depth of arrays/objects in `text`, ignoring brackets inside strings. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export function parseBoundedJson(input: Uint8Array | string, limits: JsonLimits): unknown {
  const tooLarge = limits.tooLarge ?? 'BUNDLE_TOO_LARGE';
  const tooDeep = limits.tooDeep ?? 'BUNDLE_TOO_DEEP';
  const malformed = limits.malformed ?? 'BUNDLE_MALFORMED';
  // A UTF-16 string never has more code units than its UTF-8 encoding has bytes, so the
  // length check on strings is a safe lower bound; the exact check happens on bytes.
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > limits.maxBytes) throw new ModelSealError(tooLarge, `signature is ${size} bytes, over the ${limits.maxBytes}-byte limit`);
  let text: string;
  if (typeof input === 'string') {
    text = input;
    const bytes = new TextEncoder().encode(text).byteLength;
    if (bytes > limits.maxBytes) throw new ModelSealError(tooLarge, `signature is ${bytes} bytes, over the ${limits.maxBytes}-byte limit`);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      throw new ModelSealError(malformed, 'signature is not valid UTF-8 text');
    }
  }
  const depth = jsonDepth(text, limits.maxDepth);
  if (depth > limits.maxDepth) throw new ModelSealError(tooDeep, `JSON nesting deeper than ${limits.maxDepth}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ModelSealError(malformed, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Narrowing helpers for walking parsed JSON without trusting its shape. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
