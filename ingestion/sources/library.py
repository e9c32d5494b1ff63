"""Library exports of the integrated library system (daily)."""

from __future__ import annotations

from .base import Column, Contract, Reference, Rule

REPORT_YEAR = Column(
    "report_year",
    "integer",
    ("Năm báo cáo", "Năm"),
    required=True,
    min_value=2000,
    max_value=2100,
    semantic="year",
)

LIBRARY_REGISTER = Contract(
    source="library_register",
    title_vi="Danh sách thư viện",
    title_en="Library register",
    cadence="yearly snapshot",
    freshness_days=400,
    period_column="report_year",
    period_kind="year",
    key=("library_code", "report_year"),
    columns=(
        Column("library_code", "text", ("Mã thư viện",), required=True),
        Column("library_name", "text", ("Tên thư viện",), required=True),
        Column(
            "library_type",
            "text",
            ("Loại thư viện", "Loại hình"),
            allowed=(
                "Thư viện TP",
                "Thư viện quận/huyện",
                "Thư viện xã/phường",
                "Phòng đọc cộng đồng",
                "Thư viện trường học",
            ),
            value_aliases={"Thư viện thành phố": "Thư viện TP", "Thư viện cấp tỉnh": "Thư viện TP"},
        ),
        Column(
            "ward_code", "text", ("Mã xã/phường", "Mã phường", "Mã xã"), required=True, semantic="ward_code"
        ),
        Column("opened_date", "date", ("Ngày thành lập", "Ngày mở cửa"), not_future=True),
        REPORT_YEAR,
    ),
)

LIBRARY_LOANS = Contract(
    source="library_loans",
    title_vi="Lượt mượn",
    title_en="Library loans",
    cadence="daily",
    freshness_days=2,
    period_column="loan_ts",
    period_kind="timestamp",
    key=("loan_id",),
    formats=("csv",),
    rules=(Rule("not_before", "return_ts", "loan_ts", message="return_ts is before loan_ts"),),
    references=(Reference("library_code", "library_register", "library_code", same_period=False),),
    columns=(
        Column("loan_id", "text", ("Mã lượt mượn",), required=True),
        Column("library_code", "text", ("Mã thư viện",), required=True),
        Column("item_id", "text", ("Mã tài liệu",)),
        Column("patron_id", "text", ("Số thẻ bạn đọc",), description="Pseudonymous library card number."),
        Column("patron_birth_year", "integer", ("Năm sinh",), min_value=1900, semantic="birth_year"),
        Column("patron_gender", "text", ("Giới tính",), allowed=("Nam", "Nữ")),
        Column("loan_ts", "timestamp", ("Thời gian mượn",), required=True, not_future=True),
        Column("return_ts", "timestamp", ("Thời gian trả",), not_future=True),
        Column(
            "channel",
            "text",
            ("Hình thức",),
            required=True,
            allowed=("Tại chỗ", "Về nhà", "Điện tử"),
            value_aliases={"Điện tử (e-book)": "Điện tử", "e-book": "Điện tử", "ebook": "Điện tử"},
        ),
    ),
)

LIBRARY_VISITS = Contract(
    source="library_visits",
    title_vi="Lượt bạn đọc",
    title_en="Library visits",
    cadence="daily",
    freshness_days=2,
    period_column="visit_date",
    period_kind="date",
    key=("library_code", "visit_date"),
    rules=(
        Rule("le", "visitors_female", "visitors", message="visitors_female exceeds visitors"),
        Rule("le", "visitors_under_16", "visitors", message="visitors_under_16 exceeds visitors"),
    ),
    references=(Reference("library_code", "library_register", "library_code", same_period=False),),
    columns=(
        Column("library_code", "text", ("Mã thư viện",), required=True),
        Column("visit_date", "date", ("Ngày", "Ngày ghi nhận"), required=True, not_future=True),
        Column("visitors", "integer", ("Số lượt bạn đọc", "Lượt bạn đọc"), required=True, min_value=0),
        Column("visitors_female", "integer", ("Trong đó nữ",), min_value=0),
        Column("visitors_under_16", "integer", ("Dưới 16 tuổi",), min_value=0),
        Column("online_sessions", "integer", ("Lượt truy cập trực tuyến",), min_value=0),
    ),
)
