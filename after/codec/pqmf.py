"""Pseudo-quadrature mirror filter bank (cosine-modulated, near perfect reconstruction).

Analysis: audio [B, 1, N] → bands [B, M, N / M]; synthesis: the inverse, delayed by `delay` = taps - M
samples. Both are plain strided conv1d / conv_transpose1d with a Kaiser-window prototype (100 dB stop band),
causal; their polyphase weights let the streaming codec run them as causal convolutions over blocks of M.
Reference: Nguyen, "Near-perfect-reconstruction pseudo-QMF banks", IEEE TSP 1994.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import minimize_scalar
from scipy.signal import firwin
from torch import nn

ATTENUATION_DB = 100.0


def prototype_filter(n_bands: int, taps: int) -> np.ndarray:
    """Low-pass prototype [taps] whose cutoff makes the bank power complementary (autocorrelation ≈ 0 at
    non-zero multiples of 2M)."""
    beta = 0.1102 * (ATTENUATION_DB - 8.7)

    def design(cutoff: float) -> np.ndarray:
        return firwin(taps, cutoff, window=("kaiser", beta), fs=2.0)

    def objective(cutoff: float) -> float:
        h = design(cutoff)
        autocorr = np.convolve(h, h[::-1])
        centre = taps - 1
        lags = autocorr[centre % (2 * n_bands)::2 * n_bands]
        lags = np.delete(lags, centre // (2 * n_bands))
        return float(np.max(np.abs(lags)))

    nominal = 1.0 / (2 * n_bands)
    best = minimize_scalar(objective, bounds=(0.5 * nominal, 1.5 * nominal), method="bounded",
                           options={"xatol": 1e-7})
    return design(best.x)


def filter_bank(n_bands: int, taps: int) -> tuple[np.ndarray, np.ndarray]:
    """Analysis and synthesis filters, each [M, taps]."""
    proto = prototype_filter(n_bands, taps)
    n = np.arange(taps) - (taps - 1) / 2
    k = np.arange(n_bands)[:, None]
    phase = (-1.0) ** k * math.pi / 4
    arg = (2 * k + 1) * math.pi / (2 * n_bands) * n
    analysis = 2 * proto * np.cos(arg + phase)
    synthesis = 2 * proto * np.cos(arg - phase)
    return analysis, synthesis


class PQMF(nn.Module):
    """M-band analysis/synthesis, causal.

    `analysis(x [B, 1, N]) → [B, M, N / M]` (band frame j covers audio up to sample jM + M - 1);
    `synthesis(bands [B, M, T]) → [B, 1, T * M]`, reconstructing the input delayed by `delay` samples.
    The streaming codec (`after.codec.streaming`) runs both in their polyphase form (`*_polyphase`).
    """

    analysis_weight: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    synthesis_weight: torch.Tensor

    def __init__(self, n_bands: int, taps_per_band: int) -> None:
        super().__init__()
        self.n_bands = n_bands
        self.taps = 2 * n_bands * taps_per_band
        self.delay = self.taps - n_bands
        analysis, synthesis = filter_bank(n_bands, self.taps)
        # conv1d correlates: flip the analysis filters to convolve.
        self.register_buffer("analysis_weight", torch.from_numpy(analysis[:, None, ::-1].copy()).float())
        self.register_buffer("synthesis_weight", torch.from_numpy(synthesis[:, None, :] * n_bands).float())

    @torch.jit.export
    def analysis(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv1d(F.pad(x, (self.delay, 0)), self.analysis_weight, stride=self.n_bands)

    @torch.jit.export
    def synthesis(self, bands: torch.Tensor) -> torch.Tensor:
        y = F.conv_transpose1d(bands, self.synthesis_weight, stride=self.n_bands)  # [B, 1, length + delay]
        return y[:, :, :bands.shape[-1] * self.n_bands]

    def analysis_polyphase(self) -> torch.Tensor:
        """Analysis as a causal conv1d weight W [M, M, L = taps / M] over blocks of M consecutive samples:
        band frame j = sum over p < L of W[:, :, p] @ block[j - L + 1 + p]."""
        phases = self.taps // self.n_bands
        return self.analysis_weight[:, 0].reshape(self.n_bands, phases, self.n_bands).permute(0, 2, 1).clone()

    def synthesis_polyphase(self) -> torch.Tensor:
        """Synthesis as a causal conv1d weight W [M, M, L = taps / M] over band frames: audio block t (its M
        samples) = sum over p < L of W[:, :, p] @ bands[t - L + 1 + p]."""
        phases = self.taps // self.n_bands
        weight = self.synthesis_weight[:, 0].reshape(self.n_bands, phases, self.n_bands)  # [band, lag, sample]
        return weight.flip(1).permute(2, 0, 1).clone()
