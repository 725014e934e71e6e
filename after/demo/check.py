"""Does the demo's timbre transfer sound, and did it move the timbre?

The output must be finite and non-silent, and its timbre embedding (the audio export's own `timbre` method,
driven buffer by buffer as nn~ does) must be closer to the timbre target's than to the structure source's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from after.io import load_audio
from after.metrics import timbre_shift
from after.nn_tilde import load_ts, read_model_info

HOST_BUFFER = 8192
SILENCE_RMS = 1e-3


@dataclass(frozen=True)
class TransferCheck:
    """rms: output RMS (full scale 1); distances: Euclidean, between time-averaged timbre embeddings."""

    finite: bool
    rms: float
    distance_to_target: float
    distance_to_source: float

    @property
    def passed(self) -> bool:
        return self.finite and self.rms > SILENCE_RMS and self.distance_to_target < self.distance_to_source

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def timbre_embedding(model: torch.jit.ScriptModule, audio: np.ndarray) -> torch.Tensor:
    """Mean timbre vector [zt] of mono `audio` [N]: `timbre` called on successive host buffers (as nn~ does,
    batch 1), averaged over the second half of the frames, once the encoder has heard enough."""
    if hasattr(model, "reset_state"):
        model.reset_state()
    n_buffers = len(audio) // HOST_BUFFER
    frames = []
    with torch.inference_mode():
        for k in range(n_buffers):
            x = torch.from_numpy(audio[k * HOST_BUFFER:(k + 1) * HOST_BUFFER]).reshape(1, 1, HOST_BUFFER)
            frames.append(model.timbre(x)[0])  # [zt, HOST_BUFFER / codec ratio]
    embedding = torch.cat(frames, dim=-1)
    return embedding[:, embedding.shape[-1] // 2:].mean(-1)


def check_transfer(model_path: Path, structure: Path, timbre: Path, output: Path) -> TransferCheck:
    """Compare the timbre of `output` with `timbre` (target) and `structure` (source), all WAVs."""
    info = read_model_info(model_path)
    model = load_ts(model_path)
    sample_rate = int(info.metadata["sample_rate"])
    raw, _ = sf.read(str(output), dtype="float32", always_2d=True)  # any subtype; float WAVs can hold NaN
    finite = bool(np.isfinite(raw).all())
    rms = float(np.sqrt(np.mean(np.nan_to_num(raw) ** 2)))
    if not finite:
        return TransferCheck(False, rms, float("nan"), float("nan"))
    out_audio = load_audio(output, sample_rate)[0]
    target = timbre_embedding(model, load_audio(timbre, sample_rate)[0])
    source = timbre_embedding(model, load_audio(structure, sample_rate)[0])
    produced = timbre_embedding(model, out_audio)
    shift = timbre_shift(produced, target, source)
    return TransferCheck(finite, rms, shift.to_target, shift.to_source)
