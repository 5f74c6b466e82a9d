"""An iterable dataset over traingate's training manifest, for an external trainer.

Each epoch (each ``iter()``) it first reads the manifest's new items (resuming after the
last cursor it saw), then rechecks every item it knows with ``POST /v1/admissions/recheck``
and drops what is no longer admissible (a later rejection, an objection, a withdrawal of
consent, an erasure), so a subject's rights reach the run within one epoch. It then yields
``(admission_id, image)`` for each admissible item, fetching the stored copy from traingate.

Works with the standard library alone; with PyTorch installed it is a
``torch.utils.data.IterableDataset`` that splits the items between DataLoader workers by a hash
of the admission id (so a worker's share does not depend on when it read the manifest), and
under ``torch.distributed`` (initialised before the dataset is made) it reads only its rank's
shard. Shards are close to equal, not equal: under DDP give ranks equal step counts
(``torch.distributed.algorithms.Join``). Each DataLoader worker keeps its own ``dropped``.

    dataset = TraingateDataset("https://gate.example:8443", key=os.environ["TRAINGATE_KEY"],
                               transform=lambda jpeg: decode_and_augment(jpeg))
    for epoch in range(epochs):
        for admission_id, image in DataLoader(dataset, batch_size=None, num_workers=4): ...
"""
import hashlib
import json
import time
import urllib.error
import urllib.request

try:  # PyTorch is optional: without it the class is a plain iterable.
    import torch
    import torch.utils.data as torch_data

    _Base = torch_data.IterableDataset
except ImportError:  # pragma: no cover - exercised by the stdlib test
    torch = None
    torch_data = None
    _Base = object

RECHECK_BATCH = 10_000  # the contract's most ids per recheck
RETRIES = 5  # for 429 and 503, which say when to come back (Retry-After)


class TraingateDataset(_Base):
    def __init__(self, base_url, key=None, shards=None, shard=None, transform=None, timeout=60):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.transform = transform
        self.timeout = timeout
        if shards is None and torch is not None and torch.distributed.is_available() and torch.distributed.is_initialized():
            shards, shard = torch.distributed.get_world_size(), torch.distributed.get_rank()
        if shards is not None and shards > 1 and shard is None:
            raise ValueError("shards without shard: say which shard this reader takes")
        self.shards, self.shard = (shards or 1), (shard or 0)
        self.items = {}  # admission_id -> manifest line, in manifest order
        self.cursor = 0
        self.dropped = {}  # admission_id -> why it stopped being admissible

    # -- HTTP -------------------------------------------------------------------------------
    def _request(self, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers)
        for attempt in range(RETRIES):
            try:
                return urllib.request.urlopen(request, timeout=self.timeout)
            except urllib.error.HTTPError as error:
                if error.code not in (429, 503) or attempt == RETRIES - 1:
                    raise
                time.sleep(float(error.headers.get("Retry-After", "1")))

    def refresh(self):
        """Reads the manifest's new items, then drops every known item no longer admissible."""
        query = f"?after={self.cursor}&shards={self.shards}&shard={self.shard}"
        with self._request("/v1/training/manifest" + query) as response:
            for raw in response:
                if raw.strip():
                    line = json.loads(raw)
                    self.items[line["admission_id"]] = line
                    self.cursor = max(self.cursor, line["cursor"])
        ids = list(self.items)
        for start in range(0, len(ids), RECHECK_BATCH):
            with self._request("/v1/admissions/recheck", {"admission_ids": ids[start:start + RECHECK_BATCH]}) as response:
                for result in json.load(response)["results"]:
                    if not result["admissible"]:
                        self.dropped[result["admission_id"]] = result["reason"]
                        self.items.pop(result["admission_id"], None)

    def image(self, admission_id):
        """The stored copy's bytes (JPEG), or None if it stopped being admissible meanwhile."""
        try:
            with self._request(self.items[admission_id]["image_url"]) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    # -- iteration --------------------------------------------------------------------------
    def __iter__(self):
        self.refresh()
        ids = list(self.items)
        if torch_data is not None:
            worker = torch_data.get_worker_info()
            if worker is not None:
                ids = [admission for admission in ids if _bucket(admission, worker.num_workers) == worker.id]
        for admission_id in ids:
            jpeg = self.image(admission_id)
            if jpeg is None:  # left the queue between the recheck and now
                self.dropped[admission_id] = "left the queue"
                continue
            yield admission_id, (self.transform(jpeg) if self.transform else jpeg)


def _bucket(admission_id, buckets):
    """A stable bucket for an id: the same in every process, whatever else the manifest holds."""
    return int.from_bytes(hashlib.sha256(admission_id.encode()).digest()[:8], "big") % buckets
