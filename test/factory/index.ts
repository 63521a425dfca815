/**
 * ModelSeal test fixture factory: real, deterministic signing material for tests, the fixture hub
 * and the demo. Same seed + same calls = same bytes (ECDSA is RFC 6979, clocks are fixed).
 *
 *   createTestSigstore(opts?)            → TestSigstore: Fulcio-style CA (P-384 root + intermediate,
 *                                           10-minute P-256 leaves with email/URI SAN, issuer extensions
 *                                           .1.1 and .1.8, embedded SCT), CT log, Rekor v1 (SET, signed
 *                                           checkpoint, multi-leaf proofs), Rekor v2 (Ed25519 C2SP
 *                                           checkpoint, no SET), RFC 3161 TSA.
 *     .signDsse({payloadType, payload, identity, issuer, log?: 'rekor-v1'|'rekor-v2', timestamp?: 'tsa'|'none', at?})
 *     .signMessage({message, identity, issuer, log?, timestamp?, at?})   → { bundle, leaf, leafKey, signature, at }
 *     .trustedRoot({omitTlogValidityStart?})                           → trusted_root.json object
 *   createSigstoreSigner(sigstore, {identity, issuer, log?, timestamp?}) → ModelSigner
 *   createKeySigner(curve = 'P-256', {seed?, style?: 'hint'|'rawBytes'})  → KeySigner (publicKeyPem, hint)
 *   createCaSigner({seed?, leafCurve?, leafKeyUsage?, leafExtKeyUsage?}) → CaSigner (caPem, chain)
 *   signModel({files | file | dir, signer, method?, hashType?, shardSize?, ignorePaths?,
 *              recordIgnorePaths?, allowSymlinks?, name?})              → { statement, payload, resources,
 *                                                                          rootDigest, bundle, signature, files }
 *   buildStatement(files, opts) / buildSingleFileStatement({name, content}, opts) → unsigned statement
 *   buildLegacyDigestsStatement(files) + signers with {pae: 'v0.2-compat'}      → model_signing 0.2 bundles
 *   writeModel(dir, files), readModelDir(dir), hubTree(files)  → Hub tree items with lfs.oid = SHA-256
 *   buildScenarioModels(sigstore?) / writeScenarioModels(dir)  → ready-made signed example models
 *
 * Test code only: uses Node built-ins freely; nothing here ships in the extension.
 */
export { b64, fromB64, hex, fromHex, utf8, fromUtf8, pae, paeV02Compat, pythonBytesRepr, sha256, toPem } from './bytes.js';
export { deriveKey, pemHint, CURVE_HASH, KEY_DETAILS, type Curve, type HashName, type KeyPair } from './keys.js';
export { buildCertificate, derUtf8String, OID, type BuiltCert, type CertSpec, type Name, type RawExtension } from './x509.js';
export { leafHash, nodeHash, rootHash, inclusionPath, rootFromProof } from './merkle.js';
export { TestCtLog } from './ctlog.js';
export { RekorV1Log, RekorV2Log, type TlogEntryJson, type LogOptions } from './rekor.js';
export { TestTsa } from './tsa.js';
export {
  TestSigstore,
  createTestSigstore,
  BUNDLE_V03,
  TRUSTED_ROOT_MEDIA_TYPE,
  type BundleJson,
  type LogKind,
  type SignedResult,
  type TestSigstoreOptions,
} from './sigstore.js';
export {
  createSigstoreSigner,
  createKeySigner,
  createCaSigner,
  IN_TOTO_PAYLOAD_TYPE,
  type ModelSigner,
  type SigstoreSigner,
  type KeySigner,
  type CaSigner,
  type PaeStyle,
} from './signers.js';
export {
  signModel,
  buildStatement,
  buildSingleFileStatement,
  buildLegacyDigestsStatement,
  LEGACY_PREDICATE_TYPE,
  readModelDir,
  comparePaths,
  hashBytes,
  GIT_PATHS,
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type FileMap,
  type FileContent,
  type HashType,
  type Method,
  type ModelStatement,
  type Resource,
  type SerializeOptions,
  type SignedModel,
  type SignModelOptions,
  type SingleFile,
} from './model.js';
export { writeModel, hubTree, gitBlobSha1, lfsPointer, type HubTreeItem } from './hub.js';
export {
  buildScenarioModels,
  writeScenarioModels,
  exampleModelFiles,
  SCENARIO_IDENTITY,
  SCENARIO_ISSUER,
  SCENARIO_WORKFLOW_IDENTITY,
  SCENARIO_WORKFLOW_ISSUER,
  type Scenario,
  type ScenarioVerification,
} from './scenarios.js';
