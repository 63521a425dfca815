export * from './types.js';
export { nobleHasher } from './noble.js';
export { digestBytes, digestHex, digestStream } from './digest.js';
export { bytesToHex, hexToBytesStrict, isHexOfLength } from './hex.js';
export { shardRanges, shardName, MAX_SHARDS_PER_FILE, type ByteRange } from './shards.js';
export { subtleDigestSource } from './subtle.js';
