"""`patchs/`: the checked-in example devices and patches equal what the generator writes today, validate
against the models they name, and open in real Pd."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from after.cli.main import device_group
from after.device.build import build_from_info
from after.device.inspect import read_patch
from after.device.pd_check import open_in_pd
from after.device.validate import validate_patch
from after.tools.device_examples import demo_examples, example_info

PATCHS = Path(__file__).resolve().parents[2] / "patchs"
REGENERATE = "after-device examples patchs"


@pytest.fixture(scope="module")
def examples():
    torch.set_num_threads(1)
    return demo_examples()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """What `after-device examples OUT` writes (the command that regenerates patchs/)."""
    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("patchs")
    result = CliRunner().invoke(device_group, ["examples", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(result.output.split()) == sorted(str(p) for p in out.rglob("*") if p.is_file())
    return out


def files_under(folder: Path) -> set:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.parent != folder}


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def test_checked_in_examples_are_up_to_date(regenerated):
    """Same files, same bytes (PNG: same pixels, zlib versions may differ) as a fresh generation."""
    expected, found = files_under(regenerated), files_under(PATCHS)
    assert found == expected, (f"patchs/ differs from the generator (missing {sorted(expected - found)}, extra "
                               f"{sorted(found - expected)}): run `{REGENERATE}`, delete the extra files, commit")
    for name in sorted(expected):
        new, old = regenerated / name, PATCHS / name
        if new.suffix == ".png":
            same = np.array_equal(pixels(new), pixels(old))
        else:
            same = new.read_bytes() == old.read_bytes()
        assert same, f"patchs/{name} is out of date: run `{REGENERATE}` and commit the result"


def test_examples_follow_the_demo_exports(examples):
    """Names and sizes the demo gives its exports, so the patches load them when placed beside them."""
    by_folder = {e.folder: e for e in examples}
    assert [e.model_file for e in examples] == ["after.audio.demo.ts", "after.midi.demo.ts", "export_stream.ts"]
    assert by_folder["audio"].metadata["zt"] == by_folder["midi"].metadata["zt"] > 0
    for example in examples:
        info = example_info(example, PATCHS / example.folder)
        assert info.highest_ratio == example.metadata["ratio"]
        # The streaming codec's delay, as exported: its encoder's look-ahead plus its decoder's delay for the
        # models that encode audio, the decoder's alone (none for the demo's harmonic codec) for MIDI models.
        assert example.metadata["latency_samples"] >= (0 if example.folder == "midi" else 1)


@pytest.mark.parametrize("suffix", [".amxd", ".maxpat", ".pd"])
def test_checked_in_examples_validate_against_their_models(examples, suffix):
    for example in examples:
        info = example_info(example, PATCHS / example.folder)
        path = PATCHS / example.folder / (example.name + suffix)
        summary = read_patch(path)
        assert validate_patch(summary, info) == [], path
        assert {n.model for n in summary.nn_objects} == {example.model_file}
        if suffix == ".pd":
            assert summary.declare_paths == ["."]  # the model beside the patch
        if suffix == ".amxd":
            assert summary.device_type == ("iiii" if example.folder == "midi" else "aaaa")


@pytest.mark.pd
@pytest.mark.skipif(shutil.which("pd") is None, reason="Pure Data (pd) not installed")
def test_checked_in_pd_examples_open_in_real_pd(examples):
    for example in examples:
        patch = PATCHS / example.folder / f"{example.name}.pd"
        report = open_in_pd(patch)
        assert report.errors == [] and not report.quit_early, report.output
        n_nn = len([line for line in patch.read_text().splitlines() if line.startswith("#X obj") and " nn~ " in line])
        assert report.output.count("couldn't create") == n_nn  # only nn~ (the external is not installed here)


def test_build_of_demo_sized_devices_is_well_under_two_seconds(examples, tmp_path):
    """What the kit itself does (resolve, render, write all files) for demo-sized models; reading the .ts
    adds 0.3–1.2 s (torch.jit.load) to what `after-device build` reports."""
    for example in examples:
        result = build_from_info(example_info(example, tmp_path / example.folder), tmp_path / example.folder)
        assert result.seconds < 2.0, (example.folder, result.seconds)
