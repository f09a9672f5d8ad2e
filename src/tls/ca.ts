// roost's own certificate authority: created once (key 0600, in a 0700 directory) and reused, so
// a client told to trust it once keeps trusting every leaf roost issues from it. Certificates are
// built by node-forge; keys come from node:crypto.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { join } from 'node:path';
import forge from 'node-forge';

const { pki } = forge;

export interface CertificateAuthority {
  dir: string;
  /** the CA certificate alone (NODE_EXTRA_CA_CERTS adds it to Node's own list) */
  certPath: string;
  /** the usual public roots plus roost's CA, for variables that replace a client's whole list */
  bundlePath: string;
  certPem: string;
  keyPem: string;
}

export interface Leaf {
  cert: string;
  key: string;
}

export class CaError extends Error {}

const CA_YEARS = 10;
const LEAF_DAYS = 365;
const CLOCK_SLACK_MS = 60 * 60 * 1000;

function newKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** A positive 128-bit serial: the top bit clear so DER does not read it as negative. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, ms: number): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - CLOCK_SLACK_MS);
  cert.validity.notAfter = new Date(now + ms);
}

function createCa(): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = serial();
  validity(cert, CA_YEARS * 365 * 24 * 3600 * 1000);
  const name = [{ name: 'commonName', value: 'roost local CA' }, { name: 'organizationName', value: 'roost' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem: keys.privateKey };
}

function writeNew(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

/**
 * Loads the CA in `dir`, creating it on first use. The key is written before the certificate,
 * so a certificate on disk always has its key beside it.
 */
export function ensureCa(dir: string): CertificateAuthority {
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  const bundlePath = join(dir, 'bundle.pem');
  if (!existsSync(certPath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const created = createCa();
    writeNew(keyPath, created.keyPem, 0o600);
    writeNew(certPath, created.certPem, 0o644);
  }
  let certPem: string;
  let keyPem: string;
  try {
    certPem = readFileSync(certPath, 'utf8');
    keyPem = readFileSync(keyPath, 'utf8');
  } catch (err) {
    throw new CaError(`cannot read roost's CA in ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Rewritten each time: the public roots change with Node releases.
  writeNew(bundlePath, [...rootCertificates, certPem.trim()].join('\n') + '\n', 0o644);
  return { dir, certPath, bundlePath, certPem, keyPem };
}

/** A fresh server certificate for `names`, signed by the CA (leaves are cheap; one per start). */
export function issueLeaf(ca: CertificateAuthority, names: readonly string[]): Leaf {
  const caCert = pki.certificateFromPem(ca.certPem);
  const keys = newKeyPair();
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = serial();
  validity(cert, LEAF_DAYS * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // type 2: dNSName; type 7: iPAddress (so https://127.0.0.1:<port> verifies too)
    { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { cert: `${pki.certificateToPem(cert)}`, key: keys.privateKey };
}
