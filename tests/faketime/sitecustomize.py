"""Loaded by every Python process ``tests/faketime/run`` starts: sleep without the
monotonic clock's absolute deadlines.

libfaketime 0.9.10 refuses ``clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)``,
which ``time.sleep`` uses, with EINVAL once it leaves the monotonic clock alone
(as timed waits on locks need it to); a timeout on ``select`` sleeps as well.
"""

import select
import time


def _sleep(seconds: float) -> None:
    select.select([], [], [], seconds)


time.sleep = _sleep
