#!/usr/bin/env python3
"""Independent verifier for traingate audit exports (Python standard library only).

Recomputes every entry's hash from an export made by `traingate audit export` or
`GET /v1/audit/export` (JSON Lines or CSV, optionally gzip-compressed) following
docs/audit-format.md, and checks that the entries form one unbroken chain from seq 1.
With --anchors it also checks the chain against the anchored heads the service wrote
(data/audit-anchors.jsonl): every anchored (seq, hash) must be in the export.

    scripts/verify_audit.py export.jsonl [--anchors data/audit-anchors.jsonl]

Exit 0 when intact, 1 when broken (the first bad seq is printed), 2 on unreadable input.
"""
import argparse
import csv
import gzip
import hashlib
import io
import json
import sys

GENESIS = "0" * 64
V1_FIELDS = ["v", "seq", "at", "kind", "admission_id", "decision", "reason_codes", "policy_version", "subject_ref"]
V2_FIELDS = V1_FIELDS + ["sealed", "details"]


def canonical_bytes(entry):
    fields = V2_FIELDS if entry["v"] >= 2 else V1_FIELDS
    content = {name: entry.get(name) for name in fields}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(prev_hash, entry):
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_bytes(entry)).hexdigest()


def open_text(path):
    with open(path, "rb") as raw:
        data = raw.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def read_entries(text):
    """Yields entries as dicts with the types of the JSON export, from JSONL or CSV."""
    if text.startswith("seq,"):
        for row in csv.DictReader(io.StringIO(text, newline="")):
            yield {
                "v": int(row["v"]), "seq": int(row["seq"]), "at": row["at"], "kind": row["kind"],
                "admission_id": row["admission_id"] or None, "decision": row["decision"] or None,
                "reason_codes": json.loads(row["reason_codes"]), "policy_version": row["policy_version"] or None,
                "subject_ref": row["subject_ref"] or None, "sealed": row["sealed"] or None,
                "details": json.loads(row["details"]) if row["details"] else None,
                "prev_hash": row["prev_hash"], "hash": row["hash"],
            }
    else:
        # "\n" only: str.splitlines() would also split inside strings holding U+2028 or U+0085.
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"line {number} is not JSON: {error}")


def verify(entries, anchors):
    previous_hash, count = GENESIS, 0
    seen = {}
    for entry in entries:
        expected_seq = count + 1
        if entry.get("seq") != expected_seq:
            return False, count, f"expected seq {expected_seq}, found seq {entry.get('seq')}", expected_seq
        if entry.get("prev_hash") != previous_hash:
            return False, count, f"seq {expected_seq}: prev_hash does not match the hash of seq {count}", expected_seq
        recomputed = entry_hash(previous_hash, entry)
        if recomputed != entry.get("hash"):
            return False, count, f"seq {expected_seq}: hash {entry.get('hash')} but the fields hash to {recomputed}", expected_seq
        previous_hash, count = recomputed, expected_seq
        if expected_seq in anchors:
            seen[expected_seq] = recomputed
    for seq, anchored_hash in sorted(anchors.items()):
        if seq > count:
            return False, count, f"the log ends at seq {count} but seq {seq} was anchored: entries were removed", count + 1
        if seen.get(seq) != anchored_hash:
            return False, count, f"seq {seq} does not match its anchored hash: the log was rewritten", seq
    return True, count, f"head seq {count} hash {previous_hash}", None


def read_anchors(path):
    """The anchored heads. A last line cut short by a crash mid-append (no closing brace) is
    skipped, as the service does; any other line that is not an anchor is an error."""
    anchors = {}
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source.read().split("\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if not line.rstrip().endswith("}"):
                    continue
                raise ValueError(f"{path} line {number} is not an anchor")
            if not isinstance(record, dict) or not isinstance(record.get("seq"), int) or not isinstance(record.get("hash"), str):
                raise ValueError(f"{path} line {number} is not an anchor")
            anchors[record["seq"]] = record["hash"]
    return anchors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="a JSONL or CSV export, optionally gzip-compressed")
    parser.add_argument("--anchors", help="the service's anchor file (data/audit-anchors.jsonl)")
    args = parser.parse_args()
    try:
        anchors = read_anchors(args.anchors) if args.anchors else {}
        ok, count, message, bad_seq = verify(read_entries(open_text(args.export)), anchors)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"unreadable input: {error}", file=sys.stderr)
        return 2
    if ok:
        print(f"audit export intact: {count} entries, {len(anchors)} anchors checked, {message}")
        return 0
    print(f"audit export BROKEN at seq {bad_seq}: {message} ({count} entries verify before it)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
