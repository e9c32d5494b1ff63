"""Three-part descriptions of every check, in Vietnamese and English: what it checks, when it
matters, how to resolve it. Auditors read them in the report; the suites carry them in ``meta``."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Text:
    what: str
    when: str
    how: str


@dataclass(frozen=True)
class Description:
    vi: Text
    en: Text

    def as_meta(self) -> dict[str, dict[str, str]]:
        return {"vi": asdict(self.vi), "en": asdict(self.en)}

    @staticmethod
    def from_meta(meta: dict) -> Description | None:
        try:
            return Description(vi=Text(**meta["vi"]), en=Text(**meta["en"]))
        except (KeyError, TypeError):
            return None


def _values(values: tuple[str, ...] | list[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", … (+{len(values) - limit})" if len(values) > limit else "")


def not_null(column: str, header: str, title_vi: str, title_en: str) -> Description:
    return Description(
        vi=Text(
            f"Mọi dòng đều có giá trị ở cột bắt buộc {column} ({header}).",
            f"Dòng thiếu {column} không thể được đếm hay liên kết đúng, nên các chỉ số tính từ "
            f"dữ liệu {title_vi} bị thấp hơn thực tế.",
            f"Đề nghị đơn vị gửi dữ liệu {title_vi} điền cột {header} ở các dòng được liệt kê "
            "(tệp, trang tính, số dòng) rồi gửi lại tệp.",
        ),
        en=Text(
            f"Every row has a value in the required column {column} ({header}).",
            f"A row without {column} cannot be counted or linked, so the indicators built on the "
            f"{title_en} data come out too low.",
            f"Ask the office that sends the {title_en} file to fill {header} in the rows listed "
            "(file, sheet, row number) and send the file again.",
        ),
    )


def unique(columns: tuple[str, ...], title_vi: str, title_en: str) -> Description:
    key = " + ".join(columns)
    return Description(
        vi=Text(
            f"Không có hai dòng trùng khóa ({key}) trong các tệp nạp ở lần chạy này.",
            "Dòng trùng bị đếm hai lần trong mọi chỉ số và làm sai tử số, mẫu số.",
            f"Kiểm tra xem cùng một tệp {title_vi} (hoặc hai phiên bản của nó) có được gửi hai lần "
            "trong lần chạy không; xóa dòng trùng tại hệ thống nguồn rồi gửi lại.",
        ),
        en=Text(
            f"No two rows loaded in this run share the key ({key}).",
            "A duplicate is counted twice in every indicator and distorts numerators and denominators.",
            f"Check whether the same {title_en} file, or two versions of it, arrived in this run; "
            "remove the duplicates in the source system and send the file again.",
        ),
    )


def in_set(column: str, header: str, values: tuple[str, ...], module: str) -> Description:
    shown = _values(values)
    return Description(
        vi=Text(
            f"Cột {column} ({header}) chỉ nhận các giá trị của hợp đồng dữ liệu: {shown}.",
            "Giá trị lạ không rơi vào nhóm phân tổ nào, nên các chỉ số theo nhóm (cấp học, giới tính, "
            "chương trình…) bị thiếu dòng đó.",
            "Sửa giá trị tại hệ thống nguồn; nếu đó là giá trị mới hợp lệ, bổ sung vào hợp đồng "
            f"(ingestion/sources/{module}.py) và chạy lại `python -m ingestion quality suites`.",
        ),
        en=Text(
            f"{column} ({header}) only takes the contract's values: {shown}.",
            "An unknown value falls outside every breakdown (level, sex, programme…), so the rows are "
            "missing from the disaggregated indicators.",
            "Correct the value in the source system; if it is a legitimate new value, add it to the "
            f"contract (ingestion/sources/{module}.py) and run `python -m ingestion quality suites`.",
        ),
    )


def between(column: str, header: str, low: float | None, high: float | None) -> Description:
    def fmt(v: float | None) -> str:
        return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))

    if low is not None and high is not None:
        rng_vi, rng_en = f"từ {fmt(low)} đến {fmt(high)}", f"between {fmt(low)} and {fmt(high)}"
    elif low is not None:
        rng_vi, rng_en = f"không nhỏ hơn {fmt(low)}", f"at least {fmt(low)}"
    else:
        rng_vi, rng_en = f"không lớn hơn {fmt(high)}", f"at most {fmt(high)}"
    return Description(
        vi=Text(
            f"Giá trị của {column} ({header}) nằm trong khoảng cho phép: {rng_vi}.",
            "Số âm hay năm ngoài khoảng làm sai tổng, tỷ lệ và phân tổ theo năm.",
            "Đối chiếu các dòng được liệt kê với đơn vị gửi (lỗi nhập liệu, lệch cột, sai định dạng số) "
            "rồi gửi lại tệp đã sửa.",
        ),
        en=Text(
            f"{column} ({header}) is {rng_en}.",
            "Negative counts or impossible years distort totals, rates and the split by year.",
            "Check the listed rows with the sender (typing error, shifted column, number format) and "
            "have the corrected file sent again.",
        ),
    )


def regex(column: str, header: str, pattern: str) -> Description:
    return Description(
        vi=Text(
            f"Giá trị của {column} ({header}) đúng định dạng {pattern}.",
            "Mã sai định dạng làm hỏng phép nối giữa các bảng và việc khử trùng lặp.",
            "Sửa định dạng tại hệ thống nguồn (ví dụ mất số 0 ở đầu khi mở tệp bằng Excel, năm học "
            "không viết dạng yyyy-yyyy) rồi gửi lại tệp.",
        ),
        en=Text(
            f"{column} ({header}) matches the pattern {pattern}.",
            "A malformed identifier breaks the joins between tables and the deduplication.",
            "Fix the format in the source system (e.g. leading zeros lost by Excel, a school year not "
            "written yyyy-yyyy) and send the file again.",
        ),
    )


def not_future(column: str, header: str) -> Description:
    return Description(
        vi=Text(
            f"Năm ở cột {column} ({header}) không lớn hơn năm hiện tại.",
            "Năm sinh trong tương lai làm sai phân tổ theo độ tuổi.",
            "Kiểm tra lỗi nhập liệu ở các dòng được liệt kê và đề nghị đơn vị gửi sửa lại.",
        ),
        en=Text(
            f"The year in {column} ({header}) is not after the current year.",
            "A birth year in the future distorts the breakdown by age.",
            "Check the listed rows for typing errors and ask the sender to correct them.",
        ),
    )


def pair_le(left: str, right: str) -> Description:
    return Description(
        vi=Text(
            f"Ở mỗi dòng, {left} không lớn hơn {right} (bộ phận không vượt tổng).",
            "Bộ phận lớn hơn tổng cho tỷ lệ trên 100% và làm mất tin cậy của báo cáo.",
            f"Đối chiếu {left} và {right} ở các dòng được liệt kê với đơn vị gửi (nhầm cột, cộng sai) "
            "rồi gửi lại tệp đã sửa.",
        ),
        en=Text(
            f"In every row {left} is not greater than {right} (a part never exceeds its total).",
            "A part larger than its total gives a rate above 100% and discredits the report.",
            f"Compare {left} and {right} in the listed rows with the sender (swapped columns, wrong sum) "
            "and have the corrected file sent again.",
        ),
    )


def not_before(left: str, right: str) -> Description:
    return Description(
        vi=Text(
            f"Ở mỗi dòng, {left} không sớm hơn {right}.",
            "Khoảng thời gian âm làm sai thời lượng hoạt động, thời gian mượn và phân kỳ báo cáo.",
            "Kiểm tra định dạng ngày (dd/mm/yyyy hay mm/dd/yyyy) và lỗi nhập liệu ở các dòng được liệt kê.",
        ),
        en=Text(
            f"In every row {left} is not before {right}.",
            "A negative duration distorts loan and activity durations and the period a row belongs to.",
            "Check the date format (dd/mm/yyyy versus mm/dd/yyyy) and typing errors in the listed rows.",
        ),
    )


def age_between(column: str, low: int, high: int) -> Description:
    return Description(
        vi=Text(
            f"Tuổi tính đến 31/12 của năm đầu kỳ (từ {column}) nằm trong khoảng {low}–{high}.",
            "Ngày sinh sai làm sai các chỉ số theo độ tuổi (trẻ 5 tuổi, 6 tuổi vào lớp 1).",
            "Kiểm tra ngày sinh ở các dòng được liệt kê (đảo ngày/tháng, năm nhập sai) tại hệ thống nguồn.",
        ),
        en=Text(
            f"Age on 31 December of the period's first year (from {column}) is between {low} and {high}.",
            "A wrong birth date distorts the age-specific indicators (age 5 participation, age 6 entry).",
            "Check the listed birth dates in the source system (day and month swapped, wrong year).",
        ),
    )


def reference(
    column: str, target_table: str, target_column: str, same_period: bool, period: str
) -> Description:
    scope_vi = f" của cùng {period}" if same_period else ""
    scope_en = f" for the same {period}" if same_period else ""
    return Description(
        vi=Text(
            f"Mọi giá trị {column} đều có trong {target_table}.{target_column}{scope_vi}.",
            "Dòng trỏ tới đơn vị không có trong danh mục không được gán cấp học, phường/xã hay loại hình, "
            "nên bị thiếu trong chỉ số.",
            f"Nạp tệp danh mục ({target_table}) đầy đủ cho kỳ này trước, hoặc sửa mã ở tệp nguồn; "
            "sau đó chạy lại.",
        ),
        en=Text(
            f"Every {column} exists in {target_table}.{target_column}{scope_en}.",
            "A row that points to an unknown unit gets no level, ward or type, and drops out of the indicators.",
            f"Load the complete register ({target_table}) for the period first, or correct the code in "
            "the source file; then run again.",
        ),
    )


def ward_code(column: str, period_column: str) -> Description:
    return Description(
        vi=Text(
            f"Mọi mã {column} là mã xã/phường GSO còn hiệu lực trong kỳ của dòng ({period_column}); "
            "trước 1/7/2025 dùng mã cũ, từ 1/7/2025 dùng mã sau sắp xếp (năm 2025 chấp nhận cả hai).",
            "Mã không tồn tại làm dòng không gán được cho phường/xã nào: chỉ số cấp phường và các tổng "
            "cấp quận, thành phố bị thiếu.",
            "Đối chiếu mã với danh mục đơn vị hành chính (dbt_project/seeds/reference/admin_units.csv); "
            "sửa mã ở tệp nguồn, lưu ý mã mới sau sáp nhập chỉ dùng cho kỳ từ 1/7/2025.",
        ),
        en=Text(
            f"Every {column} is a GSO ward/commune code valid in the row's period ({period_column}): the "
            "old codes before 1 July 2025, the post-reform codes from then on (2025 accepts both).",
            "An unknown code cannot be placed in any ward: ward indicators and the district and city "
            "totals lose the row.",
            "Compare the codes with the administrative units (dbt_project/seeds/reference/admin_units.csv); "
            "fix the code in the source file, remembering that post-reform codes only apply from 1 July 2025.",
        ),
    )


def row_count_drift(band: float, scoped: bool) -> Description:
    pct = f"{band * 100:g}"
    scope_vi = " và cùng các phường/xã" if scoped else ""
    scope_en = " covering the same wards" if scoped else ""
    return Description(
        vi=Text(
            f"Số dòng nạp của mỗi tệp lệch không quá ±{pct}% so với tệp đã nạp trước đó của cùng nguồn, "
            f"cùng kỳ{scope_vi}.",
            "Ảnh chụp (snapshot) thiếu hay thừa nhiều dòng thường là tệp xuất không đầy đủ hoặc bị lặp; "
            "chỉ số sẽ thay đổi đột ngột không có lý do thực tế.",
            "Hỏi đơn vị gửi xem biến động có thật không (sáp nhập trường, đợt tuyển sinh); nếu tệp thiếu, "
            "đề nghị xuất lại đầy đủ. Cảnh báo không chặn việc công bố.",
        ),
        en=Text(
            f"The rows loaded from each file are within ±{pct}% of the previous loaded file of the same "
            f"source and period{scope_en}.",
            "A snapshot with far fewer or far more rows is usually an incomplete or duplicated export; the "
            "indicators would jump for no real reason.",
            "Ask the sender whether the change is real (schools merged, an enrolment wave); if the export was "
            "incomplete, ask for a full one. A warning does not block publication.",
        ),
    )


def freshness(days: int, basis: str) -> Description:
    basis_vi = "kỳ dữ liệu mới nhất" if basis == "period" else "thời điểm nhận tệp mới nhất"
    basis_en = "newest period in the data" if basis == "period" else "time the newest file was received"
    return Description(
        vi=Text(
            f"Dữ liệu của nguồn không cũ quá {days} ngày (theo {basis_vi}).",
            "Dữ liệu cũ làm chỉ số phản ánh tình hình đã qua mà báo cáo vẫn trông như mới.",
            "Liên hệ đơn vị gửi để biết vì sao tệp mới chưa đến (lỗi xuất tự động, thư mục nhận sai). "
            "Cảnh báo không chặn việc công bố.",
        ),
        en=Text(
            f"The source's data is at most {days} days old (by the {basis_en}).",
            "Stale data makes the indicators describe a past situation while the report looks current.",
            "Ask the sender why no new file arrived (a failed scheduled export, a wrong drop folder). "
            "A warning does not block publication.",
        ),
    )


def pct_range() -> Description:
    return Description(
        vi=Text(
            "Giá trị của mọi chỉ số đơn vị % nằm trong khoảng 0–100 (trừ hai chỉ số phổ cập có tử số và mẫu "
            "số từ hai nguồn khác nhau, xem kiểm tra coverage_over_100).",
            "Tỷ lệ của một bộ phận trên tổng thể mà ngoài 0–100% là dấu hiệu tử số hay mẫu số sai; không được "
            "công bố.",
            "Tìm dòng nguồn qua source_files, kiểm tra tử số và mẫu số (quan hệ bộ phận ≤ tổng ở dữ liệu "
            "thô) và sửa tại nguồn.",
        ),
        en=Text(
            "The value of every % indicator is between 0 and 100 (except the two participation indicators whose "
            "numerator and denominator come from different sources, see coverage_over_100).",
            "A share of one whole outside 0–100% means a wrong numerator or denominator; it must not be "
            "published.",
            "Trace the source rows through source_files, check numerator and denominator (part ≤ total in "
            "the raw data) and fix them at the source.",
        ),
    )


def numerator_le_denominator() -> Description:
    return Description(
        vi=Text(
            "Với mọi chỉ số % là tỷ lệ bộ phận trên tổng thể, tử số không lớn hơn mẫu số.",
            "Tử số lớn hơn mẫu số cho tỷ lệ trên 100%: dữ liệu nguồn hoặc phép gộp từ phường lên quận, "
            "thành phố bị sai.",
            "Kiểm tra các dòng nguồn của phường/năm đó và phép gộp từ phường lên quận, thành phố.",
        ),
        en=Text(
            "For every % indicator that is a share of one whole, the numerator is not greater than the "
            "denominator.",
            "A numerator above its denominator gives a rate above 100%: the source rows or the roll-up from "
            "wards to districts and the city are wrong.",
            "Check the source rows of that ward and year and the roll-up from wards to districts and the city.",
        ),
    )


def coverage_over_100() -> Description:
    return Description(
        vi=Text(
            "Các chỉ số phổ cập lấy học sinh (EMIS) chia cho số trẻ của điều tra phổ cập "
            "(ECE_AGE5_PARTICIPATION, PRIMARY_ENTRY_AGE6) không vượt quá 100%.",
            "Trên 100% nghĩa là điều tra đếm thiếu trẻ trong độ tuổi (trẻ tạm trú, di cư) hoặc mã phường "
            "thường trú trong EMIS sai. Giá trị vẫn được công bố, kèm cảnh báo này.",
            "So sánh số trẻ 5 (6) tuổi của phường trong điều tra với số học sinh cư trú tại phường; cập nhật "
            "điều tra hoặc sửa mã phường thường trú trong EMIS.",
        ),
        en=Text(
            "The participation indicators that divide pupils (EMIS) by the children counted in the "
            "universal-education survey (ECE_AGE5_PARTICIPATION, PRIMARY_ENTRY_AGE6) do not exceed 100%.",
            "Above 100% means the survey undercounted the age group (children registered elsewhere, "
            "migration) or the residence ward codes in EMIS are wrong. The value is still published, with "
            "this warning.",
            "Compare the ward's 5- (6-)year-olds in the survey with the pupils resident in the ward; update "
            "the survey or correct the residence ward codes in EMIS.",
        ),
    )


def mart_grain_unique() -> Description:
    return Description(
        vi=Text(
            "Mỗi chỉ số chỉ có một giá trị cho mỗi đơn vị hành chính, kỳ và nhóm phân tổ.",
            "Giá trị trùng làm bảng báo cáo có hai con số khác nhau cho cùng một ô.",
            "Kiểm tra mô hình dbt tạo marts.indicator_values (phép nối bị nhân dòng).",
        ),
        en=Text(
            "Each indicator has one value per admin unit, period and breakdown.",
            "A duplicate gives the reporting tables two different figures for the same cell.",
            "Check the dbt model that builds marts.indicator_values for a fan-out join.",
        ),
    )


def ward_coverage() -> Description:
    return Description(
        vi=Text(
            "Mọi chỉ số cấp phường có giá trị cho tất cả phường/xã của thành phố trong kỳ (theo cơ cấu hành "
            "chính của kỳ đó).",
            "Phường thiếu số liệu làm tổng cấp quận, thành phố thấp hơn thực tế; chỉ số được gắn cờ "
            "incomplete.",
            "Xem phường nào thiếu trong chi tiết kiểm tra, đề nghị đơn vị phụ trách gửi báo cáo của phường đó. "
            "Cảnh báo không chặn việc công bố.",
        ),
        en=Text(
            "Every ward-level indicator has a value for every ward of the city in its period (in the "
            "administrative structure of that period).",
            "A missing ward makes district and city totals too low; the value is flagged incomplete.",
            "See which wards are missing in the check's details and ask the responsible office for their "
            "report. A warning does not block publication.",
        ),
    )
