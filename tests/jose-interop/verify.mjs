// The independent half of the jose-interop tests, on panva/jose (see package.json for the
// pinned version); run.sh drives it.
//
//   node verify.mjs VECTORS.json [SIGNED_BY_JOSE.json]
//
// Verifies every vector that jose_vectors or service_vectors wrote and checks the outcome
// against "expect", twice: as a careful verifier would (algorithms pinned to the key's alg) and
// as a lax one (whatever alg the token names that the key can do); a forgery must fail both
// ways. A vector carries its key as "jwk", or is verified against the file's "jwks", the key
// chosen by the header's kid (jose's createLocalJWKSet), as a verifier that fetched the issuer's
// JWK Set would. A vector marked "credential" must also have the header typ "vc+jwt" and a
// payload whose issuer id (issuer.id, or issuer when it is a string) is the kid's issuer part:
// the kid before its '/keys/' (the URL form), or before its '#' (a DID, or the earlier form).
// Then, if a second path is given, signs credentials with jose itself, in the same format, for
// `jose_vectors check` to verify with libs/jose. Exits 1 on any mismatch.
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as jose from 'jose';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// Why a verified credential breaks the VC-JOSE rules, or null when it does not.
function credentialProblem(protectedHeader, payload) {
  if (protectedHeader.typ !== 'vc+jwt') {
    return `typ is ${JSON.stringify(protectedHeader.typ)}, not "vc+jwt"`;
  }
  let credential;
  try {
    credential = JSON.parse(decoder.decode(payload));
  } catch {
    return 'the payload is not JSON';
  }
  const issuer = credential?.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : issuer?.id;
  if (typeof issuerId !== 'string' || issuerId === '') return 'the payload has no issuer id';
  const kid = protectedHeader.kid ?? '';
  const hash = kid.indexOf('#');
  const keys = kid.lastIndexOf('/keys/');
  const end = hash >= 0 ? hash : keys;
  if (end < 0 || kid.slice(0, end) !== issuerId) {
    return `issuer id ${issuerId} is not the kid's issuer (kid ${kid})`;
  }
  return null;
}

// The key a careful verifier pins the algorithm to: the vector's JWK, or the JWK Set's key
// named by the token's kid.
function publishedKey(vector, jwks) {
  if (vector.jwk) return vector.jwk;
  try {
    const { kid } = jose.decodeProtectedHeader(vector.jws);
    return jwks?.keys?.find((key) => key.kid === kid);
  } catch {
    return undefined;
  }
}

// Returns "valid" or "invalid (<jose error code or the broken rule>)".
async function outcome(vector, options, jwks) {
  try {
    const key = vector.jwk
      ? await jose.importJWK(vector.jwk, vector.jwk.alg)
      : jose.createLocalJWKSet(jwks ?? { keys: [] });
    const { payload, protectedHeader } = await jose.compactVerify(vector.jws, key, options);
    if (vector.jwk && protectedHeader.kid !== vector.jwk.kid) {
      return 'invalid (kid differs from the JWK\'s)';
    }
    if (vector.payload !== undefined && decoder.decode(payload) !== vector.payload) {
      return 'invalid (payload differs from the expected text)';
    }
    if (vector.credential) {
      const problem = credentialProblem(protectedHeader, payload);
      if (problem) return `invalid (${problem})`;
    }
    return 'valid';
  } catch (error) {
    return `invalid (${error.code ?? error.name ?? error})`;
  }
}

async function verifyVectors(path) {
  const file = JSON.parse(await readFile(path, 'utf8'));
  if (!Array.isArray(file.vectors) || file.vectors.length === 0) {
    throw new Error(`${path} holds no vectors`);
  }
  if (file.vectors.some((vector) => !vector.jwk) && !Array.isArray(file.jwks?.keys)) {
    throw new Error(`${path} has vectors without "jwk" but no "jwks"`);
  }
  for (const note of file.notes ?? []) console.log(`note: ${note}`);
  let failures = 0;
  for (const vector of file.vectors) {
    const published = publishedKey(vector, file.jwks);
    const algorithms = [published?.alg ?? 'no published key'];
    const pinned = await outcome(vector, { algorithms }, file.jwks);
    const lax = await outcome(vector, {}, file.jwks);
    const ok = pinned.split(' ')[0] === vector.expect && lax.split(' ')[0] === vector.expect;
    if (!ok) failures += 1;
    let detail = '';
    if (!ok) detail = `: pinned ${pinned}, lax ${lax}`;
    else if (vector.expect === 'invalid') detail = `: ${pinned}${lax !== pinned ? `; lax ${lax}` : ''}`;
    console.log(`${(ok ? 'ok' : 'FAIL').padEnd(4)} ${vector.expect.padEnd(7)} ${vector.name}${detail}`);
  }
  console.log(`jose: ${file.vectors.length} vectors from ${file.generator}, ${failures} mismatches`);
  return failures;
}

// A credential signed by jose, in the VC-JOSE-COSE header form libs/jose writes.
function credential(id) {
  return JSON.stringify({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `urn:uuid:${id}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'https://verifier-side.example', name: 'Université de Liège' },
    validFrom: '2025-03-01T00:00:00Z',
    credentialSubject: { id: 'did:example:learner-8', achievement: { name: 'Ökonometrie I' } },
  });
}

async function signVectorsFor(alg) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { modulusLength: 2048 });
  const other = await jose.generateKeyPair(alg, { modulusLength: 2048 });
  const kid = `did:web:verifier-side.example#${alg.toLowerCase()}`;
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  const header = { alg, kid, typ: 'vc+jwt', cty: 'vc' };
  const sign = (payload, key) =>
    new jose.CompactSign(encoder.encode(payload)).setProtectedHeader(header).sign(key);

  const text = credential(`jose-${alg}`);
  const valid = await sign(text, privateKey);
  const [h, p, s] = valid.split('.');
  const signature = jose.base64url.decode(s);
  signature[10] ^= 1;
  const vectors = [
    { name: `${alg}: jose-signed credential`, jws: valid, expect: 'valid', payload: text },
    { name: `${alg}: jose-signed, payload changed after signing`,
      jws: `${h}.${jose.base64url.encode(credential('changed'))}.${s}`, expect: 'invalid' },
    { name: `${alg}: jose-signed, one signature bit flipped`,
      jws: `${h}.${p}.${jose.base64url.encode(signature)}`, expect: 'invalid' },
    { name: `${alg}: jose-signed by another key under the same kid`,
      jws: await sign(text, other.privateKey), expect: 'invalid' },
  ];
  return vectors.map((vector) => ({ ...vector, jwk }));
}

async function writeJoseSigned(path) {
  const vectors = [
    ...(await signVectorsFor('EdDSA')),
    ...(await signVectorsFor('RS256')),
    ...(await signVectorsFor('ES256')),
  ];
  await writeFile(path, JSON.stringify({ generator: `jose ${joseVersion()}`, vectors }, null, 1));
  console.log(`jose: wrote ${vectors.length} vectors to ${path}`);
}

// run.sh copies this script next to the node_modules it installed.
function joseVersion() {
  const manifest = new URL('./node_modules/jose/package.json', import.meta.url);
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

const [vectorsPath, joseSignedPath] = process.argv.slice(2);
if (!vectorsPath) {
  console.error('usage: node verify.mjs VECTORS.json [SIGNED_BY_JOSE.json]');
  process.exit(2);
}
console.log(`jose ${joseVersion()} on Node.js ${process.version}`);
const failures = await verifyVectors(vectorsPath);
if (joseSignedPath) await writeJoseSigned(joseSignedPath);
process.exit(failures === 0 ? 0 : 1);
