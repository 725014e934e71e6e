"""Frame features of the harmonic codec: a YIN pitch tracker and loudness, vectorised over frames.

Everything here works on analysis frames [..., frame_length] cut from the audio so that a frame *ends* at the
sample it describes plus the tracker's look-ahead; the same code serves offline encoding (all frames at once)
and streaming (the frames of one host buffer), and it only uses operators that the libtorch of official nn~
builds runs (`unfold`, `torch.fft.rfft`, cumulative sums; no `torch.stft`).

YIN (de Cheveigné & Kawahara 2002) compares the newest `window` samples of a frame with their copies `tau`
samples earlier: d(tau) = sum_j (x_j - x_{j - tau})^2. Taking the newest samples as the reference (rather
than the oldest, as in the paper) makes the estimate follow a new note as soon as `window + tau` samples of it
have arrived, which is what decides the onset latency of the codec. The cumulative-mean-normalised difference
d'(tau) = d(tau) tau / sum_{k<=tau} d(k) is searched for its first dip under `threshold`; parabolic
interpolation refines the lag. Periodicity = 1 - d'(tau*) (1: a clean periodic tone, 0: noise or silence).
"""

import math
from typing import Tuple

import torch
from torch import nn

SILENCE_POWER = 1e-8  # mean square below which a frame is silent (-80 dB): no pitch, periodicity 0
LOUDNESS_FLOOR_DB = -80.0


def midi_from_hz(f0: torch.Tensor) -> torch.Tensor:
    return 69.0 + 12.0 * torch.log2(f0 / 440.0)


def hz_from_midi(pitch: torch.Tensor) -> torch.Tensor:
    return 440.0 * torch.pow(2.0, (pitch - 69.0) / 12.0)


class FrameAnalyser(nn.Module):
    """Pitch (Hz), periodicity (0-1) and loudness (dB) of analysis frames.

    Input: frames [N, frame_length] (any number of frames, oldest sample first). Output: three tensors [N].
    `frame_length = window + max_lag`, where max_lag = ceil(sample_rate / f0_min).
    """

    lags: torch.Tensor  # buffers (registered in __init__), declared for the type checker

    def __init__(self, sample_rate: int, window: int, f0_min: float, f0_max: float, threshold: float) -> None:
        super().__init__()
        self.sample_rate = float(sample_rate)
        self.window = window
        self.min_lag = max(2, int(math.floor(sample_rate / f0_max)))
        self.max_lag = int(math.ceil(sample_rate / f0_min))
        self.frame_length = window + self.max_lag
        self.threshold = threshold
        self.silence_power = SILENCE_POWER
        self.power_floor = 10.0 ** (LOUDNESS_FLOOR_DB / 10.0)
        self.n_fft = 1 << (self.frame_length + window - 1).bit_length()
        self.register_buffer("lags", torch.arange(self.max_lag + 1, dtype=torch.float32), persistent=False)

    def difference(self, frames: torch.Tensor) -> torch.Tensor:
        """YIN difference function d(tau), tau = 0..max_lag: [N, frame_length] → [N, max_lag + 1]."""
        length = self.frame_length
        reference = frames[:, length - self.window:]
        # C(tau) = sum_j ref_j x_{L - W - tau + j}: a cross-correlation, read at offset L - W - tau.
        spectrum = torch.fft.rfft(frames, self.n_fft) * torch.conj(torch.fft.rfft(reference, self.n_fft))
        correlation = torch.fft.irfft(spectrum, self.n_fft)[:, :length - self.window + 1]
        cross = correlation.flip(-1)  # index tau
        energy = torch.cumsum(torch.nn.functional.pad(frames * frames, (1, 0)), -1)  # [N, L + 1]
        # Energy of the lagged window x[L - W - tau : L - tau].
        ends = energy[:, self.window:].flip(-1)  # end index L - tau, tau = 0..max_lag
        starts = energy[:, :length - self.window + 1].flip(-1)
        lagged = ends - starts
        return (lagged[:, :1] + lagged - 2.0 * cross).clamp_min(0.0)

    def forward(self, frames: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        d = self.difference(frames)
        cumulative = torch.cumsum(d[:, 1:], -1)
        normalised = d[:, 1:] * self.lags[1:] / cumulative.clamp_min(1e-12)  # lag 1..max_lag
        normalised = torch.cat([torch.ones_like(normalised[:, :1]), normalised], -1)
        search = normalised[:, self.min_lag:]  # lags min_lag..max_lag
        below = search < self.threshold
        index = torch.arange(search.shape[1], device=frames.device)
        first = torch.where(below, index, search.shape[1]).amin(-1, keepdim=True)
        # The dip that starts at `first`: positions up to the first one back above the threshold.
        above_after = (~below) & (index > first)
        dip_end = torch.where(above_after, index, search.shape[1]).amin(-1, keepdim=True)
        in_dip = (index >= first) & (index < dip_end)
        has_dip = first < search.shape[1]
        candidates = torch.where(in_dip | ~has_dip, search, torch.full_like(search, 1e9))
        best = candidates.argmin(-1, keepdim=True)  # [N, 1]
        # Parabolic interpolation on the raw difference around the chosen lag (less biased than on d').
        lag = best + self.min_lag
        left = d.gather(1, (lag - 1).clamp_min(0))
        centre = d.gather(1, lag)
        right = d.gather(1, (lag + 1).clamp_max(self.max_lag))
        curvature = left - 2.0 * centre + right
        offset = torch.where(curvature.abs() > 1e-9, 0.5 * (left - right) / curvature, torch.zeros_like(curvature))
        refined = lag.to(frames.dtype) + offset.clamp(-0.5, 0.5)
        f0 = (self.sample_rate / refined).squeeze(-1)
        power = (frames[:, frames.shape[1] - self.window:] ** 2).mean(-1)
        silent = power < self.silence_power
        dip = normalised.gather(1, lag).squeeze(-1)
        periodicity = torch.where(silent, torch.zeros_like(power), (1.0 - dip).clamp(0.0, 1.0))
        loudness = 10.0 * torch.log10(power.clamp_min(self.power_floor))
        return f0, periodicity, loudness


def hold_pitch(pitch: torch.Tensor, voiced: torch.Tensor, previous: torch.Tensor) -> torch.Tensor:
    """Carry the last voiced pitch through unvoiced frames, so that silences and noisy frames do not make the
    pitch channel jump (the diffusion model would have to learn the jumps).

    pitch, voiced: [B, T] (voiced bool); previous: [B] the last voiced pitch before this block.
    Returns [B, T].
    """
    steps = torch.arange(1, pitch.shape[1] + 1, device=pitch.device).expand_as(pitch)
    last_voiced = torch.where(voiced, steps, torch.zeros_like(steps)).cummax(-1).values  # 0: none yet
    padded = torch.cat([previous.unsqueeze(-1), pitch], -1)
    return padded.gather(1, last_voiced)
