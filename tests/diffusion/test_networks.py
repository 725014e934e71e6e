"""Diffusion networks: shapes, configs, the chunked local causal mask, cache == full mask, causality of the
structure encoder, regularisers, scripting."""

from __future__ import annotations

import pytest
import torch

from after.config import load_config
from after.diffusion.builders import build_networks
from after.diffusion.model_config import DenoiserConfig, ModelConfig
from after.diffusion.networks import DROP_VALUE, cosine_loss, dropped_like, soft_box_penalty
from after.diffusion.networks.attention import local_chunk_mask
from after.errors import ConfigError
from after.nn_tilde.compat import check_operators, load_schemas, nn_tilde_schemas_path
from tests.helpers.small_diffusion import LATENT_SIZE, small_networks

torch.set_num_threads(1)


def test_shapes_audio_and_midi():
    audio = small_networks()
    z = torch.randn(3, LATENT_SIZE, 20)
    structure = audio.structure_encoder(z)
    assert structure.shape == (3, 12, 20)
    timbre = audio.timbre_encoder(z)
    assert timbre.shape == (3, 6)
    assert audio.timbre_encoder(torch.randn(3, LATENT_SIZE, 7)).shape == (3, 6)  # any crop length
    assert audio.classifier(structure).shape == (3, 6)
    assert audio.denoiser(z, torch.rand(3), timbre, structure).shape == z.shape
    midi = small_networks(midi=True)
    assert midi.structure_encoder is None and midi.classifier is None
    roll = torch.rand(3, 128, 20)
    assert midi.denoiser(z, torch.rand(3), torch.randn(3, 6), roll).shape == z.shape


def test_base_defaults_and_validation():
    cfg = ModelConfig()
    assert (cfg.zs, cfg.zt, cfg.denoiser.embed_dim, cfg.denoiser.look_back, cfg.denoiser.chunk_size) == (12, 6, 512,
                                                                                                       8, 4)
    with pytest.raises(ConfigError, match="zs must be 128"):
        load_config(ModelConfig, [], ["structure_type=midi"])
    assert load_config(ModelConfig, [], ["structure_type=midi", "zs=128"]).midi
    with pytest.raises(ConfigError, match="multiple of n_heads"):
        load_config(ModelConfig, [], ["denoiser.n_heads=5"])
    with pytest.raises(ValueError):
        DenoiserConfig(rotary_dims=3)


def test_mask_pattern():
    """Query i sees its whole chunk of 4 and the frames at most look_back (2 here) before it."""
    mask = local_chunk_mask(12, 0, 4, 2, torch.device("cpu"))
    seen = {i: set(torch.nonzero(mask[i]).flatten().tolist()) for i in range(12)}
    assert seen[0] == {0, 1, 2, 3}
    assert seen[5] == {3, 4, 5, 6, 7}
    assert seen[8] == {6, 7, 8, 9, 10, 11}
    assert seen[11] == {8, 9, 10, 11}
    # With 3 cached frames, the queries are frames 3.. of the key axis and start a new chunk.
    cached = local_chunk_mask(4, 3, 4, 2, torch.device("cpu"))
    assert torch.equal(cached, mask[8:12, 5:12])


def test_denoiser_causal_by_gradient():
    """An output frame depends on its own chunk and the past, never on a later chunk, nor on frames beyond
    the receptive field (n_layers × look_back + chunk)."""
    denoiser = small_networks(look_back=2).denoiser
    x = torch.randn(1, LATENT_SIZE, 24, requires_grad=True)
    velocity = denoiser(x, torch.rand(1), torch.randn(1, 6), torch.randn(1, 12, 24))
    velocity[:, :, 13].sum().backward()
    per_frame = x.grad.abs().sum(dim=1).flatten()
    assert torch.all(per_frame[16:] == 0)  # later chunks
    assert torch.all(per_frame[12:16] > 0)  # its own chunk, including later frames
    assert torch.all(per_frame[:4] == 0)  # beyond 2 layers × 2 frames of look-back
    assert per_frame[11] > 0


def test_cache_matches_full_mask():
    """Running chunk by chunk with the last look_back keys/values cached == the full sequence under the
    training mask (tolerance 1e-5)."""
    denoiser = small_networks().denoiser
    frames, look_back = 32, denoiser.look_back
    x = torch.randn(2, LATENT_SIZE, frames)
    t, timbre, structure = torch.rand(2), torch.randn(2, 6), torch.randn(2, 12, frames)
    with torch.no_grad():
        full = denoiser(x, t, timbre, structure)
        global_mod = denoiser.global_modulation(t, timbre)
        past = denoiser.empty_past(2, x)
        pieces = []
        for start in range(0, frames, 4):
            n_past = past.size(4)
            cos, sin = denoiser.rotary(n_past + 4, x)
            out, seen = denoiser.forward_conditioned(
                x[..., start:start + 4], denoiser.structure_modulation(structure[..., start:start + 4]), global_mod,
                past, cos, sin, denoiser.mask(4, n_past, x))
            pieces.append(out)
            past = torch.stack(seen)[..., -look_back:, :]
    torch.testing.assert_close(torch.cat(pieces, dim=2), full, rtol=0, atol=1e-5)


def test_long_sequences_use_the_same_mask_blockwise():
    """Beyond `full_mask_frames` the mask is applied block by block; same result as the explicit [T, T] mask
    (tolerance 1e-5)."""
    denoiser = small_networks().denoiser
    frames = 301
    assert denoiser.offline_mask(frames, torch.zeros(1)) is None
    x = torch.randn(1, LATENT_SIZE, frames)
    t, timbre, structure = torch.rand(1), torch.randn(1, 6), torch.randn(1, 12, frames)
    with torch.no_grad():
        cos, sin = denoiser.rotary(frames, x)
        explicit, _ = denoiser.forward_conditioned(x, denoiser.structure_modulation(structure),
                                                   denoiser.global_modulation(t, timbre), denoiser.empty_past(1, x),
                                                   cos, sin, denoiser.mask(frames, 0, x))
        torch.testing.assert_close(denoiser(x, t, timbre, structure), explicit, rtol=0, atol=1e-5)


def test_conditions_change_the_velocity():
    denoiser = small_networks().denoiser
    x = torch.randn(1, LATENT_SIZE, 8)
    t, timbre, structure = torch.rand(1), torch.randn(1, 6), torch.randn(1, 12, 8)
    with torch.no_grad():
        v = denoiser(x, t, timbre, structure)
        assert not torch.allclose(v, denoiser(x, t, dropped_like(timbre), structure))
        assert not torch.allclose(v, denoiser(x, t, timbre, dropped_like(structure)))
        assert not torch.allclose(v, denoiser(x, 1 - t, timbre, structure))


def test_structure_encoder_causal_by_gradient():
    encoder = small_networks().structure_encoder
    z = torch.randn(1, LATENT_SIZE, 30, requires_grad=True)
    encoder(z)[:, :, 17].sum().backward()
    per_frame = z.grad.abs().sum(dim=1).flatten()
    assert torch.all(per_frame[18:] == 0)
    assert per_frame[17] > 0 and per_frame[10] > 0


def test_regularisers_and_drop_value():
    assert soft_box_penalty(torch.tensor([0.5, -0.9, 0.0])).item() == 0.0
    assert soft_box_penalty(torch.tensor([0.5, -2.0, 3.0])).item() == pytest.approx(1.0)
    assert torch.all(dropped_like(torch.randn(2, 3)) == DROP_VALUE)
    a = torch.randn(4, 6)
    assert cosine_loss(a, 2 * a).item() == pytest.approx(0.0, abs=1e-6)
    assert cosine_loss(a, -a).item() == pytest.approx(2.0, abs=1e-6)


def test_timbre_encoder_ignores_batch_neighbours():
    encoder = small_networks().timbre_encoder
    z = torch.randn(3, LATENT_SIZE, 24)
    with torch.no_grad():
        torch.testing.assert_close(encoder(z)[1:2], encoder(z[1:2]), rtol=0, atol=1e-5)


def test_every_network_scripts_and_matches_eager():
    networks = small_networks()
    z = torch.randn(2, LATENT_SIZE, 12)
    t, timbre, structure = torch.rand(2), torch.randn(2, 6), torch.randn(2, 12, 12)
    with torch.no_grad():
        torch.testing.assert_close(torch.jit.script(networks.denoiser)(z, t, timbre, structure),
                                   networks.denoiser(z, t, timbre, structure))
        for module, x in ((networks.timbre_encoder, z), (networks.structure_encoder, z),
                          (networks.classifier, structure)):
            torch.testing.assert_close(torch.jit.script(module)(x), module(x))


def test_networks_only_use_libtorch_2_5_1_operators():
    """The encoders run inside exports too: their scripted graphs pass the nn~ libtorch operator check."""
    schemas = load_schemas(nn_tilde_schemas_path())
    networks = small_networks()
    for module in (networks.denoiser, networks.timbre_encoder, networks.structure_encoder):
        assert check_operators(torch.jit.script(module), schemas) == []


def test_base_sizes_build():
    """The `base` defaults build the sizes of UPSTREAM §4.10 (within our layer choices)."""
    networks = build_networks(ModelConfig(), 64)
    millions = {name: sum(p.numel() for p in module.parameters()) / 1e6
                for name, module in vars(networks).items()}
    assert 15 < millions["denoiser"] < 22
    assert 2 < millions["timbre_encoder"] < 6
    assert 2 < millions["structure_encoder"] < 5
    assert millions["classifier"] < 0.5
