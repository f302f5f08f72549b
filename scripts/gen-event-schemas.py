#!/usr/bin/env python3
"""Generate rules/catalog/event-schemas.json: the detail types each AWS source emits, and the
typed field tree of each one's `detail`.

Used by TC202 (a `detail-type` a source never emits, close to one it does), TC205 (a pattern
that descends into a field the schema types as a string, number or boolean) and TC206 (a
`detail` field no schema has, close to one that is there).

The data are the schemas of the `aws.events` schema registry as the AWS CDK service
specification publishes them: npm package `@aws-cdk/aws-service-spec`, Apache-2.0, file
`db.json.gz`, entities `event` (`source`, `detailType`, `rootProperty`, the type of `detail`)
and `eventTypeDefinition` (named, typed properties). Pinned to one version.

Usage (from the repository root):

    npm pack @aws-cdk/aws-service-spec@0.1.216     # writes aws-cdk-aws-service-spec-0.1.216.tgz
    tar -xzf aws-cdk-aws-service-spec-0.1.216.tgz package/db.json.gz package/package.json
    python3 scripts/gen-event-schemas.py package > rules/catalog/event-schemas.json

The output is deterministic for a given package version; the script refuses another version
unless --allow-other-version is given.

Output shape:

    {"generated_by": "scripts/gen-event-schemas.py",
     "package": "@aws-cdk/aws-service-spec@<version>", "license": "Apache-2.0",
     "sources": {"<source>": {"<detail type>": <field>, ...}, ...}}

where a field is "string", "number", "boolean", "any" (a JSON value, a map, a union or a type
the specification leaves open: anything may be below it), or an object {"<name>": <field>}.
Arrays are transparent (EventBridge matches a pattern value against each element), so an array
is written as its element. The CloudTrail detail types (`AWS API Call via CloudTrail`, …) are
listed with "any": their `detail` is the CloudTrail record, whose request and response
parameters depend on the API.
"""

import gzip
import json
import os
import sys

PACKAGE = "@aws-cdk/aws-service-spec"
VERSION = "0.1.216"

SCALARS = {
    "string": "string",
    "date-time": "string",
    "number": "number",
    "integer": "number",
    "boolean": "boolean",
}

# Deeper than any schema of the package; a guard against reference cycles.
MAX_DEPTH = 12


def field(definitions, type_, depth):
    kind = type_.get("type")
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array" and "element" in type_:
        return field(definitions, type_["element"], depth)
    if kind == "ref" and depth < MAX_DEPTH:
        target = definitions.get(type_["reference"]["$ref"])
        if target is not None:
            return tree(definitions, target, depth + 1)
    return "any"


def tree(definitions, definition, depth):
    properties = definition.get("properties")
    if not properties:
        # A definition without properties says nothing of what is below it.
        return "any"
    return {
        name: field(definitions, prop["type"], depth)
        for name, prop in sorted(properties.items())
    }


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    folder = args[0]
    with open(os.path.join(folder, "package.json"), encoding="utf-8") as f:
        version = json.load(f)["version"]
    if version != VERSION and "--allow-other-version" not in argv:
        sys.exit(f"{PACKAGE} is {version}; this script is pinned to {VERSION}")
    with gzip.open(os.path.join(folder, "db.json.gz"), "rt", encoding="utf-8") as f:
        schema = json.load(f)["schema"]
    definitions = {
        d["$id"]: d for d in schema["eventTypeDefinition"]["entities"]
    }
    sources = {}
    for event in schema["event"]["entities"]:
        source, detail_type = event["source"], event["detailType"]
        if detail_type.endswith("via CloudTrail"):
            shape = "any"
        else:
            root = definitions.get(event.get("rootProperty", {}).get("$ref"))
            shape = tree(definitions, root, 0) if root else "any"
        types = sources.setdefault(source, {})
        if detail_type in types and types[detail_type] != shape:
            # Two schemas of one detail type: nothing is known that both do not say.
            shape = "any"
        types[detail_type] = shape
    out = {
        "generated_by": "scripts/gen-event-schemas.py",
        "package": f"{PACKAGE}@{version}",
        "license": "Apache-2.0",
        "sources": {s: dict(sorted(t.items())) for s, t in sorted(sources.items())},
    }
    json.dump(out, sys.stdout, separators=(",", ":"), sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
