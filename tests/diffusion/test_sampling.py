"""Offline Euler sampler and the two-knob guidance (UPSTREAM §5.1)."""

from __future__ import annotations

import pytest
import torch

from after.diffusion.networks import dropped_like
from after.diffusion.sampling import active_passes, guidance_weights, guided_velocity, sample
from tests.helpers.small_diffusion import LATENT_SIZE, small_networks

torch.set_num_threads(1)


class CountRows:
    """Records the batch size of every denoiser call (a forward hook on its input projection)."""

    def __init__(self, denoiser):
        self.rows: list[int] = []
        self.handle = denoiser.input_proj.register_forward_hook(lambda _m, args, _o: self.rows.append(args[0].shape[0]))

    def remove(self):
        self.handle.remove()


def reference_guidance(denoiser, x, t, timbre, structure, g_timbre, g_structure, midi):
    """The three-pass formula written out as in UPSTREAM §5.1."""
    v_full = denoiser(x, t, timbre, structure)
    v_none = denoiser(x, t, dropped_like(timbre), dropped_like(structure))
    g = 0.5 * (g_structure + g_timbre)
    if midi:
        v_partial = denoiser(x, t, timbre, dropped_like(structure))
        k = g_structure / max(g_timbre, 0.1)
    else:
        v_partial = denoiser(x, t, dropped_like(timbre), structure)
        k = g_timbre / max(g_structure, 0.1)
    return v_none + g * (v_partial + k * (v_full - v_partial) - v_none)


def inputs(midi=False, frames=12, batch=2):
    zs = 128 if midi else 12
    return (torch.randn(batch, LATENT_SIZE, frames), torch.rand(batch), torch.randn(batch, 6),
            torch.randn(batch, zs, frames))


def test_weights_and_passes():
    assert guidance_weights(1.0, 1.0, False) == [1.0, 0.0, 0.0]
    assert guidance_weights(1.0, 1.0, True) == [1.0, 0.0, 0.0]
    assert active_passes(guidance_weights(1.0, 1.0, False)) == [0]
    assert active_passes(guidance_weights(2.0, 2.0, False)) == [0, 2]  # k = 1: no partial pass
    assert active_passes(guidance_weights(1.5, 0.5, False)) == [0, 1]  # g = 1: no unconditioned pass
    assert active_passes(guidance_weights(3.0, 0.5, False)) == [0, 1, 2]
    assert guidance_weights(2.0, 1.0, True) == pytest.approx([0.75, 0.75, -0.5])  # MIDI: k = g_s / g_t
    for knobs in [(0.0, 0.0), (2.0, 3.0), (0.3, 7.0)]:
        assert sum(guidance_weights(*knobs, False)) == pytest.approx(1.0)


@pytest.mark.parametrize("midi", [False, True])
def test_unit_knobs_give_the_conditioned_velocity_in_one_pass(midi):
    denoiser = small_networks(midi=midi).denoiser
    x, t, timbre, structure = inputs(midi)
    counter = CountRows(denoiser)
    with torch.no_grad():
        guided = guided_velocity(denoiser, x, t, timbre, structure, 1.0, 1.0, midi)
    assert counter.rows == [2]  # one network pass over the batch of 2
    counter.remove()
    with torch.no_grad():
        torch.testing.assert_close(guided, denoiser(x, t, timbre, structure), rtol=0, atol=1e-6)


@pytest.mark.parametrize("midi", [False, True])
@pytest.mark.parametrize("knobs,passes_audio,passes_midi",
                         [((2.0, 2.0), 2, 2), ((1.5, 0.5), 2, 2), ((3.0, 0.5), 3, 3), ((0.0, 2.0), 1, 2)])
def test_guidance_matches_the_formula_with_batched_passes(midi, knobs, passes_audio, passes_midi):
    """Audio at g_t = 0: v = v_structure-only, a single pass."""
    n_passes = passes_midi if midi else passes_audio
    denoiser = small_networks(midi=midi).denoiser
    x, t, timbre, structure = inputs(midi)
    counter = CountRows(denoiser)
    with torch.no_grad():
        guided = guided_velocity(denoiser, x, t, timbre, structure, knobs[0], knobs[1], midi)
    counter.remove()
    assert counter.rows == [2 * n_passes]  # the needed passes run as one batch
    with torch.no_grad():
        expected = reference_guidance(denoiser, x, t, timbre, structure, knobs[0], knobs[1], midi)
    torch.testing.assert_close(guided, expected, rtol=1e-5, atol=1e-5)


def test_seeded_sampling_is_deterministic():
    denoiser = small_networks().denoiser
    _, _, timbre, structure = inputs(frames=10)
    shape = (2, LATENT_SIZE, 10)
    with torch.no_grad():
        a = sample(denoiser, shape, timbre, structure, 3, 2.0, 1.5, generator=torch.Generator().manual_seed(7))
        b = sample(denoiser, shape, timbre, structure, 3, 2.0, 1.5, generator=torch.Generator().manual_seed(7))
        c = sample(denoiser, shape, timbre, structure, 3, 2.0, 1.5, generator=torch.Generator().manual_seed(8))
    assert torch.equal(a, b)
    assert not torch.allclose(a, c)


@pytest.mark.parametrize("midi", [False, True])
def test_sample_is_euler_over_guided_velocity_any_length(midi):
    """37 frames (not a multiple of the chunk); the sampler's reuse of the conditioning equals plain Euler
    steps x += v(x, i/n)/n over `guided_velocity`."""
    denoiser = small_networks(midi=midi).denoiser
    noise, _, timbre, structure = inputs(midi, frames=37)
    steps, knobs = 4, (2.5, 0.7)
    done: list[int] = []
    with torch.no_grad():
        result = sample(denoiser, noise, timbre, structure, steps, *knobs, midi=midi, callback=done.append)
        x = noise.clone()
        for i in range(steps):
            t = torch.full((2,), i / steps)
            x = x + guided_velocity(denoiser, x, t, timbre, structure, *knobs, midi) / steps
    assert result.shape == noise.shape and done == [0, 1, 2, 3]
    torch.testing.assert_close(result, x, rtol=0, atol=1e-5)


def test_sample_rejects_zero_steps():
    denoiser = small_networks().denoiser
    noise, _, timbre, structure = inputs()
    with pytest.raises(ValueError, match="nb_steps"):
        sample(denoiser, noise, timbre, structure, 0)
