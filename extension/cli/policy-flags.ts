/**
 * The signer-policy flags `verify` and `download` share, with model_signing's spellings accepted too
 * so its documented commands work unchanged.
 */
export const POLICY_SINGLE_FLAGS = {
  '--identity': 'identity',
  '--issuer': 'issuer',
  '--identity_provider': 'issuer',
  '--identity-provider': 'issuer',
  '--key': 'key',
  '--public_key': 'key',
  '--public-key': 'key',
  '--trusted-root': 'trustedRoot',
  '--trust-store': 'trustStore',
  '--lock': 'lock',
  '--endpoint': 'endpoint',
} as const;

/** Flags that may repeat: CA certificates. */
export const POLICY_CA_FLAGS = {
  '--ca': 'ca',
  '--certificate_chain': 'ca',
  '--certificate-chain': 'ca',
} as const;
