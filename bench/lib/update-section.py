#!/usr/bin/env python3
"""Replace (or append) one "## TITLE" section of docs/benchmarks.md with the text on stdin."""
import pathlib
import re
import sys

title = sys.argv[1]
section = sys.stdin.read().strip() + "\n"
path = pathlib.Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"
text = path.read_text() if path.exists() else (
    "# Benchmarks\n\nEvery figure is a ratio against a baseline measured in the same run on the same machine "
    "(2 shared cores: absolute numbers are lower bounds).\n")
pattern = re.compile(r"## " + re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section.rstrip("\n"), text)
else:
    text = text.rstrip("\n") + "\n\n" + section
path.write_text(text if text.endswith("\n") else text + "\n")
