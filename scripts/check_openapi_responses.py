#!/usr/bin/env python3
"""Validate recorded API responses against the schemas of openapi.yaml.

Usage: check_openapi_responses.py openapi.yaml samples.json
samples.json: [{"schema": "AdmissionDecision", "body": {...}}, ...]
Prints one line per sample; exits 1 if any sample does not match its schema.
Needs PyYAML and jsonschema (scripts/install-deps installs them).
"""
import json
import sys

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def main() -> int:
    spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
    samples = json.load(open(sys.argv[2], encoding="utf-8"))
    registry = Registry().with_resource("urn:openapi", Resource(contents=spec, specification=DRAFT202012))
    failures = 0
    for sample in samples:
        validator = jsonschema.Draft202012Validator(
            {"$ref": "urn:openapi#/components/schemas/" + sample["schema"]}, registry=registry,
            format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(sample["body"]), key=lambda e: list(e.absolute_path))
        label = f'{sample["schema"]} ({sample.get("note", "")})'
        if errors:
            failures += 1
            for error in errors[:5]:
                print(f"FAIL {label}: {error.message} at /{'/'.join(map(str, error.absolute_path))}")
        else:
            print(f"ok   {label}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
