"""Config → modules: the only place that reads `ModelConfig` to build the diffusion networks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from after.diffusion.model_config import ModelConfig
from after.diffusion.networks import Denoiser, StructureEncoder, TimbreClassifier, TimbreEncoder


@dataclass
class Networks:
    """The networks of one model. MIDI models have no structure encoder and no classifier (the piano roll is
    the structure)."""

    denoiser: Denoiser
    timbre_encoder: TimbreEncoder
    structure_encoder: Optional[StructureEncoder]
    classifier: Optional[TimbreClassifier]


def build_denoiser(model_cfg: ModelConfig, latent_size: int) -> Denoiser:
    d = model_cfg.denoiser
    return Denoiser(latent_size, model_cfg.zs, model_cfg.zt, embed_dim=d.embed_dim, n_layers=d.n_layers,
                    n_heads=d.n_heads, mlp_ratio=d.mlp_ratio, dropout=d.dropout, rotary_dims=d.rotary_dims,
                    rotary_base=d.rotary_base, noise_features=d.noise_features, chunk_size=d.chunk_size,
                    look_back=d.look_back)


def build_timbre_encoder(model_cfg: ModelConfig, latent_size: int) -> TimbreEncoder:
    e = model_cfg.timbre_encoder
    return TimbreEncoder(latent_size, model_cfg.zt, list(e.channels), list(e.dilations), e.kernel_size,
                         e.res2net_scale, e.se_channels, e.attention_channels)


def build_structure_encoder(model_cfg: ModelConfig, latent_size: int) -> StructureEncoder:
    s = model_cfg.structure_encoder
    return StructureEncoder(latent_size, model_cfg.zs, list(s.channels), s.kernel_size, s.dropout,
                            s.latent_channels, len(model_cfg.structure_features))


def build_classifier(model_cfg: ModelConfig) -> TimbreClassifier:
    c = model_cfg.classifier
    return TimbreClassifier(model_cfg.zs, model_cfg.zt, list(c.channels), list(c.strides), c.kernel_size)


def build_networks(model_cfg: ModelConfig, latent_size: int) -> Networks:
    """All networks of a model for codec latents of `latent_size` channels."""
    audio = not model_cfg.midi
    return Networks(
        denoiser=build_denoiser(model_cfg, latent_size),
        timbre_encoder=build_timbre_encoder(model_cfg, latent_size),
        structure_encoder=build_structure_encoder(model_cfg, latent_size) if audio else None,
        classifier=build_classifier(model_cfg) if audio else None,
    )
