// The Node.js half of the Open Badges 3.0 conformance check (run.sh drives it; README.md).
//
//   node verify.mjs MANIFEST.json
//
// panva/jose verifies every credential conformance_issuer issued, the key found only by
// following the token's kid: a URL kid is fetched and must answer the JWK of that kid; a did:web
// kid is resolved by did-resolver with web-did-resolver (the DIF's) to the DID document, whose
// verification method of that id carries the key. The algorithm is pinned to the one the
// manifest expects. Every tampered copy must be refused. Then the JOSE header of each profile
// exactly, the OB 3.0 registered claims, and each credential's status read from its signed
// Bitstring Status List (the list verified by jose like a credential, its 2-bit entry read
// per W3C Bitstring Status List v1.0, no npm library reading entries wider than one bit).
//
// The manifest's hosts are served by the nodes on loopback ports: https requests to them go to
// the port, as through an ingress (the global fetch and node:https, which web-did-resolver's
// cross-fetch uses, are both routed); any other host is refused, so nothing leaves the machine.
// Prints one line per failed check and "N passed, N failed"; exits 1 on any failure.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import * as jose from 'jose';
import { Resolver } from 'did-resolver';
import { getResolver } from 'web-did-resolver';

const MESSAGES = [
  { status: '0x0', message: 'active' },
  { status: '0x1', message: 'revoked' },
  { status: '0x2', message: 'suspended' },
  { status: '0x3', message: 'undefined' },
];
const MINIMUM_ENTRIES = 131072;

let passed = 0;
let failed = 0;
function check(ok, what, detail = '') {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
async function run(what, fn) {
  try {
    await fn();
    return check(true, what);
  } catch (error) {
    const cause = error.cause ? ` (${error.cause.code ?? error.cause.message ?? error.cause})` : '';
    return check(false, what, `${error.code ?? error.name}: ${error.message}${cause}`);
  }
}

// ---- the ingress: https://<host>/... of the manifest's hosts to http://127.0.0.1:<port>/...
let hosts = {};
function local(url) {
  const parsed = new URL(url);
  const port = hosts[parsed.hostname];
  if (parsed.protocol !== 'https:' || port === undefined) {
    throw new Error(`${url}: not a URL of the test's nodes`);
  }
  return `http://127.0.0.1:${port}${parsed.pathname}${parsed.search}`;
}
const originalFetch = globalThis.fetch;
globalThis.fetch = (input, init) => originalFetch(local(String(input.url ?? input)), init);
// node-fetch (under web-did-resolver's cross-fetch) calls https.request(options) with a parsed URL.
https.request = (options, ...rest) => {
  if (typeof options !== 'object' || options instanceof URL || !options.hostname) {
    throw new Error('https.request: only node-fetch\'s form is routed');
  }
  const target = new URL(local(`https://${options.hostname}${options.path ?? '/'}`));
  return http.request({ ...options, protocol: 'http:', host: undefined, hostname: target.hostname,
    port: target.port, agent: undefined }, ...rest);
};

async function get(url, accept) {
  const answer = await fetch(url, { headers: { Accept: accept } });
  if (!answer.ok) throw new Error(`GET ${url} (Accept ${accept}) answered ${answer.status}`);
  return { body: await answer.text(), type: answer.headers.get('content-type') ?? '' };
}

// ---- keys, found only by following kid
const didResolver = new Resolver(getResolver());
const didDocuments = new Map();
async function resolveDid(did) {
  if (!didDocuments.has(did)) {
    const result = await didResolver.resolve(did);
    if (result.didResolutionMetadata?.error) {
      throw new Error(`${did}: ${result.didResolutionMetadata.error} ${result.didResolutionMetadata.message ?? ''}`);
    }
    didDocuments.set(did, result.didDocument);
  }
  return didDocuments.get(did);
}

async function jwkForKid(kid) {
  if (kid.startsWith('did:web:')) {
    const did = kid.split('#')[0];
    const document = await resolveDid(did);
    const method = (document.verificationMethod ?? []).find(
      (m) => m.id === kid || (m.id?.startsWith('#') && did + m.id === kid));
    if (!method?.publicKeyJwk) throw new Error(`${did}'s DID document has no key ${kid}`);
    return method.publicKeyJwk;
  }
  const { body, type } = await get(kid, 'application/jwk+json');
  if (!type.startsWith('application/jwk+json')) throw new Error(`${kid} answered ${type}`);
  const jwk = JSON.parse(body);
  if (jwk.kid !== kid) throw new Error(`the JWK at ${kid} has kid ${jwk.kid}`);
  return jwk;
}

async function verify(token, alg) {
  const { kid } = jose.decodeProtectedHeader(token);
  const key = await jose.importJWK(await jwkForKid(kid), alg);
  return jose.compactVerify(token, key, { algorithms: [alg] });
}

// ---- W3C Bitstring Status List v1.0, "Validate Algorithm", any statusSize
function readStatus(list, entry) {
  const subject = list.credentialSubject ?? {};
  const purposes = [subject.statusPurpose].flat();
  if (!purposes.includes(entry.statusPurpose)) throw new Error(`list purposes ${purposes}`);
  if (!(list.type ?? []).includes('BitstringStatusListCredential')) throw new Error('not a BitstringStatusListCredential');
  const size = entry.statusSize ?? 1;
  const encoded = subject.encodedList ?? '';
  if (!encoded.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  if ((bits.length * 8) / size < MINIMUM_ENTRIES) throw new Error('STATUS_LIST_LENGTH_ERROR');
  const position = Number(entry.statusListIndex) * size;
  if (position + size > bits.length * 8) throw new Error('RANGE_ERROR');
  let value = 0;
  for (let bit = position; bit < position + size; bit += 1) {
    value = (value << 1) | ((bits[bit >> 3] >> (7 - (bit & 7))) & 1);
  }
  if (!entry.statusMessage) return value ? 'set' : 'unset';
  const message = entry.statusMessage.find((m) => parseInt(m.status, 16) === value);
  if (!message) throw new Error(`status ${value} has no message`);
  return message.message;
}

const seconds = (dateTime) => Math.floor(Date.parse(dateTime) / 1000);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

async function checkCredential(credential) {
  const { name, jws: token, profile, alg } = credential;
  const header = jose.decodeProtectedHeader(token);
  const payload = jose.decodeJwt(token);
  const keys = Object.keys(header).sort().join(',');
  if (profile === 'open-badges-jwt') {
    check(keys === 'alg,kid,typ' && header.typ === 'JWT', `${name}: OB 3.0 header`, JSON.stringify(header));
    const expected = {
      iss: payload.issuer?.id, jti: payload.id, sub: payload.credentialSubject?.id,
      nbf: payload.validFrom ? seconds(payload.validFrom) : undefined,
    };
    if (payload.validUntil) expected.exp = seconds(payload.validUntil);
    for (const [claim, value] of Object.entries(expected)) {
      check(value !== undefined && payload[claim] === value, `${name}: claim ${claim}`, `${payload[claim]} != ${value}`);
    }
    check(!('iat' in payload) && (payload.validUntil || !('exp' in payload)), `${name}: no iat, exp only with validUntil`);
  } else {
    check(keys === 'alg,cty,kid,typ' && header.typ === 'vc+jwt' && header.cty === 'vc',
      `${name}: VC-JOSE-COSE header`, JSON.stringify(header));
  }
  check(header.alg === alg, `${name}: alg ${alg}`, header.alg);
  check(payload.issuer?.id === credential.issuer_id, `${name}: issuer.id`, payload.issuer?.id);
  await run(`${name}: jose verifies it, key by kid`, async () => {
    const { payload: verified } = await verify(token, alg);
    if (!same(JSON.parse(new TextDecoder().decode(verified)), payload)) throw new Error('payload differs');
  });

  const entry = payload.credentialStatus;
  if (!check(entry && !Array.isArray(entry) && typeof entry === 'object', `${name}: credentialStatus is one object`)) return;
  check(entry.type === 'BitstringStatusListEntry' && entry.statusPurpose === 'message' &&
        entry.statusSize === 2 && same(entry.statusMessage, MESSAGES),
  `${name}: credentialStatus a 2-bit message entry`, JSON.stringify(entry).slice(0, 300));
  await run(`${name}: status ${credential.status} from the signed status list`, async () => {
    const { body } = await get(entry.statusListCredential, 'application/vc+jwt');
    const listToken = body.trim();
    const { payload: listBytes } = await verify(listToken, jose.decodeProtectedHeader(listToken).alg);
    const list = JSON.parse(new TextDecoder().decode(listBytes));
    const listIssuer = typeof list.issuer === 'string' ? list.issuer : list.issuer?.id;
    if (listIssuer !== payload.issuer.id) throw new Error(`list issuer ${listIssuer}`);
    const status = readStatus(list, entry);
    if (status !== credential.status) throw new Error(`status ${status}, expected ${credential.status}`);
  });
}

async function checkRefused(credential, tampered) {
  let outcome = 'accepted';
  try {
    await verify(tampered.jws, credential.alg);
  } catch (error) {
    outcome = error.code ?? error.name;
  }
  check(outcome !== 'accepted', `${tampered.name}: refused by jose`);
}

const [manifestPath] = process.argv.slice(2);
if (!manifestPath) {
  console.error('usage: node verify.mjs MANIFEST.json');
  process.exit(2);
}
// run.sh copies this script next to the node_modules it installed.
const versionOf = (name) => JSON.parse(
  readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
console.log(`jose ${versionOf('jose')}, did-resolver ${versionOf('did-resolver')}, ` +
            `web-did-resolver ${versionOf('web-did-resolver')} on Node.js ${process.version}`);
const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
hosts = manifest.hosts;
const byName = new Map(manifest.credentials.map((c) => [c.name, c]));
for (const credential of manifest.credentials) {
  const before = failed;
  await checkCredential(credential);
  if (failed === before) console.log(`ok   ${credential.name} (${credential.profile}, ${credential.alg}, ${credential.status})`);
}
const beforeTampered = failed;
for (const tampered of manifest.tampered) await checkRefused(byName.get(tampered.of), tampered);
if (failed === beforeTampered) console.log(`ok   all ${manifest.tampered.length} tampered copies refused`);
for (const institution of manifest.institutions) {
  if (!institution.issuer_id.startsWith('did:web:')) continue;
  await run(`${institution.id}: ${institution.issuer_id} resolves`, async () => {
    const document = await resolveDid(institution.issuer_id);
    if (document.id !== institution.issuer_id) throw new Error(`DID document id ${document.id}`);
  });
}
console.log(`node: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
