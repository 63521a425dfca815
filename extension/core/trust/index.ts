/** Trust on first use: pins, expected identities, history, alerts, and decide() — the only producer of hub verdicts. */
export { decide, type Decision, type RepoTrustState, type TrustPolicies } from './decide.js';
export { TrustStore, TRUST_STORAGE_KEY, planFor, type ExpectedIdentityInput, type TrustStoreOptions, type VerificationPlan } from './store.js';
export { migrate, parseCurrent, LIMITS as TRUST_LIMITS } from './schema.js';
export { sameSigner, describeSigner, globMatches, matchesExpected, expectedFor } from './signer.js';
export * from './types.js';
export { planAccept, POLICY_CHOICES, type AcceptPlan, type PolicyChoice } from './accept.js';
export { IMPORT_CONFIRMATION, IMPORT_MODES, type ImportDiff, type ImportMode, type ImportPreview, type PinDiff, type PolicyChange } from './import.js';
