// Test-only: known keys and test vectors shared by the libs/jose tests.
#ifndef MICROCRED_LIBS_JOSE_TEST_KEYS_H_
#define MICROCRED_LIBS_JOSE_TEST_KEYS_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"

namespace microcred::jose::testing {

// Two fixed 2048-bit keys, for tests only (generated with `openssl genpkey -algorithm RSA
// -pkeyopt rsa_keygen_bits:2048`): generating keys in every test process would cost seconds.
inline constexpr std::string_view kTestRsaPem[2] = {R"pem(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDHRW9e1UOY2E+Z
R9umsp4bWpmWC/NNuTnUA9gM54MN2Lu4igRk/lXYkFE8A/02W+VJGLKsAv1VhQ/z
Ctjl5WRnX5qEmftvsNwh+luWCw7RGvlCEQBwaxXr70U86Vd0vtVIgB96iQ0lZG0R
/LifthjNiackBDl5pPmpoJ1Awjh3s46TlGFJN8TyMCvYpbrcMLP+KEWcrX2rtEni
jM4idMxP/fDRkijRyW+POzjaFyLrzE+ofLFKoi9cVTnHeH4beClIXbE9pURIm3Fi
zre5dqSpAkmKqQVV3+KF+B9ptalEUxEqHdRJmz9TGf0ugarjqzThc5rzwQxDEMwt
lq/nu3SbAgMBAAECggEABVminSLGso3/pkCc79XUuAgmjFqg7YiTui48PXa9ywk8
f+MvCQVpZOvVTfIzwhDea4ORPjee5w4wPUtFHq8H3FzxwGTN+dPaycLA4wiNQbe0
94ZqML8RkuQ5jKuLKbaNX7LNgP0mcDT/6T9KybAaWhbyeN2CdPbuP/BecZ/zB+KG
gbZcYnwjGdL4D3cUzaYfHsZ5iXNpLa8/+jFSDa3C2VzguDU2h740mrnRDVn22T9K
FLGY8mHQ0NaH75GqewcgGgZsmPYjucgbbQASHCa21g2XAu7dlrLSs1gX/rS/uPvY
nqtfRjmV1mt4Oh8I2qTb4pSIguxkpaSyNXGN9CUaoQKBgQD55yOpyZj0SQQ3XOnm
k1Ka5VKhq72Rpa3cyY6pPk8ROCDzcI5XcIrfz4/ZUyJmVGInTxMCeMGz0tvsC9Qs
OAKeng4bDAwpNiDg7PUJ1QAR+c1uE/UaWsTHnaZ6mvFFP/Tl3SXewLeV4IXYeNIl
9v3bdk+QZbQwfcXbtL+RCxzGMQKBgQDMIg6Z0fmT9KEXW8nXITja4kW55nLgFFhy
1QFvDLQmrOfOb4LpCe0unOtRLq7KDLjMltCYuqdhUOkykvvAjAkSCD3e/I2jA0n7
ZpBgusulF3Ck7sqfHouoAim1nBc8oM/AJSBUk9eeY7xO9hmAe1yGf4LIj4owFlKB
bA0EzOtYiwKBgA/gw79R88nxqbbqzGG+Eo2M7IchJlZOtJFGrS3Lq7JoYo+VIzYj
DG/T/EvOoGzoB6R/vbF2grguOZLx3XVBycjSOgs15L/plIU2CQuq4OpDeO35jqUy
Bza3qZA4sAO6YJEKUBGrJP782QQ8CP4oh1CeX8fI7n32P9AJ1/IbRqTBAoGBAMbt
oYDxCODQknPq9SV6sKdNvllNZEFOUmuFfGI15RGTikq4jMCA9exo60Ev1xH7l9N4
XUuZCihh6v9oEYIwdV5nPbQiNfzX5a7i4mwBXRdDYni4ZCjwYXSWtwLOXC6vIAXF
qF4DvSoTU503Yt68WQyREmhUyXvXJQwOuhklgWvFAoGAaG1grK8Hwt8i1K+np/uQ
S/YWuAHVfQSqzWSdxwoTn1fiE3PTo6uPC9s+xQBzk7IArbyUBsw2uKlh+kdjisqA
7qpIc48mikQtoP1Z0WEu/Z1q3B0BBzGUxpeeM+IF2iIyPdfsDe+gpfrxST35PaLe
2y4SNU4gRFbX2N3U4RnaaW4=
-----END PRIVATE KEY-----
)pem",
                                                    R"pem(-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCfNGp0oTfVH+XL
tX1mEHbD2t7v36c5+BaDyoyt6X2jiKAhnCIE6hisLIzSCVqQIPfnm7/2OMCEsUVF
4j3G30JDQZHQO2ZhsuTbXzySL4zU5wOE5IuPYQENtkpwxdgQeB2Vm8MMiicDbKyE
7MpDu0jWRibyIxBKn5iygmbaljKMowDUfnJJ1juTg4KJxeUzIGMKf4oXf7J1TJOY
wdIw7Pm/EUvTCLHutjPQUe/lhtN9aMdxl7dnt+aLXd0dbXo22Iig+JAsO3peQkMV
xyJ8/opFLQLRcjuOfIdpLI/JOCF4R6FO947Anx0tPRYZnulyk93rcH0NQQ9GaCv/
ZTgS62gVAgMBAAECggEAAO5KSS1Mcqatynrs2hoS/EMN8RvDDA/5POaQTWYJawg+
ez7/6P+zGvGl9bMl41M8wFQSwy/fF2V828kje1PWA/q3HbGDV4nwWjIoOZVgQUpZ
P0y2BPDnfY/DejJlzeQdxJwA6YdA7/dMqac/oCGQINrAJcPNERd0AsBSFO4cAkAB
5zBtpM2gm65jd0UX5O2AEErZynvcs3oMOkqTeYwDAwJSaoOW4/rKgk6In8YQl4AS
n+W4TvofXEsc5Gh7IamhJ3RoKDIKzAwRMtUZlp4DzH4levAo1Hre9dAgLF3rHapM
p79LnRs+FzBUpD2VRlgLxbCVEKBc5DTYuinJcU9/cQKBgQDXrJZa18LxvbmQQ5lv
O7SglTCd1ypDMW2n335cxVpRiO2vhNX/GEIYLw3fQeG+v9aa+8KLyo5+GMU9aU48
AQ12BnpGGQBfQnywxutiNa9291CQVtqwhN4Ez5p7QZCdYbLlPCVy7CrlbSkJKRyb
8DFLEg3n4SG1BTQxo9TbIdkdUwKBgQC8+OAndpeVkejjbBrHayRiaUPxuPj0Lps0
gCkU600DY2ZxwH4zGrpYiBfmVTJjyEiDm/3sysAL4wJN0K+bNAMirVhUPC5KJ8WL
k9LRAs/8NQTTviF5xRmPgUgBEdvIXUgPVRzPzP0hzp9XYqhQ6MBDgshfVz37tCSt
WYCiZB7P9wKBgGyzcMhybK+4hvk+COw2NHCnIOy80HEzTWhJzX9mfIIRuHI5Sj4a
9N0Jgj1fEC86syhD8abRPYYyZ97u316AzU8KLsB7w2M/uGbEq0hBdKFKPxGwpOJI
5TmZhOvQfNnFrwu4h8tnWqttnDwgu2mg4sdKXzXak0mQSOEoCJU1dx8/AoGAajVu
tn9e3v+s5vVBb8d2IaGMQHV35rWzIaTOciV1mWvqjhBkXZCuH0gONrS3p4FP0DiC
VO33Vjb2eonJyO9Iu9q1hFJ2qdMEolgo6rQr9VJPLjr0UZ5HqXI95+wDnO9gqs1p
bhmGQ9P/lnuqoh7OwKLmvz8nZSpwWsWtGJgxAS0CgYBGU886GYd11NQiFrQW94TB
Mt8O0h3Cs5NExB5cRCTk2gQ9nvtcdfOmKocDNiZSEeTSwtVaszWOZUsmBc7ogIKt
UlVK6zr6Rxh5kxiF5ztDeJamUMbCio5mO9XWvby0eIEqqHX24Otcp7IJgwK1yQxQ
u60b92OADonYOk0QPhd3BA==
-----END PRIVATE KEY-----
)pem"};

inline const RsaPrivateKey& TestRsaKey(int which) {
  static const RsaPrivateKey* const keys[2] = {
      new RsaPrivateKey(*RsaPrivateKey::FromPkcs8Pem(kTestRsaPem[0])),
      new RsaPrivateKey(*RsaPrivateKey::FromPkcs8Pem(kTestRsaPem[1]))};
  return *keys[which];
}

// base64url text that the test itself states, decoded.
inline std::string Unbase64Url(std::string_view text) {
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(text);
  EXPECT_TRUE(bytes.ok()) << text;
  return bytes.value_or("");
}

// RFC 8037 Appendix A.1: the Ed25519 key of the JOSE examples.
inline constexpr std::string_view kRfc8037Seed = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
inline constexpr std::string_view kRfc8037PublicX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

inline crypto::SigningKey Rfc8037Key() {
  return *crypto::SigningKey::FromSeed(Unbase64Url(kRfc8037Seed));
}

// RFC 7515 Appendix A.2: the RS256 example's public modulus (e is AQAB), signing input and
// signature.
inline constexpr std::string_view kRfc7515RsaModulus =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4"
    "QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMd"
    "bBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK"
    "-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
inline constexpr std::string_view kRfc7515SigningInput =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNv"
    "bS9pc19yb290Ijp0cnVlfQ";
inline constexpr std::string_view kRfc7515Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujG"
    "bds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe"
    "7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI"
    "8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// Fixed EC keys, for tests only (`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:...`):
// a P-256 key, and keys on two curves that ES256 must refuse.
inline constexpr std::string_view kTestP256Pem = R"pem(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaisLeYDPy+HP4s9B
KVFmFhCJKtOWODQ1VFSUvK4w1G6hRANCAAQBOuPim/ZGNXV22EfRbaRZI6cgXow+
YU6wwTG6kK3VuJOnVtHyGtflM9fkEuT9/I2vGaaMiTpQNk4erKs4u1WB
-----END PRIVATE KEY-----
)pem";
inline constexpr std::string_view kTestP384Pem = R"pem(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDRg7iuNxtGle2Il6jG
A2jQtKxTXKFpLwwmh5vdLkuZbxj5hePjK4nl893qz3IymuChZANiAAQWQRxYiAtS
Q8GN45ul3gcEv0dCuH7nCrFEwD1+jYRFop1pSOk9HXUOM/Dj2BJHIicgMFTGsS1V
lnZ3A+8LQVuftkwUqSIedWJOAJDzVuohYyg5BYZ6etlgmbswg+fwImk=
-----END PRIVATE KEY-----
)pem";
inline constexpr std::string_view kTestSecp256k1Pem = R"pem(-----BEGIN PRIVATE KEY-----
MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgIZz6k4fY0R9l6Tm1j29z
Hv9n4DHTHE33E2rH9ucfdGehRANCAAQejKiYrSkB6t2MgBCPi/baCSQ5dw/IDXQe
Cot3zTb8eb8o0jjt+yR9nktGlic/hm26ZaJCenQ1IqQHLwG+fIOi
-----END PRIVATE KEY-----
)pem";

// RFC 7515 Appendix A.3: the ES256 example's public key (x, y), signing input and signature.
inline constexpr std::string_view kRfc7515EcX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
inline constexpr std::string_view kRfc7515EcY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
inline constexpr std::string_view kRfc7515Es256SigningInput =
    "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNv"
    "bS9pc19yb290Ijp0cnVlfQ";
inline constexpr std::string_view kRfc7515Es256Signature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
}  // namespace microcred::jose::testing

#endif  // MICROCRED_LIBS_JOSE_TEST_KEYS_H_
