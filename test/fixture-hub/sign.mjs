// Key-signed OMS signatures for fixture repos, made with Node's crypto (ECDSA P-256): the same
// bundle shape model_signing 1.1 writes (`publicKey.hint` = SHA-256 of the SPKI PEM, no tlog).
// The Sigstore-signed scenarios use the real public-good signatures from ../shared instead.
import { generateKeyPairSync, createPublicKey, sign, createHash } from 'node:crypto';
import { sha256Hex } from './repo.mjs';

export function newSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, pem, fingerprint: createHash('sha256').update(der).digest('hex') };
}

export function pae(type, payload) {
  const t = Buffer.from(type);
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
}

/** The in-toto statement model_signing writes for `files` (sorted like Python: by path parts). */
export function statementFor(name, files, ignorePaths = []) {
  const sorted = [...files].sort((a, b) => {
    const pa = a.path.split('/');
    const pb = b.path.split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
    return pa.length - pb.length;
  });
  const resources = sorted.map((f) => ({ name: f.path, algorithm: 'sha256', digest: sha256Hex(f.bytes) }));
  const root = createHash('sha256').update(Buffer.concat(resources.map((r) => Buffer.from(r.digest, 'hex')))).digest('hex');
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256: root } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: {
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['.git', '.gitattributes', '.github', '.gitignore', 'model.sig', ...ignorePaths] },
      resources,
    },
  };
}

/** A key-mode Sigstore bundle over the statement for `files`. */
export function keySignedBundle(key, name, files, ignorePaths = []) {
  const payload = Buffer.from(JSON.stringify(statementFor(name, files, ignorePaths)));
  const type = 'application/vnd.in-toto+json';
  const sig = sign('sha256', pae(type, payload), key.privateKey);
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: createHash('sha256').update(key.pem).digest('hex') }, tlogEntries: [] },
    dsseEnvelope: { payload: payload.toString('base64'), payloadType: type, signatures: [{ sig: sig.toString('base64'), keyid: '' }] },
  };
  return Buffer.from(JSON.stringify(bundle));
}

export { createPublicKey };
