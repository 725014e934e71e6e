"""`structure_encoder.latent_channels`: the structure reads only the chosen latent channels (with the harmonic
codec, the melody's), offline and streaming alike, so the other channels (the timbre code) cannot reach it."""

import pytest
import torch

from after.diffusion.networks.structure_encoder import StructureEncoder


def test_structure_ignores_the_channels_it_does_not_read():
    torch.manual_seed(0)
    encoder = StructureEncoder(16, 8, [16, 16], 3, 0.0, latent_channels=[0, 2]).eval()
    z = torch.randn(2, 16, 20)
    other = z.clone()
    other[:, [1] + list(range(3, 16))] = torch.randn(2, 14, 20)
    with torch.no_grad():
        assert torch.equal(encoder(z), encoder(other))
        changed = z.clone()
        changed[:, 2] += 1.0
        assert not torch.equal(encoder(z), encoder(changed))
        state = encoder.initial_state(z)
        first, state = encoder.forward_stream(z[..., :7], state)
        second, _ = encoder.forward_stream(z[..., 7:], state)
        assert torch.allclose(torch.cat([first, second], -1), encoder(z), atol=1e-5)


def test_channels_outside_the_codec_are_refused():
    with pytest.raises(ValueError, match="latent_channels"):
        StructureEncoder(4, 8, [16], 3, 0.0, latent_channels=[0, 5])
