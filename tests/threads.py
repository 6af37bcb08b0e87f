"""Running work in real threads at the same instant, for tests of locks and constraints."""

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection


def results_together(
    *works: Callable[[], object],
    expected: type[Exception] | tuple[type[Exception], ...] = ValidationError,
) -> tuple[list[object], list[Exception]]:
    """Start every work at once (a barrier) in its own thread with its own connection.

    Returns what each work gave back, in the order they finished — its return value, or the
    `expected` exception it raised — and every other exception, which a test expects to be none
    (a deadlock or a 500 would land there).
    """
    barrier = threading.Barrier(len(works))
    results: list[object] = []
    errors: list[Exception] = []

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except expected as exc:
            results.append(exc)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def run_together(*works: Callable[[], object]) -> tuple[list[str], list[Exception]]:
    """results_together, read as a clerk would: "ok", or the message of a ValidationError."""
    results, errors = results_together(*works)
    outcomes = [
        " ".join(result.messages) if isinstance(result, ValidationError) else "ok"
        for result in results
    ]
    return outcomes, errors
