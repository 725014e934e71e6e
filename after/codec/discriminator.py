"""Multi-scale complex-STFT discriminator (EnCodec style, Défossez et al. 2022), training only."""

from typing import List, Sequence, Tuple

import torch
from torch import nn
from torch.nn.utils import parametrizations


class STFTDiscriminator(nn.Module):
    """One scale: complex STFT (real, imaginary, magnitude^0.5 compressed) → 2-D conv stack.

    audio [B, 1, N] → (logits [B, 1, F', T'], features: list of every hidden activation).
    """

    window: torch.Tensor  # buffers (registered in __init__), declared for the type checker

    def __init__(self, n_fft: int, channels: int) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.register_buffer("window", torch.hann_window(n_fft), persistent=False)

        def conv(c_in: int, c_out: int, kernel: Tuple[int, int], stride: Tuple[int, int] = (1, 1),
                 dilation: Tuple[int, int] = (1, 1)) -> nn.Module:
            padding = ((kernel[0] - 1) * dilation[0] // 2, (kernel[1] - 1) * dilation[1] // 2)
            return parametrizations.weight_norm(nn.Conv2d(c_in, c_out, kernel, stride, padding, dilation))

        self.layers = nn.ModuleList([
            conv(2, channels, (3, 9)),
            conv(channels, channels, (3, 9), (2, 1), (1, 1)),
            conv(channels, channels, (3, 9), (2, 1), (1, 2)),
            conv(channels, channels, (3, 9), (2, 1), (1, 4)),
            conv(channels, channels, (3, 3)),
        ])
        self.out = conv(channels, 1, (3, 3))
        self.act = nn.LeakyReLU(0.2)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        spec = torch.stft(x.reshape(-1, x.shape[-1]).float(), self.n_fft, hop_length=self.n_fft // 4,
                          window=self.window, return_complex=True)
        magnitude = spec.abs().clamp_min(1e-8)
        spec = spec * magnitude.pow(-0.5)  # compress the magnitude to |X|^0.5, keep the phase
        h = torch.stack([spec.real, spec.imag], 1)  # [B, 2, F, T]
        features = []
        for layer in self.layers:
            h = self.act(layer(h))
            features.append(h)
        return self.out(h), features


class MultiScaleSTFTDiscriminator(nn.Module):
    """One `STFTDiscriminator` per FFT size; returns (logits per scale, features per scale)."""

    def __init__(self, scales: Sequence[int], channels: int) -> None:
        super().__init__()
        self.discriminators = nn.ModuleList([STFTDiscriminator(n, channels) for n in scales])

    def forward(self, x: torch.Tensor) -> Tuple[List[torch.Tensor], List[List[torch.Tensor]]]:
        logits, features = [], []
        for disc in self.discriminators:
            out, feats = disc(x)
            logits.append(out)
            features.append(feats)
        return logits, features
