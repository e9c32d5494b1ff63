"""The committed Great Expectations file data context under ``expectations/`` (imported lazily)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .policy import URL_VAR, gx_project_root

if TYPE_CHECKING:
    from great_expectations.data_context import FileDataContext


def point_at(engine: sa.Engine) -> None:
    """Make the context's ``${LCP_GX_WAREHOUSE_URL}`` resolve to ``engine``'s database."""
    os.environ[URL_VAR] = engine.url.render_as_string(hide_password=False)


def get_context(engine: sa.Engine) -> FileDataContext:
    """The file data context, connected to ``engine``'s database (GX is imported here, ~8 s)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    point_at(engine)
    import great_expectations as gx

    from . import gx_expectations  # noqa: F401 - registers the project's expectation before suites load

    root = gx_project_root()
    root.mkdir(parents=True, exist_ok=True)
    context: Any = gx.get_context(mode="file", project_root_dir=str(root))
    return context
