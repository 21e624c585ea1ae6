"""Quote saves in a child process, for the kill -9 trials.

    python -m tests.store.save_child DATA_DIR

Prints READY once the store is open, then SAVED <uuid> <reference> after
each save returns, saving until it is killed.
"""

from __future__ import annotations

import sys

from bng_desktop.settings import resolve_paths
from bng_desktop.store import QuoteRepository, open_store
from tests.factories import make_quote


def main(data_dir: str) -> None:
    with open_store(resolve_paths(data_dir)) as store:
        quotes = QuoteRepository(store)
        quote = make_quote()
        print("READY", flush=True)
        n = 0
        while True:
            saved = quotes.save(quote, client_name=f"Trial {n}")
            print(f"SAVED {saved.uuid} {saved.reference}", flush=True)
            n += 1


if __name__ == "__main__":
    main(sys.argv[1])
