"""Small scripted nn~ models for tests: they follow the real contracts without training anything."""


import math
from pathlib import Path

import torch

from after.nn_tilde.contract import codec_methods
from after.nn_tilde.module import NNModule, save_nn_model


class BlockDCTCodec(NNModule):
    """A fixed codec: each block of `ratio` samples → its first `latent_size` DCT-II coefficients.

    encode: [B, 1, N] → [B, latent_size, N / ratio];  decode: the (low-passed) inverse. With
    latent_size == ratio it reconstructs perfectly.
    """

    def __init__(self, ratio: int = 256, latent_size: int = 64, sample_rate: int = 16000) -> None:
        super().__init__()
        n = torch.arange(ratio, dtype=torch.float64)
        k = torch.arange(latent_size, dtype=torch.float64)[:, None]
        basis = torch.cos(math.pi / ratio * (n + 0.5) * k) * math.sqrt(2.0 / ratio)
        basis[0] /= math.sqrt(2.0)
        self.register_buffer("basis", basis.float())  # [latent, ratio], orthonormal rows
        self.ratio = ratio
        self.sample_rate = sample_rate
        for spec in codec_methods(ratio, latent_size):
            self.register_method(spec.name, spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio,
                                 spec.input_labels, spec.output_labels)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        b = x.shape[0]
        frames = x.reshape(b, -1, self.ratio)  # [B, T, ratio]
        return torch.einsum("btr,cr->bct", frames, self.basis)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        frames = torch.einsum("bct,cr->btr", z, self.basis)
        return frames.reshape(z.shape[0], 1, -1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


def make_dct_codec(path: Path, ratio: int = 256, latent_size: int = 64, sample_rate: int = 16000) -> Path:
    """Write a `BlockDCTCodec` export to `path` (with metadata like our codec exports) and return the path."""
    model = BlockDCTCodec(ratio, latent_size, sample_rate)
    save_nn_model(model, path, {"kind": "codec", "sample_rate": sample_rate, "ratio": ratio,
                                "latent_size": latent_size, "latency_samples": 0})
    return Path(path)
