"""An uploaded cover, decoded from its bytes and re-encoded as WebP renditions of a few widths.

Only what Pillow decodes as a JPEG, PNG or WebP raster is taken, whatever the upload claims to be:
SVG, HTML and other text, and anything truncated or undecodable, are refused. Dimensions are read
from the header and checked before any pixel is decoded, so a small file declaring a huge image (a
decompression bomb) costs nothing. Re-encoding keeps the pixels only: EXIF (GPS, camera), ICC,
comments and whatever was appended to the file (a polyglot's second payload) are not carried over.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from library.domain.covers import WIDTHS

FORMATS = ("JPEG", "PNG", "WEBP")
CONTENT_TYPE = "image/webp"
_QUALITY = 82


@dataclass(frozen=True)
class Limits:
    max_pixels: int
    max_side: int


class RefusedImage(ValueError):
    """The upload is not a cover this service accepts; the message says why, for the caller."""


def renditions(data: bytes, limits: Limits) -> dict[int, bytes]:
    """WebP bytes per width in WIDTHS (never wider than the original); raises RefusedImage."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            _check_size(image.size, limits)  # from the header, before any pixel is decoded
            image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
            image.load()
            upright = ImageOps.exif_transpose(image)
            pixels = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
    except RefusedImage:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own guard, far above ours, refuses at open
        raise RefusedImage(f"The image is too large: at most {limits.max_pixels // 1_000_000} megapixels.") from exc
    except UnidentifiedImageError as exc:
        raise RefusedImage("The file is not a JPEG, PNG or WebP image.") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise RefusedImage("The image is damaged or incomplete.") from exc
    # Widest first, each from the one before: a 200-px image needs no pass over 24 megapixels.
    encoded = {}
    for width in sorted(WIDTHS, reverse=True):
        pixels = _narrowed(pixels, width)
        encoded[width] = _encode(pixels)
    return {width: encoded[width] for width in WIDTHS}


def _check_size(size: tuple[int, int], limits: Limits) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise RefusedImage("The image has no pixels.")
    if width > limits.max_side or height > limits.max_side or width * height > limits.max_pixels:
        raise RefusedImage(
            f"The image is too large ({width} by {height} pixels): at most {limits.max_side} a side"
            f" and {limits.max_pixels // 1_000_000} megapixels."
        )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _narrowed(pixels: Image.Image, width: int) -> Image.Image:
    if pixels.width <= width:
        return pixels
    height = max(1, round(pixels.height * width / pixels.width))
    return pixels.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(pixels: Image.Image) -> bytes:
    out = io.BytesIO()
    pixels.save(out, "WEBP", quality=_QUALITY, method=4)
    return out.getvalue()
