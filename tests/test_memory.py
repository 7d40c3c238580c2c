"""The malloc settings of sim.common.memory apply on glibc (Linux), and change no result."""

from __future__ import annotations

import platform

import pytest

from sim.common.memory import keep_freed_memory


@pytest.mark.skipif(platform.system() != "Linux", reason="glibc mallopt")
def test_the_settings_apply_on_glibc():
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True  # once per process, the same answer
