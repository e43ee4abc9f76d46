"""Bundle tests reuse the capture environment (real helper, fixture site, system Chromium)
and the local time-stamping authority of tests/capture."""

from tests.capture.conftest import env  # noqa: F401 - a fixture, used by name
from tests.capture.test_timestamps import tsa  # noqa: F401 - a fixture, used by name
