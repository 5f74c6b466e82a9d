#!/usr/bin/env python3
"""Fills a live traingate with COUNT metadata-only admissions through POST /v1/admissions/batch
(1000 lines a batch, CLIENTS clients at once), as a pipeline would: the store bench/backup
backs up is made by the real write path. Prints the admissions per second."""
import http.client
import json
import sys
import threading
import time

port, count, clients = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2
countries = ["US", "FR", "DE", "BR", "JP", "GB", "CA", "IN"]
batch = 1000


def client(number, batches):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for index in batches:
        lines = [json.dumps({"image_id": f"fill-{index}-{line}", "source": "bench", "visibility": "public",
                             "subject": {"id": f"u{(index * batch + line) % 100_003}",
                                         "account_country": countries[line % len(countries)]}})
                 for line in range(batch)]
        connection.request("POST", "/v1/admissions/batch", body="\n".join(lines) + "\n",
                           headers={"Content-Type": "application/x-ndjson"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200 or b'"status":5' in body:
            sys.exit(f"batch {index} failed: {response.status} {body[:300]!r}")


started = time.monotonic()
total = (count + batch - 1) // batch
threads = [threading.Thread(target=client, args=(n, range(n, total, clients))) for n in range(clients)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - started
print(f"filled {total * batch} admissions in {elapsed:.0f} s ({total * batch / elapsed:.0f}/s)")
