"""Unit tests of the readers (ingestion/readers.py): encodings, delimiters, header detection below title
blocks, merged two-row headers, total and note rows."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion import readers
from ingestion.readers import FileRejected, HeaderIndex, detect_encoding, open_table, title_period
from ingestion.sources import get_contract

SCHOOLS = get_contract("emis_schools")
KHUYENHOC = get_contract("khuyenhoc_ward_report")
SCHOOL_HEADER = ["Mã trường", "Tên trường", "Cấp học", "Mã xã/phường", "Năm học"]
SCHOOL_ROW = ["TH01", "Trường Tiểu học Hòa Bình", "Tiểu học", "26734", "2024-2025"]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as old exports write it: base letters, then the tone mark as a combining character."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out.append((base + "".join(c for c in decomposed if c in TONE_MARKS)).encode("cp1258"))
    return b"".join(out)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    path.write_bytes(cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def write_xlsx(
    path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), title: str = "Sheet1"
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def read_all(path: Path, contract=SCHOOLS) -> tuple[list[tuple[int, Any]], Any]:
    with open_table(path, contract) as table:
        sheet = table.sheets[0]
        rows = list(sheet)
        return rows, (table, sheet)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("cp1258", "cp1258"),
    ],
)
def test_detect_encoding(tmp_path: Path, encoding: str, expected: str) -> None:
    path = write_csv(tmp_path / "f.csv", [SCHOOL_HEADER, SCHOOL_ROW], encoding=encoding)
    assert detect_encoding(path) == expected
    found, _ = read_all(path)
    assert unicodedata.normalize("NFC", found[0][1][1]) == "Trường Tiểu học Hòa Bình"


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"\x00\x01\x02\x03\xff" * 100)
    with pytest.raises(FileRejected) as info:
        open_table(path, SCHOOLS)
    assert info.value.rule == "file_unreadable"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffing(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "f.csv", [SCHOOL_HEADER, SCHOOL_ROW, SCHOOL_ROW], delimiter=delimiter)
    found, (table, _) = read_all(path)
    assert table.delimiter == delimiter
    assert found[0][1][0] == "TH01"


def test_header_below_title_block(tmp_path: Path) -> None:
    rows = [
        ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
        ["DANH SÁCH TRƯỜNG HỌC NĂM HỌC 2024-2025"],
        [],
        [],
        [],
        [],
        SCHOOL_HEADER,
        SCHOOL_ROW,
    ]
    found, (_, sheet) = read_all(write_csv(tmp_path / "f.csv", rows))
    assert sheet.header_row_numbers == (7,)
    assert found == [(8, SCHOOL_ROW)]
    assert title_period(sheet.title_lines) == ("school_year", "2024-2025")


def test_header_variants_and_mixed_kinds() -> None:
    index = HeaderIndex(SCHOOLS)
    assert index.match("MA_TRUONG_HOC *") == "school_code"
    assert index.match("school_code") == "school_code"
    assert index.match("  MÃ\nTRƯỜNG ") == "school_code"
    assert index.match(unicodedata.normalize("NFD", "Tên trường")) == "school_name"
    assert index.match("Ma truong") == "school_code"  # ASCII export without tone marks
    assert index.match("Ghi chú") is None
    assert index.is_coded("MA_XA")


def test_title_period_year() -> None:
    assert title_period(["HỘI KHUYẾN HỌC QUẬN 3", "BÁO CÁO KẾT QUẢ ... NĂM 2024"]) == ("year", "2024")
    assert title_period(["Danh sách"]) is None


def _khuyenhoc_rows() -> list[list[Any]]:
    return [
        ["HỘI KHUYẾN HỌC QUẬN 3"],
        ["BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM 2024"],
        [],
        ["STT", "Mã phường/xã", "Phường/Xã", "Gia đình học tập", None, "Quỹ khuyến học (đồng)"],
        [None, None, None, "Tổng số hộ gia đình", 'Số hộ đạt "Gia đình học tập"', None],
        [1, "27127", "Phường 14", 113, 91, 2105000],
        [2, "27130", "Phường 12", 63, 38, 2069000],
        ["Tổng cộng", None, None, 176, 129, 4174000],
        [],
        ["Ghi chú: số liệu tổng hợp đến ngày 30/11/2024."],
        ["Người lập biểu", None, None, None, "Chủ tịch"],
    ]


def test_merged_two_row_header_totals_and_notes(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "q3.xlsx", _khuyenhoc_rows(), merges=("A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5")
    )
    found, (table, sheet) = read_all(path, KHUYENHOC)
    assert table.format == "xlsx"
    assert sheet.header_row_numbers == (4, 5)
    assert sorted(sheet.layout.mapping.values()) == sorted(
        ["ward_code", "ward_name", "households_total", "households_learning", "fund_vnd"]
    )
    assert [n for n, _ in found] == [6, 7]
    assert [(i.row, i.rule) for i in sheet.excluded] == [(8, "total_row"), (10, "note_row"), (11, "note_row")]


def test_group_and_leaf_header_combined(tmp_path: Path) -> None:
    rows = [["Mã phường/xã", "Hộ gia đình", None, "Năm"], [None, "Tổng số", "Số đạt"], ["27127", 10, 5, 2024]]
    contract = KHUYENHOC
    index = HeaderIndex(contract)
    assert index.match("Tổng số hộ gia đình") == "households_total"
    found, (_, sheet) = read_all(write_xlsx(tmp_path / "g.xlsx", rows), contract)
    assert sheet.layout.mapping[0] == "ward_code"
    assert sheet.layout.mapping[3] == "report_year"
    assert found[0][0] == 3


def test_column_number_row_and_blank_rows(tmp_path: Path) -> None:
    rows = [SCHOOL_HEADER, ["(1)", "(2)", "(3)", "(4)", "(5)"], SCHOOL_ROW, [], ["", "", ""], SCHOOL_ROW]
    found, (_, sheet) = read_all(write_csv(tmp_path / "f.csv", rows))
    assert [n for n, _ in found] == [3, 6]
    assert [i.rule for i in sheet.excluded] == ["column_numbers_row"]


def test_total_row_in_the_middle_of_data(tmp_path: Path) -> None:
    rows = [SCHOOL_HEADER, SCHOOL_ROW, ["", "Cộng quận 1", "", "", ""], ["TH02", *SCHOOL_ROW[1:]]]
    found, (_, sheet) = read_all(write_csv(tmp_path / "f.csv", rows))
    assert [n for n, _ in found] == [2, 4]
    assert [(i.row, i.rule) for i in sheet.excluded] == [(3, "total_row")]


def test_a_name_starting_like_a_total_is_data(tmp_path: Path) -> None:
    rows = [
        SCHOOL_HEADER,
        ["TH09", "Trường Cộng Hòa", "Tiểu học", "26734", "2024-2025"],
        ["Cộng đồng 1", "Trường X", "Tiểu học", "26734", "2024-2025"],
    ]
    found, _ = read_all(write_csv(tmp_path / "f.csv", rows))
    assert len(found) == 2


def test_line_breaks_inside_quoted_header_cells(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(
        '"Mã\ntrường","Tên\r\ntrường",Cấp học,Mã xã/phường,Năm học\nTH01,A,Tiểu học,26734,2024-2025\n',
        encoding="utf-8",
    )
    found, (_, sheet) = read_all(path)
    assert sheet.layout.mapping[0] == "school_code"
    assert sheet.layout.mapping[1] == "school_name"
    assert found[0][0] == 2


def test_batches_keep_row_numbers(tmp_path: Path) -> None:
    rows = [SCHOOL_HEADER] + [[f"TH{i}", "A", "Tiểu học", "26734", "2024-2025"] for i in range(25)]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    with open_table(path, SCHOOLS) as table:
        blocks = list(table.sheets[0].batches(size=10))
    numbers = [n for block in blocks for n in block.numbers]
    assert numbers == list(range(2, 27))
    assert all(len(block) <= 29 for block in blocks)


def test_quote_free_csv_blocks_are_split_into_columns(tmp_path: Path) -> None:
    rows = [SCHOOL_HEADER] + [[f"TH{i}", f"Trường {i}", "Tiểu học", "26734", "2024-2025"] for i in range(200)]
    rows[150][1] = 'Trường "Hòa Bình", cơ sở 2'  # quotes and a comma: that block is parsed by csv
    path = write_csv(tmp_path / "f.csv", rows)
    with open_table(path, SCHOOLS) as table:
        blocks = list(table.sheets[0].batches(size=20))
        assert any(block.columns is not None for block in blocks)
        found = [(n, list(block.row(k))) for block in blocks for k, n in enumerate(block.numbers)]
    assert found == [(k + 1, r) for k, r in enumerate(rows) if k > 0]


_CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\n\rĐạ1')), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(_CELL, min_size=5, max_size=5), min_size=1, max_size=80),
    st.sampled_from(["\r\n", "\n"]),
    st.integers(min_value=8, max_value=400),
)
def test_property_blocks_read_what_csv_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: list[list[str]], newline: str, chars: int
) -> None:
    """Whatever the cells (quotes, delimiters, line breaks) and wherever the text is cut into blocks, the
    block reader returns the rows csv returns."""
    monkeypatch.setattr(readers, "CSV_BLOCK_CHARS", chars)
    path = tmp_path / "p.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([SCHOOL_HEADER, *data])
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    expected = [
        (k + 2, r) for k, r in enumerate(list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))[1:])
    ]
    expected = [(n, r) for n, r in expected if any(c.strip() for c in r)]  # blank rows are skipped
    try:
        with open_table(path, SCHOOLS) as table:
            found = [(n, list(row)) for n, row in table.sheets[0]]
    except FileRejected as exc:
        assert exc.rule == "header_only" and not expected
        return
    assert found == expected


def test_invalid_utf8_in_the_middle(tmp_path: Path) -> None:
    # more than the 1 MiB the encoding is decided on, then one Windows-1258 row: decoding fails while
    # streaming, and the file is rejected (never half read)
    good = "\r\n".join([",".join(SCHOOL_HEADER)] + [",".join(SCHOOL_ROW)] * 20_000).encode("utf-8")
    path = tmp_path / "f.csv"
    path.write_bytes(good + b"\r\n" + cp1258_bytes("TH9,Trường,Tiểu học,26734,2024-2025") + b"\r\n")
    assert detect_encoding(path) == "utf-8"
    with pytest.raises(FileRejected) as info, open_table(path, SCHOOLS) as table:
        list(table.sheets[0])
    assert info.value.rule == "file_unreadable"
    assert "line" in info.value.message


def test_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + ",".join(SCHOOL_HEADER).encode() + b"\r\n" + ",".join(SCHOOL_ROW).encode()
    )
    _, (_, sheet) = read_all(path)
    assert sheet.layout.mapping[0] == "school_code"
