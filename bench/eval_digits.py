#!/usr/bin/env python3
"""Does the trainer learn? The 1,797 scikit-learn digits go through traingate's HTTP API as
PNGs with lawful non-EU metadata; training jobs run (epochs 0, the untrained encoder, and a
trained model, for SwAV and SimCLR); the embeddings come back over HTTP and are scored by
leave-one-out 5-NN accuracy (cosine), next to raw-pixel 5-NN on the very same images.

    eval_digits.py --url http://127.0.0.1:18185 [--epochs 30] [--batch-size 128] ...

Prints a Markdown table and a final `RESULT {json}` line. Needs numpy, pillow, scikit-learn
(bench/eval_digits makes .venv-bench with them).
"""
import argparse
import base64
import io
import json
import sys
import time
import urllib.request

import numpy
import sklearn.datasets
from PIL import Image


def call(url, method="GET", body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type} if data else {})
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.status, response.read()


def digit_png(values, side):
    """An 8×8 digit (0..16) as a side×side greyscale PNG, resampled bilinearly."""
    image = Image.fromarray(numpy.uint8(numpy.round(values.reshape(8, 8) * 255 / 16)), "L")
    image = image.resize((side, side), Image.BILINEAR)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue(), numpy.asarray(image, dtype=numpy.float32).reshape(-1) / 255


def knn_accuracy(rows, labels, k=5):
    """Leave-one-out k-NN by cosine; ties go to the label with the most similar neighbour."""
    rows = rows / numpy.maximum(numpy.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    similarity = rows @ rows.T
    numpy.fill_diagonal(similarity, -numpy.inf)
    correct = 0
    for index in range(len(rows)):
        neighbours = numpy.argsort(-similarity[index], kind="stable")[:k]
        votes = {}
        for neighbour in neighbours:
            label = labels[neighbour]
            count, best = votes.get(label, (0, -numpy.inf))
            votes[label] = (count + 1, max(best, similarity[index, neighbour]))
        predicted = max(votes.items(), key=lambda item: item[1])[0]
        correct += predicted == labels[index]
    return correct / len(rows)


def admit(base, digits, side):
    """Admits every digit through /v1/admissions/batch; returns admission ids and pixels."""
    ids, pixels, lines = [], [], []
    for index, values in enumerate(digits.data):
        png, flat = digit_png(values, side)
        pixels.append(flat)
        lines.append(json.dumps({
            "image_id": f"digit-{index}", "source": "sklearn-digits", "visibility": "public",
            "subject": {"id": f"writer-{index % 43}", "account_country": "US", "age": 30},
            "signals": {"upload_ip_country": "US"}, "image_base64": base64.b64encode(png).decode()}))
    for start in range(0, len(lines), 500):
        status, body = call(base + "/v1/admissions/batch", "POST", "\n".join(lines[start:start + 500]).encode(), "application/x-ndjson")
        for line in body.decode().splitlines():
            result = json.loads(line)
            if result.get("decision") != "admitted":
                sys.exit(f"digit not admitted: {line[:300]}")
            ids.append(result["admission_id"])
    return ids, numpy.stack(pixels)


def train(base, parameters):
    status, body = call(base + "/v1/training/jobs", "POST", parameters)
    job_id = json.loads(body)["job_id"]
    while True:
        job = json.loads(call(f"{base}/v1/training/jobs/{job_id}")[1])
        if job["status"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.2)
    if job["status"] != "succeeded":
        sys.exit(f"job {job_id} {job['status']}: {job['error']}")
    return job


def seconds(job):
    from datetime import datetime
    parse = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (parse(job["finished_at"]) - parse(job["started_at"])).total_seconds()


def embeddings(base, ids):
    return numpy.stack([json.loads(call(f"{base}/v1/embeddings/{admission}")[1])["vector"] for admission in ids])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--side", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--embedding-dim", type=int, default=64)
    parser.add_argument("--objectives", default="swav,simclr")
    parser.add_argument("--learning-rate", type=float, default=None, help="default: the server's")
    parser.add_argument("--temperature", type=float, default=None)
    parser.add_argument("--prototypes", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flip", type=float, default=0.0, help="flip probability (digits are not mirror-invariant)")
    parser.add_argument("--crop-min", type=float, default=None, help="smallest crop, as a share of the image")
    args = parser.parse_args()

    digits = sklearn.datasets.load_digits()
    labels = list(digits.target)
    started = time.time()
    ids, pixels = admit(args.url, digits, args.side)
    admitted = time.time() - started
    results = {"images": len(ids), "admit_seconds": round(admitted, 2), "raw_pixels_knn5": knn_accuracy(pixels, labels)}
    rows = [("raw pixels (%d×%d)" % (args.side, args.side), "-", "-", results["raw_pixels_knn5"], "-")]
    for objective in args.objectives.split(","):
        for epochs in (0, args.epochs):
            parameters = {"objective": objective, "epochs": epochs, "batch_size": args.batch_size,
                          "embedding_dim": args.embedding_dim, "image_size": args.side, "seed": args.seed}
            for name in ("learning_rate", "temperature", "prototypes"):
                if getattr(args, name) is not None:
                    parameters[name] = getattr(args, name)
            parameters["augmentations"] = {"flip_probability": args.flip}
            if args.crop_min is not None:
                parameters["augmentations"]["crop_scale_min"] = args.crop_min
            job = train(args.url, parameters)
            accuracy = knn_accuracy(embeddings(args.url, ids), labels)
            elapsed = seconds(job)
            rate = len(ids) * epochs / elapsed if epochs else None
            key = f"{objective}_epochs{epochs}"
            results[key] = {"knn5": accuracy, "seconds": elapsed, "images_per_second": rate,
                            "final_loss": job["progress"]["loss"], "job_id": job["job_id"]}
            rows.append((objective, str(epochs), f"{job['progress']['loss']:.3f}" if job["progress"]["loss"] else "-",
                         accuracy, f"{rate:.0f}" if rate else "-"))
            print(f"{objective} epochs={epochs}: 5-NN {accuracy:.4f} in {elapsed:.1f} s", file=sys.stderr)
    print("| encoder | epochs | final loss | leave-one-out 5-NN (cosine) | training images/s |")
    print("|---|---|---|---|---|")
    for name, epochs, loss, accuracy, rate in rows:
        print(f"| {name} | {epochs} | {loss} | {accuracy * 100:.2f}% | {rate} |")
    print("RESULT " + json.dumps(results))


if __name__ == "__main__":
    main()
