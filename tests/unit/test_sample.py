"""The sample landing-folder generator (python -m ingestion.sample)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from ingestion import reference, sample
from ingestion.sample_emis import make_students, write_schools, write_students, write_teachers
from ingestion.sample_io import decode_cp1258, encode_cp1258
from ingestion.sample_world import bad_count, build_world, sizes

SMALL = 0.001


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[Path]]]:
    out = tmp_path_factory.mktemp("landing")
    return out, sample.generate(out, scale=SMALL, seed=7, year=2024)


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _csv_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def _sheet_rows(path: Path) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))


def _file_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in _sheet_rows(path))
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_cp1258(data)


def test_every_source_has_files(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    out, files = landing
    assert tuple(files) == sample.SOURCES
    for source in sample.SOURCES:
        on_disk = sorted((out / source).iterdir())
        assert on_disk and on_disk == sorted(files[source])
    assert len(files["library_loans"]) == 12
    assert len(files["khuyenhoc_ward_report"]) == 22
    assert (out / "emis_students" / "hcm_2024-2025_hocsinh.csv").is_file()
    assert (out / "khuyenhoc_ward_report" / "quan3_2024.xlsx").is_file()


def test_same_arguments_give_the_same_bytes(
    landing: tuple[Path, dict[str, list[Path]]], tmp_path: Path
) -> None:
    out, _ = landing
    sample.generate(tmp_path, scale=SMALL, seed=7, year=2024)
    assert _digests(tmp_path) == _digests(out)


def test_another_seed_gives_other_data() -> None:
    first = make_students(build_world(7, SMALL), 2024)
    second = make_students(build_world(8, SMALL), 2024)
    assert len(first) == len(second)
    assert (first.ident != second.ident).any()


def test_sizes_scale_linearly() -> None:
    assert sizes(1.0).students == 1_726_208 and sizes(1.0).teachers == 80_721 and sizes(1.0).schools == 2_300
    small = sizes(0.01)
    assert (small.students, small.teachers, small.schools, small.loans) == (17_262, 807, 23, 50_000)
    assert sizes(1e-9).students == 1


def test_row_counts_match_the_formula(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    out, files = landing
    size = sizes(SMALL)
    students = _csv_rows(files["emis_students"][0])
    assert len(students) - 1 == size.students + 3 * bad_count(size.students)
    teachers = _csv_rows(files["emis_teachers"][0], "utf-8-sig")
    assert len(teachers) - 1 == size.teachers + 3 * bad_count(size.teachers)
    schools = _sheet_rows(files["emis_schools"][0])
    assert len(schools) - 4 == size.schools + 2
    loans = sum(len(_csv_rows(p)) - 1 for p in files["library_loans"])
    assert size.loans < loans <= size.loans + 12 * 4 * bad_count(size.loans)
    wards = len(reference.hcmc_wards_pre2025())
    assert len(_csv_rows(files["literacy_survey"][0])) - 1 == wards + 1
    assert len(_sheet_rows(files["clc_register"][0])) - 1 == wards + 1


def test_row_counts_at_one_percent(tmp_path: Path) -> None:
    world = build_world(42, 0.01)
    students = make_students(world, 2024)
    assert len(students) == 17_262
    rows = _csv_rows(write_students(world, students, tmp_path, 2024))
    assert len(rows) - 1 == 17_262 + 3 * bad_count(17_262)
    teachers = _csv_rows(write_teachers(world, students, tmp_path, 2024), "utf-8-sig")
    assert len(teachers) - 1 == 807 + 3 * bad_count(807)
    assert len(_sheet_rows(write_schools(world, tmp_path, 2024))) - 4 == 23 + 2
    male = sum(r[3] == "Nam" for r in rows[1:]) / (len(rows) - 1)
    assert 0.49 < male < 0.54
    dropouts = sum(r[8] == "Bỏ học" for r in rows[1:]) / (len(rows) - 1)
    assert 0.003 < dropouts < 0.012
    meets = sum(r[7] in ("01", "02") for r in teachers[1:]) / (len(teachers) - 1)
    assert 0.94 < meets < 0.995


def test_bad_row_markers_are_written(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    assert {bad.source for bad in sample.BAD_ROWS} == set(sample.SOURCES)
    texts = {source: "\n".join(_file_text(p) for p in paths) for source, paths in files.items()}
    for bad in sample.BAD_ROWS:
        if bad.marker is not None:
            assert bad.marker in texts[bad.source], bad


def test_duplicate_ids_are_only_the_deliberate_ones(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    students = [r[0] for r in _csv_rows(files["emis_students"][0])[1:]]
    assert len(students) - len(set(students)) == bad_count(sizes(SMALL).students)
    assert all(re.fullmatch(r"079[0-3]\d{8}", s) for s in students)
    teachers = [r[2] for r in _csv_rows(files["emis_teachers"][0], "utf-8-sig")[1:]]
    assert len(teachers) == len(set(teachers))


def test_codes_and_wards_follow_the_reference(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    wards = reference.ward_codes("pre_2025")
    rows = _sheet_rows(files["emis_schools"][0])
    assert rows[0][0] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO TP. HỒ CHÍ MINH" and rows[2] == (None,) * len(rows[2])
    header = rows[3]
    assert header[0] == "MA_TRUONG_HOC *" and "MA_XA" in header
    levels = reference.emis_code_map(reference.emis_field_code_list("emis_schools")["level"])
    ownership = reference.emis_code_map("DM_LOAI_HINH")
    for row in rows[4:]:
        assert row[3] in levels or row[3] == "99"
        assert row[4] in ownership
        assert str(row[6]) in wards or row[6] == "99999"
    teachers = _csv_rows(files["emis_teachers"][0], "utf-8-sig")
    assert files["emis_teachers"][0].read_bytes().startswith(b"\xef\xbb\xbf")
    gender = reference.emis_code_map("DM_GIOI_TINH")
    assert all(r[5] in gender for r in teachers[1:])
    literacy = _csv_rows(files["literacy_survey"][0])
    assert {r[0] for r in literacy[1:]} - wards == {"99999"}


def test_register_is_windows_1258(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    data = files["library_register"][0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = decode_cp1258(data)
    assert text.startswith("Mã thư viện,Tên thư viện,Loại thư viện")
    assert "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh" in text
    assert "\u0323".encode("cp1258") in data  # "ệ" written as "ê" + combining dot below


@pytest.mark.parametrize(
    "text", ["Thư viện", "Phường Bến Nghé", "Xã Lý Nhơn", "Trường THCS Nguyễn Trãi", "Ờ ỷ ữ ậ"]
)
def test_cp1258_round_trip(text: str) -> None:
    assert decode_cp1258(encode_cp1258(text)) == unicodedata.normalize("NFC", text)


def test_loans_mix_datetime_formats(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    january, february, july = (_csv_rows(files["library_loans"][i]) for i in (0, 1, 6))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", january[1][6])
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", february[1][6])
    assert july[0][:2] == ["loan_id", "library_code"] and january[0][0] == "Mã lượt mượn"
    register = decode_cp1258(files["library_register"][0].read_bytes())
    codes = {r[0] for r in csv.reader(io.StringIO(register))}
    used = {r[1] for p in files["library_loans"] for r in _csv_rows(p)[1:]}
    assert used - codes == {"TV99999"}


def test_clc_activity_dates_are_mixed(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    rows = _sheet_rows(files["clc_activities"][0])[1:]
    assert any(isinstance(r[2], datetime) for r in rows)
    assert any(isinstance(r[2], str) and re.fullmatch(r"\d\d/\d\d/\d{4}", r[2]) for r in rows)


def test_khuyenhoc_workbooks(landing: tuple[Path, dict[str, list[Path]]]) -> None:
    _, files = landing
    for path in files["khuyenhoc_ward_report"]:
        ws = openpyxl.load_workbook(path).active
        assert str(ws["A1"].value).startswith("HỘI KHUYẾN HỌC ")
        assert ws["A2"].value == "BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM 2024"
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert {"A4:A5", "D4:E4", "L4:O4"} <= merged
        assert ws["D4"].value == "Gia đình học tập" and ws["D5"].value == "Tổng số hộ gia đình"
        rows = list(ws.iter_rows(min_row=6, values_only=True))
        total_at = next(i for i, r in enumerate(rows) if r[0] == "Tổng cộng")
        wards, total = rows[:total_at], rows[total_at]
        assert [r[0] for r in wards] == list(range(1, len(wards) + 1))
        assert total[3] == sum(r[3] for r in wards)
        assert any(isinstance(r[0], str) and r[0].startswith("Ghi chú") for r in rows[total_at + 1 :])
    quan1 = openpyxl.load_workbook(files["khuyenhoc_ward_report"][0].parent / "quan1_2024.xlsx").active
    assert quan1["E6"].value > quan1["D6"].value  # the deliberate households_learning > households_total


def test_increment_writes_one_day_of_loans_and_visits(
    landing: tuple[Path, dict[str, list[Path]]], tmp_path: Path
) -> None:
    _, files = landing
    first, again = tmp_path / "first", tmp_path / "again"
    written = sample.generate_increment(first, date(2025, 1, 2), scale=SMALL, seed=7)
    assert set(written) == {"library_loans", "library_visits"}
    assert sorted(_digests(first)) == [
        "library_loans/loans_2025-01-02.csv",
        "library_visits/visits_2025-01-02.csv",
    ]
    sample.generate_increment(again, date(2025, 1, 2), scale=SMALL, seed=7)
    assert _digests(again) == _digests(first)
    loans = _csv_rows(written["library_loans"][0])[1:]
    assert loans and all(r[6].startswith("2025-01-02") for r in loans)
    year_ids = {r[0] for p in files["library_loans"] for r in _csv_rows(p)[1:]}
    assert not {r[0] for r in loans} & year_ids
    register = decode_cp1258(files["library_register"][0].read_bytes())
    codes = {r[0] for r in csv.reader(io.StringIO(register))}
    assert {r[1] for r in loans} <= codes
    visits = _csv_rows(written["library_visits"][0], "utf-8-sig")[1:]
    assert visits and {r[1] for r in visits} == {"02/01/2025"}


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sample.main(["--out", str(tmp_path), "--scale", str(SMALL), "--increment-day", "2024-12-31"]) == 0
    assert (tmp_path / "library_loans" / "loans_2024-12-31.csv").is_file()
    assert "library_loans" in capsys.readouterr().out


def test_years_after_the_reform_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pre-2025"):
        sample.generate(tmp_path, scale=SMALL, year=2025)
