"""The reference seeds and their reader (ingestion.reference)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion import reference as ref

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"


def _levels(structure: str) -> Counter[str]:
    return Counter(u.admin_level for u in ref.admin_units(structure))


def test_unit_counts_per_structure() -> None:
    assert _levels("pre_2025") == {"province": 63, "district": 696, "ward": 10_035}
    assert _levels("post_2025") == {"province": 34, "ward": 3_321}
    assert len(ref.admin_units()) == 63 + 696 + 10_035 + 34 + 3_321


def test_codes_are_zero_padded_text() -> None:
    widths = {"province": 2, "district": 3, "ward": 5}
    for unit in ref.admin_units():
        assert unit.unit_code.isdigit() and len(unit.unit_code) == widths[unit.admin_level]
    assert ref.unit("01", "pre_2025").unit_name == "Hà Nội"
    assert ref.ward("00001", "pre_2025").full_name == "Phường Phúc Xá"


def test_validity_dates() -> None:
    pre, post = ref.admin_units("pre_2025")[0], ref.admin_units("post_2025")[0]
    assert (pre.valid_from, pre.valid_to) == (date(1900, 1, 1), date(2025, 6, 30))
    assert (post.valid_from, post.valid_to) == (date(2025, 7, 1), None)


def test_parents_exist_in_the_same_structure() -> None:
    for unit in ref.admin_units():
        if unit.admin_level == "province":
            assert unit.parent_code is None
        else:
            parent = ref.unit(unit.parent_code or "", unit.structure)
            assert parent is not None and parent.province_code == unit.province_code
    assert {u.admin_level for u in ref.admin_units("post_2025") if u.parent_code} == {"ward"}


def test_hcmc_pre_2025() -> None:
    districts = ref.hcmc_districts_pre2025()
    assert len(districts) == 22
    assert "769" in {d.unit_code for d in districts}
    assert ref.unit("769", "pre_2025").full_name == "Thành phố Thủ Đức"
    wards = ref.hcmc_wards_pre2025()
    assert len(wards) == 273  # 312 before the mergers of 1 January 2025, which v2.4.1 already has
    assert all(w.province_code == "79" and w.unit_code.startswith("2") for w in wards)
    assert [w.parent_code for w in wards] == sorted(w.parent_code for w in wards)


def test_crosswalk_shares_sum_to_one_per_old_ward() -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: Counter[str] = Counter()
    for pair in ref.crosswalk_2025():
        totals[pair.old_ward_code] += pair.population_share
        counts[pair.old_ward_code] += 1
        assert pair.share_method == ("whole" if pair.split_count == 1 else "equal_split")
        assert pair.merge_type == ("full" if pair.split_count == 1 else "partial")
    assert set(totals.values()) == {Decimal("1")}
    assert all(counts[p.old_ward_code] == p.split_count for p in ref.crosswalk_2025())


def test_crosswalk_codes_exist() -> None:
    pairs = ref.crosswalk_2025()
    assert {p.old_ward_code for p in pairs} == ref.ward_codes("pre_2025")
    missing = ref.ward_codes("post_2025") - {p.new_ward_code for p in pairs}
    assert missing == {"11948", "19742", "20333", "21548", "26732"}  # island special zones without wards
    hcmc = [p for p in pairs if p.old_province_code == "79"]
    assert {p.new_province_code for p in hcmc} == {"79"}


@pytest.mark.parametrize(
    ("period", "structure"),
    [
        ("2023-2024", "pre_2025"),
        ("2024-2025", "pre_2025"),
        ("2025-2026", "post_2025"),
        (" 2024 - 2025 ", "pre_2025"),
        (2024, "pre_2025"),
        ("2024", "pre_2025"),
        (2025, "pre_2025"),
        ("2026", "post_2025"),
    ],
)
def test_structure_for_period(period: str | int, structure: str) -> None:
    assert ref.structure_for_period(period) == structure


@pytest.mark.parametrize("period", ["2024-2026", "24-25", "năm 2024", ""])
def test_structure_for_period_rejects_other_text(period: str) -> None:
    with pytest.raises(ValueError):
        ref.structure_for_period(period)


def test_structure_for_date_and_ward_codes_for_period() -> None:
    assert ref.structure_for_date(date(2025, 6, 30)) == "pre_2025"
    assert ref.structure_for_date(date(2025, 7, 1)) == "post_2025"
    both = ref.ward_codes("pre_2025") | ref.ward_codes("post_2025")
    assert ref.ward_codes_for_period(2025) == both
    assert ref.ward_codes_for_period("2024-2025") == ref.ward_codes("pre_2025")
    assert ref.ward_codes_for_period("2025-2026") == ref.ward_codes("post_2025")


def test_emis_code_lists() -> None:
    assert ref.emis_code_map("DM_GIOI_TINH") == {"01": "Nam", "02": "Nữ"}
    assert ref.emis_code_map("DM_NHOM_CAP_HOC")["11"] == "Liên cấp"
    assert ref.emis_code_map("DM_KHOI")["16"] == "Nhà trẻ"
    assert ref.emis_code_map("DM_KHOI")["17"] == ""  # known code, no contract value
    assert ref.emis_code_map("DM_DAN_TOC")["05"] == "Khmer"
    assert set(ref.emis_code_map("DM_CHUAN_DAO_TAO").values()) == {"Có", "Không"}
    with pytest.raises(KeyError):
        ref.emis_code_map("DM_KHONG_CO")


def test_emis_fields() -> None:
    schools = ref.emis_field_aliases("emis_schools")
    assert schools["MA_TRUONG_HOC"] == schools["MA_TRUONG"] == "school_code"
    assert schools["MA_XA"] == schools["MA_XA_PHUONG"] == "ward_code"
    assert ref.emis_field_code_list("emis_schools")["level"] == "DM_NHOM_CAP_HOC"
    students = ref.emis_field_aliases("emis_students")
    assert students["MA_KHOI"] == students["KHOI_HOC"] == "grade"
    assert students["MA_PXA_THTRU"] == "residence_ward_code"
    teachers = ref.emis_field_code_list("emis_teachers")
    assert teachers["qualification"] == "DM_TRINH_DO_CHUYEN_MON"
    assert teachers["meets_standard"] == "DM_CHUAN_DAO_TAO"
    assert "MA_GIAO_VIEN" in ref.emis_required_fields("emis_teachers")
    for source in ref.EMIS_SOURCES:
        assert set(ref.emis_field_code_list(source).values()) <= set(ref.emis_code_lists())
    with pytest.raises(ValueError):
        ref.emis_field_aliases("library_loans")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Hoà", "Hòa"),
        ("Thuỷ", "Thủy"),
        ("Khoẻ", "Khỏe"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("Phú  Hoà ", "Phú Hòa"),
        ("Hoàng", "Hoàng"),
        ("Quý", "Quý"),
        ("Thụy Khuê", "Thụy Khuê"),
        ("Tho\u0309", "Thỏ"),
    ],
)
def test_normalize_vn_name(raw: str, normalised: str) -> None:
    assert ref.normalize_vn_name(raw) == normalised


def test_same_name() -> None:
    assert ref.same_name("Phường Hoà Thạnh", "hòa thạnh")
    assert ref.same_name("Quận 3", "3")
    assert ref.same_name("Phường 01", "Phường 1")
    assert ref.same_name("Thành phố Thủ Đức", "TP. Thủ Đức")
    assert not ref.same_name("Phường Hòa Thạnh", "Phường Hòa Bình")
    assert not ref.same_name("Quận 3", "Huyện 3", ignore_unit_type=False)


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared/data is not beside the repository")
def test_seeds_are_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """The committed seeds are what scripts/build_reference_seeds.py derives from shared/data."""
    spec = importlib.util.spec_from_file_location(
        "build_reference_seeds", REPO / "scripts" / "build_reference_seeds.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # dataclasses look their module up there
    spec.loader.exec_module(script)
    for name, data in script.build(SHARED_DATA).items():
        assert (ref.SEED_DIR / name).read_bytes() == data, (
            f"{name} is stale: run scripts/build_reference_seeds.py"
        )
