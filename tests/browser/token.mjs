// The institution's identity provider, as the browser test plays it: an Ed25519 key whose
// public half the node trusts (--token-keys), and learner access tokens signed with it (EdDSA
// JWTs with the claims libs/host/auth.h reads).
//   node token.mjs keygen DIR                 writes DIR/idp-key.pem; prints kid=issuer=key
//   node token.mjs mint DIR SUB INST AUD      prints a one-hour learner token
import { generateKeyPairSync, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const KID = "browser-test-idp";
const ISSUER = "https://idp.browser-test.example";
const b64url = (data) => Buffer.from(data).toString("base64url");

const [command, dir, ...rest] = process.argv.slice(2);
if (command === "keygen") {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  writeFileSync(`${dir}/idp-key.pem`, privateKey.export({ type: "pkcs8", format: "pem" }), {
    mode: 0o600,
  });
  const x = publicKey.export({ format: "jwk" }).x;
  console.log(`${KID}=${ISSUER}=${x}`);
} else if (command === "mint") {
  const [sub, inst, aud] = rest;
  const key = createPrivateKey(readFileSync(`${dir}/idp-key.pem`));
  createPublicKey(key);
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "EdDSA", typ: "JWT", kid: KID }));
  const claims = b64url(
    JSON.stringify({ iss: ISSUER, sub, aud, iat: now, exp: now + 3600, inst, roles: ["learner"] }),
  );
  const input = `${header}.${claims}`;
  console.log(`${input}.${b64url(sign(null, Buffer.from(input), key))}`);
} else {
  console.error("usage: token.mjs keygen DIR | mint DIR SUB INST AUD");
  process.exit(2);
}
