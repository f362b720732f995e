"""Entry point for ``python -m ipanalysis``."""

from .cli import main

raise SystemExit(main())
