#!/usr/bin/env python3
"""PyTorch (CPU) reference for the Swift trainer (Sources/Trainer, Sources/Tensors): the same
encoder, head, objectives (SwAV with Sinkhorn codes, SimCLR's NT-Xent), SGD (momentum 0.9, weight
decay 1e-4 on every parameter, linear warm-up over a tenth of the steps, cosine to zero),
augmentations and leave-one-out cosine 5-NN evaluation, on scikit-learn's 8x8 digits upscaled
bilinearly to side x side, three identical channels, values /16 in [0, 1].

Randomness mirrors Swift's: one SplitMix64 stream (SeededRandom) gives the He-normal weights
(Box-Muller, in layer order), then the SwAV prototypes, then per epoch the shuffle (Swift's
Fisher-Yates with Lemire's bounded draw) and per view the augmentation draws, in Swift's order.
So a run here starts from the same weights and sees the same views as the Swift run with the
same parameters (up to float rounding).

    bench/reference_trainer.py --objective swav --epochs 5 --batch-size 64 --side 16 --images 400
    bench/reference_trainer.py --objective simclr --epochs 30 --crop-min 0.6 --flip 0 --seed 2

Settings the study found to beat the untrained encoder (5-NN, 3 seeds; flip 0 throughout, since
digits are not mirror-invariant; batch centring in the head, as Swift now has):
    digits benchmark: --side 32 --epochs 20 --batch-size 64 --flip 0 then
        --objective swav --prototypes 64 --temperature 0.2   or   --objective simclr --temperature 0.5
    fast test:        --side 32 --images 200 --epochs 30 --batch-size 32 --flip 0 (same objectives)

Throughput counts images consumed per second of training (each image once, though it is seen as
two views). GFLOP/s counts conv and linear layers only, analytically: forward 2*MACs over the
2*batch views, backward 2x forward, so a step is 3x forward. The last line is
`RESULT {json}` with every figure. Without torch / scikit-learn it makes .venv-bench (next to
bench/) and installs them there (torch CPU wheel if download.pytorch.org answers, else PyPI).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv-bench")

try:
    import numpy as np
    import sklearn.datasets
    import torch
    import torch.nn.functional as F
except ImportError:
    if os.environ.get("TRAINGATE_BENCH_VENV"):
        raise
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    pip = [python, "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["numpy", "scikit-learn"], check=True)
    if subprocess.run([python, "-c", "import torch"], capture_output=True).returncode != 0:
        if subprocess.run(pip + ["torch", "--index-url", "https://download.pytorch.org/whl/cpu"]).returncode != 0:
            subprocess.run(pip + ["torch"], check=True)
    os.execve(python, [python] + sys.argv, dict(os.environ, TRAINGATE_BENCH_VENV="1"))

MASK = (1 << 64) - 1


class SeededRandom:
    """Sources/Tensors/SeededRandom.swift: SplitMix64, unit() in [0,1) with 24 bits, Box-Muller."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self):
        return np.float32(self.next() >> 40) / np.float32(1 << 24)

    def normal(self):
        u = max(self.unit(), np.float32(1e-7))
        v = self.unit()
        return np.float32(np.sqrt(np.float32(-2) * np.log(u)) * np.cos(np.float32(2 * np.pi) * v))

    def normals(self, count):
        return np.array([self.normal() for _ in range(count)], dtype=np.float32)

    def below(self, bound):
        """Swift's RandomNumberGenerator.next(upperBound:) (Lemire, with rejection)."""
        product = self.next() * bound
        if (product & MASK) < bound:
            threshold = ((1 << 64) - bound) % bound
            while (product & MASK) < threshold:
                product = self.next() * bound
        return product >> 64

    def shuffle(self, items):
        """Swift's MutableCollection.shuffle(using:)."""
        amount, current = len(items), 0
        while amount > 1:
            offset = self.below(amount)
            amount -= 1
            items[current], items[current + offset] = items[current + offset], items[current]
            current += 1


# ---------------------------------------------------------------------------------------------
# Data


def load_digits(count, side, csv=None):
    """The first count/10 digits of each class (count=400 is Tests/TestFixtures/Fixtures/
    digits-400.csv), or all 1,797 when count is 0; upscaled like Augmentations.crop at scale 1."""
    if csv:
        rows = np.loadtxt(csv, delimiter=",", dtype=np.float32)
        labels, pixels = rows[:, 0].astype(np.int64), rows[:, 1:]
    else:
        digits = sklearn.datasets.load_digits()
        labels, pixels = digits.target.astype(np.int64), digits.data.astype(np.float32)
        if count and count < len(labels):
            per = count // 10
            seen, keep = {}, []
            for index, label in enumerate(labels):
                if seen.get(int(label), 0) < per:
                    seen[int(label)] = seen.get(int(label), 0) + 1
                    keep.append(index)
            labels, pixels = labels[keep], pixels[keep]
    small = np.repeat((pixels / 16).reshape(-1, 1, 8, 8), 3, axis=1)
    images = resample(small, np.zeros(len(small)), np.zeros(len(small)), np.full(len(small), 8.0), np.full(len(small), 8.0), side)
    return images.astype(np.float32), labels


def resample(images, left, top, width, height, out):
    """Augmentations.crop's bilinear sampling, for a batch: images [B,3,S,S], boxes per image."""
    b, _, s, _ = images.shape
    grid = (np.arange(out, dtype=np.float32) + np.float32(0.5)) / np.float32(out)
    sx = (left[:, None] + grid[None, :] * width[:, None] - 0.5).astype(np.float32)
    sy = (top[:, None] + grid[None, :] * height[:, None] - 0.5).astype(np.float32)
    x0 = np.clip(np.floor(sx).astype(np.int64), 0, s - 1)
    y0 = np.clip(np.floor(sy).astype(np.int64), 0, s - 1)
    x1, y1 = np.minimum(s - 1, x0 + 1), np.minimum(s - 1, y0 + 1)
    fx, fy = np.clip(sx - x0, 0, 1), np.clip(sy - y0, 0, 1)
    bi = np.arange(b)[:, None, None, None]
    ci = np.arange(3)[None, :, None, None]

    def at(xs, ys):
        return images[bi, ci, ys[:, None, :, None], xs[:, None, None, :]]

    fx4, fy4 = fx[:, None, None, :], fy[:, None, :, None]
    return (at(x0, y0) * (1 - fx4) + at(x1, y0) * fx4) * (1 - fy4) + (at(x0, y1) * (1 - fx4) + at(x1, y1) * fx4) * fy4


class Augmentations:
    """Sources/Trainer/Augmentations.swift, draws in the same order from the same stream."""

    def __init__(self, args):
        self.scale = (args.crop_min, args.crop_max)
        self.aspect = (args.aspect_min, args.aspect_max)
        self.flip = args.flip
        self.jitter_p = args.jitter_prob
        self.jitter = args.jitter_strength
        self.gray = args.gray_prob

    def views(self, images, random):
        b, _, s, _ = images.shape
        boxes = np.zeros((b, 4), dtype=np.float32)
        flips = np.zeros(b, dtype=bool)
        factors = np.ones((b, 3), dtype=np.float32)
        jitters = np.zeros(b, dtype=bool)
        grays = np.zeros(b, dtype=bool)
        lo, hi = np.float32(self.scale[0]), np.float32(self.scale[1])
        la, ha = np.log(np.float32(self.aspect[0])), np.log(np.float32(self.aspect[1]))
        for i in range(b):
            area = np.float32(s * s) * (lo + random.unit() * (hi - lo))
            aspect = np.exp(la + random.unit() * (ha - la))
            width = min(np.float32(s), np.sqrt(area * aspect))
            height = min(np.float32(s), np.sqrt(area / aspect))
            left = random.unit() * (np.float32(s) - width)
            top = random.unit() * (np.float32(s) - height)
            boxes[i] = (left, top, width, height)
            flips[i] = random.unit() < self.flip
            if random.unit() < self.jitter_p:
                jitters[i] = True
                factors[i] = [1 + (random.unit() * 2 - 1) * np.float32(self.jitter) for _ in range(3)]
            grays[i] = random.unit() < self.gray
        view = resample(images, boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3], s)
        view[flips] = view[flips][..., ::-1]
        if jitters.any():
            v = view[jitters]
            bright, contrast, saturation = (factors[jitters, k][:, None, None, None] for k in range(3))
            grey = (0.299 * v[:, 0] + 0.587 * v[:, 1] + 0.114 * v[:, 2])[:, None]
            mean = grey.mean(axis=(2, 3), keepdims=True)
            value = v * bright
            value = (value - mean * bright) * contrast + mean * bright
            value = grey * bright + (value - grey * bright) * saturation
            view[jitters] = np.clip(value, 0, 1)
        if grays.any():
            v = view[grays]
            view[grays] = np.repeat(0.299 * v[:, 0:1] + 0.587 * v[:, 1:2] + 0.114 * v[:, 2:3], 3, axis=1)
        return view.astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Model (Sources/Trainer/EncoderModel.swift)


class Encoder(torch.nn.Module):
    def __init__(self, embedding, width, random, pool="gap", embed_at="relu"):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, width, 3, padding=1)
        self.gn1 = torch.nn.GroupNorm(4, width)
        self.conv2 = torch.nn.Conv2d(width, 2 * width, 3, padding=1)
        self.gn2 = torch.nn.GroupNorm(4, 2 * width)
        self.conv3 = torch.nn.Conv2d(2 * width, embedding, 3, padding=1)
        self.gn3 = torch.nn.GroupNorm(4, embedding)
        for conv in (self.conv1, self.conv2, self.conv3):
            he_init(conv, random)
        self.pool, self.embed_at = pool, embed_at

    def features(self, x):
        """Every candidate representation: the Swift one is 'relu' pooled."""
        x = F.avg_pool2d(F.relu(self.gn1(self.conv1(x))), 2)
        x = F.avg_pool2d(F.relu(self.gn2(self.conv2(x))), 2)
        conv = self.conv3(x)
        norm = self.gn3(conv)
        return {"conv": conv, "gn": norm, "relu": F.relu(norm)}

    def pooled(self, maps):
        if self.pool == "gap":
            return maps.mean(dim=(2, 3))
        if self.pool == "gap2":  # 2x2 average: keeps coarse layout
            return F.adaptive_avg_pool2d(maps, 2).flatten(1)
        return maps.flatten(1)  # "flat": whole map

    def forward(self, x):
        return self.pooled(self.features(x)[self.embed_at])


def he_init(layer, random):
    """Conv2D/Linear init: N(0, 2/fan_in) weights from the stream, zero bias."""
    weight = layer.weight
    fan_in = weight[0].numel()
    values = random.normals(weight.numel()) * np.float32(math.sqrt(2 / fan_in))
    with torch.no_grad():
        weight.copy_(torch.from_numpy(values).reshape(weight.shape))
        layer.bias.zero_()


class Head(torch.nn.Module):
    def __init__(self, inputs, hidden, projection, random, norm="none"):
        super().__init__()
        self.fc1 = torch.nn.Linear(inputs, hidden)
        self.fc2 = torch.nn.Linear(hidden, projection)
        he_init(self.fc1, random)
        he_init(self.fc2, random)
        # Not in Swift: SimCLR's and SwAV's own heads normalise the hidden layer over the batch.
        # "center" only subtracts the batch mean (no scale, no parameters).
        self.norm = norm
        self.bn = torch.nn.BatchNorm1d(hidden) if norm == "bn" else None

    def forward(self, x):
        x = self.fc1(x)
        if self.bn is not None:
            x = self.bn(x)
        elif self.norm == "center" and self.training:
            x = x - x.mean(dim=0, keepdim=True)
        return F.normalize(self.fc2(F.relu(x)), dim=1, eps=1e-12)


def macs_per_image(side, width, embedding, features, hidden, projection):
    s1, s2, s3 = side, side // 2, side // 4
    conv = s1 * s1 * width * 3 * 9 + s2 * s2 * 2 * width * width * 9 + s3 * s3 * embedding * 2 * width * 9
    return conv + features * hidden + hidden * projection


# ---------------------------------------------------------------------------------------------
# Objectives (Sources/Tensors/Objectives)


def nt_xent(z, temperature):
    rows = z.shape[0]
    half = rows // 2
    logits = z @ z.T / temperature
    logits = logits.masked_fill(torch.eye(rows, dtype=torch.bool), float("-inf"))
    positives = torch.cat([torch.arange(half, rows), torch.arange(0, half)])
    return F.cross_entropy(logits, positives)


@torch.no_grad()
def sinkhorn(scores, epsilon=0.05, iterations=3):
    """SinkhornKnopp.codes: rows of the returned [N,K] sum to 1, columns to N/K."""
    samples, prototypes = scores.shape
    q = torch.exp((scores.double() - scores.max().double()) / epsilon)
    q = q / q.sum()
    for _ in range(iterations):
        q = q / (q.sum(dim=0, keepdim=True) * prototypes)
        q = q / (q.sum(dim=1, keepdim=True) * samples)
    return (q * samples).float()


def swapped_prediction(scores_a, scores_b, temperature, epsilon=0.05, iterations=3):
    codes_a, codes_b = sinkhorn(scores_a, epsilon, iterations), sinkhorn(scores_b, epsilon, iterations)
    loss_a = -(codes_b * F.log_softmax(scores_a / temperature, dim=1)).sum(dim=1).mean()
    loss_b = -(codes_a * F.log_softmax(scores_b / temperature, dim=1)).sum(dim=1).mean()
    return (loss_a + loss_b) / 2


# ---------------------------------------------------------------------------------------------
# Evaluation (Sources/Trainer/NearestNeighbours.swift)


def knn_accuracy(embeddings, labels, k=5):
    """Leave-one-out k-NN by cosine; ties go to the label with the most similar neighbour."""
    e = F.normalize(torch.as_tensor(embeddings, dtype=torch.float32), dim=1, eps=1e-12)
    sim = e @ e.T
    sim.fill_diagonal_(float("-inf"))
    top, index = sim.topk(k, dim=1)
    neighbour_labels = torch.as_tensor(labels)[index]
    correct = 0
    for row in range(len(labels)):
        votes = {}
        for score, label in zip(top[row].tolist(), neighbour_labels[row].tolist()):
            count, best = votes.get(label, (0, -math.inf))
            votes[label] = (count + 1, max(best, score))
        predicted = max(votes.items(), key=lambda item: item[1])[0]
        correct += predicted == int(labels[row])
    return correct / len(labels)


@torch.no_grad()
def evaluate(encoder, head, images, labels, variants):
    tensor = torch.from_numpy(images)
    chunks = {name: [] for name in variants}
    head.eval()
    for start in range(0, len(images), 256):
        x = tensor[start:start + 256]
        maps = encoder.features(x)
        for name in variants:
            kind, _, pool = name.partition("-")
            if kind == "head":
                chunks[name].append(head(encoder(x)))
                continue
            saved = encoder.pool
            encoder.pool = pool or encoder.pool
            chunks[name].append(encoder.pooled(maps[kind]))
            encoder.pool = saved
    head.train()
    return {name: knn_accuracy(torch.cat(chunks[name]), labels) for name in variants}


@torch.no_grad()
def mean_head_cosine(encoder, head, images):
    """Mean cosine between different images' projections (as trained: with batch centring, BN's
    running statistics): 1 means the head has collapsed."""
    head.train(head.norm == "center")
    z = head(encoder(torch.from_numpy(images[:512])))
    head.train()
    return ((z @ z.T).sum() - len(z)).item() / (len(z) * (len(z) - 1))


# ---------------------------------------------------------------------------------------------
# Training (Sources/Trainer/TrainingRun.swift)


def learning_rate(base, step, warmup, total):
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1, progress)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objective", choices=["swav", "simclr"], default="swav")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--embedding", type=int, default=64, help="embedding dimension (last conv's channels)")
    parser.add_argument("--width", type=int, default=16, help="first conv's channels")
    parser.add_argument("--projection", type=int, default=32)
    parser.add_argument("--side", type=int, default=16, help="digits upscaled from 8x8 to side x side (divisible by 4)")
    parser.add_argument("--images", type=int, default=0, help="first N/10 digits of each class; 0 = all 1,797")
    parser.add_argument("--csv", help="label + 64 values 0..16 per line (e.g. Tests/TestFixtures/Fixtures/digits-400.csv)")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--temperature", type=float, default=None, help="default as the API: 0.5 for simclr, 0.1 for swav")
    parser.add_argument("--prototypes", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    augment = parser.add_argument_group("augmentations (Swift defaults)")
    augment.add_argument("--crop-min", type=float, default=0.3)
    augment.add_argument("--crop-max", type=float, default=1.0)
    augment.add_argument("--aspect-min", type=float, default=0.75)
    augment.add_argument("--aspect-max", type=float, default=4 / 3)
    augment.add_argument("--flip", type=float, default=0.5, help="horizontal flip probability")
    augment.add_argument("--jitter-prob", type=float, default=0.8)
    augment.add_argument("--jitter-strength", type=float, default=0.4)
    augment.add_argument("--gray-prob", type=float, default=0.2)
    study = parser.add_argument_group("architecture variants (not in Swift)")
    study.add_argument("--pool", choices=["gap", "gap2", "flat"], default="gap", help="how the last map becomes the embedding")
    study.add_argument("--embed-at", choices=["relu", "gn", "conv"], default="relu", help="take the embedding after ReLU (Swift), after GN, or after conv")
    study.add_argument("--eval", default="relu,gn,relu-gap2,relu-flat,head", help="extra representations to score (kind[-pool])")
    study.add_argument("--sinkhorn-epsilon", type=float, default=0.05)
    study.add_argument("--sinkhorn-iterations", type=int, default=3)
    study.add_argument("--prototype-lr-scale", type=float, default=1.0, help="prototypes' rate relative to the step's (0 = fixed)")
    study.add_argument("--freeze-prototypes-steps", type=int, default=0, help="keep the prototypes fixed for the first N steps (SwAV paper: 1 epoch)")
    study.add_argument("--head-norm", choices=["none", "bn", "center"], default="center",
                       help="after the head's first layer: subtract the batch mean (Swift's BatchCentering, the default), "
                       "BatchNorm1d as in the SimCLR/SwAV papers, or nothing (Swift before BatchCentering: SwAV collapses)")
    study.add_argument("--eval-every", type=int, default=0, help="also score the embedding every N epochs (knn_curve; not timed)")
    study.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    if args.temperature is None:
        args.temperature = 0.5 if args.objective == "simclr" else 0.1
    torch.set_num_threads(args.threads)
    images, labels = load_digits(args.images, args.side, args.csv)
    count, side = len(images), args.side
    random = SeededRandom(args.seed)
    encoder = Encoder(args.embedding, args.width, random, args.pool, args.embed_at)
    with torch.no_grad():
        features = encoder(torch.zeros(1, 3, side, side)).shape[1]
    hidden = 2 * features if args.pool == "gap" else 2 * args.embedding
    head = Head(features, hidden, args.projection, random, args.head_norm)
    prototypes = F.normalize(torch.from_numpy(random.normals(args.prototypes * args.projection)).reshape(args.prototypes, args.projection), dim=1)
    augmentations = Augmentations(args)

    variants = ["relu"] + [v for v in args.eval.split(",") if v and v != "relu"]
    main_variant = args.embed_at + ("" if args.pool == "gap" else "-" + args.pool)
    if main_variant not in variants:
        variants.append(main_variant)
    raw_pixels = knn_accuracy(images.reshape(count, -1), labels)
    raw_8x8 = knn_accuracy(images[:, :1].reshape(count, -1) if side == 8 else load_digits(args.images, 8, args.csv)[0][:, 0].reshape(count, -1), labels)
    untrained = evaluate(encoder, head, images, labels, variants)
    head_cosine_untrained = mean_head_cosine(encoder, head, images)

    batch = max(2, min(args.batch_size, max(count, 2)))
    steps_per_epoch = count // batch
    total = max(1, args.epochs * steps_per_epoch)
    warmup = max(1, total // 10)
    parameters = list(encoder.parameters()) + list(head.parameters())
    optimizer = torch.optim.SGD(parameters, lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    losses, epoch_losses, knn_curve = [], [], [(0, round(untrained[main_variant], 4))]
    step, augment_seconds, compute_seconds = 0, 0.0, 0.0
    started = time.perf_counter()
    for epoch in range(args.epochs):
        order = list(range(count))
        random.shuffle(order)
        for start in range(0, steps_per_epoch * batch, batch):
            tick = time.perf_counter()
            chosen = images[order[start:start + batch]]
            views = np.concatenate([augmentations.views(chosen, random), augmentations.views(chosen, random)])
            tock = time.perf_counter()
            augment_seconds += tock - tick
            rate = learning_rate(args.lr, step, warmup, total)
            z = head(encoder(torch.from_numpy(views)))
            if args.objective == "simclr":
                loss = nt_xent(z, args.temperature)
            else:
                c = prototypes.clone().requires_grad_(True)
                scores = z @ c.T
                loss = swapped_prediction(scores[:batch], scores[batch:], args.temperature, args.sinkhorn_epsilon, args.sinkhorn_iterations)
            optimizer.zero_grad(set_to_none=False)
            loss.backward()
            if args.objective == "swav" and step >= args.freeze_prototypes_steps:  # plain SGD at the step's rate, back onto the sphere
                with torch.no_grad():
                    prototypes = F.normalize(prototypes - args.prototype_lr_scale * rate * c.grad, dim=1)
            for group in optimizer.param_groups:
                group["lr"] = rate
            optimizer.step()
            compute_seconds += time.perf_counter() - tock
            losses.append(loss.item())
            step += 1
        if args.eval_every and (epoch + 1) % args.eval_every == 0 and epoch + 1 < args.epochs:
            paused = time.perf_counter()
            knn_curve.append((epoch + 1, round(evaluate(encoder, head, images, labels, [main_variant])[main_variant], 4)))
            started += time.perf_counter() - paused
        epoch_loss = sum(losses[-steps_per_epoch:]) / max(1, steps_per_epoch)
        epoch_losses.append(epoch_loss)
        if not args.quiet:
            print(f"epoch {epoch + 1}/{args.epochs}  loss {epoch_loss:.4f}  {time.perf_counter() - started:.1f} s", file=sys.stderr)
    seconds = time.perf_counter() - started
    trained = evaluate(encoder, head, images, labels, variants)
    head_cosine = mean_head_cosine(encoder, head, images)

    quarter = max(1, len(losses) // 4)
    first, last = sum(losses[:quarter]) / quarter, sum(losses[-quarter:]) / quarter
    flops = 3 * 2 * macs_per_image(side, args.width, args.embedding, features, hidden, args.projection) * 2 * batch * step
    images_seen = batch * step
    result = {
        "objective": args.objective, "epochs": args.epochs, "batch_size": batch, "embedding": args.embedding, "side": side,
        "images": count, "lr": args.lr, "seed": args.seed, "temperature": args.temperature, "prototypes": args.prototypes,
        "threads": args.threads, "crop": [args.crop_min, args.crop_max], "flip": args.flip, "jitter_prob": args.jitter_prob,
        "jitter_strength": args.jitter_strength, "gray_prob": args.gray_prob, "pool": args.pool, "embed_at": args.embed_at, "head_norm": args.head_norm,
        "steps": step, "knn_raw_pixels": round(raw_pixels, 4), "knn_raw_8x8": round(raw_8x8, 4),
        "knn_untrained": round(untrained[main_variant], 4), "knn_trained": round(trained[main_variant], 4),
        "knn_untrained_variants": {k: round(v, 4) for k, v in untrained.items()},
        "knn_trained_variants": {k: round(v, 4) for k, v in trained.items()},
        "loss_first_quarter": round(first, 4), "loss_last_quarter": round(last, 4),
        "epoch_losses": [round(x, 4) for x in epoch_losses],
        "knn_curve": knn_curve + [(args.epochs, round(trained[main_variant], 4))],
        "head_mean_cosine_untrained": round(head_cosine_untrained, 4), "head_mean_cosine": round(head_cosine, 4),
        "train_seconds": round(seconds, 3), "augment_seconds": round(augment_seconds, 3), "compute_seconds": round(compute_seconds, 3),
        "images_per_second": round(images_seen / seconds, 1) if seconds else None,
        "images_counted": "images consumed (each image once; it is seen as 2 views)",
        "train_gflop": round(flops / 1e9, 3),
        "gflops": round(flops / 1e9 / seconds, 3) if seconds else None,
        "gflops_compute_only": round(flops / 1e9 / compute_seconds, 3) if compute_seconds else None,
    }
    if not args.quiet:
        print(f"5-NN raw pixels {raw_pixels:.4f} (8x8 {raw_8x8:.4f})  untrained {untrained[main_variant]:.4f}  "
              f"trained {trained[main_variant]:.4f}  loss {first:.3f} -> {last:.3f}  "
              f"{result['images_per_second']} images/s  {result['gflops']} GFLOP/s", file=sys.stderr)
    print("RESULT " + json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    main()
