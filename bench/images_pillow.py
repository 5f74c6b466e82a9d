#!/usr/bin/env python3
"""The Pillow reference for bench/images: the same intake steps as traingate on the same files.

For each file: open, read EXIF (GPS IFD, DateTimeOriginal), let the JPEG decoder scale by DCT
(Image.draft, as traingate lets libjpeg-turbo), turn upright (ImageOps.exif_transpose), convert
to RGB, downscale by area averaging (BOX) to 256 px, SHA-256 the original bytes, compute the
DCT perceptual hash (32x32 grey, 2-D DCT-II, 8x8 low frequencies, median), and re-encode
the copy as JPEG quality 88.

    images_pillow.py REPEAT FILE...   -> RESULT images=... megapixels=... seconds=... mp_per_s=...
"""
import hashlib
import io
import math
import sys
import time

import numpy
from PIL import Image, ImageOps

SIDE = 32
DCT = numpy.array([[math.cos(math.pi * k * (2 * n + 1) / (2 * SIDE)) for n in range(SIDE)] for k in range(8)]) * 2


def process(data):
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    gps = exif.get_ifd(0x8825)
    taken = exif.get_ifd(0x8769).get(0x9003)
    if image.format == "JPEG":
        image.draft("RGB", (256, 256))
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((256, 256), Image.Resampling.BOX)
    digest = hashlib.sha256(data).hexdigest()
    grey = numpy.asarray(image.convert("L").resize((SIDE, SIDE), Image.Resampling.BOX), dtype=numpy.float64)
    low = DCT @ grey @ DCT.T
    bits = (low > numpy.median(low)).flatten()
    phash = int("".join("1" if bit else "0" for bit in bits), 2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return gps, taken, digest, phash, out.getvalue()


def main():
    repeat = int(sys.argv[1])
    files = [open(path, "rb").read() for path in sys.argv[2:]]
    pixels = 0
    for data in files:  # warm-up, and the pixel count
        process(data)
        width, height = Image.open(io.BytesIO(data)).size
        pixels += width * height
    start = time.perf_counter()
    for _ in range(repeat):
        for data in files:
            process(data)
    elapsed = time.perf_counter() - start
    print(f"RESULT images={len(files) * repeat} megapixels={pixels * repeat / 1e6:.1f} seconds={elapsed:.3f} "
          f"mp_per_s={pixels * repeat / 1e6 / elapsed:.1f}")


if __name__ == "__main__":
    main()
