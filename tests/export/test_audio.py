"""`after export`: the audio→audio nn~ export, driven as the host drives it."""

import io
import json

import pytest
import torch
from click.testing import CliRunner
from PIL import Image

import after.export.exporter as exporter
from after.cli.main import after_group
from after.diffusion.latent_stats import StandardizedInput
from after.diffusion.runs import load_run
from after.diffusion.sampling import sample
from after.errors import InputError, ModelContractError
from after.export.embed import embed_datasets
from after.export.exporter import export_run
from after.export.inference import inference_form
from after.export.streaming import model_latency_frames, stream_chunk_frames
from after.export.timbre_stages import StagedTimbreEncoder
from after.nn_tilde.contract import ATTRIBUTES, audio_methods
from after.nn_tilde.host import HOST_BUFFER_SIZES, emulate_host, load_ts, read_model_info
from tests.helpers.export_models import (
    make_export,
    make_latent_db,
    make_run,
    make_streaming_codec,
    one_thread,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def audio_export(tmp_path_factory):
    """Ratio 256: every host buffer holds whole chunks (8…64 frames per call)."""
    return make_export(tmp_path_factory.mktemp("audio256"), "audio", ratio=256)


@pytest.fixture(scope="module")
def audio_export_2048(tmp_path_factory):
    """Ratio 2048 (the real codec's): buffer 2048 carries 1 frame, less than the 4-frame chunk."""
    return make_export(tmp_path_factory.mktemp("audio2048"), "audio", ratio=2048)


@pytest.mark.parametrize("which", ["audio_export", "audio_export_2048"])
def test_every_method_and_attribute_as_the_host_drives_them(which, request):
    result = request.getfixturevalue(which)
    model = load_ts(result.path)
    info = read_model_info(result.path, model)
    meta = info.metadata
    specs = {s.name: s for s in audio_methods(meta["ratio"], meta["latent_size"], meta["zs"], meta["zt"])}
    assert set(info.methods) == set(specs)
    assert model.set_sample_rate(meta["sample_rate"]) == 0
    assert model.set_nb_steps(1) == 0  # every step runs the same code; 16 steps are checked below
    for spec in specs.values():
        m = info.methods[spec.name]
        assert (m.in_channels, m.in_ratio, m.out_channels, m.out_ratio) == \
               (spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio)
        assert tuple(m.input_labels) == spec.input_labels and tuple(m.output_labels) == spec.output_labels
        for batch in (1, 4):
            for buffer in HOST_BUFFER_SIZES:
                for _ in range(2):  # the second buffer continues the stream
                    x = torch.randn(batch, spec.in_channels, buffer) * 0.2
                    y = emulate_host(model, spec.name, x, spec.in_ratio, spec.out_ratio)
                    assert y.shape == (batch, spec.out_channels, buffer)
                    assert torch.isfinite(y).all(), (spec.name, batch, buffer)
    assert set(info.attributes) == {a.name for a in ATTRIBUTES}
    assert info.attributes["nb_steps"].values == [4] and info.attributes["nb_steps"].types == ["int"]
    assert model.set_nb_steps(99) == -1 and model.set_nb_steps(0) == -1 and model.get_nb_steps() == (1,)
    assert model.set_nb_steps(16) == 0 and model.get_nb_steps() == (16,)
    for name in ("guidance_timbre", "guidance_structure"):
        assert getattr(model, f"get_{name}")() == (1.0,) and info.attributes[name].types == ["float"]
        assert getattr(model, f"set_{name}")(8.5) == -1 and getattr(model, f"set_{name}")(-0.1) == -1
        assert getattr(model, f"set_{name}")(2.5) == 0 and getattr(model, f"get_{name}")() == (2.5,)
    y = emulate_host(model, "forward", torch.randn(1, 2, 4096), 1, 1)  # 16 steps, guidance on
    assert torch.isfinite(y).all()


def stream_diffuse(model, structure, timbre, n):
    """Feed structure [B, zs, T] + constant timbre [B, zt] through `diffuse`, n frames per call."""
    x = torch.cat([structure, timbre[:, :, None].expand(-1, -1, structure.shape[-1])], dim=1)
    with torch.inference_mode():
        return torch.cat([model.diffuse(x[:, :, i:i + n]) for i in range(0, x.shape[-1], n)], dim=-1)


@pytest.mark.parametrize("which,frames_per_call", [("audio_export", 8), ("audio_export", 16),
                                                   ("audio_export_2048", 1), ("audio_export_2048", 2),
                                                   ("audio_export_2048", 4)])
def test_streamed_diffuse_equals_offline_sampler(which, frames_per_call, request):
    """Same seed and noise: `diffuse` over successive buffers == `sample` over the whole sequence under the
    mask the stream uses (the training chunk 4, or sub-chunks of 2n frames below half a chunk; look-back 8), up
    to float32 rounding (atol 1e-4), also when a sub-chunk's steps are split over two calls. Buffers smaller
    than a chunk come out late by exactly the model latency the metadata reports for that host buffer."""
    result = request.getfixturevalue(which)
    model = load_ts(result.path)
    meta = result.metadata
    chunk, batch, frames = meta["chunk_frames"], 2, 32
    assert model.set_nb_steps(3) == 0 and model.set_guidance_timbre(2.0) == 0
    assert model.set_guidance_structure(1.5) == 0
    generator = torch.Generator().manual_seed(1)
    structure = torch.randn(batch, meta["zs"], frames, generator=generator)
    timbre = torch.randn(batch, meta["zt"], generator=generator)
    torch.manual_seed(123)
    streamed = stream_diffuse(model, structure, timbre, frames_per_call)
    # Replay the noise the stream drew: one draw per generated block of max(n, stream chunk) frames.
    torch.manual_seed(123)
    stream_chunk = stream_chunk_frames(frames_per_call, chunk)
    block = max(frames_per_call, stream_chunk)
    noise = torch.cat([torch.randn(batch, meta["latent_size"], block) for _ in range(frames // block)], dim=-1)
    denoiser = load_run(result.path.parent).networks.denoiser
    denoiser.chunk_size = stream_chunk  # the offline mask of the stream's chunk
    with torch.inference_mode():
        offline = sample(denoiser, noise, timbre, structure, 3, 2.0, 1.5, midi=False)
    delay = model_latency_frames(frames_per_call, chunk)
    assert delay == {1: 2, 2: 2, 4: 0, 8: 0, 16: 0}[frames_per_call]
    assert (stream_chunk < chunk) == (frames_per_call == 1)
    reported = meta["latency_samples_by_buffer"][str(frames_per_call * meta["ratio"])] - meta["latency_samples"]
    assert reported == delay * meta["ratio"]
    assert torch.all(streamed[..., :delay] == 0)
    torch.testing.assert_close(streamed[..., delay:], offline[..., :frames - delay], atol=1e-4, rtol=1e-4)


def test_batch_items_are_independent_streams(audio_export):
    model = load_ts(audio_export.path)
    a = torch.randn(2, 2, 4096)
    b = a.clone()
    b[1] = torch.randn(2, 4096)
    outputs = []
    for x in (a, b):
        model.reset_state()
        torch.manual_seed(5)
        with torch.inference_mode():
            outputs.append(torch.cat([model.forward(x), model.forward(x)], dim=-1))
    assert torch.equal(outputs[0][0], outputs[1][0]) and not torch.equal(outputs[0][1], outputs[1][1])


def test_state_stays_bounded(audio_export_2048):
    model = load_ts(audio_export_2048.path)
    with torch.inference_mode():
        for _ in range(300):
            model.forward(torch.randn(1, 2, 2048) * 0.1)
    assert model.timbre_history.shape[-1] == audio_export_2048.metadata["timbre_frames"]
    assert model.pending_latents.shape[-1] < audio_export_2048.metadata["chunk_frames"]
    assert model.work_x.shape[-1] <= 2  # at most one sub-chunk half way through its steps


def test_timbre_window_is_re_encoded_every_eighth_of_the_window(audio_export_2048):
    """128-frame window, refreshed every 16 frames: 16 one-frame buffers share a timbre, the 17th moves."""
    model = load_ts(audio_export_2048.path)
    with torch.inference_mode():
        outputs = [model.timbre(torch.randn(1, 1, 2048) * (1 + i)) for i in range(17)]
    assert all(torch.equal(outputs[0], o) for o in outputs[1:16])
    assert not torch.equal(outputs[0], outputs[16])


def test_timbre_encoding_is_spread_over_calls(audio_export_2048):
    """Buffer 2048 (1 frame, chunk 4): sub-chunks of 2 frames, each one's steps split evenly over the call
    that completes it (odd calls) and the next one. The window is encoded whole in the stream's first call
    (which generates nothing); then every 16 frames it is taken and encoded one stage per call, the generator
    prepares the new vector in the two calls after the last stage, and the vector takes over in the second: no
    call runs more than one stage, and the vector equals the whole encoder's on the window taken."""
    model = load_ts(audio_export_2048.path)
    assert model.set_nb_steps(4) == 0
    stages = model.timbre_encoder.stage_count() + model.prepare_parts
    assert stages >= 4
    started, staged, changed, windows, vectors = [], [], [], {}, {}
    previous = None
    with torch.inference_mode():
        for call in range(48):
            before = model.staged_next
            model.forward(torch.randn(1, 2, 2048) * 0.1)
            started.append(model.work_steps > 0)
            assert not started[-1] or model.work_step == 2  # half of the 4 steps in each call
            staged.append(model.staged_next)
            assert model.staged_next in (-1, before + 1) or (before == -1 and model.staged_next == 1)
            if before == -1 and model.staged_next == 1:  # the window was taken in this call
                heard = model.timbre_history
                window = heard.repeat(1, 1, -(-128 // heard.shape[-1]))[:, :, -128:]
                windows[call] = model.timbre_encoder(window)
            vector = model.timbre_vector.clone()
            changed.append(previous is None or not torch.equal(vector, previous))
            if changed[-1]:
                vectors[call] = vector
            previous = vector
    assert started == [call % 2 == 1 for call in range(48)]
    assert sorted(windows) == [16, 32]
    assert [call for call in range(48) if changed[call]] == [0, 15 + stages, 31 + stages]
    assert staged[16:16 + stages] == list(range(1, stages)) + [-1]
    for taken in windows:  # the staged vector is the whole encoder's on the window taken
        assert torch.equal(vectors[taken + stages - 1], windows[taken])


def test_a_stream_below_half_a_chunk_starts_with_a_warm_generator(audio_export_2048):
    """The first call at buffer 2048 generates nothing; in a freshly loaded model it runs the generator twice
    on silence (TorchScript optimises code at its second run, which would otherwise be the stream's third
    call) and forgets it: the seeded stream equals that of a model whose generator ran before."""
    fresh, used = load_ts(audio_export_2048.path), load_ts(audio_export_2048.path)
    with torch.inference_mode():
        for _ in range(2):
            used.forward(torch.randn(1, 2, 8192))  # whole chunks: the generator runs in both calls
    assert used.generator_runs == 2 and fresh.generator_runs == 0
    buffers = torch.randn(6, 1, 2, 2048, generator=torch.Generator().manual_seed(4))
    outputs = []
    for model in (fresh, used):  # `used` restarts its streams for the new buffer size, warm
        torch.manual_seed(3)
        with torch.inference_mode():
            outputs.append([model.forward(x) for x in buffers])
        assert model.generator_runs == 2
    assert all(torch.equal(a, b) for a, b in zip(*outputs))


def test_staged_timbre_encoder_equals_the_encoder(tmp_path):
    """`StagedTimbreEncoder`, scripted, run whole or stage by stage == the run's standardised `TimbreEncoder`
    (the same operations in the same order: exactly equal)."""
    run = load_run(make_run(tmp_path / "run", make_streaming_codec(tmp_path / "codec.ts"), 256, 16, 16000))
    reference = StandardizedInput(run.networks.timbre_encoder.eval(), run.latent_norm)
    staged = torch.jit.script(StagedTimbreEncoder(inference_form(run.networks.timbre_encoder), run.latent_norm))
    z = torch.randn(3, 16, 128)
    with torch.inference_mode():
        want = reference(z)
        x, features, held = z, z[:, :0], z[:, :0]
        for index in range(staged.stage_count()):
            x, features, held = staged.stage(index, x, features, held)
        torch.testing.assert_close(staged(z), want, rtol=1e-5, atol=1e-6)
        assert torch.equal(x, staged(z))


def test_compare_drives_both_exports_alike(audio_export_2048):
    """`after bench compare`: every (steps, buffer) measured for both models, calls interleaved."""
    result = CliRunner().invoke(after_group, ["bench", "compare", str(audio_export_2048.path),
                                              str(audio_export_2048.path), "--buffers", "2048,8192", "--steps", "1,2",
                                              "--calls", "4"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["steps", "buffer", "model"]
    rows = [line.split() for line in lines[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [(steps, buffer, model) for steps in ("1", "2")
                                                  for buffer in ("2048", "8192") for model in ("before", "after")]
    assert all(0 < float(r[6]) <= float(r[7]) for r in rows)  # min CPU ms ≤ max CPU ms


def test_calls_without_no_grad_build_no_autograd_history(audio_export_2048):
    model = load_ts(audio_export_2048.path)
    for _ in range(5):
        y = model.forward(torch.randn(1, 2, 2048))
        assert not y.requires_grad and not model.pending_latents.requires_grad


def test_latency_accounts_for_chunk_accumulation(audio_export_2048):
    """Ratio 2048, chunk 4: a 2048 buffer waits 2 frames (a 2-frame sub-chunk whose steps end one call
    later), 4096 waits 2 (half a chunk), 8192 and up none (codec: 0)."""
    meta = audio_export_2048.metadata
    assert meta["latency_samples"] == 0
    assert meta["latency_samples_by_buffer"] == {"2048": 4096, "4096": 4096, "8192": 0, "16384": 0}


def test_metadata_map_and_presets(audio_export):
    info = read_model_info(audio_export.path)
    meta = info.metadata
    for key in ("kind", "name", "sample_rate", "ratio", "latent_size", "zs", "zt", "n_poly", "chunk_frames",
                "latency_samples", "presets", "labels", "config", "torch_version"):
        assert key in meta, key
    assert (meta["kind"], meta["ratio"], meta["latent_size"], meta["zs"], meta["zt"]) == ("audio", 256, 16, 12, 6)
    assert meta["labels"] == ["brass", "keys", "voice"] and meta["config"]["model"]["zt"] == 6
    assert meta["latency_samples"] == 0  # zero-latency codec, buffers of whole chunks
    assert Image.open(io.BytesIO(info.map_image)).size == (512, 512)
    assert audio_export.map_path.read_bytes() == info.map_image
    bank = json.loads(audio_export.presets_path.read_text())["pattrstorage"]  # the one bank every device reads
    slots = [slot for slot in bank["slots"].values() if "timbre_1" in slot["data"]]
    assert [[slot["data"][f"timbre_{k + 1}"][0] for k in range(6)] for slot in slots] == [
        p["timbre"] for p in meta["presets"]] and len(meta["presets"]) == 4
    model = load_ts(audio_export.path)
    for preset in meta["presets"]:
        assert preset["label"] in meta["labels"] and len(preset["timbre"]) == 6
        xy = model.latent2map(torch.tensor(preset["timbre"])[None, :, None])[0, :, 0]
        assert xy.tolist() == pytest.approx(preset["map"], abs=1e-4)
        assert all(abs(v) <= 1.0 + 1e-5 for v in preset["map"])


def test_file_is_lean(audio_export):
    """One copy of each network: the file is the parameters plus code, with no state saved in it."""
    model = load_ts(audio_export.path)
    assert model.timbre_history.numel() == 0 and model.pending_latents.numel() == 0
    code_allowance = 400_000  # TorchScript source and pickled constants of all methods
    assert audio_export.file_bytes <= 1.2 * audio_export.parameter_bytes + code_allowance


def test_cli_errors_are_one_line_and_leave_nothing(tmp_path, audio_export, dct_codec_path):
    folder = audio_export.path.parent.parent
    run, codec, db = folder / "run", folder / "export_stream.ts", folder / "db"
    out = tmp_path / "out"
    offline = make_streaming_codec(tmp_path / "export.ts", streaming=False)
    cases = [
        (["export", "--model_path", str(run), "--emb_model_path", str(dct_codec_path), "--db_path", str(db)],
         "not a streaming codec"),
        (["export", "--model_path", str(run), "--emb_model_path", str(offline), "--db_path", str(db)],
         "not a streaming codec"),
        (["export_midi", "--model_path", str(run), "--emb_model_path", str(codec), "--db_path", str(db)],
         "export it with `after export`"),
        (["export", "--model_path", str(run), "--emb_model_path", str(codec), "--db_path", str(db), "--step", "7"],
         "checkpoint not found"),
        (["export", "--model_path", str(run), "--emb_model_path", str(codec)], "--db_path"),
        (["export", "--model_path", str(tmp_path), "--emb_model_path", str(codec), "--db_path", str(db)],
         "not a diffusion run folder"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(after_group, args + ["--out", str(out)])
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output
    assert not out.exists() or not any(out.iterdir())


def test_cli_export_writes_ts_png_and_presets(tmp_path, audio_export):
    folder = audio_export.path.parent.parent
    result = CliRunner().invoke(after_group, [
        "export", "--model_path", str(folder / "run"), "--emb_model_path", str(folder / "export_stream.ts"),
        "--db_path", str(folder / "db"), "--name", "demo", "--out", str(tmp_path), "--n_presets", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["after.audio.demo.ts", "after.audio.demo_map.png",
                                                          "after.audio.demo_presets.json"]
    assert len(read_model_info(tmp_path / "after.audio.demo.ts").metadata["presets"]) == 2


def test_codec_and_dataset_must_match_the_run(tmp_path):
    codec = make_streaming_codec(tmp_path / "codec.ts", ratio=256, latent_size=16)
    other = make_streaming_codec(tmp_path / "other.ts", ratio=512, latent_size=16)
    run = make_run(tmp_path / "run", codec, 256, 16, 16000)
    db = make_latent_db(tmp_path / "db", 16, 256, ["a"])
    with pytest.raises(InputError, match="ratio 512"):
        export_run(run, other, "audio", [db])
    with pytest.raises(InputError, match="latents have 16 channels but the codec has 8"):
        embed_datasets([db], load_run(run).networks.timbre_encoder, 8)


def test_a_file_that_fails_verification_is_not_left_behind(tmp_path, audio_export, monkeypatch):
    def refuse(path, specs, sample_rate):
        assert path.exists() and path.name.endswith(".partial")  # written, not yet in place
        raise ModelContractError(f"{path}: broken")

    monkeypatch.setattr(exporter, "verify_export", refuse)
    folder = audio_export.path.parent.parent
    with pytest.raises(ModelContractError, match="broken"):
        export_run(folder / "run", folder / "export_stream.ts", "audio", [folder / "db"], out_dir=tmp_path / "out")
    assert not any((tmp_path / "out").iterdir())


def test_networks_are_compiled_apart_not_inlined_into_methods(audio_export):
    """The first calls after loading compile what the methods inline (docs/EXPORT.md): the networks are
    called through interfaces, so none of their code sits in `forward`'s inlined graph."""
    graph = load_ts(audio_export.path).forward.inlined_graph
    sources = {node.sourceRange().split("\n")[0] for node in all_nodes(graph.block())}
    for network in ("timbre_encoder.py", "structure_encoder.py", "denoiser.py", "attention.py", "codec/streaming.py"):
        assert not any(network in source for source in sources), network
    calls = {node.s("name") for node in graph.findAllNodes("prim::CallMethod", True)}
    assert {"encode", "decode", "forward", "run_steps"} <= calls


def all_nodes(block):
    for node in block.nodes():
        yield node
        for inner in node.blocks():
            yield from all_nodes(inner)
