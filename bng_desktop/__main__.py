"""``python -m bng_desktop``: the desktop app; with a command, the CLI.

python -m bng_desktop [--browser] [--port N] [--no-show] [--data-dir DIR]
python -m bng_desktop [--data-dir DIR] quote|reference|history|... (see bng --help)
"""

import multiprocessing
import sys

from .cli import COMMANDS


def main(argv: list[str]) -> int:
    if any(arg in COMMANDS or arg in ("-h", "--help", "--version") for arg in argv):
        from .cli import main as cli_main

        return cli_main(argv)
    from .ui.launch import run_app

    run_app(argv)
    return 0


if __name__ in {"__main__", "__mp_main__"}:
    multiprocessing.freeze_support()
    if __name__ == "__main__":
        raise SystemExit(main(sys.argv[1:]))
