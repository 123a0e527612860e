#!/usr/bin/env python3
"""Extracts the openAPIV3Schema of each served version of Strimzi CRD files into JSON.

Usage: extract.py CRD_YAML... (run from this folder). Writes <group>_<version>_<Kind>.json,
one per served version, each holding {"apiVersion", "kind", "source", "schema"}. Used once per
Strimzi upgrade; see README.md for the pinned release.
"""
import hashlib
import json
import sys

import yaml


def main(paths):
    for path in paths:
        with open(path, "rb") as f:
            raw = f.read()
        crd = yaml.safe_load(raw)
        group = crd["spec"]["group"]
        kind = crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            if not version.get("served"):
                continue
            out = {
                "apiVersion": f"{group}/{version['name']}",
                "kind": kind,
                "source": {"file": path.rsplit("/", 1)[-1],
                           "sha256": hashlib.sha256(raw).hexdigest()},
                "schema": version["schema"]["openAPIV3Schema"],
            }
            name = f"{group}_{version['name']}_{kind}.json"
            with open(name, "w") as f:
                json.dump(out, f, indent=1, sort_keys=True)
                f.write("\n")
            print(name)


if __name__ == "__main__":
    main(sys.argv[1:])
