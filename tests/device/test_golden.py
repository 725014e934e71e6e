"""Golden files: the rendered outputs of a fixed small model never change unnoticed.

Regenerate after an intended change with `AFTER_UPDATE_GOLDEN=1 pytest tests/device/test_golden.py` and
review the diff of tests/golden/.
"""

import os
from pathlib import Path

import pytest
import torch

from after.device.build import build_device
from tests.helpers.device_fake_models import make_audio_model, make_midi_model

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AFTER_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("golden")
    audio = build_device(make_audio_model(folder / "after.audio.demo.ts", "demo"), folder / "out")
    midi = build_device(make_midi_model(folder / "after.midi.keys.ts", "keys"), folder / "out")
    return {p.name: p for p in audio.files + midi.files}


@pytest.mark.parametrize("name", ["demo.maxpat", "demo.pd", "after.audio.demo_presets.json", "demo_README.md",
                                  "keys.maxpat", "keys.pd", "keys_README.md"])
def test_rendered_output_matches_golden(outputs, name):
    rendered = outputs[name].read_text(encoding="utf-8")
    golden = GOLDEN / f"device_{name}"
    if UPDATE:
        golden.write_text(rendered, encoding="utf-8")
    assert golden.is_file(), f"missing {golden}; run with AFTER_UPDATE_GOLDEN=1 once"
    assert rendered == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,fourcc", [("demo", b"aaaa"), ("keys", b"iiii")])
def test_amxd_matches_golden(outputs, name, fourcc):
    data = outputs[f"{name}.amxd"].read_bytes()
    assert data[8:12] == fourcc
    rendered = data[32:-1].decode("utf-8")  # the patcher JSON between the 32-byte header and the final NUL
    golden = GOLDEN / f"device_{name}.amxd.json"
    if UPDATE:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")
