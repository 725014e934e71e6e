"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def dct_codec_path(tmp_path_factory) -> Path:
    """A fixed scripted codec (ratio 256, 64 latents, 16 kHz) following the codec nn~ contract."""
    from tests.helpers.fake_models import make_dct_codec

    return make_dct_codec(tmp_path_factory.mktemp("codec") / "dct_codec.ts")
