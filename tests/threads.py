"""Running work in real threads at the same instant, for tests of locks and constraints."""

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection


def run_together(*works: Callable[[], object]) -> tuple[list[str], list[Exception]]:
    """Start every work at once (a barrier) in its own thread with its own connection.

    Returns the outcomes — "ok", or the clerk's message of a ValidationError — and every other
    exception, which a test expects to be none (a deadlock or a 500 would land there).
    """
    barrier = threading.Barrier(len(works))
    outcomes: list[str] = []
    errors: list[Exception] = []

    def run(work):
        try:
            barrier.wait()
            work()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors
