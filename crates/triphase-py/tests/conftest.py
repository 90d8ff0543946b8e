"""Shared helpers of the Python test suite (pytest puts this folder on sys.path)."""

import os

import pytest


def cli() -> str:
    """The triphase binary the CLI-parity tests compare with ($TRIPHASE_BIN); skips the test
    when it is not set."""
    path = os.environ.get("TRIPHASE_BIN")
    if not path or not os.path.exists(path):
        pytest.skip("TRIPHASE_BIN not set")
    return path
