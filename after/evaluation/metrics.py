"""Quality metrics: is the structure kept (note F1), did the timbre move (embedding distances), how close is a
reconstruction to its input (multi-resolution STFT distance, spectral convergence, SI-SDR, loudness error)?

Used by `after eval` and the learning tests. Signal metrics take mono float
arrays [N] of the same sample rate; the longer one is cut to the shorter one.
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


# ============================================================== signal distances (reconstruction)
MRSTFT_FFT_SIZES = (2048, 1024, 512, 256, 128)
_EPS = 1e-7


def _aligned(reference: np.ndarray, estimate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    reference = np.asarray(reference, dtype=np.float64).reshape(-1)
    estimate = np.asarray(estimate, dtype=np.float64).reshape(-1)
    n = min(len(reference), len(estimate))
    return reference[:n], estimate[:n]


def _magnitude(audio: np.ndarray, n_fft: int) -> np.ndarray:
    """|STFT| [bins, frames], Hann window, hop n_fft / 4, zero-padded to at least one frame."""
    from scipy.signal import stft

    if len(audio) < n_fft:
        audio = np.pad(audio, (0, n_fft - len(audio)))
    _, _, spec = stft(audio, nperseg=n_fft, noverlap=3 * n_fft // 4, window="hann", boundary=None, padded=True)
    return np.abs(spec)


def spectral_convergence(reference: np.ndarray, estimate: np.ndarray, n_fft: int = 2048) -> float:
    """‖|S_ref| − |S_est|‖_F / ‖|S_ref|‖_F at one STFT size: 0 for a perfect copy, 1 for silence."""
    reference, estimate = _aligned(reference, estimate)
    ref, est = _magnitude(reference, n_fft), _magnitude(estimate, n_fft)
    return float(np.linalg.norm(ref - est) / max(np.linalg.norm(ref), _EPS))


def mrstft_distance(reference: np.ndarray, estimate: np.ndarray,
                    fft_sizes: Sequence[int] = MRSTFT_FFT_SIZES) -> float:
    """Multi-resolution STFT distance: mean over `fft_sizes` of spectral convergence + mean |log10 magnitude
    difference| (the usual codec training loss, as a score): 0 for a perfect copy, larger is worse."""
    reference, estimate = _aligned(reference, estimate)
    total = 0.0
    for n_fft in fft_sizes:
        ref, est = _magnitude(reference, n_fft), _magnitude(estimate, n_fft)
        convergence = np.linalg.norm(ref - est) / max(np.linalg.norm(ref), _EPS)
        log_distance = np.mean(np.abs(np.log10(ref + _EPS) - np.log10(est + _EPS)))
        total += convergence + log_distance
    return float(total / len(fft_sizes))


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    """Scale-invariant signal-to-distortion ratio in dB (higher is better; a perfect copy at any gain gives
    100 dB, the cap; silence or an orthogonal signal gives a large negative value, floored at -100 dB).
    Sensitive to phase and timing, so only meaningful for latency-compensated reconstructions."""
    reference, estimate = _aligned(reference, estimate)
    energy = float(np.dot(reference, reference))
    if energy < _EPS:
        return float("nan")
    scale = float(np.dot(estimate, reference)) / energy
    target = scale * reference
    noise = estimate - target
    ratio = float(np.dot(target, target)) / max(float(np.dot(noise, noise)), 1e-20)
    return float(np.clip(10.0 * np.log10(max(ratio, 1e-20)), -100.0, 100.0))


def frame_loudness_db(audio: np.ndarray, sample_rate: int, frame_seconds: float = 0.025) -> np.ndarray:
    """RMS level per frame (non-overlapping, `frame_seconds` long) in dB re full scale, floored at -100 dB:
    float64 [frames]."""
    audio = np.asarray(audio, dtype=np.float64).reshape(-1)
    frame = max(1, int(frame_seconds * sample_rate))
    n = len(audio) // frame
    if n == 0:
        return np.full(1, -100.0)
    rms = np.sqrt(np.mean(audio[:n * frame].reshape(n, frame) ** 2, axis=1))
    return 20.0 * np.log10(np.maximum(rms, 1e-5))


def loudness_error_db(reference: np.ndarray, estimate: np.ndarray, sample_rate: int,
                      floor_db: float = -60.0) -> float:
    """Mean absolute difference of frame RMS levels (dB), over the frames where either signal is above
    `floor_db` (levels clipped at the floor, so a silent estimate of a sounding frame costs its level above
    the floor). 0 for a perfect copy."""
    reference, estimate = _aligned(reference, estimate)
    ref = np.maximum(frame_loudness_db(reference, sample_rate), floor_db)
    est = np.maximum(frame_loudness_db(estimate, sample_rate), floor_db)
    active = (ref > floor_db) | (est > floor_db)
    if not active.any():
        return 0.0
    return float(np.mean(np.abs(ref[active] - est[active])))
