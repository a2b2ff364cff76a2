"""``python -m rules``: the detector's command line (see rules/cli.py)."""

from rules.cli import main

raise SystemExit(main())
