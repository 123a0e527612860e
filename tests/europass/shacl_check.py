"""Validates European Digital Credentials (ELM v3 JSON-LD) against the EDC application profile's
SHACL shapes, offline.

    shacl_check.py [--expect-violations] FILE...

Each FILE is an ELM JSON-LD credential, or a JAdES seal in the JWS JSON serialisation whose
unencoded payload is one (the node's ELM export). The document is expanded to RDF by rdflib's
JSON-LD parser; every @context it names is served from the local copies listed in CONTEXTS
(contexts/SOURCE.md), and any other context URL is an error: nothing is fetched from the network.
The data graph is validated by pyshacl against shapes/EDC-generic-full.ttl together with the
profile it imports, shapes/EDC-generic-no-cv.ttl (shapes/SOURCE.md), without inference: the shapes
target the classes the credential states.

Prints each violation (focus node, path, message) and a count per file. Exits 0 when every file
has zero results of severity Violation (or, with --expect-violations, when every file has at
least one: the check's own check, on a broken document), 1 otherwise.
"""

import json
import pathlib
import sys

import pyshacl
import rdflib
from rdflib.namespace import SH
from rdflib.plugins.shared.jsonld import context as jsonld_context

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

CONTEXTS = {
    "https://www.w3.org/2018/credentials/v1": HERE / "contexts" / "credentials-v1.jsonld",
    "http://data.europa.eu/snb/model/context/edc-ap": HERE / "contexts" / "edc-ap.jsonld",
    "https://w3id.org/microcred/v1": ROOT / "libs" / "credentials" / "context" / "microcred-v1.jsonld",
}
SHAPES = [HERE / "shapes" / "EDC-generic-full.ttl", HERE / "shapes" / "EDC-generic-no-cv.ttl"]


class OfflineContextError(Exception):
    pass


def offline_source_to_json(source, *args, **kwargs):
    """rdflib's context loader, replaced: local copies only, never the network."""
    url = str(source).rstrip("/")
    path = CONTEXTS.get(url)
    if path is None:
        raise OfflineContextError(f"@context {source!r} has no local copy (tests/europass/contexts)")
    return json.loads(path.read_text(encoding="utf-8")), None


jsonld_context.source_to_json = offline_source_to_json


def credential_text(path):
    """The credential's JSON-LD text: the file itself, or the payload of a JAdES JSON seal."""
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    if isinstance(doc, dict) and "payload" in doc and "signatures" in doc:
        return doc["payload"]
    return text


def shapes_graph():
    graph = rdflib.Graph()
    for path in SHAPES:
        graph.parse(path, format="turtle")
    return graph


def violations(data_text, shapes):
    data = rdflib.Graph()
    data.parse(data=data_text, format="json-ld")
    if len(data) == 0:
        raise ValueError("the document expands to no RDF triples")
    _, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True
    )
    out = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        out.append(
            (
                str(results.value(result, SH.focusNode)),
                str(results.value(result, SH.resultPath)),
                str(results.value(result, SH.resultMessage)),
                str(results.value(result, SH.sourceShape)),
            )
        )
    return len(data), sorted(out)


def main(argv):
    expect_violations = "--expect-violations" in argv
    files = [pathlib.Path(a) for a in argv if a != "--expect-violations"]
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    shapes = shapes_graph()
    ok = True
    for path in files:
        try:
            triples, found = violations(credential_text(path), shapes)
        except Exception as error:  # a document that does not parse fails, with the reason
            print(f"FAIL {path}: {type(error).__name__}: {error}")
            ok = False
            continue
        for focus, result_path, message, shape in found:
            print(f"  violation: {focus} {result_path}: {message} [{shape}]")
        passed = (len(found) > 0) if expect_violations else (len(found) == 0)
        verdict = "ok" if passed else "FAIL"
        print(f"{verdict} {path}: {triples} triples, {len(found)} violations")
        ok = ok and passed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
