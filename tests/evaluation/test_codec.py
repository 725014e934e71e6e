"""`after eval` end to end on codec exports over a rendered GM benchmark, and its one-line errors."""

import json
import shutil
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from after.cli.main import after_group
from after.evaluation.evaluate import EvalSettings, evaluate
from after.nn_tilde.module import NNModule, save_nn_model
from tests.helpers.fake_models import BlockDCTCodec, make_dct_codec
from tests.helpers.gm_data import small_benchmark

DELAY = 300  # samples; deliberately not a multiple of the codec ratio


class DelayedDCTCodec(BlockDCTCodec):
    """A streaming codec that reconstructs perfectly, `DELAY` samples late (like `export_stream.ts`)."""

    # the state, until __init__ gives the instance its own (the base class drives `forward` and `reset_state`
    # while registering the methods)
    delay = DELAY
    tail = torch.zeros(1, 1, DELAY)

    def __init__(self) -> None:
        super().__init__(ratio=256, latent_size=256, sample_rate=16000)
        self.delay = DELAY
        self.tail = torch.zeros(1, 1, DELAY)

    @torch.jit.export
    def reset_state(self) -> None:
        self.tail = torch.zeros(1, 1, self.delay)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.decode(self.encode(x))
        if self.tail.shape[0] != y.shape[0]:
            self.tail = torch.zeros(y.shape[0], 1, self.tail.shape[-1])
        full = torch.cat([self.tail, y], dim=-1)
        self.tail = full[..., y.shape[-1]:]
        return full[..., :y.shape[-1]]


def make_delayed_codec(path: Path) -> Path:
    model = DelayedDCTCodec()
    save_nn_model(model, path, {"kind": "codec", "streaming": True, "sample_rate": 16000, "ratio": 256,
                                "latent_size": 256, "latency_samples": DELAY,
                                "latency_by_method": {"encode": 0, "decode": DELAY, "forward": DELAY}})
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Three instruments of the benchmark's held-out clips (melodies and a chord clip each)."""
    info = small_benchmark(tmp_path_factory)
    folder = tmp_path_factory.mktemp("bench3") / "heldout"
    for name in ("piano", "trumpet", "violin"):
        shutil.copytree(info.root / "heldout" / name, folder / name)
    (folder.parent / "train").symlink_to(info.root / "train", target_is_directory=True)
    return info, folder


def test_eval_of_a_perfect_codec_from_the_command_line(tmp_path, data):
    info, folder = data
    model = make_dct_codec(tmp_path / "export.ts", latent_size=256)
    result = CliRunner().invoke(after_group, ["eval", "--model", str(model), "--data", str(folder),
                                              "--reference", str(info.root / "train")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "export_eval"
    report = json.loads((out / "eval.json").read_text())
    assert "| note_f1 |" in result.output and (out / "eval.md").read_text() in result.output
    assert report["kind"] == "codec" and len(report["items"]) == 9
    summary = report["summary"]
    assert summary["mrstft"] < 1e-3 and summary["spectral_convergence"] < 1e-3 and summary["si_sdr"] > 60
    assert summary["loudness_error_db"] < 0.01
    assert summary["note_f1"] == pytest.approx(summary["note_f1_input"]) and summary["note_f1_input"] > 0.6
    assert summary["instrument_accuracy"] == 1.0 and summary["judge_accuracy"] == 1.0
    assert {"note_f1_monophonic", "note_f1_polyphonic"} <= set(summary)
    for item in report["items"]:
        assert item["reference_notes"] == "midi" and item["predicted"] == item["label"]
        with Image.open(out / item["png"]) as image:
            assert image.format == "PNG" and image.size[0] >= 600 and image.size[1] > 200
        assert (out / item["output"]).stat().st_size > 40000
    assert set(report["timings_s"]) >= {"model", "transcription", "instrument_judge_fit", "total"}


def test_streaming_latency_is_compensated_and_a_poorer_codec_scores_worse(tmp_path, data):
    info, folder = data
    delayed = evaluate(make_delayed_codec(tmp_path / "export_stream.ts"), folder, tmp_path / "delayed",
                       settings=EvalSettings(progress=False, monophonic_only=True))
    assert delayed.summary["si_sdr"] > 60 and delayed.summary["mrstft"] < 1e-3
    assert delayed.judges["judge_reference_clips"] == 6 * 9, "the sibling train/ folder is the default reference"
    lowpass = evaluate(make_dct_codec(tmp_path / "lowpass.ts", latent_size=16), folder, tmp_path / "lowpass",
                       reference_dir=folder, settings=EvalSettings(progress=False, monophonic_only=True))
    assert len(lowpass.items) == 6 and all(not item["polyphonic"] for item in lowpass.items)
    assert "leave-one-out" in lowpass.judges["instrument_judge"] and lowpass.judges["judge_reference_clips"] == 6
    assert lowpass.summary["mrstft"] > 0.5 and lowpass.summary["si_sdr"] < 20
    assert lowpass.summary["note_f1"] < delayed.summary["note_f1"]
    assert lowpass.paths["json"] == tmp_path / "lowpass" / "eval.json"


def _one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


class NotACodec(NNModule):
    """A scripted nn~ model with a 2-channel `forward` only, and no after metadata."""

    def __init__(self) -> None:
        super().__init__()
        self.register_method("forward", 2, 1, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def test_a_model_that_is_not_an_export_is_a_one_line_error(tmp_path):
    model = tmp_path / "effect.ts"
    torch.jit.script(NotACodec()).save(str(model))
    (tmp_path / "clips" / "a").mkdir(parents=True)
    line = _one_line_error(CliRunner().invoke(after_group, ["eval", "--model", str(model), "--data",
                                                            str(tmp_path / "clips")]))
    assert "effect.ts" in line and "not an export" in line
    (tmp_path / "notes.ts").write_text("hello")
    assert "not a TorchScript file" in _one_line_error(CliRunner().invoke(
        after_group, ["eval", "--model", str(tmp_path / "notes.ts"), "--data", str(tmp_path / "clips")]))
    assert not (tmp_path / "effect_eval").exists()


def test_an_empty_folder_and_a_foreign_output_folder_are_one_line_errors(tmp_path):
    model = make_dct_codec(tmp_path / "export.ts")
    (tmp_path / "empty" / "violin").mkdir(parents=True)
    line = _one_line_error(CliRunner().invoke(after_group, ["eval", "--model", str(model), "--data",
                                                            str(tmp_path / "empty")]))
    assert "no audio files" in line and str(tmp_path / "empty") in line
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("mine")
    line = _one_line_error(CliRunner().invoke(after_group, ["eval", "--model", str(model), "--data",
                                                            str(tmp_path / "empty"), "--out", str(tmp_path / "mine")]))
    assert "not an earlier `after eval` output" in line and (tmp_path / "mine" / "keep.txt").exists()
    assert "--model" in _one_line_error(CliRunner().invoke(after_group, ["eval"]))
