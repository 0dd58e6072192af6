"""Guards against a PySide6 release that drops references to slot return values.

PySide6-Essentials 6.12.0 decrements the reference count of whatever a Python slot returns when Qt
calls it. qasync's ``timerEvent`` returns None on every loop tick, so a long-running app, or a test
suite, ends in "Fatal Python error: bool_dealloc/none_dealloc" at exit or mid-run. pyproject pins
below 6.12; this test fails at once on a release with the bug.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_slot_return_values_keep_their_references(qapp):
    emitter = _Emitter()
    emitter.fired.connect(lambda value: True)
    emitter.fired.connect(lambda value: None)
    emits = 500
    true_before, none_before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(emits):
        emitter.fired.emit(1)
    # The bug loses one reference per emit (500 here). Threads left by earlier tests (worker
    # pools finishing) move these counts by a few dozen on their own, so the margin is wide
    # of that and far from the bug.
    margin = emits // 5
    assert sys.getrefcount(True) >= true_before - margin
    assert sys.getrefcount(None) >= none_before - margin
