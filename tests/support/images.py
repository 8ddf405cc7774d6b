"""Images for the cover tests, made with Pillow: ordinary ones, and hostile ones built byte by byte."""

import io
import struct
import zlib

from PIL import Image


def picture(size: tuple[int, int] = (600, 900), kind: str = "JPEG", *, exif_gps: bool = False) -> bytes:
    """A gradient-ish picture; with `exif_gps`, a JPEG carrying a camera model and a GPS position."""
    image = Image.new("RGB", size, (30, 90, 160))
    image.paste((200, 60, 40), (0, 0, size[0] // 2, size[1] // 3))
    out = io.BytesIO()
    extra = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x0110] = "SecretCam 3000"  # Model
        exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
        extra["exif"] = exif.tobytes()
    image.save(out, kind, **extra)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A small, valid-looking PNG whose header declares `width` x `height` (a decompression bomb's shape)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = zlib.compress(row * min(height, 64), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def png_bomb(side: int = 20000) -> bytes:
    """A valid PNG of side x side grey pixels that is a few hundred KB compressed (hundreds of MB decoded)."""
    compressor, row, parts = zlib.compressobj(9), b"\x00" * (side + 1), []
    for _ in range(side):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
# PNG magic, then HTML: sniffers may call it a PNG, browsers may render it as a page.
HTML_BEHIND_PNG_MAGIC = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
PAYLOAD = b"<script>alert('polyglot')</script>"


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), (1, 2, 3)).save(out, "GIF")
    return out.getvalue()
