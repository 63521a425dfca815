export { verifyKeyBundle, keyHint } from './key.js';
export { verifyCertificateBundle, parseCertificatesPem } from './certificate.js';
export { verifySigstoreModelBundle, type SigstorePolicy } from './sigstore.js';
export { parsePublicKeyPem, parseEcSpki, ecdsaVerify, HASH_FOR_CURVE, type EcPublicKey, type Curve } from './ec-key.js';
export { isVerifiedSignature, type VerifiedSignature } from './verified.js';
