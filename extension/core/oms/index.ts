export { parseBundle, IN_TOTO_PAYLOAD_TYPE, type ParsedBundle, type DsseEnvelope, type VerificationMaterial } from './bundle.js';
export { manifestFromVerified, parseStatementBytes, computeRootDigest } from './statement.js';
export { pae, legacyPae, pythonBytesRepr } from './dsse.js';
export { assertManifestPath, normalizeIgnorePath, isUnder } from './paths.js';
export { decodeBase64, encodeBase64 } from './base64.js';
export { parseBoundedJson, jsonDepth } from './bounded-json.js';
export * from './manifest.js';
export * from './limits.js';
