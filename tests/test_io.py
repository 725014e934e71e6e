"""after.io: atomic writes (nothing half-written, usual permissions) and audio reading errors."""

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from after.errors import InputError
from after.io import atomic_path, load_audio, write_audio, write_json_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_atomic_file_gets_the_usual_permissions(tmp_path: Path, umask_022) -> None:
    write_json_atomic(tmp_path / "a.json", {"x": 1})
    assert (tmp_path / "a.json").read_text().strip().endswith("}")
    assert _mode(tmp_path / "a.json") == 0o644


def test_atomic_folder_gets_the_usual_permissions(tmp_path: Path, umask_022) -> None:
    with atomic_path(tmp_path / "out", is_dir=True) as tmp:
        (tmp / "inside.txt").write_text("hello")
    assert (tmp_path / "out" / "inside.txt").read_text() == "hello"
    assert _mode(tmp_path / "out") == 0o755


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_audio_round_trip_and_resampling(tmp_path: Path) -> None:
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000).astype(np.float32)
    write_audio(tmp_path / "tone.wav", tone, 16000)
    same = load_audio(tmp_path / "tone.wav", 16000)
    assert same.shape == (1, 16000) and np.abs(same[0] - tone).max() < 1e-3
    assert load_audio(tmp_path / "tone.wav", 8000).shape == (1, 8000)


def test_unreadable_audio_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "not_audio.wav"
    bad.write_bytes(b"this is not a wav file")
    with pytest.raises(InputError, match="not_audio.wav: cannot read audio"):
        load_audio(bad, 16000)
