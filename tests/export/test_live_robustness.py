"""Exports survive what a live set throws at them: bad signals (NaN, ±inf, huge values, denormals, MIDI values
out of range), poisoned state, wrong-sized buffers, refused attribute values and calls that raise part-way.

Every stream is driven as nn~ drives it (`emulate_host`), one 2048 buffer = one latent frame (ratio 2048), with
the global seed set before each call so that two streams that hear the same thing draw the same noise."""

import pytest
import torch

from after.nn_tilde.contract import audio_methods, midi_methods
from after.nn_tilde.host import emulate_host, load_ts
from tests.helpers.export_models import one_thread  # noqa: F401 (fixture)
from tests.helpers.live_models import FAIL_DECODE, FAIL_ENCODE, FAIL_NONE, make_live_export

pytestmark = pytest.mark.usefixtures("one_thread")
BUFFER = 2048
CALLS = 12
BAD_CALL = 5  # a call in the middle of a sub-chunk (the steps of calls 5-6 are split over calls 5 and 6)


@pytest.fixture(scope="module")
def live_audio(tmp_path_factory):
    return make_live_export(tmp_path_factory.mktemp("live_audio"), "audio")


@pytest.fixture(scope="module")
def live_midi(tmp_path_factory):
    return make_live_export(tmp_path_factory.mktemp("live_midi"), "midi")


def specs_of(result):
    meta = result.metadata
    if meta["kind"] == "midi":
        return {s.name: s for s in midi_methods(meta["ratio"], meta["latent_size"], meta["n_poly"], meta["zt"])}
    return {s.name: s for s in audio_methods(meta["ratio"], meta["latent_size"], meta["zs"], meta["zt"])}


def host_buffers(spec, kind, calls=CALLS, seed=0):
    """`calls` plausible host buffers [1, in_channels, BUFFER] for a method: audio, or voices (pitch 40–80,
    velocity 0–127) followed by the method's other inputs."""
    generator = torch.Generator().manual_seed(seed)
    x = 0.3 * torch.randn(calls, 1, spec.in_channels, BUFFER, generator=generator)
    if kind == "midi" and spec.name not in ("timbre", "decode", "latent2map", "map2latent"):
        voices = 2 * ((spec.in_channels - 1) // 2 if spec.name == "forward" else (spec.in_channels - 6) // 2)
        pitch = torch.randint(40, 80, (calls, 1, voices // 2, 1), generator=generator).float()
        velocity = torch.randint(0, 128, (calls, 1, voices // 2, 1), generator=generator).float()
        x[:, :, 0:voices:2] = pitch.expand(-1, -1, -1, BUFFER)
        x[:, :, 1:voices:2] = velocity.expand(-1, -1, -1, BUFFER)
    return x


def stream(model, spec, buffers, skip=(), before=None):
    """Outputs of one call per buffer (seeded by its index); `before(model, index)` runs before each call;
    calls in `skip` are left out (their output is None)."""
    outputs = []
    for index, x in enumerate(buffers):
        if before is not None:
            before(model, index)
        if index in skip:
            outputs.append(None)
            continue
        torch.manual_seed(index)
        outputs.append(emulate_host(model, spec.name, x, spec.in_ratio, spec.out_ratio))
    return outputs


def sanitised(x: torch.Tensor, bound: float) -> torch.Tensor:
    """What the export makes of an input (see `after.nn_tilde.module.finite`)."""
    x = torch.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0).clamp(-bound, bound)
    return x.masked_fill(x.abs() < 1e-30, 0.0)


BAD_SIGNALS = {
    "nan": lambda x: torch.full_like(x, float("nan")),
    "nan burst": lambda x: torch.cat([x[..., :700], torch.full_like(x[..., 700:900], float("nan")), x[..., 900:]], -1),
    "+inf": lambda x: torch.full_like(x, float("inf")),
    "-inf burst": lambda x: torch.where(torch.arange(x.shape[-1]) % 3 == 0, float("-inf"), x),
    "huge": lambda x: x * 1e30,
    "denormal": lambda x: torch.full_like(x, 1e-40),
}
AUDIO_METHODS = ["forward", "forward_manual", "structure", "timbre", "diffuse", "generate", "decode"]


@pytest.mark.parametrize("method", AUDIO_METHODS)
def test_bad_buffers_are_heard_as_their_sanitised_selves(live_audio, method):
    """After a NaN/inf/huge/denormal buffer (one of each, calls 2-7) the output is finite at once, and the
    stream continues exactly as if the buffer had held the sanitised values (NaN/inf → 0, clamped, denormals
    → 0): nothing poisons the state, so it is back to normal once that buffer has left the receptive field."""
    spec = specs_of(live_audio)[method]
    buffers = host_buffers(spec, "audio")
    broken, reference = buffers.clone(), buffers.clone()
    for index, bad in enumerate(BAD_SIGNALS.values(), start=2):
        broken[index] = bad(buffers[index])
        reference[index] = sanitised(broken[index], 1000.0 if spec.in_ratio > 1 else 8.0)
        if method == "forward_manual":  # audio clamped to ±8, the timbre signals (averaged later) to ±1000
            reference[index, :, 1:] = sanitised(broken[index, :, 1:], 1000.0)
    got = stream(load_ts(live_audio.path), spec, broken)
    want = stream(load_ts(live_audio.path), spec, reference)
    for index, (a, b) in enumerate(zip(got, want)):
        assert torch.isfinite(a).all() and torch.equal(a, b), (method, index)


@pytest.mark.parametrize("method", ["generate", "forward", "diffuse"])
def test_midi_values_out_of_range_never_raise(live_midi, method):
    """NaN/inf pitches and velocities, negative or > 127 values: the MIDI methods play the clamped voices
    (NaN/inf → a silent voice) instead of raising `Class values must be non-negative`."""
    spec = specs_of(live_midi)[method]
    buffers = host_buffers(spec, "midi")
    voices = 2 * live_midi.metadata["n_poly"]
    broken, reference = buffers.clone(), buffers.clone()
    for index, value, clamped in ((3, float("nan"), 0.0), (4, float("inf"), 0.0), (5, -12.0, 0.0),
                                  (6, 300.0, 127.0), (7, float("-inf"), 0.0)):
        broken[index, :, :voices] = value
        reference[index, :, :voices] = clamped
    got = stream(load_ts(live_midi.path), spec, broken)
    want = stream(load_ts(live_midi.path), spec, reference)
    for a, b in zip(got, want):
        assert torch.isfinite(a).all() and torch.equal(a, b)


def test_poisoned_state_heals_within_one_chunk(live_audio):
    """If a non-finite value ever reaches the state (here: written into the attention cache and the timbre
    window by hand), the output stays finite, the poisoned part restarts, and sound resumes."""
    spec = specs_of(live_audio)["forward"]
    model = load_ts(live_audio.path)
    buffers = host_buffers(spec, "audio", calls=16)
    outputs = stream(model, spec, buffers[:6])
    generator = model.generator.generator
    generator.cache = [torch.full_like(entry, float("nan")) for entry in generator.cache]
    model.timbre_history = torch.full_like(model.timbre_history, float("inf"))
    model.frames_since_timbre = 1000  # the window is encoded at the next chunk
    outputs += stream(model, spec, buffers[6:])
    assert all(torch.isfinite(y).all() for y in outputs)
    assert model.heals >= 2  # the timbre and the generated latents were replaced
    assert generator.state_is_finite() and bool(torch.isfinite(generator.cache_tensor()).all())
    assert outputs[-1].abs().max() > 0  # playing again


def test_wrong_sized_buffers_raise_and_change_nothing(live_audio):
    """Wrong channel counts, a length that is not a multiple of the ratio, a 2-D tensor: one clear error,
    raised before any state changes; the stream then continues as if the call had not happened."""
    spec = specs_of(live_audio)["forward"]
    buffers = host_buffers(spec, "audio")
    bad_inputs = {3: torch.zeros(1, 3, BUFFER), 5: torch.zeros(1, 2, 1000), 8: torch.zeros(2, BUFFER)}
    messages = []

    def call_bad(model, index):
        if index in bad_inputs:
            with pytest.raises((RuntimeError, torch.jit.Error)) as error:
                with torch.inference_mode():
                    model.forward(bad_inputs[index])
            messages.append(str(error.value).strip().splitlines()[-1])

    model = load_ts(live_audio.path)
    got = stream(model, spec, buffers, before=call_bad)
    want = stream(load_ts(live_audio.path), spec, buffers)
    assert all(torch.equal(a, b) for a, b in zip(got, want))
    assert "expected an input [batch, 2, samples]" in messages[0]
    assert "1000 samples is not a multiple of the ratio 2048" in messages[1]
    assert model.rollbacks == 0


@pytest.mark.parametrize("kind,method,where", [("audio", "forward", FAIL_DECODE), ("audio", "forward", FAIL_ENCODE),
                                               ("audio", "generate", FAIL_DECODE), ("audio", "timbre", FAIL_ENCODE),
                                               ("midi", "forward", FAIL_DECODE), ("midi", "generate", FAIL_DECODE)])
@pytest.mark.parametrize("bad_call", [BAD_CALL, BAD_CALL + 1])
def test_a_call_that_raises_part_way_is_rolled_back(live_audio, live_midi, kind, method, where, bad_call):
    """The codec raises inside `decode` (after the encoder, the structure stream and the generator have run
    and changed their state) or inside `encode`; nn~ prints the error and goes on. The next good call finds
    the state as it was before the failed call: the stream equals one where that call never happened."""
    result = live_audio if kind == "audio" else live_midi
    spec = specs_of(result)[method]
    buffers = host_buffers(spec, kind)
    model = load_ts(result.path)

    def fail_once(model, index):
        if index == bad_call:
            model.codec.codec.fail_in(where)
            torch.manual_seed(1000)
            with pytest.raises((RuntimeError, torch.jit.Error), match="injected failure"):
                emulate_host(model, spec.name, buffers[index], spec.in_ratio, spec.out_ratio)
            model.codec.codec.fail_in(FAIL_NONE)

    got = stream(model, spec, buffers, before=fail_once)
    want = stream(load_ts(result.path), spec, buffers)
    assert all(torch.equal(a, b) for a, b in zip(got, want))
    assert model.rollbacks == 1


@pytest.mark.parametrize("kind", ["audio", "midi"])
@pytest.mark.parametrize("when", ["first stage", "middle stage", "last preparation"])
def test_a_call_that_raises_during_a_staged_timbre_encoding_is_rolled_back(live_audio, live_midi, kind, when):
    """At buffer 2048 the timbre window taken at frame 16 is encoded one stage per call, then prepared by the
    generator over two calls: a call that raises in the middle of that (codec failing in `decode`) is rolled
    back with the staged work, and the stream equals one where that call never happened."""
    result = live_audio if kind == "audio" else live_midi
    spec = specs_of(result)["forward"]
    buffers = host_buffers(spec, kind, calls=32)
    model = load_ts(result.path)
    staged_calls = model.timbre_encoder.stage_count() + model.prepare_parts
    bad_call = 16 + {"first stage": 0, "middle stage": staged_calls // 2, "last preparation": staged_calls - 1}[when]
    progress = []

    def fail_once(model, index):
        if index == bad_call:
            progress.append(int(model.staged_next))
            model.codec.codec.fail_in(FAIL_DECODE)
            torch.manual_seed(1000)
            with pytest.raises((RuntimeError, torch.jit.Error), match="injected failure"):
                emulate_host(model, spec.name, buffers[index], spec.in_ratio, spec.out_ratio)
            model.codec.codec.fail_in(FAIL_NONE)

    got = stream(model, spec, buffers, before=fail_once)
    want = stream(load_ts(result.path), spec, buffers)
    assert progress == [bad_call - 16 if bad_call > 16 else -1]  # the staging was under way (or starting)
    assert all(torch.equal(a, b) for a, b in zip(got, want))
    assert model.rollbacks == 1


def test_refused_and_mid_chunk_attribute_changes(live_audio):
    """Refused values (-1) change nothing; a new step count set while a sub-chunk is half way through its
    steps applies from the next sub-chunk (the half-done one finishes with the steps it started with), i.e.
    exactly as if it had been set one call later."""
    spec = specs_of(live_audio)["forward"]
    buffers = host_buffers(spec, "audio")

    def refuse(model, index):
        assert model.set_nb_steps(0) == -1 and model.set_guidance_timbre(float("nan")) == -1
        assert model.set_guidance_structure(99.0) == -1

    plain = stream(load_ts(live_audio.path), spec, buffers)
    assert all(torch.equal(a, b) for a, b in zip(stream(load_ts(live_audio.path), spec, buffers, before=refuse), plain))

    def set_steps_at(call):
        def before(model, index):
            if index == call:
                assert model.set_nb_steps(2) == 0
        return before

    mid_chunk = stream(load_ts(live_audio.path), spec, buffers, before=set_steps_at(6))  # 5 started a sub-chunk
    next_chunk = stream(load_ts(live_audio.path), spec, buffers, before=set_steps_at(7))
    assert all(torch.equal(a, b) for a, b in zip(mid_chunk, next_chunk))
    assert not torch.equal(mid_chunk[-1], plain[-1])
