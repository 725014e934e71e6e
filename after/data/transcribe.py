"""Offline MIDI transcription with the `basic-pitch` package (its bundled ICASSP-2022 ONNX model).

basic-pitch's `predict` reads a file, so the audio is written to a temporary 22.05 kHz WAV first. The model
is loaded once per process.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from after.data.midi import Note
from after.errors import InputError

BASIC_PITCH_SAMPLE_RATE = 22050
ONSET_THRESHOLD = 0.5
FRAME_THRESHOLD = 0.3
MIN_NOTE_MS = 127.7


@lru_cache(maxsize=1)
def _basic_pitch() -> tuple[Any, Any]:
    """(`basic_pitch.inference` module, loaded ONNX model). basic-pitch logs a warning per missing optional
    backend at import; those are muted here."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        import basic_pitch
        from basic_pitch import inference
    except Exception as exc:
        raise InputError(f"basic-pitch is not usable ({type(exc).__name__}: {exc}); install it with "
                         f"`pip install --no-deps basic-pitch==0.4.0` plus onnxruntime (see README)") from None
    finally:
        root.setLevel(level)
    model_path = Path(basic_pitch.ICASSP_2022_MODEL_PATH)
    if not model_path.exists():
        raise InputError(f"{model_path}: basic-pitch model file missing; reinstall basic-pitch")
    return inference, inference.Model(model_path)


def transcribe(audio: np.ndarray, sample_rate: int) -> list[Note]:
    """Transcribe mono audio float32 [N] at `sample_rate` Hz into notes (seconds, MIDI pitch, velocity =
    round(127 × basic-pitch amplitude)), sorted by onset."""
    import soundfile as sf
    import soxr

    inference, model = _basic_pitch()
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if sample_rate != BASIC_PITCH_SAMPLE_RATE:
        audio = soxr.resample(audio, sample_rate, BASIC_PITCH_SAMPLE_RATE, quality="HQ")
    with tempfile.TemporaryDirectory(prefix="after-transcribe-") as tmp:
        wav = Path(tmp) / "audio.wav"
        sf.write(str(wav), audio, BASIC_PITCH_SAMPLE_RATE, subtype="FLOAT")
        with contextlib.redirect_stdout(io.StringIO()):  # predict() prints a line per call
            _, _, events = inference.predict(wav, model, onset_threshold=ONSET_THRESHOLD,
                                             frame_threshold=FRAME_THRESHOLD, minimum_note_length=MIN_NOTE_MS)
    notes = [Note(int(pitch), float(start), float(end), int(np.clip(round(127 * amplitude), 1, 127)))
             for start, end, pitch, amplitude, _ in events]
    return sorted(notes, key=lambda n: (n.start, n.pitch))
