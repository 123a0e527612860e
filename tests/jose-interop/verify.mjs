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
// JWK Set would. A vector marked "credential" must also be in one of the two securing profiles
// (typ "JWT" or none, header members alg, kid, jwk, typ only: Open Badges 3.0 VC-JWT; typ
// "vc+jwt": VC-JOSE-COSE), its registered claims the copies of the credential's members (and,
// in the Open Badges profile, all present; jose's own jwtVerify then checks iss, sub, nbf and
// exp), and have a payload whose issuer id (issuer.id, or issuer when it is a string) is the kid's
// issuer part: the kid before its '/keys/' (the URL form), or before its '#' (a DID, or the
// earlier form).
// Then, if a second path is given, signs credentials with jose itself, in the same format, for
// `jose_vectors check` to verify with libs/jose. Exits 1 on any mismatch.
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as jose from 'jose';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// The securing profile a header names: "open-badges-jwt", "vc-jose-cose", or a problem.
function profileOf(protectedHeader) {
  const { typ } = protectedHeader;
  if (typ === 'vc+jwt') return { profile: 'vc-jose-cose' };
  if (typ !== undefined && typ !== 'JWT') {
    return { problem: `typ is ${JSON.stringify(typ)}, neither "JWT" (Open Badges 3.0) nor "vc+jwt"` };
  }
  const extra = Object.keys(protectedHeader).filter((m) => !['alg', 'kid', 'jwk', 'typ'].includes(m));
  if (extra.length > 0) return { problem: `header member ${extra[0]} is not Open Badges 3.0's` };
  return { profile: 'open-badges-jwt' };
}

const seconds = (text) => (typeof text === 'string' ? Math.floor(Date.parse(text) / 1000) : NaN);

// Why the registered claims do not copy the credential's members, or null. In the Open Badges
// profile each claim whose member exists is required.
function claimsProblem(credential, profile) {
  const issuer = credential.issuer;
  const members = {
    iss: typeof issuer === 'string' ? issuer : issuer?.id,
    jti: credential.id,
    sub: credential.credentialSubject?.id,
    nbf: 'validFrom' in credential ? seconds(credential.validFrom) : undefined,
    exp: 'validUntil' in credential ? seconds(credential.validUntil) : undefined,
  };
  for (const [claim, expected] of Object.entries(members)) {
    if (!(claim in credential)) {
      if (profile === 'open-badges-jwt' && expected !== undefined) return `${claim} is missing`;
      continue;
    }
    if (expected === undefined) return `${claim} is present, but its member is not`;
    if (credential[claim] !== expected) {
      return `${claim} ${JSON.stringify(credential[claim])} is not ${JSON.stringify(expected)}`;
    }
  }
  return null;
}

// Why a verified credential breaks the rules of its securing profile, or null when it does not.
function credentialProblem(protectedHeader, payload) {
  const { profile, problem } = profileOf(protectedHeader);
  if (problem) return problem;
  let credential;
  try {
    credential = JSON.parse(decoder.decode(payload));
  } catch {
    return 'the payload is not JSON';
  }
  const issuer = credential?.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : issuer?.id;
  if (typeof issuerId !== 'string' || issuerId === '') return 'the payload has no issuer id';
  const claims = claimsProblem(credential, profile);
  if (claims) return claims;
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
      if (profileOf(protectedHeader).profile === 'open-badges-jwt') {
        // jose's own JWT validation as well: the claims as a JWT library reads them.
        const claims = JSON.parse(decoder.decode(payload));
        await jose.jwtVerify(vector.jws, key, {
          ...options,
          issuer: claims.issuer?.id ?? claims.issuer,
          subject: claims.credentialSubject?.id,
          requiredClaims: ['iss', 'jti', 'nbf'],
        });
      }
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
