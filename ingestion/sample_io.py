"""File-format helpers of the sample-data generator: stable XLSX bytes, CP1258, Vietnamese numbers.

Everything here is deterministic: the same content always gives the same bytes, so a generated landing
folder can be compared file by file (sha256) between runs.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import openpyxl

#: Creation/modification time written into every generated workbook.
FIXED_TIME = datetime(2025, 1, 1)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def save_workbook(workbook: openpyxl.Workbook, path: Path) -> Path:
    """Save with fixed document times and zip entry times, so equal content gives equal bytes.

    openpyxl stamps ``modified`` with the current time when saving and zip entries with the local
    time; the workbook is saved to memory and re-packed with both fixed.
    """
    workbook.properties.creator = "Learning City Platform sample generator"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    fixed = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + fixed + rb"\g<2>", data)
            entry = ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, data)
    return path


def encode_cp1258(text: str) -> bytes:
    """Encode as a Windows-1258 export does.

    Windows-1258 has the base letters (â, ê, ô, ơ, ư, ă, đ) and a few precomposed toned vowels (à, á,
    é …), and five combining tone marks; Python's codec refuses the other precomposed letters
    ("ệ", "ờ"). A character the code page lacks is written as its base letter followed by the tone
    mark, the decomposed form Windows produces; decoding and NFC give the original text back.
    """
    out: list[bytes] = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def decode_cp1258(data: bytes) -> str:
    """Decode a Windows-1258 file to NFC text."""
    return unicodedata.normalize("NFC", data.decode("cp1258"))


def vn_number(value: int) -> str:
    """Vietnamese thousands format: 1726208 -> '1.726.208'."""
    return f"{value:,}".replace(",", ".")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], lineterminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_text(path: Path, text: str, encoding: str) -> Path:
    """Write text as ``utf-8``, ``utf-8-sig`` (with BOM) or ``cp1258``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes(data)
    return path
