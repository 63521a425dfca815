// Entry for dist/cli/core-lib.js: core functions built exactly as the CLI ships them (shim aliases
// applied), for benchmarks and scripts that want the browser code path in plain Node.
export { verifySigstoreBundle, verifyConformanceCase, parseTrustedRoot, productionTrustedRootJson } from '../core/sigstore/index.js';
export { shimStats } from '../core/sigstore/shims/crypto.js';
export { withPreverifiedSignatures } from '../core/sigstore/preverify.js';
// The one-pass DER encoder, so benches can also time native sigstore-js with it (bench/sigstore*.bench.mjs).
export { encodeDer } from '../core/sigstore/shims/der-encode.js';
// The signing history walk and what it needs, for bench/history.bench.mjs.
export { walkSignatureHistory } from '../core/history/walk.js';
export { HuggingFaceClient } from '../core/hubs/huggingface/client.js';
export { verifyUnknownSigner } from '../core/hub/steps/verify-signature.js';
// OMS model verification (for bench/manifest.bench.mjs and bench/hashing.bench.mjs).
export { verifyModel, verifySignatureOnly } from '../core/verify-model.js';
export { checkFiles } from '../core/files/check.js';
export { parseStatementBytes, computeRootDigest } from '../core/oms/statement.js';
export { hashFile, nodeHasher } from './node-hasher.js';
export { listModel } from './node-listing.js';
// The Sigstore trust root kept through TUF (for bench/trust-root.bench.mjs).
export { TrustRootKeeper } from '../core/tuf/trust-root.js';
