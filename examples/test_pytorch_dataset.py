"""Tests examples/pytorch_dataset.py against a live traingate (development mode, loopback):
with the standard library alone, and with PyTorch's DataLoader when torch is installed.

    python3 examples/test_pytorch_dataset.py        # TRAINGATE_BINARY defaults to .build/debug/traingate
"""
import base64
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
from pytorch_dataset import TraingateDataset, _bucket  # noqa: E402

try:
    import torch  # noqa: F401
except ImportError:
    torch = None

FIXTURES = ROOT / "Tests/TestFixtures/Fixtures"


class LiveGate:
    """traingate serve on a fresh data directory and a free port, stopped at the end."""

    def __enter__(self):
        self.directory = tempfile.TemporaryDirectory()
        binary = os.environ.get("TRAINGATE_BINARY", str(ROOT / ".build/debug/traingate"))
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--data-dir", self.directory.name],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in self.process.stdout:
            if "listening on" in line:
                self.url = line.split("listening on ")[1].split()[0]
                return self
        raise RuntimeError("traingate did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)
        self.directory.cleanup()

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def admit(self, image_id, subject, photo="china.jpg"):
        answer = self.call("POST", "/v1/admissions", {
            "image_id": image_id, "source": "instagram", "visibility": "public",
            "subject": {"id": subject, "account_country": "US"},
            "image_base64": base64.b64encode((FIXTURES / photo).read_bytes()).decode()})
        assert answer["queued"], answer
        return answer["admission_id"]


class DatasetTests(unittest.TestCase):
    def test_each_epoch_rechecks_and_drops_what_is_no_longer_admissible(self):
        with LiveGate() as gate:
            # A photo each: an erasure suppresses its content, and near copies of it, for good.
            photos = {"a": "china.jpg", "b": "astronaut.jpg", "c": "chelsea.png", "d": "coffee.webp"}
            ids = {subject: gate.admit(f"photo-{subject}", subject, photos[subject]) for subject in "abc"}
            dataset = TraingateDataset(gate.url)
            first = list(dataset)
            self.assertEqual([admission for admission, _ in first], [ids["a"], ids["b"], ids["c"]])
            self.assertTrue(all(jpeg.startswith(b"\xff\xd8") for _, jpeg in first), "stored copies are JPEG")

            gate.call("POST", "/v1/subjects/b/objection?source=instagram")
            gate.call("DELETE", "/v1/subjects/c?source=instagram")
            ids["d"] = gate.admit("photo-d", "d", photos["d"])
            second = [admission for admission, _ in dataset]
            self.assertEqual(second, [ids["a"], ids["d"]])
            self.assertEqual(dataset.dropped, {ids["b"]: "objected", ids["c"]: "erased"})

    def test_shards_split_the_items_between_ranks(self):
        with LiveGate() as gate:
            ids = {gate.admit(f"photo-{n}", f"s{n}") for n in range(6)}
            ranks = [[admission for admission, _ in TraingateDataset(gate.url, shards=3, shard=rank)] for rank in range(3)]
            self.assertEqual(sorted(sum(ranks, [])), sorted(ids))

    def test_workers_split_by_a_stable_hash_and_shards_need_a_shard(self):
        ids = [f"adm_{n:032x}" for n in range(200)]
        split = [[i for i in ids if _bucket(i, 4) == worker] for worker in range(4)]
        self.assertEqual(sorted(sum(split, [])), ids)
        self.assertTrue(all(split), "every worker gets some of 200 items")
        # A worker's share does not depend on what else the manifest holds.
        self.assertEqual([i for i in ids[:50] if _bucket(i, 4) == 1], [i for i in split[1] if i in ids[:50]])
        with self.assertRaises(ValueError):
            TraingateDataset("http://127.0.0.1:9", shards=2)

    @unittest.skipUnless(torch, "PyTorch is not installed")
    def test_a_dataloader_reads_it_with_workers(self):
        from torch.utils.data import DataLoader
        with LiveGate() as gate:
            ids = {gate.admit(f"photo-{n}", f"w{n}") for n in range(4)}
            dataset = TraingateDataset(gate.url, transform=lambda jpeg: len(jpeg))
            seen = [admission for admission, _ in DataLoader(dataset, batch_size=None, num_workers=2)]
            self.assertEqual(sorted(seen), sorted(ids))


if __name__ == "__main__":
    unittest.main()
