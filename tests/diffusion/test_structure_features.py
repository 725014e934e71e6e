"""`model.structure_features`: audio descriptors as extra structure-encoder inputs, from the config through the
datasets, training, `after transfer` and the nn~ export (computed live from the structure audio)."""

import numpy as np
import pytest
import soundfile as sf
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.config import load_config
from after.data.descriptor_analysis import CODES, DescriptorAnalysis, causal_frames
from after.data.descriptors import DESCRIPTORS, compute_descriptors
from after.diffusion.builders import build_structure_encoder
from after.diffusion.config import DiffusionConfig
from after.diffusion.latent_stats import FEATURE_STATS_FILE, load_latent_stats
from after.diffusion.networks.conditioning import DROP_VALUE
from after.diffusion.training.conditioning import apply_drop
from after.errors import ConfigError
from after.export.descriptor_features import DescriptorStream
from after.nn_tilde.compat import check_operators, load_schemas, nn_tilde_problems, nn_tilde_schemas_path
from after.nn_tilde.host import emulate_host, load_ts, read_model_info
from tests.helpers.diffusion_helpers import (
    LATENT_SIZE,
    RATIO,
    SAMPLE_RATE,
    SMALL_MODEL,
    melody,
    random_clips,
    render,
    write_latent_db,
)
from tests.helpers.export_models import StreamingDCTCodec, make_streaming_codec, one_thread  # noqa: F401 (one_thread: fixture)

FEATURES = ("loudness", "centroid")
FEATURE_OVERRIDE = "model.structure_features=[loudness,centroid]"

pytestmark = pytest.mark.usefixtures("one_thread")


def run_cli(*args):
    return CliRunner().invoke(after_group, [str(a) for a in args])


def test_default_config_reads_no_features_and_keeps_the_encoder_width():
    for presets in (["base"], ["base", "tiny"], ["base", "ddsp"]):
        config = load_config(DiffusionConfig, presets)
        assert config.model.structure_features == ()
        encoder = build_structure_encoder(config.model, 64)
        width = len(config.model.structure_encoder.latent_channels) or 64
        assert encoder.input_channels == width and encoder.blocks[0].conv1.conv.in_channels == width
    config = load_config(DiffusionConfig, ["base"], [FEATURE_OVERRIDE])
    assert config.model.structure_features == FEATURES
    encoder = build_structure_encoder(config.model, 64)
    assert encoder.input_channels == 66 and encoder.blocks[0].conv1.conv.in_channels == 66


@pytest.mark.parametrize("presets,value,message", [
    (["midi"], "[loudness]", "MIDI model's structure is the piano roll"),
    (["base"], "[beat_clock]", "beat_clock cannot be a structure condition"),
    (["base"], "[sharpness]", "unknown descriptor 'sharpness'; valid: loudness"),
    (["base"], "[loudness,loudness]", "named twice"),
])
def test_config_refuses_features_it_cannot_use(presets, value, message):
    with pytest.raises(ConfigError, match=message) as error:
        load_config(DiffusionConfig, presets, [f"model.structure_features={value}"])
    assert "model.structure_features" in str(error.value) and "\n" not in str(error.value)


def test_analysis_names_match_the_dataset_flags():
    assert tuple(CODES) == DESCRIPTORS


@pytest.mark.parametrize("hop,delay", [(256, 0), (256, 2), (2048, 1)])
def test_descriptor_stream_equals_offline_descriptors(hop, delay):
    """Buffers of any size give the offline (float64) descriptors of the whole signal, delayed by `delay`
    frames of silence; a new batch size restarts the stream."""
    names = ("loudness", "centroid", "bandwidth", "rolloff", "flatness")
    rng = np.random.default_rng(0)
    n = 24 * hop
    t = np.arange(n) / SAMPLE_RATE
    audio = (0.4 * np.sin(2 * np.pi * 440 * t) * (t > 0.1) + 0.02 * rng.normal(size=n)).astype(np.float32)
    audio[: 3 * hop] = 0.0  # digital silence at the start
    offline = compute_descriptors(audio, SAMPLE_RATE, hop, names, delay_frames=delay)
    expected = np.stack([offline[k] for k in names])
    silence = compute_descriptors(np.zeros(hop, np.float32), SAMPLE_RATE, hop, names)
    assert all(np.all(expected[i, :delay] == silence[k][0]) for i, k in enumerate(names))
    stream = torch.jit.script(DescriptorStream(names, SAMPLE_RATE, hop, delay))
    for sizes in ([24], [1, 2, 5, 16], [8, 8, 8]):
        stream.reset_state()
        pieces, start = [], 0
        for size in sizes:
            pieces.append(stream(torch.from_numpy(audio[start * hop:(start + size) * hop])[None, None]))
            start += size
        got = torch.cat(pieces, dim=2)[0].numpy()
        scale = np.abs(expected).max(axis=1, keepdims=True)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5 * float(scale.max()))
        fresh = stream(torch.from_numpy(audio[:8 * hop])[None, None].repeat(2, 1, 1))  # batch 2: a new stream
        np.testing.assert_allclose(fresh[1].numpy(), expected[:, :8], rtol=0, atol=1e-5 * float(scale.max()))
    assert check_operators(stream, load_schemas(nn_tilde_schemas_path())) == []


def test_float32_analysis_matches_the_stored_float64_values():
    audio = np.random.default_rng(1).uniform(-0.5, 0.5, 8192).astype(np.float32)
    stored = compute_descriptors(audio, SAMPLE_RATE, 256)
    live = DescriptorAnalysis(DESCRIPTORS, SAMPLE_RATE, 256)(causal_frames(torch.from_numpy(audio)[None], 256))[0]
    for i, name in enumerate(DESCRIPTORS):
        np.testing.assert_allclose(live[i].numpy(), stored[name], rtol=1e-4, atol=1e-3)


def test_structure_reads_the_features_and_dropping_it_drops_them():
    from after.diffusion.training.system import DiffusionSystem

    config = load_config(DiffusionConfig, ["base"], [*SMALL_MODEL, FEATURE_OVERRIDE, "train.phase_1_step=0"])
    torch.manual_seed(0)
    system = DiffusionSystem(config, 16).eval()
    z = torch.randn(3, 16, 8)
    features = torch.stack([torch.full((8,), -20.0), torch.full((8,), 800.0)])[None].repeat(3, 1, 1)
    louder = features.clone()
    louder[:, 0] += 15.0
    with torch.no_grad():
        structure = system.encode_structure({"z": z, "features": features})
        other = system.encode_structure({"z": z, "features": louder})
        assert structure.shape == (3, config.model.zs, 8) and not torch.allclose(structure, other)
        drop = torch.tensor([True, False, True])
        kept, changed = apply_drop(structure, drop), apply_drop(other, drop)
        assert torch.equal(kept[drop], changed[drop]) and bool((kept[drop] == DROP_VALUE).all())


def test_training_on_a_dataset_without_descriptors_is_refused_in_one_line(tmp_path):
    codec = make_streaming_codec(tmp_path / "export_stream.ts", RATIO, LATENT_SIZE, SAMPLE_RATE)
    db = write_latent_db(tmp_path / "db", torch.jit.load(str(codec)), random_clips(0, 1, 32), 32)
    result = run_cli("train", "--name", "run", "--db_path", db, "--emb_model_path", codec, "--out_path", tmp_path,
                     "--config", "base", "--set", FEATURE_OVERRIDE, "--set", "train.n_signal=16")
    assert result.exit_code != 0
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message, message
    assert f"{db}: stores no frame feature loudness, centroid" in message
    assert "--descriptors loudness --descriptors centroid" in message and "--save_waveform" in message
    assert not (tmp_path / "run" / "checkpoints").exists()


def host_structure(model, audio: np.ndarray, buffer: int) -> torch.Tensor:
    """The export's `structure` driven by the host buffer by buffer: structure frames [1, zs, T]."""
    model.reset_state()
    frames = []
    for start in range(0, len(audio), buffer):
        x = torch.from_numpy(audio[start:start + buffer])[None, None]
        frames.append(emulate_host(model, "structure", x, 1, RATIO)[..., RATIO - 1::RATIO])
    return torch.cat(frames, dim=-1)


def offline_structure(run, codec, audio: np.ndarray, features: bool = True) -> torch.Tensor:
    """The run's structure of `audio` offline, as `after transfer` computes it: [1, zs, T]."""
    wave = torch.from_numpy(audio)[None, None]
    z = run.latent_norm.normalize(codec.encode(wave))
    values = compute_descriptors(audio, SAMPLE_RATE, RATIO, run.config.model.structure_features)
    raw = torch.from_numpy(np.stack([values[k] for k in run.config.model.structure_features]))[None]
    extra = run.feature_norm.normalize(raw) if features else torch.zeros_like(raw)
    with torch.no_grad():
        return run.networks.structure_encoder(torch.cat([z, extra], dim=1))


@pytest.fixture(scope="module")
def feature_export(tmp_path_factory):
    """A tiny random-weight run reading loudness and centroid, exported on a block-DCT codec (ratio 256) that can
    be told to raise inside `encode` or `decode` (part-way through a call)."""
    from after.export.exporter import export_run
    from after.nn_tilde.module import save_nn_model
    from tests.helpers.export_models import make_latent_db, make_run
    from tests.helpers.live_models import FailingCodec

    folder = tmp_path_factory.mktemp("feature_export")
    codec = folder / "export_stream.ts"
    save_nn_model(FailingCodec(RATIO, 16, SAMPLE_RATE), codec,
                  {"kind": "codec", "streaming": True, "sample_rate": SAMPLE_RATE, "ratio": RATIO, "latent_size": 16,
                   "latency_samples": 0, "causal": True})
    run = make_run(folder / "run", codec, RATIO, 16, SAMPLE_RATE, structure_features=list(FEATURES))
    db = make_latent_db(folder / "db", 16, RATIO, ("brass", "keys"), per_label=6, sample_rate=SAMPLE_RATE)
    return export_run(run, codec, "audio", [db], n_presets=2), run, codec


def test_export_computes_the_features_live_and_streams_the_offline_structure(feature_export):
    from after.diffusion.runs import load_run
    from after.nn_tilde.codec_ts import load_codec

    result, run_dir, codec_path = feature_export
    info = read_model_info(result.path)
    assert info.metadata["structure_features"]["names"] == list(FEATURES)
    assert info.methods["structure"].in_channels == 1 and info.methods["forward"].in_channels == 2
    assert nn_tilde_problems(result.path) == []
    run, codec = load_run(run_dir), load_codec(codec_path)
    rng = np.random.default_rng(3)
    audio = render(melody(rng, 64), "saw", 64)
    offline = offline_structure(run, codec, audio)
    model = load_ts(result.path)
    for buffer in (2048, 4096):
        torch.testing.assert_close(host_structure(model, audio, buffer), offline, rtol=1e-4,
                                   atol=1e-4 * float(offline.abs().max()))
    assert not torch.allclose(offline, offline_structure(run, codec, audio, features=False), atol=1e-3)


def test_export_descriptor_state_is_rolled_back_and_bad_audio_sanitised(feature_export):
    """A `forward` that raises part-way (inside the codec's decoder, after the descriptor stream has moved on)
    leaves the stream as if it had not happened; NaN / inf structure audio is described as its sanitised self."""
    from tests.helpers.live_models import FAIL_DECODE, FAIL_NONE

    result = feature_export[0]
    generator = torch.Generator().manual_seed(0)
    buffers = 0.3 * torch.randn(6, 1, 2, 2048, generator=generator)

    def play(model, fail_at=-1):
        outputs = []
        for index, x in enumerate(buffers):
            if index == fail_at:
                model.codec.codec.fail_in(FAIL_DECODE)
                with pytest.raises((RuntimeError, torch.jit.Error), match="injected failure"):
                    emulate_host(model, "forward", x * 0.5, 1, 1)
                model.codec.codec.fail_in(FAIL_NONE)
            torch.manual_seed(index)
            outputs.append(emulate_host(model, "forward", x, 1, 1))
        return outputs

    failed = load_ts(result.path)
    assert all(torch.equal(a, b) for a, b in zip(play(failed, fail_at=3), play(load_ts(result.path))))
    assert failed.rollbacks == 1
    bad = buffers[:, :, :1].clone()
    bad[2, ..., 100:900] = float("nan")
    bad[4, ..., ::3] = float("inf")
    clean = torch.nan_to_num(bad, nan=0.0, posinf=0.0, neginf=0.0).clamp(-8.0, 8.0)
    heard, meant = load_ts(result.path), load_ts(result.path)
    for x, y in zip(bad, clean):
        got, want = emulate_host(heard, "structure", x, 1, RATIO), emulate_host(meant, "structure", y, 1, RATIO)
        assert torch.isfinite(got).all() and torch.equal(got, want)


class LaggingDCTCodec(StreamingDCTCodec):
    """The block-DCT codec streaming one frame late, as a streaming codec with encoder look-ahead does: `encode`
    returns the latents of the previous block (zeros at stream start)."""

    last = torch.zeros(0, 0, 0)  # read by the method checks that run inside the base class's constructor

    @torch.jit.export
    def reset_state(self) -> None:
        self.last = torch.zeros(0, 0, 0)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        z = torch.einsum("btr,cr->bct", x.reshape(x.shape[0], -1, self.ratio), self.basis)
        if self.last.size(0) != z.size(0):
            self.last = torch.zeros(z.size(0), z.size(1), 1)
        out = torch.cat([self.last, z], dim=2)
        self.last = out[:, :, out.size(2) - 1:]
        return out[:, :, :z.size(2)]


def lagging_codec(path):
    from after.nn_tilde.module import save_nn_model

    save_nn_model(LaggingDCTCodec(RATIO, 16, SAMPLE_RATE), path,
                  {"kind": "codec", "streaming": True, "sample_rate": SAMPLE_RATE, "ratio": RATIO, "latent_size": 16,
                   "latency_samples": RATIO, "causal": True,
                   "latency_by_method": {"encode": RATIO, "decode": 0, "forward": RATIO}})
    return path


def test_features_follow_a_codec_whose_encoder_runs_late(tmp_path):
    """With a streaming codec whose latents come one frame late, stored features, `after transfer`'s and the
    export's are delayed by that frame too, so each still describes the audio its latents came from."""
    from after.data.descriptors import codec_encode_lag_frames
    from after.data.store import DatabaseReader, database_info
    from after.diffusion.runs import load_run
    from after.diffusion.transfer import RunTransfer
    from after.export.exporter import export_run
    from after.nn_tilde.codec_ts import load_codec
    from tests.helpers.export_models import make_latent_db, make_run

    codec_path = lagging_codec(tmp_path / "lagging.ts")
    assert codec_encode_lag_frames(codec_path, RATIO) == 1
    (tmp_path / "audio").mkdir()
    audio = render(melody(np.random.default_rng(5), 64), "square", 64)
    sf.write(tmp_path / "audio" / "a.wav", audio, SAMPLE_RATE, subtype="FLOAT")
    prepared = run_cli("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
                       "--emb_model_path", codec_path, "--num_augments", "0", "--num_signal", str(64 * RATIO),
                       "--sample_rate", SAMPLE_RATE, "--num_multiprocesses", "1", "--normalize", "False",
                       "--descriptors", "loudness")
    assert prepared.exit_code == 0, prepared.output
    assert database_info(tmp_path / "db").descriptor_window == "causal"
    stored = DatabaseReader(tmp_path / "db")[0].features["descriptor_loudness"]
    np.testing.assert_allclose(stored, compute_descriptors(audio, SAMPLE_RATE, RATIO, ("loudness",), 1)["loudness"],
                               atol=1e-4)
    assert stored[0] == -100.0 and stored[1] == compute_descriptors(audio, SAMPLE_RATE, RATIO)["loudness"][0]

    run_dir = make_run(tmp_path / "run", codec_path, RATIO, 16, SAMPLE_RATE, structure_features=["loudness"])
    db = make_latent_db(tmp_path / "latents", 16, RATIO, ("brass", "keys"), per_label=4, sample_rate=SAMPLE_RATE)
    export = export_run(run_dir, codec_path, "audio", [db], n_presets=2)
    assert export.metadata["structure_features"]["delay_frames"] == 1
    # Both read the audio one frame late: the offline structure of the audio behind one frame of silence.
    run, aligned = load_run(run_dir), load_codec(make_streaming_codec(tmp_path / "aligned.ts", RATIO, 16, SAMPLE_RATE))
    late = np.concatenate([np.zeros(RATIO, np.float32), audio[:-RATIO]])
    expected = offline_structure(run, aligned, late)
    streamed = host_structure(load_ts(export.path), audio, 2048)
    torch.testing.assert_close(streamed, expected, rtol=1e-4, atol=1e-4 * float(expected.abs().max()))
    runner = RunTransfer(run, load_codec(codec_path))
    with torch.no_grad():
        transferred = runner.structure(tmp_path / "audio" / "a.wav")
    torch.testing.assert_close(transferred, expected, rtol=1e-4, atol=1e-4 * float(expected.abs().max()))


@pytest.mark.slow
def test_prepare_update_train_transfer_export_with_descriptors(tmp_path):
    """The whole path on real commands: a dataset prepared without descriptors is refused with the fix, the fix
    (`update_dataset --descriptors`) works, a short run measures the descriptors' statistics and trains, `after
    transfer` reads them from the audio, and the export computes them live: its streamed structure equals the
    offline one, and it passes the libtorch 2.5.1 check."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from after.diffusion.runs import load_run
    from after.diffusion.training.run import TrainOptions, train_diffusion
    from after.errors import InputError
    from after.nn_tilde.codec_ts import load_codec

    codec_path = make_streaming_codec(tmp_path / "export_stream.ts", RATIO, LATENT_SIZE, SAMPLE_RATE)
    (tmp_path / "audio" / "x").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for timbre in ("sine", "square", "saw"):
        for take in range(2):
            sf.write(tmp_path / "audio" / "x" / f"{timbre}{take}.wav", render(melody(rng, 64), timbre, 64),
                     SAMPLE_RATE)
    db = tmp_path / "db"
    prepared = run_cli("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", db,
                       "--emb_model_path", codec_path, "--save_waveform", "--num_augments", "0", "--num_signal",
                       str(64 * RATIO), "--sample_rate", SAMPLE_RATE, "--num_multiprocesses", "1",
                       "--normalize", "False")
    assert prepared.exit_code == 0, prepared.output
    # Validation at step 3 also logs the audio examples, whose structure reads the batch's descriptors.
    overrides = (*SMALL_MODEL, FEATURE_OVERRIDE, "train.batch_size=4", "train.n_signal=16", "train.val_every=3",
                 "train.val_batches=1", "train.val_examples=2", "train.max_steps=3", "train.save_every=3",
                 "train.phase_1_step=1")
    options = TrainOptions(name="run", db_paths=[db], codec_path=codec_path, presets=("base",), overrides=overrides,
                           out_path=tmp_path, accelerator="cpu", devices=1, progress_bar=False)
    with pytest.raises(InputError, match=f"update_dataset --db_path {db} .*--descriptors loudness --descriptors "
                                         f"centroid"):
        train_diffusion(options)
    updated = run_cli("update_dataset", "--db_path", db, "--emb_model_path", codec_path, "--descriptors",
                      "loudness", "--descriptors", "centroid")
    assert updated.exit_code == 0, updated.output

    run_dir = train_diffusion(options).run_dir
    events = EventAccumulator(str(run_dir / "logs"), size_guidance={"audio": 0})
    events.Reload()
    assert any(tag.startswith("transfer/") for tag in events.Tags()["audio"])
    stats = load_latent_stats(run_dir / FEATURE_STATS_FILE)
    assert -100.0 < stats.mean[0] < 0.0 and 100.0 < stats.mean[1] < SAMPLE_RATE / 2 and min(stats.std) > 1.0
    run = load_run(run_dir)
    assert run.networks.structure_encoder.input_channels == LATENT_SIZE + 2
    assert run.feature_norm.mean.tolist() == pytest.approx(stats.mean)

    structure_wav, timbre_wav = tmp_path / "structure.wav", tmp_path / "timbre.wav"
    sf.write(structure_wav, render(melody(rng, 96), "saw", 96), SAMPLE_RATE)
    sf.write(timbre_wav, render(melody(rng, 64), "sine", 64), SAMPLE_RATE)
    out = tmp_path / "out.wav"
    transferred = run_cli("transfer", "--model", run_dir, "--structure", structure_wav, "--timbre", timbre_wav,
                          "--out", out, "--steps", "2")
    assert transferred.exit_code == 0, transferred.output
    assert np.isfinite(sf.read(out)[0]).all()

    exported = run_cli("export", "--model_path", run_dir, "--emb_model_path", codec_path, "--step", "3")
    assert exported.exit_code == 0, exported.output
    path = run_dir / "after.audio.run.ts"
    assert nn_tilde_problems(path) == []
    metadata = read_model_info(path).metadata["structure_features"]
    assert metadata["names"] == list(FEATURES) and metadata["mean"] == pytest.approx(stats.mean)
    audio = sf.read(structure_wav, dtype="float32")[0]
    offline = offline_structure(run, load_codec(codec_path), audio)
    model = load_ts(path)
    for buffer in (2048, 8192):
        torch.testing.assert_close(host_structure(model, audio, buffer), offline, rtol=1e-4,
                                   atol=1e-4 * float(offline.abs().max()))
    y = emulate_host(model, "forward", torch.from_numpy(np.stack([audio[:4096], audio[:4096]]))[None], 1, 1)
    assert y.shape == (1, 1, 4096) and torch.isfinite(y).all()
