"""The simulated city behind the sample landing folder: sizes, random streams, wards, schools,
libraries and learning centres of Ho Chi Minh City, and the CSV streaming helpers every writer shares.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import cast

import numpy as np

from ingestion import reference
from ingestion import sample_names as names

# Real size of Ho Chi Minh City (scale 1.0).
REAL_STUDENTS = 1_726_208
REAL_TEACHERS = 80_721
REAL_SCHOOLS = 2_300
REAL_LOANS_PER_YEAR = 5_000_000
REAL_PATRONS = 650_000
REAL_ITEMS = 1_200_000
REAL_POPULATION = 9_500_000
REAL_CLC_ACTIVITIES = 10_920
REAL_CLC_PARTICIPATIONS = 491_400
#: Share of wards with a ward library or community reading room; share of schools whose library is in
#: the city's integrated library system.
WARD_LIBRARY_SHARE = 0.3
SCHOOL_LIBRARY_SHARE = 0.1
#: Bad rows per kind in a big file, as a share of its good rows (at least one).
BAD_RATE = 0.0005
CHUNK_ROWS = 100_000

UNKNOWN_WARD = "99999"
UNKNOWN_SCHOOL = "79999999"
UNKNOWN_LIBRARY = "TV99999"
UNKNOWN_CENTRE = "HTCD99998"
UNKNOWN_CODE = "99"
IMPOSSIBLE_DAY = "31/02/"


# --------------------------------------------------------------------------------------------------
# sizes and randomness
# --------------------------------------------------------------------------------------------------


def scaled(real: float, scale: float) -> int:
    """A real-size count at ``scale``: rounded half up, at least 1."""
    return max(1, int(real * scale + 0.5))


def bad_count(good_rows: int) -> int:
    """Bad rows of one kind for a file of ``good_rows`` rows."""
    return max(1, int(good_rows * BAD_RATE + 0.5))


@dataclass(frozen=True)
class Sizes:
    students: int
    teachers: int
    schools: int
    loans: int
    patrons: int
    items: int
    population: int
    clc_activities: int
    clc_participations: int


def sizes(scale: float) -> Sizes:
    if scale <= 0:
        raise ValueError("scale must be positive")
    return Sizes(
        students=scaled(REAL_STUDENTS, scale),
        teachers=scaled(REAL_TEACHERS, scale),
        schools=scaled(REAL_SCHOOLS, scale),
        loans=scaled(REAL_LOANS_PER_YEAR, scale),
        patrons=scaled(REAL_PATRONS, scale),
        items=scaled(REAL_ITEMS, scale),
        population=scaled(REAL_POPULATION, scale),
        clc_activities=scaled(REAL_CLC_ACTIVITIES, scale),
        clc_participations=scaled(REAL_CLC_PARTICIPATIONS, scale),
    )


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per part, so that one part's changes leave the others alone."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder, ties to the first)."""
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(int)
    remainder = total - int(counts.sum())
    order = np.lexsort((np.arange(len(w)), -(exact - counts)))
    counts[order[:remainder]] += 1
    return counts.tolist()


def pick(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    return rng.choice(len(weights), size=size, p=weights / weights.sum())


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if c.isascii() and c.isalnum()).lower()


# --------------------------------------------------------------------------------------------------
# the city
# --------------------------------------------------------------------------------------------------


KINDS = ("MN", "TH", "THCS", "THPT", "GDTX", "LC")
KIND_REAL_COUNTS = (1300, 500, 280, 150, 20, 50)
#: DM_NHOM_CAP_HOC code of each kind (TruongHocInfo.CAP_HOC).
KIND_NHOM = {"MN": "01", "TH": "06", "THCS": "07", "THPT": "08", "GDTX": "13", "LC": "11"}
KIND_TITLE = {
    "MN": "Trường Mầm non",
    "TH": "Trường Tiểu học",
    "THCS": "Trường THCS",
    "THPT": "Trường THPT",
    "LC": "Trường TH, THCS và THPT",
}
#: (Công lập 01, Dân lập 03, Tư thục 09) shares by kind.
KIND_OWNERSHIP = {
    "MN": (0.45, 0.02, 0.53),
    "TH": (0.90, 0.0, 0.10),
    "THCS": (0.92, 0.0, 0.08),
    "THPT": (0.65, 0.0, 0.35),
    "GDTX": (1.0, 0.0, 0.0),
    "LC": (0.10, 0.0, 0.90),
}
RURAL_DISTRICTS = frozenset({"783", "784", "785", "786", "787"})


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    district: str
    population: int


@dataclass(frozen=True)
class District:
    code: str
    name: str
    slug: str
    first_ward: int
    ward_count: int


@dataclass(frozen=True)
class School:
    code: str
    name: str
    kind: str
    ownership: str
    standard: str
    ward: int
    has_internet: bool
    has_library: bool
    weight: float


@dataclass(frozen=True)
class Library:
    code: str
    name: str
    type: str
    ward_code: str
    opened: date
    school: bool
    loan_weight: float
    visitors: float
    online: float
    channels: tuple[float, float, float]


@dataclass(frozen=True)
class Centre:
    code: str
    name: str
    ward_code: str
    active: bool
    staff: int
    ict_equipment: bool
    ict_management: bool


@dataclass(frozen=True)
class World:
    seed: int
    scale: float
    sizes: Sizes
    wards: tuple[Ward, ...]
    districts: tuple[District, ...]
    schools: tuple[School, ...]
    libraries: tuple[Library, ...]
    centres: tuple[Centre, ...]


def build_world(seed: int, scale: float) -> World:
    size = sizes(scale)
    wards, districts = _wards(seed, size)
    schools = _schools(seed, size, wards, districts)
    return World(
        seed=seed,
        scale=scale,
        sizes=size,
        wards=wards,
        districts=districts,
        schools=schools,
        libraries=_libraries(seed, wards, districts, schools),
        centres=_centres(seed, wards),
    )


def _district_slug(unit: reference.AdminUnit) -> str:
    return f"quan{unit.unit_name}" if unit.unit_name.isdigit() else ascii_slug(unit.unit_name)


def _wards(seed: int, size: Sizes) -> tuple[tuple[Ward, ...], tuple[District, ...]]:
    units = reference.hcmc_wards_pre2025()
    rng = rng_for(seed, "wards")
    rural = np.array([u.parent_code in RURAL_DISTRICTS for u in units])
    weights = rng.lognormal(0.0, 0.35, len(units)) * np.where(rural, 1.3, 1.0)
    population = allocate(size.population, weights)
    wards = tuple(
        Ward(u.unit_code, u.full_name, u.parent_code or "", pop)
        for u, pop in zip(units, population, strict=True)
    )
    districts = []
    # hcmc_wards_pre2025() is ordered by district, so each district's wards are contiguous.
    for unit in reference.hcmc_districts_pre2025():
        members = [i for i, w in enumerate(wards) if w.district == unit.unit_code]
        districts.append(
            District(unit.unit_code, unit.full_name, _district_slug(unit), members[0], len(members))
        )
    return wards, tuple(districts)


def _kind_counts(total: int) -> list[int]:
    """Schools per kind (``KINDS`` order); one of each main level as soon as there are four schools,
    and for fewer, a primary school first, then a kindergarten, then a lower-secondary school."""
    if total < 4:
        return [1 if i < total else 0 for i in (1, 0, 2, 3, 4, 5)]
    counts = allocate(total - 4, KIND_REAL_COUNTS)
    return [c + (1 if i < 4 else 0) for i, c in enumerate(counts)]


def _school_name(rng: np.random.Generator, kind: str, district: District) -> str:
    if kind == "GDTX":
        return f"Trung tâm GDNN-GDTX {district.name}"
    stems = names.KINDERGARTEN_STEMS if kind == "MN" else names.SCHOOL_PATRONS
    return f"{KIND_TITLE[kind]} {stems[int(rng.integers(len(stems)))]}"


def _schools(
    seed: int, size: Sizes, wards: tuple[Ward, ...], districts: tuple[District, ...]
) -> tuple[School, ...]:
    rng = rng_for(seed, "schools")
    ward_weights = np.array([w.population for w in wards], dtype=float) + 1.0
    by_code = {d.code: d for d in districts}
    drafts: list[tuple[str, str, int]] = []
    for kind, count in zip(KINDS, _kind_counts(size.schools), strict=True):
        drafts.extend((wards[int(w)].district, kind, int(w)) for w in pick(rng, ward_weights, count))
    drafts.sort(key=lambda d: (d[0], KINDS.index(d[1]), d[2]))
    schools: list[School] = []
    sequence: dict[str, int] = {}
    for district_code, kind, ward in drafts:
        sequence[district_code] = sequence.get(district_code, 0) + 1
        public, people, private = KIND_OWNERSHIP[kind]
        ownership = ("01", "03", "09")[int(rng.choice(3, p=(public, people, private)))]
        standard = _standard(rng, ownership)
        schools.append(
            School(
                code=f"79{district_code}{sequence[district_code]:03d}",
                name=_school_name(rng, kind, by_code[district_code]),
                kind=kind,
                ownership=ownership,
                standard=standard,
                ward=ward,
                has_internet=bool(rng.random() < 0.985),
                has_library=bool(rng.random() < (0.45 if kind == "MN" else 0.97)),
                weight=float(rng.lognormal(0.0, 0.4)),
            )
        )
    return tuple(schools)


def _standard(rng: np.random.Generator, ownership: str) -> str:
    draw = rng.random()
    if ownership == "01":
        return "02" if draw < 0.32 else "03" if draw < 0.45 else ""
    return "02" if draw < 0.1 else ""


def _libraries(
    seed: int, wards: tuple[Ward, ...], districts: tuple[District, ...], schools: tuple[School, ...]
) -> tuple[Library, ...]:
    rng = rng_for(seed, "libraries")
    centre_ward = next((w.code for w in wards if w.name == "Phường Bến Thành"), wards[0].code)
    libraries = [
        Library(
            "TV79000",
            "Thư viện Khoa học Tổng hợp Thành phố Hồ Chí Minh",
            "Thư viện TP",
            centre_ward,
            date(1976, 9, 7),
            False,
            0.22,
            1500.0,
            2500.0,
            (0.30, 0.45, 0.25),
        )
    ]
    district_weights = rng.lognormal(0.0, 0.3, len(districts))
    for district, weight in zip(districts, district_weights / district_weights.sum(), strict=True):
        ward = wards[district.first_ward + int(rng.integers(district.ward_count))]
        opened = date(int(rng.integers(1978, 2006)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        libraries.append(
            Library(
                f"TV{district.code}",
                f"Thư viện {district.name}",
                "Thư viện quận/huyện",
                ward.code,
                opened,
                False,
                0.40 * float(weight),
                220.0,
                150.0,
                (0.35, 0.55, 0.10),
            )
        )
    libraries += _ward_libraries(rng, wards)
    libraries += _school_libraries(rng, wards, schools)
    return tuple(libraries)


def _ward_libraries(rng: np.random.Generator, wards: tuple[Ward, ...]) -> list[Library]:
    count = max(1, int(len(wards) * WARD_LIBRARY_SHARE + 0.5))
    chosen = np.sort(rng.choice(len(wards), size=count, replace=False))
    weights = rng.lognormal(0.0, 0.4, count)
    libraries = []
    for index, weight in zip(chosen, weights / weights.sum(), strict=True):
        ward = wards[int(index)]
        is_library = rng.random() < 0.4
        kind = "Thư viện xã/phường" if is_library else "Phòng đọc cộng đồng"
        title = "Thư viện" if is_library else "Phòng đọc cộng đồng"
        opened = date(int(rng.integers(2000, 2024)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        libraries.append(
            Library(
                f"TV{ward.code}",
                f"{title} {ward.name}",
                kind,
                ward.code,
                opened,
                False,
                0.18 * float(weight),
                35.0,
                5.0,
                (0.45, 0.55, 0.0),
            )
        )
    return libraries


def _school_libraries(
    rng: np.random.Generator, wards: tuple[Ward, ...], schools: tuple[School, ...]
) -> list[Library]:
    eligible = [i for i, s in enumerate(schools) if s.has_library and s.kind != "MN"] or list(
        range(len(schools))
    )
    count = min(len(eligible), max(1, int(len(schools) * SCHOOL_LIBRARY_SHARE + 0.5)))
    chosen = sorted(int(i) for i in rng.choice(eligible, size=count, replace=False))
    weights = rng.lognormal(0.0, 0.4, count)
    libraries = []
    for index, weight in zip(chosen, weights / weights.sum(), strict=True):
        school = schools[index]
        opened = date(int(rng.integers(1995, 2024)), 9, 5)
        libraries.append(
            Library(
                f"TV{school.code}",
                f"Thư viện {school.name}",
                "Thư viện trường học",
                wards[school.ward].code,
                opened,
                True,
                0.20 * float(weight),
                90.0,
                10.0,
                (0.55, 0.45, 0.0),
            )
        )
    return libraries


def _centres(seed: int, wards: tuple[Ward, ...]) -> tuple[Centre, ...]:
    rng = rng_for(seed, "centres")
    return tuple(
        Centre(
            code=f"HTCD{w.code}",
            name=f"Trung tâm học tập cộng đồng {w.name}",
            ward_code=w.code,
            active=bool(rng.random() < 0.93),
            staff=int(rng.integers(2, 8)),
            ict_equipment=bool(rng.random() < 0.86),
            ict_management=bool(rng.random() < 0.72),
        )
        for w in wards
    )


# --------------------------------------------------------------------------------------------------
# shared writing helpers
# --------------------------------------------------------------------------------------------------


Row = tuple[object, ...]
ChunkMaker = Callable[[int, int], list[Row]]


@functools.lru_cache(maxsize=16)
def day_strings(start: date, days: int) -> tuple[np.ndarray, np.ndarray]:
    """dd/mm/yyyy and yyyy-mm-dd strings of ``days`` consecutive days from ``start`` (cached: read only)."""
    dates = [start + timedelta(days=i) for i in range(days)]
    return (
        np.array([d.strftime("%d/%m/%Y") for d in dates], dtype=object),
        np.array([d.isoformat() for d in dates], dtype=object),
    )


_MINUTES = np.arange(1440)
HM = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in _MINUTES], dtype=object)
HMS = np.array([f"{m // 60:02d}:{m % 60:02d}:00" for m in _MINUTES], dtype=object)


def bad_positions(rng: np.random.Generator, good: int, rows: list[Row]) -> dict[int, list[Row]]:
    """Scatter ``rows`` after random good rows (position = index of the good row they follow)."""
    where: dict[int, list[Row]] = {}
    for row, position in zip(rows, rng.integers(0, max(good, 1), len(rows)), strict=True):
        where.setdefault(int(position), []).append(row)
    return where


def _joined(rows: list[Row], columns: int, lineterminator: str) -> str | None:
    """The rows as CSV text when no field needs quoting (every field a plain string), else None."""
    try:
        text = lineterminator.join(map(",".join, cast("list[tuple[str, ...]]", rows)))
    except TypeError:
        return None
    lines = len(rows)
    plain = (
        '"' not in text
        and text.count(",") == lines * (columns - 1)
        and text.count("\n") == (lines - 1) * lineterminator.count("\n")
        and text.count("\r") == (lines - 1) * lineterminator.count("\r")
    )
    return text + lineterminator if plain else None


def write_csv_stream(
    path: Path,
    header: Sequence[str],
    good: int,
    make_chunk: ChunkMaker,
    bad: dict[int, list[Row]],
    encoding: str = "utf-8",
    lineterminator: str = "\n",
) -> Path:
    """Stream ``good`` rows in chunks, each bad row written right after the good row it follows.

    Chunks whose fields need no quoting are joined directly (several times faster than csv.writer);
    the bytes are the same as csv.writer's in that case.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=lineterminator)
        writer.writerow(header)
        for start in range(0, good, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, good)
            rows = make_chunk(start, stop)
            for position in sorted((p for p in bad if start <= p < stop), reverse=True):
                rows[position - start + 1 : position - start + 1] = bad[position]
            text = _joined(rows, len(header), lineterminator) if rows else ""
            if text is None:
                writer.writerows(rows)
            else:
                handle.write(text)
        if good == 0:
            writer.writerows(row for rows in bad.values() for row in rows)
    return path


def replace_at(row: Row, index: int, value: object) -> Row:
    return row[:index] + (value,) + row[index + 1 :]


def fresh_ids(rng: np.random.Generator, taken: np.ndarray, count: int) -> list[str]:
    """``count`` new 12-digit personal ids (born 2010–2019, random serial) not in ``taken``."""
    ids: list[int] = []
    used = set(taken.tolist())
    while len(ids) < count:
        candidate = 79_210_000_000 + int(rng.integers(0, 10_000_000))
        if candidate not in used:
            used.add(candidate)
            ids.append(candidate)
    return [f"{x:012d}" for x in ids]
