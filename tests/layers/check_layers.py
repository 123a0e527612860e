#!/usr/bin/env python3
"""The layers of the code base, checked on every include (run by `make test`).

    check_layers.py ROOT          checks the tree at ROOT; prints each wrong-way include and
                                  exits 1 if there is one
    check_layers.py --self-test   plants each kind of wrong-way include in a small tree and
                                  checks that it is caught (and that a clean tree passes)

The rules (docs/DESIGN.md, "Layout"):
  1. libs/ is below services/, tools/, tests/ and bench/: nothing in libs/ includes them.
  2. A service sees libs/ and itself, never another service: services/<a>/ includes nothing
     from services/<b>/. Only services/mcnode/, the node's composition root, includes every
     service. A service's tests may also compose a node through services/mcnode/, and use
     another service's test support (its testing/ folder), never its code.
  3. Test support is not production code: testing/ folders and *_test files are included only
     by tests, benchmarks, other test support and the demo (mcdemo tells its story with sample
     data).
  4. Transport stays at the edge: gRPC (<grpcpp/...>, *.grpc.pb.h) is included only by the gRPC
     faces (*_grpc.h, *_grpc.cc), libs/host/ and libs/metrics/ (the server host), the node's
     composition root, mcctl, tests and benchmarks.
"""

import os
import re
import sys
import tempfile

SOURCE_SUFFIXES = (".h", ".cc")
SKIPPED_DIRS = {".git", ".deps", "node_modules"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.MULTILINE)
DEMO = {"services/mcnode/demo_main.cc"}


def sources(root):
    for top in ("libs", "services", "tools", "tests", "bench"):
        for folder, dirs, files in os.walk(os.path.join(root, top)):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("build")]
            for name in files:
                if name.endswith(SOURCE_SUFFIXES):
                    path = os.path.join(folder, name)
                    yield os.path.relpath(path, root).replace(os.sep, "/")


def is_test_support(path):
    return "/testing/" in path or re.search(r"_test(_[a-z_]+)?\.(h|cc)$", path) is not None


def is_test_side(path):
    """Code that is not production: tests, benchmarks, test support, the demo."""
    return (path.startswith(("tests/", "bench/")) or is_test_support(path) or path in DEMO)


def may_use_grpc(path):
    name = path.rsplit("/", 1)[-1]
    return (re.search(r"_grpc\.(h|cc)$", name) is not None
            or path.startswith(("libs/host/", "libs/metrics/", "services/mcnode/", "tools/"))
            or is_test_side(path))


def service_of(path):
    parts = path.split("/")
    return parts[1] if parts[0] == "services" and len(parts) > 2 else None


def violations_of(path, included):
    """Why `path` may not include `included` (None if it may)."""
    if path.startswith("libs/") and included.startswith(("services/", "tools/", "tests/", "bench/")):
        return "libs/ includes nothing above it (rule 1)"
    own = service_of(path)
    other = service_of(included)
    if own and other and own != other and own != "mcnode":
        test_reaching_support = is_test_support(path) and (
            other == "mcnode" or included.startswith("services/%s/testing/" % other))
        if not test_reaching_support:
            return ("services/%s/ includes no other service; only services/mcnode/ composes "
                    "them (rule 2)" % own)
    if is_test_support(included) and not is_test_side(path):
        return "production code includes no test support (rule 3)"
    if (included.startswith("grpcpp/") or included.endswith(".grpc.pb.h")) and not may_use_grpc(path):
        return "gRPC is included only at the edge (rule 4)"
    return None


def check(root):
    found = []
    for path in sorted(sources(root)):
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for included in INCLUDE.findall(text):
            why = violations_of(path, included)
            if why:
                found.append("%s includes %s: %s" % (path, included, why))
    return found


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def self_test():
    clean = {
        "libs/base/strings.h": '#include <string>\n',
        "libs/command/command_path.h": '#include "libs/base/strings.h"\n',
        "services/catalogue/catalogue_service.h": '#include "libs/command/command_path.h"\n',
        "services/catalogue/catalogue_grpc.h":
            '#include <grpcpp/grpcpp.h>\n#include "microcred/catalogue/v1/catalogue.grpc.pb.h"\n',
        "services/catalogue/catalogue_service_test.cc":
            '#include "services/mcnode/testing/local_ecosystem.h"\n'
            '#include "services/recognition/testing/recognition_test_util.h"\n',
        "services/recognition/testing/recognition_test_util.h": '#include "libs/base/strings.h"\n',
        "services/mcnode/node.h": '#include "services/catalogue/catalogue_service.h"\n',
        "services/mcnode/testing/local_ecosystem.h": '#include "services/mcnode/node.h"\n',
        "services/mcnode/demo_main.cc": '#include "services/mcnode/testing/local_ecosystem.h"\n',
        "libs/domain/testing/sample_catalogue.h": '#include "libs/base/strings.h"\n',
        "tests/integration/two_nodes_test.cc": '#include "libs/domain/testing/sample_catalogue.h"\n',
    }
    planted = {
        "rule 1": ("libs/credentials/testing/sample_facts.cc",
                   '#include "services/catalogue/catalogue_service.h"\n'),
        "rule 2": ("services/stacking/stacking_service.h",
                   '#include "services/recognition/recognition_service.h"\n'),
        "rule 2 (a test through another service)": (
            "services/recognition/recognition_service_test.cc",
            '#include "services/issuance/issuance_service.h"\n'),
        "rule 3": ("services/mcnode/node.cc",
                   '#include "libs/domain/testing/sample_catalogue.h"\n'),
        "rule 4": ("services/catalogue/catalogue_service.h", '#include <grpcpp/server_context.h>\n'),
    }
    failures = []
    with tempfile.TemporaryDirectory() as root:
        for path, text in clean.items():
            write(root, path, text)
        found = check(root)
        if found:
            failures.append("a clean tree was refused: %s" % found)
        for rule, (path, text) in planted.items():
            with tempfile.TemporaryDirectory() as planted_root:
                for clean_path, clean_text in clean.items():
                    write(planted_root, clean_path, clean_text)
                write(planted_root, path, text)
                found = check(planted_root)
                if not any(line.startswith(path + " includes") for line in found):
                    failures.append("%s: %s was not caught" % (rule, path))
    for failure in failures:
        print("self-test: " + failure)
    if not failures:
        print("self-test: a clean tree passes and %d planted wrong-way includes are caught"
              % len(planted))
    return 1 if failures else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    found = check(argv[1])
    for line in found:
        print(line)
    print("layers: %d wrong-way include%s" % (len(found), "" if len(found) == 1 else "s"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
