"""A sync in a child process, for the kill -9 tests.

    python -m tests.sync.sync_child DATA_DIR URL PAUSE_AT

Prints READY once the workspace is open, then one line per progress event;
at event number PAUSE_AT (-1: never) it prints PAUSED and waits to be killed.
"""

from __future__ import annotations

import sys
import time

from bng_desktop.workspace import Workspace


def main(data_dir: str, url: str, pause_at: int) -> None:
    with Workspace.open(data_dir) as workspace:
        count = 0

        def progress(stage: str, fraction: float, message: str) -> None:
            nonlocal count
            print(f"EVENT {count} {stage} {message}", flush=True)
            if count == pause_at:
                print("PAUSED", flush=True)
                time.sleep(60)
            count += 1

        print("READY", flush=True)
        report = workspace.sync.sync(url, progress=progress)
        print("DONE ok" if report.ok else f"DONE failed {report.error}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
