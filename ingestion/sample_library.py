"""Library files of the sample landing folder: the register (Windows-1258), monthly loan exports and
daily visit counts (UTF-8 with BOM), and the nightly one-day delta."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from ingestion.sample_io import csv_text, vn_number, write_text
from ingestion.sample_world import (
    HM,
    HMS,
    IMPOSSIBLE_DAY,
    UNKNOWN_LIBRARY,
    UNKNOWN_WARD,
    Library,
    Row,
    World,
    allocate,
    bad_count,
    bad_positions,
    day_strings,
    pick,
    replace_at,
    rng_for,
    write_csv_stream,
)

REGISTER_HEADER = (
    "Mã thư viện",
    "Tên thư viện",
    "Loại thư viện",
    "Mã xã/phường",
    "Ngày thành lập",
    "Năm báo cáo",
)
LOAN_HEADER = (
    "Mã lượt mượn",
    "Mã thư viện",
    "Mã tài liệu",
    "Số thẻ bạn đọc",
    "Năm sinh",
    "Giới tính",
    "Thời gian mượn",
    "Thời gian trả",
    "Hình thức",
)
#: From July the ILS export names the first two columns with the canonical names.
LOAN_HEADER_CANONICAL = ("loan_id", "library_code") + LOAN_HEADER[2:]
VISIT_HEADER = (
    "Mã thư viện",
    "Ngày",
    "Số lượt bạn đọc",
    "Trong đó nữ",
    "Dưới 16 tuổi",
    "Lượt truy cập trực tuyến",
)
CHANNELS = ("Tại chỗ", "Về nhà", "Điện tử")
MONTH_WEIGHTS = np.array([0.080, 0.060, 0.085, 0.085, 0.085, 0.090, 0.095, 0.095, 0.085, 0.085, 0.080, 0.085])
#: Days after the end of the year still covered by a backfill's return times.
RETURN_HORIZON_DAYS = 15


def write_register(world: World, out: Path, year: int) -> Path:
    rows: list[Row] = [
        (lib.code, lib.name, lib.type, lib.ward_code, lib.opened.strftime("%d/%m/%Y"), year)
        for lib in world.libraries
    ]
    rng = rng_for(world.seed, "library_register:bad")
    bad = (
        UNKNOWN_LIBRARY[:2] + "99998",
        "Phòng đọc cộng đồng Khu phố 5",
        "Phòng đọc cộng đồng",
        UNKNOWN_WARD,
        "01/03/2019",
        year,
    )
    rows.insert(int(rng.integers(0, len(rows) + 1)), bad)
    text = csv_text(REGISTER_HEADER, rows)
    return write_text(out / "library_register" / f"thuvien_{year}.csv", text, "cp1258")


@dataclass(frozen=True)
class Patrons:
    """Library card holders; the first cards borrow the most (a power law)."""

    card: np.ndarray
    birth_year_text: np.ndarray
    gender: np.ndarray
    weight: np.ndarray


#: Patrons' ages are drawn for this year, so a card keeps its birth year in every generated year.
PATRON_REFERENCE_YEAR = 2024


def make_patrons(world: World) -> Patrons:
    rng = rng_for(world.seed, "patrons")
    n = world.sizes.patrons
    young = rng.random(n) < 0.45
    base = PATRON_REFERENCE_YEAR
    birth_year = np.where(young, rng.integers(base - 19, base - 5, n), rng.integers(base - 75, base - 19, n))
    gender = np.array(["Nữ", "Nam", ""], dtype=object)[pick(rng, np.array([0.53, 0.43, 0.04]), n)]
    card = np.array([f"{7_900_000_000 + (i * 7919 + 12345) % 100_000_000}" for i in range(n)], dtype=object)
    weight = 1.0 / (np.arange(n) + 20.0) ** 0.9
    return Patrons(card, birth_year.astype(str).astype(object), gender, weight / weight.sum())


def _open_days(lib: Library, year: int, days: np.ndarray) -> np.ndarray:
    """Whether the library opens on each day (offsets from 1 January): school libraries close on
    Sundays and from June to August; public libraries open every day."""
    if not lib.school:
        return np.ones(len(days), dtype=bool)
    dates = np.datetime64(f"{year}-01-01") + days
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    month = dates.astype("datetime64[M]").astype(int) % 12 + 1
    return (weekday != 6) & ((month < 6) | (month > 8))


@dataclass(frozen=True)
class Loans:
    library: np.ndarray
    patron: np.ndarray
    item: np.ndarray
    channel: np.ndarray
    loan_min: np.ndarray
    return_min: np.ndarray


def draw_loans(
    world: World, patrons: Patrons, rng: np.random.Generator, year: int, days: np.ndarray, n: int
) -> Loans:
    """``n`` loans on the given days (offsets from 1 January), sorted by time."""
    libs = world.libraries
    open_matrix = np.array([_open_days(lib, year, days) for lib in libs])
    dates = np.datetime64(f"{year}-01-01") + days
    weekend = ((dates.astype("datetime64[D]").view("int64") - 4) % 7) >= 5
    day_weight = np.where(weekend, 1.4, 1.0)
    lib_weight = np.array([lib.loan_weight for lib in libs]) * (open_matrix.sum(axis=1) > 0)
    library = pick(rng, lib_weight, n)
    day = np.empty(n, dtype=np.int64)
    for index in np.unique(library):
        mask = library == index
        weights = day_weight * open_matrix[index]
        day[mask] = days[pick(rng, weights, int(mask.sum()))]
    channel_p = np.array([lib.channels for lib in libs])[library]
    channel = (rng.random(n)[:, None] > np.cumsum(channel_p, axis=1)).sum(axis=1).clip(0, 2).astype(np.int8)
    is_school = np.array([lib.school for lib in libs])[library]
    minute = np.where(is_school, rng.integers(420, 990, n), rng.integers(450, 1200, n))
    minute = np.where(channel == 2, rng.integers(0, 1440, n), minute)
    loan_min = day * 1440 + minute
    return_min = _return_minutes(rng, channel, day, loan_min, year)
    order = np.argsort(loan_min, kind="stable")
    return Loans(
        library=library[order].astype(np.int32),
        patron=pick(rng, patrons.weight, n)[order].astype(np.int32),
        item=rng.integers(0, world.sizes.items, n)[order].astype(np.int32),
        channel=channel[order],
        loan_min=loan_min[order],
        return_min=return_min[order],
    )


def _return_minutes(
    rng: np.random.Generator, channel: np.ndarray, day: np.ndarray, loan_min: np.ndarray, year: int
) -> np.ndarray:
    n = len(channel)
    on_site = loan_min + rng.integers(20, 240, n)
    home = (day + rng.integers(3, 29, n)) * 1440 + rng.integers(450, 1200, n)
    home = np.where(rng.random(n) < 0.03, -1, home)
    ebook = loan_min + 14 * 1440
    result = np.where(channel == 0, on_site, np.where(channel == 1, home, ebook))
    horizon = (date(year, 12, 31) - date(year, 1, 1)).days + 1 + RETURN_HORIZON_DAYS
    return np.where(result >= horizon * 1440, -1, result)


class LoanFormatter:
    """Formats loans as CSV rows; loan ``i`` gets the id ``prefix`` + (first + i) zero-padded to ``width``."""

    def __init__(
        self, world: World, patrons: Patrons, loans: Loans, year: int, iso: bool, ids: tuple[str, int, int]
    ):
        self.loans = loans
        self.patrons = patrons
        self.prefix, self.first, self.width = ids
        dmy, ymd = day_strings(date(year, 1, 1), 400)
        self.days = ymd if iso else dmy
        self.times = HMS if iso else HM
        self.libraries = np.array([lib.code for lib in world.libraries], dtype=object)
        self.channels = np.array(CHANNELS, dtype=object)

    def stamp(self, minutes: np.ndarray) -> list[str]:
        valid = minutes >= 0
        safe = np.where(valid, minutes, 0)
        text = self.days[safe // 1440] + " " + self.times[safe % 1440]
        return np.where(valid, text, "").tolist()

    def ids(self, index: int) -> str:
        return f"{self.prefix}{self.first + index:0{self.width}d}"

    def rows(self, start: int, stop: int) -> list[Row]:
        part = slice(start, stop)
        loans, patrons = self.loans, self.patrons
        patron = loans.patron[part]
        prefix, width = self.prefix, self.width
        columns = (
            [f"{prefix}{i:0{width}d}" for i in range(self.first + start, self.first + stop)],
            self.libraries[loans.library[part]].tolist(),
            [f"TL{x:07d}" for x in loans.item[part].tolist()],
            patrons.card[patron].tolist(),
            patrons.birth_year_text[patron].tolist(),
            patrons.gender[patron].tolist(),
            self.stamp(loans.loan_min[part]),
            self.stamp(loans.return_min[part]),
            self.channels[loans.channel[part]].tolist(),
        )
        return list(zip(*columns, strict=True))


def bad_loans(
    rng: np.random.Generator,
    fmt: LoanFormatter,
    n: int,
    fresh_id: Callable[[int], str],
    impossible: str | None,
) -> list[Row]:
    """Copies of random loans made bad; all but the duplicate kind get a fresh id from ``fresh_id``."""

    def one(index: int) -> Row:
        return fmt.rows(index, index + 1)[0]

    def returned_day_before(index: int) -> Row:
        return replace_at(one(index), 7, fmt.stamp(fmt.loans.loan_min[index : index + 1] - 1440)[0])

    k = bad_count(n)
    bad: list[Row] = [replace_at(one(int(i)), 0, fmt.ids(int(j))) for i, j in rng.integers(0, n, (k, 2))]
    others = [returned_day_before(int(i)) for i in rng.integers(0, n, k)]
    others += [replace_at(one(int(i)), 1, UNKNOWN_LIBRARY) for i in rng.integers(0, n, k)]
    if impossible is not None:
        others += [replace_at(one(int(i)), 6, f"{impossible} 09:15") for i in rng.integers(0, n, k)]
    return bad + [replace_at(row, 0, fresh_id(j)) for j, row in enumerate(others)]


def write_loans(world: World, patrons: Patrons, out: Path, year: int) -> list[Path]:
    paths = []
    per_month = allocate(world.sizes.loans, MONTH_WEIGHTS)
    first_id = 1
    for month, n in enumerate(per_month, start=1):
        rng = rng_for(world.seed, f"library_loans:{year}-{month:02d}")
        start = (date(year, month, 1) - date(year, 1, 1)).days
        stop = (date(year + month // 12, month % 12 + 1, 1) - date(year, 1, 1)).days
        loans = draw_loans(world, patrons, rng, year, np.arange(start, stop), n)
        iso = month % 2 == 1
        fmt = LoanFormatter(world, patrons, loans, year, iso, (f"ML{year}", first_id, 8))
        impossible = f"{IMPOSSIBLE_DAY}{year}" if month == 2 else None

        def fresh_id(j: int, month: int = month) -> str:
            return f"ML{year}9{month:02d}{j:05d}"

        bad = bad_loans(rng, fmt, n, fresh_id, impossible)
        header = LOAN_HEADER if month <= 6 else LOAN_HEADER_CANONICAL
        path = out / "library_loans" / f"loans_{year}-{month:02d}.csv"
        paths.append(write_csv_stream(path, header, n, fmt.rows, bad_positions(rng, n, bad)))
        first_id += n
    return paths


@dataclass(frozen=True)
class Visits:
    library: np.ndarray
    day: np.ndarray
    visitors: np.ndarray
    female: np.ndarray
    under_16: np.ndarray
    online: np.ndarray


def draw_visits(world: World, rng: np.random.Generator, year: int, days: np.ndarray) -> Visits:
    """One row per library and open day, ordered by day then library."""
    libs = world.libraries
    open_matrix = np.array([_open_days(lib, year, days) for lib in libs])
    day_index, lib_index = np.nonzero(open_matrix.T)
    day = days[day_index]
    dates = np.datetime64(f"{year}-01-01") + day
    weekend = ((dates.astype("datetime64[D]").view("int64") - 4) % 7) >= 5
    base = np.array([lib.visitors for lib in libs])[lib_index] * world.scale * np.where(weekend, 1.5, 1.0)
    visitors = rng.poisson(base)
    school = np.array([lib.school for lib in libs])[lib_index]
    online = rng.poisson(np.array([lib.online for lib in libs])[lib_index] * world.scale)
    return Visits(
        library=lib_index,
        day=day,
        visitors=visitors,
        female=rng.binomial(visitors, 0.56),
        under_16=rng.binomial(visitors, np.where(school, 0.9, 0.28)),
        online=online,
    )


def visit_rows(world: World, visits: Visits, year: int) -> list[Row]:
    dmy, _ = day_strings(date(year, 1, 1), 366)
    codes = [lib.code for lib in world.libraries]
    return [
        (codes[lib], dmy[day], vn_number(v), vn_number(f), vn_number(u), vn_number(o))
        for lib, day, v, f, u, o in zip(
            visits.library.tolist(),
            visits.day.tolist(),
            visits.visitors.tolist(),
            visits.female.tolist(),
            visits.under_16.tolist(),
            visits.online.tolist(),
            strict=True,
        )
    ]


def spoil_visits(rng: np.random.Generator, rows: list[Row], visits: Visits, kinds: int = 2) -> None:
    """Make a few rows bad in place (copies would repeat a library-day key): female visitors above
    all visitors, then (second kind) negative online sessions."""
    n = len(rows)
    k = bad_count(n)
    for i in rng.integers(0, n, k):
        rows[int(i)] = replace_at(rows[int(i)], 3, vn_number(int(visits.visitors[int(i)]) + 3))
    if kinds > 1:
        for i in rng.integers(0, n, k):
            rows[int(i)] = replace_at(rows[int(i)], 5, "-5")


def write_visits(world: World, out: Path, year: int) -> Path:
    rng = rng_for(world.seed, f"library_visits:{year}")
    days = np.arange((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    visits = draw_visits(world, rng, year, days)
    rows = visit_rows(world, visits, year)
    spoil_visits(rng, rows, visits)
    path = out / "library_visits" / f"visits_{year}.csv"
    return write_csv_stream(
        path, VISIT_HEADER, len(rows), lambda a, b: rows[a:b], {}, encoding="utf-8-sig", lineterminator="\r\n"
    )


def write_increment(world: World, patrons: Patrons, out: Path, day: date) -> dict[str, list[Path]]:
    """One day of loans and visits, as the nightly ILS delta.

    Loan ids (``MN<yyyymmdd><seq>``) never collide with the backfill's (``ML<year><seq>``); loans
    taken home or lent as e-books that day have no return time yet. One loan returned the day before
    it was lent and one visit row with more female visitors than visitors are the bad rows.
    """
    year = day.year
    rng = rng_for(world.seed, f"increment:{day.isoformat()}")
    offset = np.array([(day - date(year, 1, 1)).days])
    factor = 1.3 if day.weekday() >= 5 else 0.9
    n = max(1, int(world.sizes.loans / 365 * factor + 0.5))
    drawn = draw_loans(world, patrons, rng, year, offset, n)
    same_day = np.where(drawn.channel == 0, drawn.return_min, -1)
    loans = Loans(drawn.library, drawn.patron, drawn.item, drawn.channel, drawn.loan_min, same_day)

    fmt = LoanFormatter(world, patrons, loans, year, True, (f"MN{day:%Y%m%d}", 1, 6))
    index = int(rng.integers(0, n))
    late = replace_at(
        fmt.rows(index, index + 1)[0], 7, fmt.stamp(loans.loan_min[index : index + 1] - 1440)[0]
    )
    bad = {index: [replace_at(late, 0, fmt.ids(n))]}
    loan_path = out / "library_loans" / f"loans_{day.isoformat()}.csv"
    loans_file = write_csv_stream(loan_path, LOAN_HEADER, n, fmt.rows, bad)
    visits = draw_visits(world, rng, year, offset)
    rows = visit_rows(world, visits, year)
    spoil_visits(rng, rows, visits, kinds=1)
    visit_path = out / "library_visits" / f"visits_{day.isoformat()}.csv"
    visits_file = write_csv_stream(
        visit_path, VISIT_HEADER, len(rows), lambda a, b: rows[a:b], {}, encoding="utf-8-sig"
    )
    return {"library_loans": [loans_file], "library_visits": [visits_file]}
