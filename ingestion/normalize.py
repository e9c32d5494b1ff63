"""Normalisers: turn one delivered cell into one typed value, or say precisely why not.

Every parser takes what a reader yields (``str`` from CSV; ``str``, ``int``, ``float``, ``bool``,
``datetime`` or ``None`` from XLSX) and returns a typed value or ``None`` for an empty cell. A value that
cannot be read raises :class:`CellError` with a rule name and a message for the operator.

Number rule (documented in docs/ingestion.md):

* Vietnamese formatting first: ``.`` groups thousands and ``,`` is the decimal mark
  (``1.726.208`` → 1726208, ``89,4`` → 89.4).
* A separator that occurs more than once groups thousands (``1,726,208`` → 1726208,
  ``1.726.208`` → 1726208); every group after the first must have exactly three digits.
* When both separators occur, the last one is the decimal mark (``1.234,5`` and ``1,234.5``).
* A single ``.`` followed by exactly three digits groups thousands (``1.500`` → 1500); otherwise it is a
  decimal point (``12.5``, ``12.0``).
* A single ``,`` is the decimal mark (``89,4``), except in an integer column where it is followed by
  exactly three digits (``1,726`` → 1726): a count cannot have a fractional part.
* Spaces inside a number (``1 726 208``) are ignored; a trailing ``%`` is a percentage, an error in a
  count column (rule ``percent_not_count``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

#: Longest text accepted in a cell (longer values are a row error, rule ``too_long``).
MAX_TEXT_LENGTH = 10_000

#: Timestamps with an offset are converted to Vietnam time (UTC+7) and stored without the offset.
VN_TZ = timezone(timedelta(hours=7))

EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class CellError(Exception):
    """A cell that cannot be normalised: ``rule`` is machine-readable, ``message`` is for people."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


# --------------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------------
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u202f": " "})
_SPACES = re.compile(r"\s+")
_HEADER_MARKERS = re.compile(r"\(\s*\*\s*\)|\*")
_HEADER_QUOTES = re.compile(r"[\"“”„'‘’`]")
_AROUND_SLASH = re.compile(r"\s*([/\-])\s*")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize_header(value: object) -> str:
    """The matching key of a header cell.

    Case-insensitive, Unicode NFC, line breaks and repeated spaces collapsed, ``*`` / ``(*)``
    required-field markers and quotes removed, dashes unified and spaces around ``/`` and ``-``
    dropped: ``"Mã xã / Phường\\n"``, ``"MÃ XÃ/PHƯỜNG"`` and ``"mã xã/phường"`` share one key.
    """
    if value is None:
        return ""
    text = nfc(str(value)).translate(_DASHES)
    text = _HEADER_MARKERS.sub(" ", text)
    text = _HEADER_QUOTES.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    text = _AROUND_SLASH.sub(r"\1", text)
    return text.casefold()


def strip_accents(text: str) -> str:
    """``"Đạt chuẩn"`` → ``"dat chuan"``: the loose key used when tone marks are placed differently
    (``Hoà``/``Hòa``) or missing (ASCII exports)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_label(value: str) -> str:
    """Matching key of a label (code-list value, yes/no word): NFC, case-folded, spaces collapsed,
    dashes unified."""
    return _SPACES.sub(" ", nfc(value).translate(_DASHES)).strip().casefold()


def loose_label(value: str) -> str:
    """:func:`normalize_label` without tone marks: the fallback key for labels."""
    return strip_accents(normalize_label(value))


def clean_text(value: object) -> str | None:
    """A text cell: NFC, surrounding whitespace removed; ``None`` when empty.

    Raises ``too_long`` above :data:`MAX_TEXT_LENGTH` characters and ``invalid_character`` for NUL
    bytes (PostgreSQL text cannot hold them).
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
    else:
        text = cell_text(value).strip()
    if not text:
        return None
    if len(text) > MAX_TEXT_LENGTH:
        raise CellError(
            "too_long", f"text of {len(text):,} characters exceeds the limit of {MAX_TEXT_LENGTH:,}"
        )
    if "\x00" in text:
        raise CellError("invalid_character", "text contains a NUL character")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d.,\s]+%?$")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would evaluate the text as a formula (``=cmd|...``, ``+``, ``-``, ``@``).

    Signed plain numbers (``-5``, ``+84 28 1234``) are not formulas.
    """
    return bool(text) and text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text)


def csv_safe(text: str) -> str:
    """The text as exporters must write it to CSV/XLSX: a formula-like value gets a leading ``'`` so
    that a spreadsheet shows it instead of evaluating it (OWASP CSV injection guidance)."""
    return "'" + text if is_formula_like(text) else text


def cell_text(value: object) -> str:
    """A cell as text, the way an operator sees it (used for ``raw_record`` and ``_extra``).

    XLSX numbers that are whole print without ``.0``; datetimes at midnight print as dates.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------
_NUMBER_CHARS = re.compile(r"^\d[\d.,]*$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")
_NUMBER_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009_'")


def _grouped(parts: list[str]) -> bool:
    """Thousands groups: a first group of 1–3 digits, then groups of exactly three."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _split_number(s: str, integer: bool) -> tuple[str, str]:
    """Integer and fraction digits of an unsigned number written with ``.`` and/or ``,``."""
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if dec == "." else "."
        whole, _, frac = s.rpartition(dec)
        if whole.count(dec) or not _grouped(whole.split(thousands)) or not frac:
            raise CellError("invalid_number", f"{s!r} mixes separators in an unreadable way")
        return whole.replace(thousands, ""), frac
    if dots or commas:
        sep = "." if dots else ","
        parts = s.split(sep)
        if len(parts) > 2:
            if not _grouped(parts):
                raise CellError("invalid_number", f"{s!r}: thousands groups must have three digits")
            return "".join(parts), ""
        whole, frac = parts
        if not whole or not frac:
            raise CellError("invalid_number", f"{s!r} is not a number")
        if len(frac) == 3 and len(whole) <= 3 and (sep == "." or integer):
            return whole + frac, ""
        return whole, frac
    return s, ""


def parse_number(value: object, *, integer: bool = False, allow_percent: bool = True) -> int | Decimal | None:
    """A number cell as ``int`` (no fractional part) or ``Decimal``; ``None`` when empty.

    ``integer=True`` reads a count: a fractional part is an error (``not_integer``) and a
    percentage is an error (``percent_not_count``). See the module docstring for the separator rule.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("invalid_number", f"{value!r} is a yes/no value, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("invalid_number", f"{value!r} is not a number")
        if value.is_integer():
            return int(value)
        if integer:
            raise CellError("not_integer", f"{cell_text(value)} is not a whole number")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if not isinstance(value, str):
        raise CellError("invalid_number", f"{cell_text(value)!r} is not a number")
    s = value.strip()
    if not s:
        return None
    if s.isdigit() and s.isascii():
        return int(s)
    return _parse_number_text(s, integer=integer, allow_percent=allow_percent)


def _parse_number_text(text: str, *, integer: bool, allow_percent: bool) -> int | Decimal:
    s = text.translate(_NUMBER_SPACES).translate(_DASHES)
    percent = s.endswith("%")
    if percent:
        if integer or not allow_percent:
            raise CellError("percent_not_count", f"{text!r} is a percentage where a count is expected")
        s = s[:-1].rstrip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s[:1] in "+-" and s:
        negative, s = s[0] == "-", s[1:]
    if _SCIENTIFIC.match(s):
        number = Decimal(s)
    else:
        if not _NUMBER_CHARS.match(s) or not s.isascii():
            raise CellError("invalid_number", f"{text!r} is not a number")
        whole, frac = _split_number(s, integer)
        try:
            number = Decimal(f"{whole}.{frac}" if frac else whole)
        except InvalidOperation:
            raise CellError("invalid_number", f"{text!r} is not a number") from None
    if negative:
        number = -number
    if number == number.to_integral_value():
        return int(number)
    if integer:
        raise CellError("not_integer", f"{text!r} is not a whole number")
    return number


def parse_int(value: object, bounds: tuple[int, int] = INT32) -> int | None:
    """A count: :func:`parse_number` with ``integer=True`` and a range check for the column type."""
    number = parse_number(value, integer=True)
    if number is None:
        return None
    assert isinstance(number, int)
    if not bounds[0] <= number <= bounds[1]:
        raise CellError("out_of_range", f"{number} is outside the range the column can hold")
    return number


# --------------------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------------------
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T]+0{1,2}:00(?::00(?:\.0+)?)?)?$")
_YMD = re.compile(r"^(\d{4})[\-/.](\d{1,2})[\-/.](\d{1,2})(?:[ T]+0{1,2}:00(?::00(?:\.0+)?)?)?$")
_DMY_TIME = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$"
)


def _make_date(text: str, y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(
            "invalid_date", f"{text!r} is not a real date (day {d}, month {m}, year {y})"
        ) from None


def excel_serial_date(serial: float) -> date:
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise CellError("invalid_date", f"{cell_text(serial)} is not an Excel date serial number")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object) -> date | None:
    """``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ISO ``yyyy-mm-dd`` (a midnight
    time part is accepted), XLSX date cells and Excel serial numbers in XLSX numeric cells.

    Day first always (Vietnamese order): ``12/31/2024`` is an error, not 31 December.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("invalid_date", f"{value!r} is not a date")
    if isinstance(value, int | float):
        return excel_serial_date(value)
    s = str(value).strip()
    if not s:
        return None
    if len(s) == 10:
        sep = s[2]
        if sep in "/-." and s[5] == sep and s[:2].isdigit() and s[3:5].isdigit() and s[6:].isdigit():
            return _make_date(s, int(s[6:]), int(s[3:5]), int(s[:2]))
        if s[4] == "-" and s[7] == "-" and s[:4].isdigit() and s[5:7].isdigit() and s[8:].isdigit():
            return _make_date(s, int(s[:4]), int(s[5:7]), int(s[8:]))
    match = _DMY.match(s)
    if match:
        d, m, y = (int(g) for g in match.groups())
        return _make_date(s, y, m, d)
    match = _YMD.match(s)
    if match:
        y, m, d = (int(g) for g in match.groups())
        return _make_date(s, y, m, d)
    raise CellError("invalid_date", f"{s!r} is not a date (expected dd/mm/yyyy or yyyy-mm-dd)")


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 (``2024-05-01T08:30:00``, ``2024-05-01 08:30``, with an optional offset converted to
    Vietnam time), ``dd/mm/yyyy HH:MM[:SS]``, a date alone (midnight), XLSX datetime cells and Excel
    serial numbers."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    if isinstance(value, bool):
        raise CellError("invalid_datetime", f"{value!r} is not a date and time")
    if isinstance(value, int | float):
        day = excel_serial_date(value)
        seconds = round((float(value) - int(value)) * 86_400)
        return datetime.combine(day, time(0)) + timedelta(seconds=seconds)
    s = str(value).strip()
    if not s:
        return None
    if len(s) >= 10 and s[4] == "-" and s[:4].isdigit():
        try:
            return _local(datetime.fromisoformat(s))
        except ValueError:
            pass
    match = _DMY_TIME.match(s)
    if match:
        d, m, y, hh, mm = (int(g) for g in match.groups()[:5])
        ss = int(match.group(6) or 0)
        micro = int((match.group(7) or "0").ljust(6, "0"))
        try:
            day = _make_date(s, y, m, d)
        except CellError as exc:
            raise CellError("invalid_datetime", exc.message) from None
        try:
            return datetime.combine(day, time(hh, mm, ss, micro))
        except ValueError:
            raise CellError("invalid_datetime", f"{s!r} has an impossible time of day") from None
    try:
        day = parse_date(s)
    except CellError as exc:
        if "not a real date" in exc.message:
            raise CellError("invalid_datetime", exc.message) from None
        raise CellError(
            "invalid_datetime",
            f"{s!r} is not a date and time (expected yyyy-mm-dd HH:MM or dd/mm/yyyy HH:MM)",
        ) from None
    assert day is not None
    return datetime.combine(day, time(0))


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(VN_TZ).replace(tzinfo=None)


def today_vn() -> date:
    return datetime.now(UTC).astimezone(VN_TZ).date()


# --------------------------------------------------------------------------------------------------
# Yes / no
# --------------------------------------------------------------------------------------------------
#: Words that mean yes / no (matched after :func:`normalize_label`; also without tone marks).
YES_WORDS = frozenset(
    {"có", "c", "x", "✓", "✔", "yes", "y", "true", "t", "1", "đạt", "đạt chuẩn", "trên chuẩn", "đã", "rồi"}
)
NO_WORDS = frozenset(
    {"không", "k", "ko", "no", "n", "false", "f", "0", "chưa đạt", "chưa đạt chuẩn", "chưa", "-"}
)
#: The check-mark convention: a mark means yes and an empty cell means no.
CHECK_MARKS = frozenset({"x", "✓", "✔"})

_BOOL_WORDS: dict[str, bool] = {}
for _word in YES_WORDS:
    _BOOL_WORDS[_word] = True
    _BOOL_WORDS[strip_accents(_word)] = True
for _word in NO_WORDS:
    _BOOL_WORDS[_word] = False
    _BOOL_WORDS[strip_accents(_word)] = False


def parse_bool(value: object) -> bool | None:
    """``Có``/``Không``, ``x``/empty, ``1``/``0``, ``Đạt``/``Chưa đạt``, ``Yes``/``No``,
    ``TRUE``/``FALSE`` (any case, with or without tone marks); ``None`` when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError("invalid_boolean", f"{cell_text(value)} is not a yes/no value")
    s = str(value).strip()
    if not s:
        return None
    key = normalize_label(s)
    found = _BOOL_WORDS.get(key)
    if found is None:
        found = _BOOL_WORDS.get(strip_accents(key))
    if found is None:
        raise CellError("invalid_boolean", f"{s!r} is not a yes/no value (Có/Không, x, 1/0, Đạt/Chưa đạt)")
    return found


# --------------------------------------------------------------------------------------------------
# Periods and grades
# --------------------------------------------------------------------------------------------------
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-/–—]\s*(\d{4}|\d{2})$")


def parse_school_year(value: object) -> str | None:
    """``2024-2025`` (also ``2024 - 2025``, ``2024–2025``, ``2024/2025``, ``2024-25``); the second year
    must follow the first. A bare year is the first year of the school year, as the Ministry's
    database writes NAM_HOC: ``2024`` → ``2024-2025``."""
    if value is None:
        return None
    s = cell_text(value).strip()
    if not s:
        return None
    if len(s) == 4 and s.isdigit() and s.isascii():
        first = int(s)
        if not 1900 <= first <= 2200:
            raise CellError("invalid_school_year", f"{s!r} is not a school year")
        return f"{first}-{first + 1}"
    match = _SCHOOL_YEAR.match(s)
    if not match:
        raise CellError("invalid_school_year", f"{s!r} is not a school year written yyyy-yyyy")
    first, second = int(match.group(1)), match.group(2)
    end = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    if end != first + 1:
        raise CellError("invalid_school_year", f"{s!r}: the second year must follow the first")
    return f"{first}-{end}"


_GRADE_PREFIX = re.compile(r"^(?:lớp|khối|lop|khoi|grade)\s*0*(\d{1,2})$")


def parse_grade(text: str) -> str:
    """``Lớp 6``, ``Khối 6``, ``06`` → ``6``; other labels are returned unchanged."""
    key = normalize_label(text)
    if key.isdigit():
        return str(int(key))
    match = _GRADE_PREFIX.match(key)
    return str(int(match.group(1))) if match else text
