"""Entry script of the frozen executable: the same dispatch as ``python -m bng_desktop``.

``bng-desktop`` alone (or with --browser, --port, ...) starts the app;
``bng-desktop doctor|quote|reference|...`` runs the CLI. ``freeze_support()``
comes first so that a multiprocessing child (native mode's window process)
runs its target and exits instead of starting a second app; everything heavy
is imported only after it, inside the guard.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from bng_desktop.logs import ensure_standard_streams

    ensure_standard_streams()

    from bng_desktop.__main__ import main

    raise SystemExit(main(sys.argv[1:]))
