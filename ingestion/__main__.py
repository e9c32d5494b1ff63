"""``python -m ingestion``: the operator's command line (see ingestion/cli.py)."""

from .cli import main

raise SystemExit(main())
