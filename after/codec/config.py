"""Configuration of the streaming codec (`after train_autoencoder --config baseAE|smallAE|ddspAE`).

`CodecModelConfig` fixes the network (`family`: the convolutional codec or the harmonic one, sized by
`HarmonicConfig`); `CodecTrainConfig` the losses and schedule. Presets live in `after/configs/baseAE.yaml`,
`smallAE.yaml` (small convolutional) and `ddspAE.yaml` (harmonic, the CPU recipe).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Tuple

CODEC_FAMILIES = ("conv", "harmonic")


@dataclass(frozen=True)
class HarmonicConfig:
    """Sizes of the harmonic codec (`family: harmonic`, `after.codec.harmonic`). `hop` is its ratio (samples
    per latent frame); the latent size is 3 structure channels (pitch, loudness, periodicity) + the timbre code.
    The pitch tracker covers `f0_min`..`f0_max` Hz with a `yin_window`-sample reference window."""

    hop: int = 256
    n_harmonics: int = 60
    n_noise_bands: int = 65
    n_mels: int = 40
    f0_min: float = 50.0
    f0_max: float = 2000.0
    yin_window: int = 512
    yin_threshold: float = 0.15
    encoder_hidden: int = 64
    decoder_hidden: int = 192
    lookahead_frames: int = 1

    def __post_init__(self) -> None:
        if not 0 < self.f0_min < self.f0_max:
            raise ValueError("harmonic.f0_min must be > 0 and below harmonic.f0_max")
        if self.lookahead_frames < 0 or self.n_harmonics < 1 or self.n_noise_bands < 2 or self.n_mels < 1:
            raise ValueError("harmonic sizes must be ≥ 1 (n_noise_bands ≥ 2, lookahead_frames ≥ 0)")


@dataclass(frozen=True)
class CodecModelConfig:
    """Network sizes. The total ratio (samples per latent frame) is `n_bands * prod(strides)`.

    encoder_channels[i] is the width of encoder level i (residual units run at that width, then a strided
    convolution moves to level i + 1); the decoder mirrors the encoder with `decoder_channels` (coarsest
    level first). `dilations` are those of the residual units at every level (one unit per dilation).
    `causal`: every convolution only looks at the past; otherwise each residual unit looks
    `(kernel_size - 1) * dilation / 2` samples ahead (more context, more latency).
    `family`: "conv" (this convolutional codec) or "harmonic" (pitch + loudness + timbre code into a
    harmonic-plus-noise synthesiser, sized by `harmonic`; the convolution fields are then unused).
    """

    sample_rate: int = 44100
    n_bands: int = 16
    pqmf_taps_per_band: int = 8
    latent_size: int = 64
    encoder_channels: Tuple[int, ...] = (64, 96, 128, 192, 256, 256)
    decoder_channels: Tuple[int, ...] = (256, 256, 192, 128, 96, 64)
    strides: Tuple[int, ...] = (2, 2, 2, 4, 4)
    dilations: Tuple[int, ...] = (1, 3)
    kernel_size: int = 3
    causal: bool = True
    family: str = "conv"
    harmonic: HarmonicConfig = field(default_factory=HarmonicConfig)

    def __post_init__(self) -> None:
        if self.family not in CODEC_FAMILIES:
            raise ValueError(f"family must be one of {', '.join(CODEC_FAMILIES)}, got {self.family!r}")
        if self.family == "harmonic" and self.latent_size <= 3:
            raise ValueError("a harmonic codec needs latent_size > 3 (pitch, loudness, periodicity + timbre)")
        if len(self.encoder_channels) != len(self.strides) + 1:
            raise ValueError(f"encoder_channels needs len(strides) + 1 = {len(self.strides) + 1} entries, "
                             f"got {len(self.encoder_channels)}")
        if len(self.decoder_channels) != len(self.strides) + 1:
            raise ValueError(f"decoder_channels needs len(strides) + 1 = {len(self.strides) + 1} entries, "
                             f"got {len(self.decoder_channels)}")
        for name, value in (("n_bands", self.n_bands), ("ratio", self.ratio)):
            if value < 1 or value & (value - 1):
                raise ValueError(f"{name} must be a power of two (nn~ buffers are powers of two), got {value}")
        if self.kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be odd, got {self.kernel_size}")

    @property
    def ratio(self) -> int:
        """Audio samples per latent frame."""
        if self.family == "harmonic":
            return self.harmonic.hop
        return self.n_bands * math.prod(self.strides)


@dataclass(frozen=True)
class CodecTrainConfig:
    """Data, losses and schedule (see UPSTREAM.md §3.2 for the reference values).

    `num_signal`: samples per training crop (a multiple of the ratio); steps count generator updates.
    `stft_log_epsilon`: magnitude floor of the reconstruction loss's log term. `initialise_from_data`: rescale
    the fresh network's layers on a batch before training (`after.codec.training.initialise_from_data`; not
    in the reference: it makes the latents carry the signal within a few hundred steps).
    """

    batch_size: int = 6
    num_signal: int = 131072
    max_steps: int = 1_000_000
    save_every: int = 50_000
    val_every: int = 10_000
    learning_rate: float = 1e-4
    discriminator_learning_rate: float = 1e-4
    warmup_steps: int = 200_000
    discriminator_every: int = 1
    feature_matching_weight: float = 20.0
    adversarial_weight: float = 0.0
    latent_penalty_weight: float = 0.1
    latent_penalty_ramp_steps: int = 100_000
    gradient_clip: float = 2.0
    stft_scales: Tuple[int, ...] = (2048, 1024, 512, 256, 128, 64, 32)
    stft_log_epsilon: float = 1e-7
    discriminator_scales: Tuple[int, ...] = (2048, 1024, 512, 256, 128)
    discriminator_channels: int = 32
    gain_probability: float = 0.8
    gain_min_db: float = -20.0
    phase_mangle_probability: float = 0.8
    initialise_from_data: bool = False
    timbre_smoothness_weight: float = 0.0  # harmonic codec: penalty on frame-to-frame changes of the timbre code


@dataclass(frozen=True)
class CodecConfig:
    """Everything a codec run needs; saved as `config.yaml` in the run folder and inside each export."""

    model: CodecModelConfig = field(default_factory=CodecModelConfig)
    train: CodecTrainConfig = field(default_factory=CodecTrainConfig)
