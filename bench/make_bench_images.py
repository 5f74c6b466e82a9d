#!/usr/bin/env python3
"""Test photos for bench/images, from the repository's fixtures: three 12-megapixel JPEGs with
EXIF GPS (as a phone writes them), two 2-megapixel PNGs and two 2-megapixel WebPs. Noise is
added so that they compress like photographs, not like smooth upscales.

    make_bench_images.py OUT_DIR
"""
import os
import sys

import numpy
import piexif
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TestFixtures", "Fixtures")


def noisy(image, size, seed):
    array = numpy.asarray(image.convert("RGB").resize(size, Image.Resampling.BICUBIC), dtype=numpy.int16)
    noise = numpy.random.default_rng(seed).normal(0, 6, array.shape).astype(numpy.int16)
    return Image.fromarray(numpy.clip(array + noise, 0, 255).astype(numpy.uint8))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    gps = {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: ((40, 1), (42, 1), (4608, 100)),
           piexif.GPSIFD.GPSLongitudeRef: b"W", piexif.GPSIFD.GPSLongitude: ((74, 1), (0, 1), (2160, 100))}
    exif = piexif.dump({"0th": {piexif.ImageIFD.Orientation: 1}, "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2024:07:14 09:30:00"},
                        "GPS": gps, "1st": {}, "thumbnail": None})
    for index, name in enumerate(["china.jpg", "astronaut.jpg", "gps-paris.jpg"]):
        noisy(Image.open(os.path.join(FIXTURES, name)), (4000, 3000), index).save(
            os.path.join(out, f"photo-{index}.jpg"), "JPEG", quality=90, exif=exif)
    for index, name in enumerate(["chelsea.png", "coffee.webp"]):
        picture = noisy(Image.open(os.path.join(FIXTURES, name)), (1600, 1200), 10 + index)
        picture.save(os.path.join(out, f"picture-{index}.png"), "PNG")
        picture.save(os.path.join(out, f"picture-{index}.webp"), "WEBP", quality=80)


if __name__ == "__main__":
    main()
