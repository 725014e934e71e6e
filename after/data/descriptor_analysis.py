"""The descriptor arithmetic of `after.data.descriptors`, as one scriptable torch module.

One implementation serves every place that needs descriptors, so that what a model is trained on, what
`after transfer` feeds it and what the nn~ export computes live are the same numbers: `prepare_dataset` /
`update_dataset` (float64, through `compute_descriptors`), offline transfer (same) and the export's streaming
descriptor stage (`after.export.descriptor_features`, float32, libtorch 2.5.1 operators only).

Windows are causal: frame t is described by the `n_fft = max(2048, hop)` samples that end where the frame
ends, `[(t+1)·hop − n_fft, (t+1)·hop)`, with zeros before the start of the signal. A live stream knows those
samples when frame t arrives, so it computes the same value with no added latency.
"""

from typing import List, Sequence

import torch
from torch import nn

# Descriptor name → code (the names of `after.data.descriptors.DESCRIPTORS`, which stays free of torch).
CODES = {"loudness": 0, "centroid": 1, "bandwidth": 2, "rolloff": 3, "flatness": 4}
N_FFT = 2048
SILENCE_DB = -100.0
ROLLOFF_PERCENT = 0.85
FLATNESS_AMIN = 1e-10  # power floor of the flatness's geometric mean (librosa's default)
LOUDNESS, CENTROID, BANDWIDTH, ROLLOFF, FLATNESS = 0, 1, 2, 3, 4


def window_size(hop: int) -> int:
    """Analysis window n_fft (samples) at `hop` samples per frame."""
    return max(N_FFT, hop)


class DescriptorAnalysis(nn.Module):
    """Causal analysis windows → descriptors: frames [B, n_fft, T] → [B, F, T], F = len(names), in the order
    of `names` (units: loudness dBFS with a floor of −100; centroid, bandwidth, rolloff Hz; flatness 0…1).
    A window at or below −100 dBFS is silence: −100 dB and 0 for every spectral descriptor.

    Spectral descriptors read the magnitude spectrum of the Hann-windowed frame (the window drops its two
    zero end points): centroid = Σ f·S / Σ S; bandwidth = (Σ S·(f − centroid)² / Σ S)^½; rolloff = the lowest
    bin frequency below which (inclusive) 85 % of Σ S lies; flatness = geometric / arithmetic mean of
    max(S², 1e-10)."""

    codes: List[int]
    window: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    freqs: torch.Tensor

    def __init__(self, names: Sequence[str], sample_rate: int, hop: int) -> None:
        super().__init__()
        unknown = [n for n in names if n not in CODES]
        if unknown:
            raise ValueError(f"unknown descriptor {unknown[0]!r}; valid: {', '.join(CODES)}")
        self.codes = [CODES[n] for n in names]
        self.n_fft = window_size(hop)
        self.hop = hop
        self.bin_hz = float(sample_rate) / self.n_fft
        self.spectral = any(code != LOUDNESS for code in self.codes)
        # TorchScript reads no module-level constants: the ones forward needs are attributes.
        self.silence_db = SILENCE_DB
        self.rolloff_percent = ROLLOFF_PERCENT
        self.flatness_amin = FLATNESS_AMIN
        self.loudness_code, self.centroid_code, self.bandwidth_code, self.rolloff_code = \
            LOUDNESS, CENTROID, BANDWIDTH, ROLLOFF
        self.register_buffer("window", torch.hann_window(self.n_fft + 2, periodic=False, dtype=torch.float64)[1:-1],
                             persistent=False)
        self.register_buffer("freqs", torch.arange(self.n_fft // 2 + 1, dtype=torch.float64) * self.bin_hz,
                             persistent=False)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        """frames [B, n_fft, T] (float32 or float64) → descriptors [B, F, T] in the same dtype."""
        rms = torch.sqrt(torch.mean(frames * frames, dim=1))
        loudness = torch.clamp(20.0 * torch.log10(torch.clamp(rms, min=1e-12)), min=self.silence_db)
        silent = loudness <= self.silence_db
        values: List[torch.Tensor] = []
        if not self.spectral:
            for _code in self.codes:
                values.append(loudness)
            return torch.stack(values, dim=1)
        window = self.window.to(frames.dtype)
        freqs = self.freqs.to(frames.dtype)[None, :, None]
        magnitude = torch.abs(torch.fft.rfft(frames * window[None, :, None], dim=1))  # [B, n_bins, T]
        total = torch.clamp(magnitude.sum(dim=1), min=1e-30)
        centroid = (freqs * magnitude).sum(dim=1) / total
        zero = torch.zeros_like(loudness)
        for code in self.codes:
            if code == self.loudness_code:
                value = loudness
            elif code == self.centroid_code:
                value = centroid
            elif code == self.bandwidth_code:
                deviation = freqs - centroid[:, None, :]
                value = torch.sqrt((magnitude * deviation * deviation).sum(dim=1) / total)
            elif code == self.rolloff_code:
                cumulative = torch.cumsum(magnitude, dim=1)
                below = (cumulative < self.rolloff_percent * cumulative[:, -1:, :]).sum(dim=1)
                value = below.to(frames.dtype) * self.bin_hz
            else:
                power = torch.clamp(magnitude * magnitude, min=self.flatness_amin)
                value = torch.clamp(torch.exp(torch.log(power).mean(dim=1)) / power.mean(dim=1), 0.0, 1.0)
            values.append(value if code == self.loudness_code else torch.where(silent, zero, value))
        return torch.stack(values, dim=1)


def causal_frames(waveform: torch.Tensor, hop: int) -> torch.Tensor:
    """Causal analysis windows of a waveform [B, N]: [B, n_fft, N // hop], window t = samples
    `[(t+1)·hop − n_fft, (t+1)·hop)` (zeros before the start); samples after the last whole frame are unused."""
    n_fft = window_size(hop)
    n_frames = waveform.shape[-1] // hop
    padded = torch.nn.functional.pad(waveform[..., :n_frames * hop], (n_fft - hop, 0))
    return padded.unfold(-1, n_fft, hop).transpose(1, 2)
