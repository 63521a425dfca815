/**
 * One-pass DER re-encoding for @sigstore/core's ASN1Obj. Its own `toDER()` builds every node in two
 * fresh 1 KiB ByteStreams and copies each child upward, which is cheap on Node's native Buffer but
 * dominated a whole bundle verification in the service worker (the `buffer` polyfill allocates and
 * copies in JS). sigstore-js re-encodes whole certificates on every `X509Certificate.equals` while
 * building chains, so this is the hot path. Same output, byte for byte: tag byte, minimal DER length,
 * then the children's encodings (or the raw value when there are none). Side-effect module: importing
 * it installs the encoder; `originalToDer` stays reachable for the equivalence tests.
 */
import './buffer-global.js';
import { ASN1Obj } from '@sigstore/core';

type Node = Pick<ASN1Obj, 'subs' | 'value'> & { tag: { toDER(): number } };
type BufferCtor = { alloc(size: number): Uint8Array };

/** Bytes of the DER length field for a content of `len` bytes. */
function lengthFieldSize(len: number): number {
  if (len < 128) return 1;
  let n = 0;
  for (let v = len; v > 0; v = Math.floor(v / 256)) n++;
  return 1 + n;
}

function writeLength(out: Uint8Array, pos: number, len: number): number {
  if (len < 128) {
    out[pos] = len;
    return pos + 1;
  }
  const n = lengthFieldSize(len) - 1;
  out[pos] = 0x80 | n;
  for (let i = n, v = len; i >= 1; i--, v = Math.floor(v / 256)) out[pos + i] = v % 256;
  return pos + 1 + n;
}

/** Content sizes of every node, measured once so that writing never reallocates. */
function measure(node: Node, sizes: Map<Node, number>): number {
  let content = 0;
  if (node.subs.length > 0) for (const sub of node.subs) content += measure(sub, sizes);
  else content = node.value.length;
  sizes.set(node, content);
  return 1 + lengthFieldSize(content) + content;
}

function write(node: Node, out: Uint8Array, pos: number, sizes: Map<Node, number>): number {
  out[pos] = node.tag.toDER();
  let p = writeLength(out, pos + 1, sizes.get(node) as number);
  if (node.subs.length > 0) for (const sub of node.subs) p = write(sub, out, p, sizes);
  else {
    out.set(node.value, p);
    p += node.value.length;
  }
  return p;
}

/** The DER encoding of `node` as a Node Buffer (what sigstore-js callers expect, e.g. `.equals`). */
export function encodeDer(node: Node): Uint8Array {
  const sizes = new Map<Node, number>();
  const total = measure(node, sizes);
  const out = (globalThis as unknown as { Buffer: BufferCtor }).Buffer.alloc(total);
  write(node, out, 0, sizes);
  return out;
}

const proto = ASN1Obj.prototype as unknown as { toDER(this: Node): Uint8Array; modelsealEncoder?: true };

/** @sigstore/core's own encoder, kept for the tests that prove both agree. */
export const originalToDer: (this: Node) => Uint8Array = proto.modelsealEncoder ? (proto as unknown as { originalToDer: (this: Node) => Uint8Array }).originalToDer : proto.toDER;

if (!proto.modelsealEncoder) {
  Object.defineProperties(proto, {
    originalToDer: { value: proto.toDER },
    modelsealEncoder: { value: true },
    toDER: {
      value: function toDER(this: Node) {
        return encodeDer(this);
      },
      writable: true,
      configurable: true,
    },
  });
}
