"""The General MIDI benchmark for tests: one small render per session (FluidSynth + FluidR3_GM), shared by
every test module that needs real instrument sounds. Tests skip with the install command when the renderer
is absent (CI installs it)."""

import shutil

import pytest

from after.evaluation.gm_benchmark import INSTALL_HINT, SOUNDFONT, BenchmarkInfo, render_benchmark

SMALL = dict(clips_per_instrument_train=8, clips_per_instrument_heldout=2, chord_clips_train=1,
             chord_clips_heldout=1, clip_seconds=3.0)
_RENDERED: dict = {}


def require_fluidsynth() -> None:
    if shutil.which("fluidsynth") is None or not SOUNDFONT.exists():
        pytest.skip(f"fluidsynth or the GM soundfont {SOUNDFONT} not installed: {INSTALL_HINT}")


def small_benchmark(tmp_path_factory) -> BenchmarkInfo:
    """6 instruments × (8 melodies + 1 chord clip) to train on, × (2 melodies + 1 chord clip) held out,
    3-second clips at 16 kHz; rendered once per session."""
    require_fluidsynth()
    if "small" not in _RENDERED:
        _RENDERED["small"] = render_benchmark(tmp_path_factory.mktemp("gm") / "benchmark", progress=False, **SMALL)
    return _RENDERED["small"]
