"""Third parties blurred in a capture's image (第三方信息模糊处理) for the party's and the public's
view: each region the reviewer marked (``Capture.regions``, fractions of the image) is replaced by
a strong Gaussian blur of itself, then the image is written anew (JPEG or PNG, no metadata kept:
EXIF may carry the place and the device). The stored original — the evidence, with its SHA-256 —
is never changed; staff read it as it is."""
from __future__ import annotations

import io

from PIL import Image, ImageFilter, ImageOps

MAX_PIXELS = 50_000_000  # a camera frame is far below; a larger "image" is refused, not decoded


def blurred(handle, regions: list[dict]) -> tuple[bytes, str]:
    """(bytes, content type) of the image in ``handle`` with ``regions`` blurred beyond recognition."""
    with Image.open(handle) as source:
        if source.width * source.height > MAX_PIXELS:
            raise ValueError("图像过大。")
        image = ImageOps.exif_transpose(source).convert("RGB")
    width, height = image.size
    for r in regions:
        box = (int(r["x"] * width), int(r["y"] * height), min(width, round((r["x"] + r["w"]) * width)),
               min(height, round((r["y"] + r["h"]) * height)))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        patch = image.crop(box)
        radius = max(8, max(patch.size) // 4)
        # Shrink, blur, enlarge: no detail of the face or plate survives, whatever its size.
        small = patch.resize((max(1, patch.width // 8), max(1, patch.height // 8)), Image.Resampling.BILINEAR)
        image.paste(small.resize(patch.size, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(radius)), box)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue(), "image/jpeg"
