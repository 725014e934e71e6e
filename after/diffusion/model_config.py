"""Architecture configs of the diffusion networks (defaults = the `base` sizes of UPSTREAM.md §4.10).

Presets override them through `DiffusionConfig.model` (`after/configs/{base,midi,tiny}.yaml`); only
`after.diffusion.builders` turns them into modules. Frames are codec latent frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Tuple

STRUCTURE_TYPES = ("audio", "midi")
MIDI_PITCHES = 128  # a MIDI structure is a piano roll [128, T]: zs must be 128


@dataclass(frozen=True)
class DenoiserConfig:
    """Transformer denoiser over latent frames (UPSTREAM §4.4)."""

    embed_dim: int = 512  # E, width of the residual stream
    n_layers: int = 6
    n_heads: int = 8  # head size = embed_dim / n_heads
    mlp_ratio: int = 3  # MLP hidden = mlp_ratio * E
    dropout: float = 0.1  # attention and MLP dropout (training only)
    rotary_dims: int = 32  # head dims that get the rotary embedding (even, ≤ head size)
    rotary_base: float = 10_000.0
    noise_features: int = 64  # Fourier features of the noise level t
    chunk_size: int = 4  # frames attended together (a query sees its whole chunk)
    look_back: int = 8  # past frames a query sees (MIDI preset: 16); also the streaming cache length

    def __post_init__(self) -> None:
        if self.embed_dim < 1 or self.n_layers < 1 or self.n_heads < 1 or self.mlp_ratio < 1:
            raise ValueError("denoiser sizes must be ≥ 1")
        if self.embed_dim % self.n_heads:
            raise ValueError(f"denoiser.embed_dim ({self.embed_dim}) must be a multiple of n_heads ({self.n_heads})")
        head = self.embed_dim // self.n_heads
        if self.rotary_dims % 2 or not 0 <= self.rotary_dims <= head:
            raise ValueError(f"denoiser.rotary_dims must be even and ≤ the head size {head}")
        if self.noise_features < 2 or self.noise_features % 2:
            raise ValueError("denoiser.noise_features must be even and ≥ 2")
        if self.chunk_size < 1 or self.look_back < 0:
            raise ValueError("denoiser.chunk_size must be ≥ 1 and look_back ≥ 0")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("denoiser.dropout must be in [0, 1)")


@dataclass(frozen=True)
class TimbreEncoderConfig:
    """ECAPA-TDNN timbre encoder (UPSTREAM §4.2): channels = (first TDNN, SE-Res2Net blocks..., aggregation)."""

    channels: Tuple[int, ...] = (512, 512, 512, 1024)
    dilations: Tuple[int, ...] = (2, 3)  # one per SE-Res2Net block
    kernel_size: int = 3
    res2net_scale: int = 8
    se_channels: int = 128
    attention_channels: int = 128

    def __post_init__(self) -> None:
        if len(self.channels) < 3:
            raise ValueError("timbre_encoder.channels needs ≥ 3 entries (TDNN, ≥1 SE-Res2Net block, aggregation)")
        if len(self.dilations) != len(self.channels) - 2:
            raise ValueError(f"timbre_encoder.dilations needs one entry per SE-Res2Net block "
                             f"({len(self.channels) - 2})")
        for c in self.channels[1:-1]:
            if c % self.res2net_scale:
                raise ValueError(f"timbre_encoder block channels ({c}) must be multiples of res2net_scale")
        if self.kernel_size < 1 or self.kernel_size % 2 == 0:
            raise ValueError("timbre_encoder.kernel_size must be odd")


@dataclass(frozen=True)
class StructureEncoderConfig:
    """Causal convolutional structure encoder (UPSTREAM §4.3): residual blocks at these widths, then zs."""

    channels: Tuple[int, ...] = (64, 128, 256, 512)
    kernel_size: int = 5
    dropout: float = 0.15
    # Indices of the latent channels it reads (empty: all). Harmonic codec: 0 pitch, 1 loudness, 2 periodicity.
    latent_channels: Tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if any(c < 0 for c in self.latent_channels) or len(set(self.latent_channels)) != len(self.latent_channels):
            raise ValueError("structure_encoder.latent_channels must be distinct channel indices ≥ 0")
        if not self.channels or min(self.channels) < 1:
            raise ValueError("structure_encoder.channels must be a non-empty list of widths ≥ 1")
        if self.kernel_size < 1:
            raise ValueError("structure_encoder.kernel_size must be ≥ 1")


@dataclass(frozen=True)
class ClassifierConfig:
    """Adversarial classifier: predicts the timbre vector from the structure signal (UPSTREAM §4.6)."""

    channels: Tuple[int, ...] = (64, 64, 64, 64)
    strides: Tuple[int, ...] = (1, 1, 2, 2)
    kernel_size: int = 5

    def __post_init__(self) -> None:
        if len(self.channels) != len(self.strides) or not self.channels:
            raise ValueError("classifier.channels and classifier.strides need the same (non-zero) length")


@dataclass(frozen=True)
class ModelConfig:
    """The three networks plus the sizes of the two conditions (zs per frame, zt global)."""

    structure_type: str = "audio"  # "audio": structure encoder on latents; "midi": piano roll [128, T]
    zs: int = 12
    zt: int = 6
    denoiser: DenoiserConfig = field(default_factory=DenoiserConfig)
    timbre_encoder: TimbreEncoderConfig = field(default_factory=TimbreEncoderConfig)
    structure_encoder: StructureEncoderConfig = field(default_factory=StructureEncoderConfig)
    classifier: ClassifierConfig = field(default_factory=ClassifierConfig)
    # Channel 0 of the generated latents is the structure's pitch (`after.diffusion.pins`): for codecs whose
    # first latent channel is the pitch (the harmonic codec, `--config ddspAE`).
    pitch_pin: bool = False
    # Audio descriptors (`after.data.descriptors.DESCRIPTORS`: loudness, centroid, bandwidth, rolloff, flatness)
    # read with the latents by the structure encoder: F extra input channels, standardised with the training
    # set's statistics (`feature_stats.json`). Training reads them from the database (`prepare_dataset
    # --descriptors`), `after transfer` and the nn~ export compute them from the structure audio. Empty: none.
    structure_features: Tuple[str, ...] = ()

    @property
    def midi(self) -> bool:
        return self.structure_type == "midi"

    def __post_init__(self) -> None:
        if self.structure_type not in STRUCTURE_TYPES:
            raise ValueError(f"model.structure_type must be one of {', '.join(STRUCTURE_TYPES)}")
        if self.structure_type == "midi" and self.zs != MIDI_PITCHES:
            raise ValueError(f"model.zs must be {MIDI_PITCHES} (piano-roll rows) when structure_type is midi")
        if self.zs < 1 or self.zt < 1:
            raise ValueError("model.zs and model.zt must be ≥ 1")
        check_structure_features(self.structure_features, self.structure_type)


def check_structure_features(names: Tuple[str, ...], structure_type: str) -> None:
    """`ValueError` (one line, naming `model.structure_features`) for names that cannot condition the structure."""
    from after.data.descriptors import DESCRIPTORS

    if not names:
        return
    if structure_type == "midi":
        raise ValueError("model.structure_features: a MIDI model's structure is the piano roll, with no structure "
                         "encoder to read audio descriptors; leave it empty (it is for audio→audio models)")
    if "beat_clock" in names:
        raise ValueError("model.structure_features: beat_clock cannot be a structure condition (the beat tracker "
                         f"needs the whole clip, a live stream cannot compute it); use descriptors: "
                         f"{', '.join(DESCRIPTORS)}")
    unknown = [n for n in names if n not in DESCRIPTORS]
    if unknown:
        raise ValueError(f"model.structure_features: unknown descriptor {unknown[0]!r}; valid: "
                         f"{', '.join(DESCRIPTORS)}")
    if len(set(names)) != len(names):
        raise ValueError("model.structure_features: a descriptor is named twice")
