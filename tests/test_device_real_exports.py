"""The device kit on real `after export` / `after export_midi` outputs (tiny random-weight runs): every
output validates against the model, and the Pd patch opens in real Pd."""

import shutil

import pytest
import torch

from after.device.build import build_device
from after.device.inspect import read_patch
from after.device.pd_check import open_in_pd
from after.device.validate import validate_patch
from after.nn_tilde import read_model_info
from export_models import make_export


@pytest.mark.slow
@pytest.mark.parametrize("kind,fourcc", [("audio", "aaaa"), ("midi", "iiii")])
def test_devices_from_real_exports(tmp_path, kind, fourcc):
    torch.set_num_threads(1)
    export = make_export(tmp_path / "export", kind)
    result = build_device(export.path, tmp_path / "device")
    spec = result.spec
    assert spec.model.kind == kind and spec.model.zt == export.metadata["zt"]
    assert spec.model.latency_samples == export.metadata["latency_samples"]
    assert len(spec.bank) >= len(export.metadata["presets"]) and spec.map_rect is not None
    info = read_model_info(export.path)
    for path in result.files:
        if path.suffix in (".amxd", ".maxpat", ".pd"):
            assert validate_patch(read_patch(path), info) == [], path
    assert read_patch(next(p for p in result.files if p.suffix == ".amxd")).device_type == fourcc
    if shutil.which("pd"):
        report = open_in_pd(next(p for p in result.files if p.suffix == ".pd"))
        assert report.errors == [] and not report.quit_early, report.output
