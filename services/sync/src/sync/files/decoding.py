"""Bytes of an uploaded file → text: BOMs, UTF-16 without one, UTF-8, then Windows-1252; binaries refused."""

import codecs
from dataclasses import dataclass

# Signatures of archives and other binaries people upload by mistake; never opened (no zip bombs).
MAGIC = {
    b"PK\x03\x04": "a zip archive",
    b"PK\x05\x06": "a zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel or Office document",
}
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Text from spreadsheets holds tabs and line breaks, hardly any other control character.
MAX_CONTROL_SHARE = 0.01


class UnreadableFile(ValueError):
    """The file is not text this import can read; the message says what to do instead."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.4 and even == 0:
        return "utf-16-le"
    if even > half * 0.4 and odd == 0:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode(data: bytes) -> Decoded:
    """The file's text and the encoding it was read with; UnreadableFile for archives and binaries."""
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(f"The file is {what}, not a CSV or JSON export: unpack it and upload the file inside.")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :] if encoding != "utf-8-sig" else data, encoding)
            if text is None:
                raise UnreadableFile(f"The file starts as {encoding.upper()} text but is not valid {encoding.upper()}.")
            return _checked(text, encoding.replace("-sig", ""))
    if (encoding := _utf16_without_bom(data)) is not None and (text := _strict(data, encoding)) is not None:
        return _checked(text, encoding)
    if b"\x00" in data:
        raise UnreadableFile("The file is binary (it holds NUL bytes), not a CSV or JSON export.")
    for encoding in ("utf-8", "cp1252"):
        if (text := _strict(data, encoding)) is not None:
            return _checked(text, "windows-1252" if encoding == "cp1252" else encoding)
    raise UnreadableFile("The file is not text in UTF-8, UTF-16 or Windows-1252: save it as CSV (UTF-8) and try again.")


def _checked(text: str, encoding: str) -> Decoded:
    if "\x00" in text:
        raise UnreadableFile("The file is binary (it holds NUL characters), not a CSV or JSON export.")
    controls = sum(1 for char in text[:65536] if char < " " and char not in "\t\r\n")
    if controls > max(len(text[:65536]) * MAX_CONTROL_SHARE, 8):
        raise UnreadableFile("The file looks binary (many control characters), not a CSV or JSON export.")
    return Decoded(text, encoding)
