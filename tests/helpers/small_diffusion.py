"""Small diffusion networks for tests: the real modules at tiny widths, with every weight drawn at random
(the zero-initialised modulation layers included, so that the conditions change the output)."""

from __future__ import annotations

import torch

from after.diffusion.builders import Networks, build_networks
from after.diffusion.model_config import (
    ClassifierConfig,
    DenoiserConfig,
    ModelConfig,
    StructureEncoderConfig,
    TimbreEncoderConfig,
)

LATENT_SIZE = 16


def small_config(midi: bool = False, look_back: int = 8) -> ModelConfig:
    return ModelConfig(
        structure_type="midi" if midi else "audio",
        zs=128 if midi else 12,
        zt=6,
        denoiser=DenoiserConfig(embed_dim=32, n_layers=2, n_heads=2, rotary_dims=8, noise_features=16,
                                look_back=look_back),
        timbre_encoder=TimbreEncoderConfig(channels=(32, 32, 32, 64), res2net_scale=4, se_channels=8,
                                           attention_channels=16),
        structure_encoder=StructureEncoderConfig(channels=(16, 24)),
        classifier=ClassifierConfig(channels=(16, 16), strides=(1, 2)),
    )


def small_networks(midi: bool = False, look_back: int = 8, seed: int = 0) -> Networks:
    """Networks of `small_config` with random weights, in eval mode."""
    torch.manual_seed(seed)
    networks = build_networks(small_config(midi, look_back), LATENT_SIZE)
    for module in (networks.denoiser, networks.timbre_encoder, networks.structure_encoder, networks.classifier):
        if module is None:
            continue
        with torch.no_grad():
            for name, parameter in module.named_parameters():
                if name.endswith("_mod.weight"):
                    parameter.normal_(0.0, 0.3)
        module.eval()
    return networks
