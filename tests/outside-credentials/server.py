"""The outside issuer's web site over HTTPS, and the ways a hostile or broken site answers.

    server.py certs DIR
        a test CA (DIR/ca.pem, the node's --fetch-ca-file) and two server certificates it
        signs: DIR/server.pem for localhost and 127.0.0.1, valid now; DIR/expired.pem for
        localhost, expired yesterday.
    server.py serve SITE CERTS MAIN_PORT EXPIRED_PORT REDIRECT_PORT SLOW_SECONDS
        serves until its standard input closes; prints "ready" once every listener is up.
        localhost:MAIN_PORT (server.pem), the files issuer.py wrote in SITE/www:
          /.well-known/did.json, /status/revocation-1    the good issuer's
          /issuers/slow/did.json       answered after SLOW_SECONDS
          /issuers/huge/did.json       4 MiB of JSON, no Content-Length
          /issuers/redirect/did.json   302 to https://127.0.0.1:REDIRECT_PORT/... (a loopback
                                       address the node does not allow)
          /issuers/malformed/did.json  a DID document cut in the middle
        127.0.0.1:REDIRECT_PORT (server.pem): the redirect's target, a valid DID document for
          the redirecting DID, so that following the redirect would make the credential verify
        localhost:EXPIRED_PORT (expired.pem): /.well-known/did.json, a valid DID document
    Every request is appended to SITE/requests.log as "<listener> <path>".

Python's http.server and ssl only, with `cryptography` (openbadgeslib's dependency) for the
certificates.
"""

import datetime
import ipaddress
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key_and_cert(directory, stem, key, cert):
    with open(os.path.join(directory, stem + ".key"), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(os.path.join(directory, stem + ".pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def make_certs(directory):
    os.makedirs(directory, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder()
          .subject_name(_name("Outside issuer test CA"))
          .issuer_name(_name("Outside issuer test CA"))
          .public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=30))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                       crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False,
                                       decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    _write_key_and_cert(directory, "ca", ca_key, ca)

    def server_cert(stem, not_before, not_after):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(_name("localhost"))
                .issuer_name(ca.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(not_before)
                .not_valid_after(not_after)
                .add_extension(x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"),
                     x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    ca_key.public_key()), critical=False)
                .sign(ca_key, hashes.SHA256()))
        _write_key_and_cert(directory, stem, key, cert)

    server_cert("server", now - datetime.timedelta(hours=1), now + datetime.timedelta(days=7))
    server_cert("expired", now - datetime.timedelta(days=10), now - datetime.timedelta(days=1))


class Site:
    def __init__(self, site, main_port, redirect_port, slow_seconds):
        self.www = os.path.join(site, "www")
        self.log_path = os.path.join(site, "requests.log")
        self.main_port = main_port
        self.redirect_port = redirect_port
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()

    def log(self, listener, path):
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write("%s %s\n" % (listener, path))

    def file(self, *parts):
        with open(os.path.join(self.www, *parts), "rb") as f:
            return f.read()


def handler_for(site, listener):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status, body=b"", content_type="application/json", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            # Nothing is cached: a revocation is seen by the next fetch.
            self.send_header("Cache-Control", "no-store, max-age=0")
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            site.log(listener, self.path)
            try:
                self.answer()
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # the node gave up (timeout, size limit): what these paths are for

        def answer(self):
            path = self.path.split("?")[0]
            if listener == "redirect-target":
                if path == "/issuers/redirect/did.json":
                    return self.send(200, site.file("documents", "redirect.json"))
                return self.send(404, b"{}")
            if listener == "expired":
                if path == "/.well-known/did.json":
                    return self.send(200, site.file("documents", "expired-tls.json"))
                return self.send(404, b"{}")
            if path == "/.well-known/did.json":
                return self.send(200, site.file(".well-known", "did.json"))
            if path == "/status/revocation-1":
                return self.send(200, site.file("status", "revocation-1"),
                                 content_type="application/vc+jwt")
            if path == "/issuers/slow/did.json":
                time.sleep(site.slow_seconds)
                return self.send(200, site.file("documents", "slow.json"))
            if path == "/issuers/huge/did.json":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b'{"id": "huge", "padding": "')
                chunk = b"x" * 65536
                for _ in range(64):
                    self.wfile.write(chunk)
                self.wfile.write(b'"}')
                return None
            if path == "/issuers/redirect/did.json":
                target = "https://127.0.0.1:%d%s" % (site.redirect_port, path)
                return self.send(302, b"", headers=[("Location", target)])
            if path == "/issuers/malformed/did.json":
                whole = site.file("documents", "malformed.json")
                return self.send(200, whole[: len(whole) // 2])
            return self.send(404, b"{}")

    return Handler


def listen(host, port, certs, stem, handler):
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(certs, stem + ".pem"), os.path.join(certs, stem + ".key"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(site_dir, certs, main_port, expired_port, redirect_port, slow_seconds):
    site = Site(site_dir, main_port, redirect_port, slow_seconds)
    listen("127.0.0.1", main_port, certs, "server", handler_for(site, "main"))
    listen("127.0.0.1", expired_port, certs, "expired", handler_for(site, "expired"))
    listen("127.0.0.1", redirect_port, certs, "server", handler_for(site, "redirect-target"))
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our standard input (or dies)


def main(argv):
    if len(argv) == 3 and argv[1] == "certs":
        make_certs(argv[2])
    elif len(argv) == 8 and argv[1] == "serve":
        serve(argv[2], argv[3], int(argv[4]), int(argv[5]), int(argv[6]), float(argv[7]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
