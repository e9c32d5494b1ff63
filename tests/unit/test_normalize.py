"""Unit tests of the cell normalisers (ingestion/normalize.py), with property tests for numbers, dates
and headers."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingestion.normalize import (
    EXCEL_EPOCH,
    MAX_TEXT_LENGTH,
    CellError,
    cell_text,
    clean_text,
    csv_safe,
    is_formula_like,
    normalize_header,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_grade,
    parse_int,
    parse_number,
    parse_school_year,
    strip_accents,
)
from ingestion.sources import CONTRACTS

ALL_HEADERS = sorted({h for c in CONTRACTS.values() for col in c.columns for h in (col.name, *col.headers)})


def _rule(fn, *args, **kwargs) -> str:
    with pytest.raises(CellError) as info:
        fn(*args, **kwargs)
    return info.value.rule


# -- numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.726.208", 1726208),
        ("1,726,208", 1726208),
        ("1 726 208", 1726208),
        ("1.500", 1500),
        ("1,726", 1726),
        ("0", 0),
        ("007", 7),
        ("12.0", 12),
        ("-5", -5),
        ("(5)", -5),
        ("1.234,0", 1234),
        ("1,234.0", 1234),
        ("1.7E+06", 1700000),
    ],
)
def test_parse_int_vietnamese_and_english_grouping(text: str, expected: int) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("89,4", Decimal("89.4")),
        ("89,4%", Decimal("89.4")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("12.5", Decimal("12.5")),
        ("1,5", Decimal("1.5")),
    ],
)
def test_parse_number_decimals(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("89,4", "not_integer"),
        ("89,4%", "percent_not_count"),
        ("12%", "percent_not_count"),
        ("abc", "invalid_number"),
        ("1.23.4", "invalid_number"),
        ("1,2,3", "invalid_number"),
        ("1.234,5.6", "invalid_number"),
        ("99999999999", "out_of_range"),
        ("12.5", "not_integer"),
    ],
)
def test_parse_int_errors(text: str, rule: str) -> None:
    assert _rule(parse_int, text) == rule


def test_parse_number_cells_from_xlsx() -> None:
    assert parse_number(12.0) == 12
    assert parse_number(12.25) == Decimal("12.25")
    assert parse_int(7) == 7
    assert _rule(parse_int, 7.5) == "not_integer"
    assert _rule(parse_number, True) == "invalid_number"
    assert parse_number(None) is None
    assert parse_number("  ") is None


@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_property_vietnamese_thousands_round_trip(n: int) -> None:
    assert parse_int(f"{n:,}".replace(",", ".")) == n
    assert parse_int(f"{n:,}".replace(",", " ")) == n
    assert parse_int(str(n)) == n


@given(st.integers(min_value=1000, max_value=2**31 - 1))
def test_property_english_thousands_in_counts(n: int) -> None:
    assert parse_int(f"{n:,}") == n


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=1, max_value=99))
def test_property_vietnamese_decimal_comma(whole: int, cents: int) -> None:
    value = Decimal(whole) + (Decimal(cents) / 100 if whole >= 0 else -Decimal(cents) / 100)
    grouped = f"{abs(whole):,}".replace(",", ".")
    text = f"{'-' if whole < 0 or (whole == 0 and value < 0) else ''}{grouped},{cents:02d}"
    assert parse_number(text) == value


# -- dates -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2010", date(2010, 3, 5)),
        ("5/3/2010", date(2010, 3, 5)),
        ("05-03-2010", date(2010, 3, 5)),
        ("05.03.2010", date(2010, 3, 5)),
        ("2010-03-05", date(2010, 3, 5)),
        ("2010-03-05 00:00:00", date(2010, 3, 5)),
        ("2010-03-05T00:00:00", date(2010, 3, 5)),
    ],
)
def test_parse_date_formats(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2010", "12/31/2024", "2010-13-01", "5/3/10", "hôm qua", "2010/3"])
def test_parse_date_errors(text: str) -> None:
    assert _rule(parse_date, text) == "invalid_date"


def test_parse_date_excel_cells() -> None:
    assert parse_date(45292) == date(2024, 1, 1)
    assert parse_date(45292.75) == date(2024, 1, 1)
    assert parse_date(datetime(2024, 1, 1, 0, 0)) == date(2024, 1, 1)
    assert _rule(parse_date, -3) == "invalid_date"


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_property_date_formats_agree(d: date) -> None:
    for text in (
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}-{d.month:02d}-{d.year}",
        d.isoformat(),
    ):
        assert parse_date(text) == d
    assert parse_date((d - EXCEL_EPOCH).days) == d


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T08:30:00", datetime(2024, 5, 1, 8, 30)),
        ("2024-05-01 08:30", datetime(2024, 5, 1, 8, 30)),
        ("2024-05-01T01:30:00Z", datetime(2024, 5, 1, 8, 30)),
        ("2024-05-01T08:30:00+07:00", datetime(2024, 5, 1, 8, 30)),
        ("01/05/2024 08:30", datetime(2024, 5, 1, 8, 30)),
        ("1/5/2024 8:30:15", datetime(2024, 5, 1, 8, 30, 15)),
        ("01/05/2024", datetime(2024, 5, 1)),
    ],
)
def test_parse_datetime_formats(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024 08:30", "01/05/2024 25:00", "soon"])
def test_parse_datetime_errors(text: str) -> None:
    assert _rule(parse_datetime, text) == "invalid_datetime"


def test_parse_datetime_excel_serial() -> None:
    assert parse_datetime(45292.5) == datetime(2024, 1, 1, 12, 0)


@given(
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2090, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_property_datetime_formats_agree(ts: datetime) -> None:
    assert parse_datetime(ts.isoformat()) == ts
    assert parse_datetime(ts.isoformat(sep=" ")) == ts
    assert (
        parse_datetime(f"{ts.day:02d}/{ts.month:02d}/{ts.year} {ts.hour:02d}:{ts.minute:02d}:{ts.second:02d}")
        == ts
    )


# -- yes / no ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Có", "có", "CO", "x", "X", "1", "Đạt", "Yes", "TRUE", "true", "✓"])
def test_parse_bool_yes(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["Không", "không", "KHONG", "0", "Chưa đạt", "No", "FALSE", "false"])
def test_parse_bool_no(text: str) -> None:
    assert parse_bool(text) is False


def test_parse_bool_cells_and_errors() -> None:
    assert parse_bool(True) is True
    assert parse_bool(0) is False
    assert parse_bool("") is None
    assert parse_bool(None) is None
    assert _rule(parse_bool, "có lẽ") == "invalid_boolean"
    assert _rule(parse_bool, 2) == "invalid_boolean"


# -- text, periods, grades ---------------------------------------------------------------------------
def test_clean_text() -> None:
    assert clean_text("  Nguyễn Văn A ") == "Nguyễn Văn A"
    assert clean_text(unicodedata.normalize("NFD", "Nguyễn")) == "Nguyễn"
    assert clean_text("   ") is None
    assert _rule(clean_text, "x" * (MAX_TEXT_LENGTH + 1)) == "too_long"
    assert _rule(clean_text, "a\x00b") == "invalid_character"


def test_formula_like_text() -> None:
    assert is_formula_like("=cmd|' /C calc'!A0")
    assert is_formula_like("@SUM(A1)")
    assert is_formula_like('+HYPERLINK("x")')
    assert not is_formula_like("-5")
    assert not is_formula_like("+84 28 3822 1234")
    assert not is_formula_like("Trường A")
    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("Trường A") == "Trường A"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-2025", "2024-2025"),
        ("2024 - 2025", "2024-2025"),
        ("2024–2025", "2024-2025"),
        ("2024/2025", "2024-2025"),
        ("2024-25", "2024-2025"),
        ("2024", "2024-2025"),
        (2024, "2024-2025"),
    ],
)
def test_parse_school_year(text: object, expected: str) -> None:
    assert parse_school_year(text) == expected


@pytest.mark.parametrize("text", ["2024-2026", "24-25", "năm học mới"])
def test_parse_school_year_errors(text: str) -> None:
    assert _rule(parse_school_year, text) == "invalid_school_year"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Lớp 6", "6"), ("Khối 6", "6"), ("06", "6"), ("6", "6"), ("khoi 12", "12"), ("Nhà trẻ", "Nhà trẻ")],
)
def test_parse_grade(text: str, expected: str) -> None:
    assert parse_grade(text) == expected


def test_cell_text() -> None:
    assert cell_text(26734.0) == "26734"
    assert cell_text(1.5) == "1.5"
    assert cell_text(datetime(2024, 1, 2)) == "2024-01-02"
    assert cell_text(datetime(2024, 1, 2, 8, 30)) == "2024-01-02 08:30:00"
    assert cell_text(True) == "TRUE"
    assert cell_text(None) == ""


# -- headers -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("  MÃ TRƯỜNG  ", "Mã trường"),
        ("Mã\ntrường", "Mã trường"),
        ("Mã  trường", "Mã trường"),
        ("Mã xã / phường", "Mã xã/phường"),
        ("MA_TRUONG_HOC *", "ma_truong_hoc"),
        ("MA_TRUONG_HOC(*)", "ma_truong_hoc"),
        ("Độ tuổi 15 – 60", "Độ tuổi 15-60"),
        ("Số hộ đạt “Gia đình học tập”", 'Số hộ đạt "Gia đình học tập"'),
    ],
)
def test_normalize_header_variants(variant: str, canonical: str) -> None:
    assert normalize_header(variant) == normalize_header(canonical)


_SPACES = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "\u00a0"])


@given(st.sampled_from(ALL_HEADERS), st.sampled_from(["NFC", "NFD"]), _SPACES, st.booleans(), st.booleans())
def test_property_header_variants_share_a_key(
    header: str, form: str, space: str, upper: bool, star: bool
) -> None:
    variant = unicodedata.normalize(form, header.upper() if upper else header)
    variant = space + variant.replace(" ", space if space != "\t" else " ") + space + (" *" if star else "")
    assert normalize_header(variant) == normalize_header(header)


@given(st.text(max_size=40))
def test_property_header_normalisation_is_idempotent(text: str) -> None:
    once = normalize_header(text)
    assert normalize_header(once) == once


def test_strip_accents() -> None:
    assert strip_accents("Đạt chuẩn") == "Dat chuan"
    assert strip_accents("Hoà") == strip_accents("Hòa") == "Hoa"


def test_future_tolerance_constant_is_a_day() -> None:
    from ingestion.validate import FUTURE_TOLERANCE

    assert FUTURE_TOLERANCE == timedelta(days=1)
