"""engine.Background: a call in a forked child whose result, or error, comes back to the caller."""

from __future__ import annotations

import os

import pytest

from nqpf_text.engine import Background
from nqpf_text.errors import InputError, NqpfError

fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="processes cannot be forked here")


def _pid_and(value: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(value)


def _fails_on_input() -> None:
    raise InputError("corpus/a.txt", "cannot be decoded", "line 3")


def _dies() -> None:
    os._exit(3)


@fork_only
def test_the_child_reads_the_parents_memory_and_returns_its_result():
    big = list(range(100_000))  # inherited by the child, not sent to it
    pid, total = Background(_pid_and, big).result()
    assert pid != os.getpid()
    assert total == sum(big)


def test_not_parallel_runs_here_and_now():
    job = Background(_pid_and, [1, 2], parallel=False)
    assert job.result() == (os.getpid(), 3)
    job.cancel()  # nothing to end
    assert job.result() == (os.getpid(), 3)


@fork_only
def test_an_input_error_in_the_child_is_raised_here_with_its_place():
    with pytest.raises(InputError, match=r"corpus/a\.txt.*line 3"):
        Background(_fails_on_input).result()


@fork_only
def test_a_child_that_dies_is_an_error_naming_its_exit_code():
    with pytest.raises(NqpfError, match="exit code 3"):
        Background(_dies).result()


@fork_only
def test_cancel_ends_a_child_whose_result_is_not_wanted():
    import time

    job = Background(time.sleep, 60)
    job.cancel()
    assert job.result() is None


@fork_only
def test_nice_lowers_only_the_childs_priority():
    before = os.nice(0)
    assert Background(os.nice, 0, nice=5).result() == min(before + 5, 19)
    assert os.nice(0) == before
