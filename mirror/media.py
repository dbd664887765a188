"""Small, valid, deterministic files the site serves: JPEG and PNG images, PDF and Word attachments."""

from __future__ import annotations

import struct
import unicodedata
import zlib


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A flat-colour truecolour PNG."""
    row = b"\x00" + bytes(rgb) * width
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        _png_chunk(b"IDAT", zlib.compress(row * height, 9)),
        _png_chunk(b"IEND", b""),
    ))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def jpeg(width: int, height: int, grey: int, comment: str = "") -> bytes:
    """A flat grey baseline JPEG: every 8x8 block holds only its DC coefficient.

    Huffman tables are cut down to the two DC categories and the one AC symbol (end of block) the scan uses.
    """
    if width % 8 or height % 8:
        raise ValueError("width and height must be multiples of 8")
    dc = 8 * (grey - 128)  # FDCT of a flat block with a quantiser of 1
    size = abs(dc).bit_length()
    dc_symbols = bytes([size, 0]) if size else bytes([0])
    bits = _BitWriter()
    for block in range((width // 8) * (height // 8)):
        if block == 0 and size:
            bits.write(0b00, 2)  # DC category `size`
            bits.write(dc if dc > 0 else dc + (1 << size) - 1, size)
        else:
            bits.write(0b01 if size else 0b00, 2)  # DC difference 0
        bits.write(0b00, 2)  # end of block
    segments = [
        b"\xff\xd8",
        _jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        _jpeg_segment(0xFE, comment.encode("utf-8")) if comment else b"",
        _jpeg_segment(0xDB, b"\x00" + b"\x01" * 64),
        _jpeg_segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
        _jpeg_segment(0xC4, b"\x00" + _code_lengths(len(dc_symbols)) + dc_symbols),
        _jpeg_segment(0xC4, b"\x10" + _code_lengths(1) + b"\x00"),
        _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        bits.getvalue(),
        b"\xff\xd9",
    ]
    return b"".join(segments)


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _code_lengths(symbols_of_length_two: int) -> bytes:
    return bytes([0, symbols_of_length_two] + [0] * 14)


class _BitWriter:
    def __init__(self) -> None:
        self._bytes = bytearray()
        self._accumulator = 0
        self._count = 0

    def write(self, value: int, length: int) -> None:
        self._accumulator = (self._accumulator << length) | value
        self._count += length
        while self._count >= 8:
            self._count -= 8
            self._emit((self._accumulator >> self._count) & 0xFF)

    def getvalue(self) -> bytes:
        if self._count:
            pad = 8 - self._count
            self.write((1 << pad) - 1, pad)
        return bytes(self._bytes)

    def _emit(self, byte: int) -> None:
        self._bytes.append(byte)
        if byte == 0xFF:
            self._bytes.append(0x00)  # byte stuffing


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF. The standard fonts hold no Vietnamese letters, so the text is shown without marks."""
    text_lines = [_ascii(title)] + [_ascii(line) for line in lines]
    stream = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({_pdf_escape(line)}) '" for line in text_lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("latin-1")
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("latin-1")
    return bytes(out)


def word_document(title: str, lines: list[str]) -> bytes:
    """A Word-readable document in RTF, the form many council sites serve under a .doc name."""
    paragraphs = "".join(f"{_rtf_escape(line)}\\par\n" for line in lines)
    return (
        "{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n"
        f"{{\\b {_rtf_escape(title)}\\b0\\par}}\n{paragraphs}}}\n"
    ).encode("ascii")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _rtf_escape(text: str) -> str:
    out = []
    for character in text:
        if character in "\\{}":
            out.append("\\" + character)
        elif ord(character) < 128:
            out.append(character)
        else:
            code = ord(character)
            out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)
