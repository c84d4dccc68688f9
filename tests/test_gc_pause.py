"""The collector paused over a heavy step comes back when the last such step ends, as it was."""

from __future__ import annotations

import gc
import threading

from scheduler.runtime import collection_paused


def test_nested_and_threaded_pauses_resume_the_collector_once_all_end():
    assert gc.isenabled()
    entered, release = threading.Event(), threading.Event()

    def other_step():
        with collection_paused():
            entered.set()
            release.wait(5)

    other = threading.Thread(target=other_step)
    with collection_paused():
        assert not gc.isenabled()
        other.start()
        entered.wait(5)
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer step is still running
    assert not gc.isenabled()  # and so is the other thread's
    release.set()
    other.join()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_resumes_the_collector():
    try:
        with collection_paused():
            raise ValueError("a bad row")
    except ValueError:
        pass
    assert gc.isenabled()
