"""Streaming generation and the streaming structure encoder: equality with the offline computations,
bounded state, resets, batch independence, TorchScript save/load and the libtorch 2.5.1 operator check."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from after.diffusion.sampling import sample
from after.diffusion.streaming import StreamingGenerator, StreamingStructureEncoder
from after.nn_tilde.compat import (
    check_operators,
    check_saved_model,
    file_format_version,
    load_schemas,
    nn_tilde_schemas_path,
)
from tests.helpers.small_diffusion import LATENT_SIZE, small_networks

torch.set_num_threads(1)

SCHEMAS = nn_tilde_schemas_path()  # shipped in the package
TOLERANCE = 1e-4  # absolute, on latents of magnitude ~1-5 (observed differences ≈ 5e-7: float rounding)


def stream(generator, noise, timbre, structure, frames_per_call, nb_steps, knobs):
    pieces = [generator.generate_chunk(noise[..., i:i + frames_per_call], timbre,
                                       structure[..., i:i + frames_per_call], nb_steps, knobs[0], knobs[1])
              for i in range(0, noise.size(2), frames_per_call)]
    return torch.cat(pieces, dim=2)


def conditions(midi, batch=2, frames=40, seed=0):
    generator = torch.Generator().manual_seed(seed)
    zs = 128 if midi else 12
    noise = torch.randn(batch, LATENT_SIZE, frames, generator=generator)
    return noise, torch.randn(batch, 6, generator=generator), torch.randn(batch, zs, frames, generator=generator)


@pytest.mark.parametrize("midi", [False, True])
@pytest.mark.parametrize("knobs", [(1.0, 1.0), (2.0, 2.0), (3.0, 0.5)])
@pytest.mark.parametrize("frames_per_call", [4, 8])
def test_streaming_equals_offline_sampler(midi, knobs, frames_per_call):
    """Chunked streaming over 40 frames == `sample` over the whole sequence (same noise, training mask)."""
    networks = small_networks(midi=midi, look_back=16 if midi else 8)
    noise, timbre, structure = conditions(midi)
    generator = StreamingGenerator(networks.denoiser, midi)
    with torch.no_grad():
        offline = sample(networks.denoiser, noise, timbre, structure, 3, knobs[0], knobs[1], midi=midi)
        streamed = stream(generator, noise, timbre, structure, frames_per_call, 3, knobs)
    torch.testing.assert_close(streamed, offline, rtol=0, atol=TOLERANCE)


def test_state_is_bounded_and_starts_empty():
    networks = small_networks()
    generator = StreamingGenerator(networks.denoiser, False)
    noise, timbre, structure = conditions(False, frames=4)
    with torch.no_grad():
        generator.generate_chunk(noise, timbre, structure, 2, 2.0, 2.0)
        assert generator.cached_frames == 4  # started empty: only this chunk is cached
        shape = generator.cache_tensor().shape
        for _ in range(30):
            generator.generate_chunk(noise, timbre, structure, 2, 2.0, 2.0)
    # steps, passes, layers, keys/values, B, H, look_back, Dh
    assert generator.cache_tensor().shape == shape == (2, 3, 2, 2, 2, 2, 8, 16)
    assert generator.cached_frames == 8
    assert len(generator.cache) == 2 * 3 and all(entry.shape[4] <= 8 for entry in generator.cache)


def test_batch_items_are_independent_streams():
    networks = small_networks()
    noise, timbre, structure = conditions(False, batch=3, frames=16)
    with torch.no_grad():
        together = stream(StreamingGenerator(networks.denoiser, False), noise, timbre, structure, 4, 2, (2.0, 1.5))
        for item in range(3):
            alone = stream(StreamingGenerator(networks.denoiser, False), noise[item:item + 1],
                           timbre[item:item + 1], structure[item:item + 1], 4, 2, (2.0, 1.5))
            torch.testing.assert_close(together[item:item + 1], alone, rtol=0, atol=TOLERANCE)


def test_reset_and_batch_change_restart_the_stream():
    networks = small_networks()
    noise, timbre, structure = conditions(False, batch=2, frames=16)
    with torch.no_grad():
        first = StreamingGenerator(networks.denoiser, False).generate_chunk(noise[..., :4], timbre,
                                                                             structure[..., :4], 2, 1.0, 1.0)
        generator = StreamingGenerator(networks.denoiser, False)
        stream(generator, noise, timbre, structure, 4, 2, (1.0, 1.0))
        generator.reset_state()
        torch.testing.assert_close(generator.generate_chunk(noise[..., :4], timbre, structure[..., :4], 2, 1.0, 1.0),
                                   first, rtol=0, atol=0)
        stream(generator, noise, timbre, structure, 4, 2, (1.0, 1.0))
        one = generator.generate_chunk(noise[:1, :, :4], timbre[:1], structure[:1, :, :4], 2, 1.0, 1.0)
        torch.testing.assert_close(one, first[:1], rtol=0, atol=TOLERANCE)


def test_rejects_partial_chunks():
    generator = StreamingGenerator(small_networks().denoiser, False)
    noise, timbre, structure = conditions(False, frames=6)
    with pytest.raises(RuntimeError, match="multiple of the attention chunk"):
        generator.generate_chunk(noise, timbre, structure, 1, 1.0, 1.0)


def test_scripted_generator_saves_loads_and_matches(tmp_path):
    networks = small_networks()
    noise, timbre, structure = conditions(False, frames=16)
    path = tmp_path / "generator.ts"
    torch.jit.save(torch.jit.script(StreamingGenerator(networks.denoiser, False)), str(path))
    loaded = torch.jit.load(str(path))
    with torch.no_grad():
        eager = stream(StreamingGenerator(networks.denoiser, False), noise, timbre, structure, 4, 3, (2.0, 0.5))
        scripted = stream(loaded, noise, timbre, structure, 4, 3, (2.0, 0.5))
        loaded.reset_state()
        again = stream(loaded, noise, timbre, structure, 4, 3, (2.0, 0.5))
    torch.testing.assert_close(scripted, eager, rtol=0, atol=TOLERANCE)
    torch.testing.assert_close(again, scripted, rtol=0, atol=0)


@pytest.mark.parametrize("chunks", [[1] * 20, [3, 5, 7, 1, 4], [20]])
def test_streaming_structure_encoder_equals_offline(chunks):
    encoder = small_networks().structure_encoder
    z = torch.randn(2, LATENT_SIZE, sum(chunks))
    streaming = torch.jit.script(StreamingStructureEncoder(encoder))
    with torch.no_grad():
        offline = encoder(z)
        pieces, start = [], 0
        for size in chunks:
            pieces.append(streaming(z[..., start:start + size]))
            start += size
        torch.testing.assert_close(torch.cat(pieces, dim=2), offline, rtol=0, atol=1e-5)
        # A different batch size starts a new stream (zero history), like `reset_state()`.
        torch.testing.assert_close(streaming(z[:1, :, :4]), offline[:1, :, :4], rtol=0, atol=1e-5)
        streaming.reset_state()
        torch.testing.assert_close(streaming(z[:1, :, :4]), offline[:1, :, :4], rtol=0, atol=1e-5)


def test_streaming_modules_only_use_libtorch_2_5_1_operators(tmp_path):
    """Walk the inlined graphs of the scripted streaming modules: every operator exists in libtorch 2.5.1
    with compatible arguments, and the saved file's format version is readable there."""
    schemas = load_schemas(SCHEMAS)
    for midi in (False, True):
        networks = small_networks(midi=midi)
        module = torch.jit.script(StreamingGenerator(networks.denoiser, midi))
        assert check_operators(module, schemas) == []
        path = tmp_path / f"generator_{midi}.ts"
        torch.jit.save(module, str(path))
        assert file_format_version(path) <= schemas.max_operator_version
        assert check_saved_model(path, schemas) == []
    encoder = torch.jit.script(StreamingStructureEncoder(small_networks().structure_encoder))
    assert check_operators(encoder, schemas) == []


class _Resample(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(x, scale_factor=2.0)


class _Spectrum(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stft(x, 64, return_complex=True).abs()


class _BinaryCrossEntropy(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.binary_cross_entropy(torch.sigmoid(x), torch.sigmoid(x))


@pytest.mark.parametrize("module,operator", [(_Resample, "aten::_upsample_lanczos2d_aa"), (_Spectrum, "aten::stft"),
                                             (_BinaryCrossEntropy, "aten::broadcast_shapes")])
def test_operator_check_flags_what_breaks_in_libtorch_2_5_1(module, operator):
    """The three failures ENV.md records for nn~'s libtorch are reported."""
    issues = check_operators(torch.jit.script(module()), load_schemas(SCHEMAS))
    assert any(issue.operator.startswith(operator) for issue in issues), issues


@torch.jit.interface
class _Layer(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pass


class _Halve(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x


class _CallsThroughInterface(torch.nn.Module):
    """Calls its layers through an interface (as the exports do): their code is not in the inlined graph."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = torch.nn.ModuleList([_Halve(), _Spectrum()])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for index in range(2):
            layer: _Layer = self.layers[index]
            x = layer.forward(x)
        return x


def test_operator_check_follows_calls_through_interfaces():
    module = torch.jit.script(_CallsThroughInterface())
    assert "aten::stft" not in str(module.forward.inlined_graph)
    issues = check_operators(module, load_schemas(SCHEMAS))
    assert [issue.method for issue in issues if issue.operator.startswith("aten::stft")] == ["layers.1.forward"]


@pytest.mark.parametrize("knobs,rows_per_step", [((1.0, 1.0), 2), ((2.0, 2.0), 4), ((3.0, 0.5), 6)])
def test_streaming_runs_only_the_needed_passes(knobs, rows_per_step):
    """One denoiser call per Euler step over the batch (2) times the passes the knobs need."""
    networks = small_networks()
    rows: list[int] = []
    handle = networks.denoiser.input_proj.register_forward_hook(lambda _m, args, _o: rows.append(args[0].shape[0]))
    noise, timbre, structure = conditions(False, frames=4)
    with torch.no_grad():
        StreamingGenerator(networks.denoiser, False).generate_chunk(noise, timbre, structure, 3, *knobs)
    handle.remove()
    assert rows == [rows_per_step] * 3


def test_a_pass_switched_on_mid_stream_starts_from_the_running_cache():
    """1/1 runs the full pass only; at 2/2 the unconditioned pass joins with the full pass's past frames
    (not an empty or zero past), and the stream is not restarted."""
    networks = small_networks()
    generator = StreamingGenerator(networks.denoiser, False)
    noise, timbre, structure = conditions(False, frames=16)
    with torch.no_grad():
        stream(generator, noise[..., :12], timbre, structure[..., :12], 4, 2, (1.0, 1.0))
        full_past = generator.cache_tensor()[:, 0]  # [steps, layers, 2, B, H, look_back=8, Dh]
        out = generator.generate_chunk(noise[..., 12:], timbre, structure[..., 12:], 2, 2.0, 2.0)
    assert generator.cached_frames == 8 and torch.isfinite(out).all()
    # The 4 older frames now cached for the unconditioned pass are the full pass's 4 latest before the switch.
    cache = generator.cache_tensor()
    torch.testing.assert_close(cache[:, 2, ..., :4, :], full_past[..., 4:, :], rtol=0, atol=0)
    assert not torch.equal(cache[:, 2, ..., 4:, :], cache[:, 0, ..., 4:, :])


def test_streaming_equals_offline_sampler_on_a_long_sequence():
    """160 frames: beyond the denoiser's `full_mask_frames`, the offline sampler applies the mask blockwise."""
    networks = small_networks()
    noise, timbre, structure = conditions(False, frames=160)
    assert networks.denoiser.offline_mask(160, noise) is None
    with torch.no_grad():
        offline = sample(networks.denoiser, noise, timbre, structure, 2, 2.0, 2.0)
        streamed = stream(StreamingGenerator(networks.denoiser, False), noise, timbre, structure, 8, 2, (2.0, 2.0))
    torch.testing.assert_close(streamed, offline, rtol=0, atol=TOLERANCE)


def test_a_timbre_prepared_in_parts_gives_the_same_stream():
    """`prepare_timbre` over one call per denoiser layer (MLP + the modulation layer's first rows, then the next
    rows) leaves the timbre modulation that the next chunk would have computed itself; the stream is the same."""
    networks = small_networks()
    noise, timbre, structure = conditions(False, frames=12)
    new_timbre = torch.randn_like(timbre)
    plain, prepared = (StreamingGenerator(networks.denoiser, False) for _ in range(2))
    with torch.no_grad():
        outputs = []
        for generator in (plain, prepared):
            first = generator.generate_chunk(noise[..., :4], timbre, structure[..., :4], 3, 2.0, 0.5)
            if generator is prepared:
                parts = networks.denoiser.n_layers
                assert parts >= 2
                for part in range(parts):
                    assert not torch.equal(generator.global_mod_timbres[:2], new_timbre)  # not adopted yet
                    generator.prepare_timbre(new_timbre, 3, 2.0, 0.5, part, parts)
                timbres = generator.global_mod_timbres
                assert timbres.shape[0] == 2 * len(generator.fresh_passes) and torch.equal(timbres[:2], new_timbre)
                computed = networks.denoiser.global_modulation(
                    (torch.arange(3) / 3.0).repeat_interleave(timbres.shape[0]), timbres.repeat(3, 1))
                torch.testing.assert_close(generator.global_mod, computed, rtol=1e-5, atol=1e-6)
            rest = stream(generator, noise[..., 4:], new_timbre, structure[..., 4:], 4, 3, (2.0, 0.5))
            outputs.append(torch.cat([first, rest], dim=2))
    torch.testing.assert_close(outputs[1], outputs[0], rtol=0, atol=TOLERANCE)
