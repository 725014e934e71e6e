"""The device kit on real `after export` / `after export_midi` outputs (tiny random-weight runs): every
output validates against the model, and the Pd patch opens in real Pd."""

import shutil
from pathlib import Path

import pytest
import torch

from after.codec.config import CodecConfig
from after.codec.export import export_codec
from after.codec.model import build_codec
from after.config import load_config
from after.demo.stages import CODEC_PRESET, N_POLY, SAMPLE_RATE
from after.device.build import build_device
from after.device.inspect import read_patch
from after.device.pd_check import open_in_pd
from after.device.validate import validate_patch
from after.export.exporter import export_run
from after.nn_tilde.host import read_model_info
from after.tools.device_examples import demo_examples, example_info
from tests.helpers.export_models import make_export, make_latent_db, make_run

PATCHS = Path(__file__).resolve().parents[2] / "patchs"


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


@pytest.mark.slow
def test_example_patches_match_real_exports_of_the_demo_sizes(tmp_path):
    """patchs/ against real exports made the demo's way at the demo's sizes (untrained weights): the
    exported streaming codec of the demo's codec preset, then `export_run` of tiny diffusion runs with the
    demo's zs, zt and voices, named as the demo names them. The examples describe the same method and
    attribute tables, and every checked-in patch validates against the real export it loads."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    examples = {e.folder: e for e in demo_examples()}
    codec_cfg = load_config(CodecConfig, [CODEC_PRESET], [f"model.sample_rate={SAMPLE_RATE}"])
    codec = export_codec(build_codec(codec_cfg.model), codec_cfg, tmp_path)["stream"]
    ratio, latent = codec_cfg.model.ratio, codec_cfg.model.latent_size
    exports = {"codec": codec}
    for kind in ("audio", "midi"):
        metadata = examples[kind].metadata
        sizes = {"zt": metadata["zt"]} | ({"zs": metadata["zs"]} if kind == "audio" else {})
        run = make_run(tmp_path / kind, codec, ratio, latent, SAMPLE_RATE, midi=kind == "midi", **sizes)
        db = make_latent_db(tmp_path / f"{kind}_db", latent, ratio, ("organ", "bell"), per_label=4,
                            sample_rate=SAMPLE_RATE)
        exports[kind] = export_run(run, codec, kind, [db], name="demo", out_dir=tmp_path, n_poly=N_POLY,
                                   n_presets=2).path
    for folder, example in examples.items():
        real = read_model_info(exports[folder])
        assert real.path.name == example.model_file
        described = example_info(example, tmp_path)
        assert described.methods == real.methods and described.attributes == real.attributes
        assert example.metadata["latency_samples"] == real.metadata["latency_samples"]
        for suffix in (".amxd", ".maxpat", ".pd"):
            patch = PATCHS / folder / f"{example.name}{suffix}"
            assert validate_patch(read_patch(patch), real) == [], patch
