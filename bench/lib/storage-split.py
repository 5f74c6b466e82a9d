#!/usr/bin/env python3
"""Bytes per decision, table by table and index by index, of SQLite stores that each hold the
same number of decisions: a Markdown table with one column per store (LABEL=PATH arguments),
from SQLite's dbstat (whole pages, as the file spends them). Objects under 1 byte per decision
in every store are summed as "everything else".

    storage-split.py DECISIONS "before=/tmp/a/traingate.sqlite" "after=/tmp/b/traingate.sqlite"
"""
import sqlite3
import sys

decisions = int(sys.argv[1])
stores = [argument.split("=", 1) for argument in sys.argv[2:]]
splits = []
for _, path in stores:
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    splits.append(dict(database.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")))
    database.close()

names = sorted({name for split in splits for name in split},
               key=lambda name: -max(split.get(name, 0) for split in splits))
shown = [name for name in names if any(split.get(name, 0) >= decisions for split in splits)]
rest = [name for name in names if name not in shown]


def per_decision(split, keys):
    return sum(split.get(key, 0) for key in keys) / decisions


print("| table or index | " + " | ".join(f"{label}, bytes/decision" for label, _ in stores) + " |")
print("|---|" + "---|" * len(stores))
for name in shown:
    print(f"| `{name}` | " + " | ".join(f"{per_decision(split, [name]):.0f}" if name in split else "–" for split in splits) + " |")
print("| everything else | " + " | ".join(f"{per_decision(split, rest):.1f}" for split in splits) + " |")
print("| **total** | " + " | ".join(f"**{per_decision(split, names):.0f}**" for split in splits) + " |")
