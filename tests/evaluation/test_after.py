"""`after eval` on audio→audio and MIDI→audio AFTER exports (tiny networks with random weights, so the
numbers are poor; what is checked is the pairing, the judging and the report)."""

import json
import shutil

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from after.cli.main import after_group
from after.evaluation.evaluate import EvalSettings, evaluate
from tests.helpers.export_models import make_export, one_thread  # noqa: F401 (one_thread: fixture)
from tests.helpers.gm_data import small_benchmark

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Two melodies of three instruments (held out), plus the benchmark's train/ as the judge's reference."""
    info = small_benchmark(tmp_path_factory)
    folder = tmp_path_factory.mktemp("after_eval") / "heldout"
    for name in ("clarinet", "flute", "nylon_guitar"):
        for clip in ("melody_000", "melody_001"):
            for suffix in (".wav", ".mid"):
                (folder / name).mkdir(parents=True, exist_ok=True)
                shutil.copy(info.root / "heldout" / name / f"{clip}{suffix}", folder / name)
    return info, folder


@pytest.mark.parametrize("kind", ["audio", "midi"])
def test_eval_of_an_after_export(tmp_path, data, kind, one_thread):  # noqa: F811
    info, folder = data
    export = make_export(tmp_path / "export", kind, ratio=256)
    report = evaluate(export.path, folder, tmp_path / "eval", reference_dir=info.root / "train",
                      settings=EvalSettings(steps=2, pairs=4, seed=3, progress=False))
    assert report.kind == kind and len(report.items) == 4
    for key in ("note_f1", "note_f1_input", "target_accuracy", "source_accuracy", "judge_accuracy", "output_rms"):
        assert key in report.summary
    assert 0.0 <= report.summary["note_f1"] <= 1.0 and 0.0 <= report.summary["target_accuracy"] <= 1.0
    assert report.summary["judge_accuracy"] >= 0.8 and report.summary["note_f1_input"] > 0.5
    labels = set(report.judges["judge_labels"])
    for item in report.items:
        assert item["source_label"] != item["target_label"]
        assert item["structure"] == ("midi" if kind == "midi" else "audio")
        assert item["predicted"] in labels | {"(silent)"}
        assert item["target_hit"] == (item["predicted"] == item["target_label"])
        audio, rate = sf.read(str(tmp_path / "eval" / item["output"]))
        assert rate == 16000 and np.isfinite(audio).all()
        seconds = len(audio) / rate
        if kind == "audio":  # the output is as long as the structure clip
            assert seconds == pytest.approx(3.3, abs=1e-3)
        else:  # MIDI: up to the last note-off plus the 1 s tail
            assert 1.5 < seconds < 4.1
        assert (tmp_path / "eval" / item["png"]).stat().st_size > 1000
    written = json.loads(report.paths["json"].read_text())
    assert written["settings"]["steps"] == 2 and written["settings"]["pairs"] == 4
    assert [i["id"] for i in written["items"]] == [i["id"] for i in report.items]
    again = evaluate(export.path, folder, tmp_path / "eval", reference_dir=info.root / "train",
                     settings=EvalSettings(steps=2, pairs=4, seed=3, progress=False))
    assert [(i["source"], i["target"]) for i in again.items] == [(i["source"], i["target"]) for i in report.items]


def test_transfer_eval_needs_two_labelled_instruments(tmp_path, data, one_thread):  # noqa: F811
    _, folder = data
    export = make_export(tmp_path / "export", "audio", ratio=256)
    single = tmp_path / "single"
    shutil.copytree(folder / "flute", single / "flute")
    result = CliRunner().invoke(after_group, ["eval", "--model", str(export.path), "--data", str(single),
                                              "--reference", str(single)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().startswith("error: ") and "at least 2 instruments" in result.output
