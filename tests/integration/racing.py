"""Run writes at the same instant from several threads, each on its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection


def race(calls: list[Callable[[], object]], *, timeout: float = 60) -> list[object]:
    """Run `calls` in threads released together by a barrier; each outcome is the call's result
    or the exception it raised. Fails if a thread never finishes (a deadlock)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing write never finished (deadlock?)"
    return outcomes
