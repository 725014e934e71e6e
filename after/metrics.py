"""Transfer-quality metrics: is the structure kept (note F1), did the timbre move (embedding distances)?

Used by `after eval`, the learning tests and the validation of diffusion runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from after.data.midi import Note


def note_f1(reference: Sequence[Note], estimate: Sequence[Note], onset_tolerance: float = 0.05) -> float:
    """Onset-only note F1 (mir_eval transcription metric: same pitch within ±50 cents, onset within
    `onset_tolerance` seconds). Two empty note lists agree perfectly (1.0); one empty list gives 0.0."""
    import mir_eval

    if not reference and not estimate:
        return 1.0
    if not reference or not estimate:
        return 0.0

    def arrays(notes: Sequence[Note]) -> tuple[np.ndarray, np.ndarray]:
        intervals = np.array([[n.start, max(n.end, n.start + 1e-3)] for n in notes], dtype=np.float64)
        hertz = np.array([440.0 * 2.0 ** ((n.pitch - 69) / 12.0) for n in notes], dtype=np.float64)
        return intervals, hertz

    ref_i, ref_p = arrays(reference)
    est_i, est_p = arrays(estimate)
    _, _, f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
        ref_i, ref_p, est_i, est_p, onset_tolerance=onset_tolerance, offset_ratio=None)
    return float(f1)


def transcription_f1(reference_audio: np.ndarray, output_audio: np.ndarray, sample_rate: int,
                     min_velocity: int = 0) -> float:
    """Note F1 between basic-pitch transcriptions of two mono signals ([N] float, same `sample_rate`);
    notes quieter than `min_velocity` (0–127) are ignored on both sides (basic-pitch reports faint
    harmonics as extra notes)."""
    from after.data.transcribe import transcribe

    ref = [n for n in transcribe(reference_audio, sample_rate) if n.velocity >= min_velocity]
    out = [n for n in transcribe(output_audio, sample_rate) if n.velocity >= min_velocity]
    return note_f1(ref, out)


@dataclass(frozen=True)
class TimbreShift:
    """Where the output's timbre embedding lies: Euclidean distances to the target's and the source's."""

    to_target: float
    to_source: float

    @property
    def moved(self) -> bool:
        """True when the output is closer to the timbre target than to the structure source."""
        return self.to_target < self.to_source


def timbre_shift(output: torch.Tensor, target: torch.Tensor, source: torch.Tensor) -> TimbreShift:
    """Compare timbre embeddings ([zt] each) of a transfer output, its timbre target and its structure
    source."""
    return TimbreShift(float(torch.linalg.vector_norm(output - target)),
                       float(torch.linalg.vector_norm(output - source)))
