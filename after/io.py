"""Small I/O helpers shared by every command: atomic writes, audio reading/writing.

Rule: nothing is ever half-written. Files and folders are produced under a temporary name in the same
directory and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np

from after.errors import InputError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, is_dir: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success rename it to `target`, on failure remove it.

    Works for files and (with `is_dir=True`) folders. An existing `target` is replaced only on success.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if is_dir:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    else:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():  # mkstemp/mkdtemp create private (0600/0700) entries: give the usual permissions
            os.chmod(tmp, (0o777 if tmp.is_dir() else 0o666) & ~_current_umask())
        if target.exists() and target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json_atomic(path: str | os.PathLike, data: object) -> None:
    """Write `data` as indented JSON to `path` atomically."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def load_audio(path: str | os.PathLike, sample_rate: int, mono: bool = True) -> np.ndarray:
    """Read an audio file, mix to mono and resample.

    Returns float32 array [channels, samples] (channels = 1 when `mono`). Raises `InputError` with a one-line
    reason for unreadable, corrupt or empty files.
    """
    import soundfile as sf
    import soxr

    path = Path(path)
    try:
        data, sr = sf.read(str(path), dtype="float32", always_2d=True)  # [samples, channels]
    except Exception as exc:  # soundfile raises LibsndfileError / RuntimeError / TypeError
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: cannot read audio ({reason}); check the file is a valid audio file") from None
    if data.shape[0] == 0:
        raise InputError(f"{path}: audio file is empty (0 samples); remove it or re-export it")
    if mono:
        data = data.mean(axis=1, keepdims=True)
    if sr != sample_rate:
        data = soxr.resample(data, sr, sample_rate, quality="HQ").astype(np.float32)
    if not np.isfinite(data).all():
        raise InputError(f"{path}: audio contains NaN or inf samples; re-export the file")
    return np.ascontiguousarray(data.T)


def write_audio(path: str | os.PathLike, audio: np.ndarray, sample_rate: int) -> None:
    """Write float audio [channels, samples] or [samples] to a 16-bit WAV, atomically."""
    import soundfile as sf

    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 1:
        audio = audio[None]
    with atomic_path(path) as tmp:
        sf.write(str(tmp), np.clip(audio.T, -1.0, 1.0), sample_rate, subtype="PCM_16", format="WAV")
