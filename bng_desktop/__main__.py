"""``python -m bng_desktop``: the command line (the desktop window is a later step)."""

from .cli import main

raise SystemExit(main())
