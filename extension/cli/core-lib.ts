// Entry for dist/cli/core-lib.js: core functions built exactly as the CLI ships them (shim aliases
// applied), for benchmarks and scripts that want the browser code path in plain Node.
export { verifySigstoreBundle, verifyConformanceCase, parseTrustedRoot, productionTrustedRootJson } from '../core/sigstore/index.js';
export { shimStats } from '../core/sigstore/shims/crypto.js';
export { withPreverifiedSignatures } from '../core/sigstore/preverify.js';
// OMS model verification (for bench/manifest.bench.mjs and bench/hashing.bench.mjs).
export { verifyModel, verifySignatureOnly } from '../core/verify-model.js';
export { checkFiles } from '../core/files/check.js';
export { parseStatementBytes, computeRootDigest } from '../core/oms/statement.js';
export { hashFile, nodeHasher } from './node-hasher.js';
export { listModel } from './node-listing.js';
// The Sigstore trust root kept through TUF (for bench/trust-root.bench.mjs).
export { TrustRootKeeper } from '../core/tuf/trust-root.js';
