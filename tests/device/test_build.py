"""after-device build: outputs per kind, the .amxd container, no overwrite without --force, bad input,
hostile names, and data-driven controls."""

import json
import os
import struct
from importlib import resources
from pathlib import Path

import pytest
import torch
import yaml
from click.testing import CliRunner

from after.cli.main import device_group
from after.device.amxd import amxd_bytes, read_amxd
from after.device.build import build_device
from after.device.definitions import load_definition, parse_definition
from after.device.inspect import read_patch
from after.device.model import Overrides, device_model
from after.device.names import display_name, pd_escape, pd_symbol, safe_filename
from after.device.spec import STRIP_HEIGHT, build_spec
from after.errors import ConfigError
from after.nn_tilde.host import read_model_info
from tests.helpers.device_fake_models import (
    CONTRACT_ATTRIBUTES,
    HOSTILE_NAMES,
    ContractModel,
    make_audio_model,
    make_generic_model,
    make_midi_model,
    make_rave_codec,
    make_reference_audio_model,
    make_reference_midi_model,
    make_upstream_audio_model,
    reference_midi_methods,
)

MAKERS = {"audio": make_audio_model, "midi": make_midi_model, "upstream": make_upstream_audio_model,
          "codec": make_rave_codec, "generic": make_generic_model}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("models")
    return {name: make(folder / f"{name}.ts") for name, make in MAKERS.items()}


def run(*args):
    return CliRunner().invoke(device_group, [str(a) for a in args])


@pytest.mark.parametrize("name,kind,fourcc", [("audio", "audio", b"aaaa"), ("midi", "midi", b"iiii"),
                                              ("upstream", "audio", b"aaaa"), ("codec", "codec", b"aaaa"),
                                              ("generic", "generic", b"aaaa")])
def test_build_writes_every_output_with_the_right_amxd_header(models, tmp_path, name, kind, fourcc):
    result = run("build", models[name], "--out", tmp_path)
    assert result.exit_code == 0, result.output
    files = {p.name for p in tmp_path.iterdir()}
    stem = "demo" if name == "audio" else "keys" if name == "midi" else name
    assert {f"{stem}.amxd", f"{stem}.maxpat", f"{stem}.pd", f"{stem}_README.md"} <= files
    # the bank and the picture are the model's (named after its file), shared by all its devices
    assert f"{name}_presets.json" in files and not (files & {f"{stem}_presets.json", f"{stem}_map.png"} - {
        f"{name}_presets.json", f"{name}_map.png"})
    assert (f"{name}_map.png" in files) == (name in ("audio", "midi"))  # upstream exports carry no picture
    data = (tmp_path / f"{stem}.amxd").read_bytes()
    assert data[:12] == b"ampf" + struct.pack("<I", 4) + fourcc
    assert data[12:24] == b"meta" + struct.pack("<II", 4, 1)
    size = struct.unpack("<I", data[28:32])[0]
    assert data[24:28] == b"ptch" and len(data) == 32 + size and data[-2:] == b"\n\x00"
    device = read_amxd(tmp_path / f"{stem}.amxd")
    assert device.patcher["patcher"]["project"]["amxdtype"] == int.from_bytes(fourcc, "big")
    assert f"{kind} device" in result.output
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_amxd_writer_reader_round_trip():
    data = amxd_bytes("iiii", '{"patcher": {"boxes": []}}\n')
    assert data[32:] == b'{"patcher": {"boxes": []}}\n\x00'
    with pytest.raises(ValueError):
        amxd_bytes("xxxx", "{}")


def test_kind_and_sizes_inferred_without_metadata(models):
    upstream = device_model(read_model_info(models["upstream"]), Overrides())
    assert (upstream.kind, upstream.main.name, upstream.zt, upstream.latency_samples) == ("audio", "generate_timbre",
                                                                                        6, 0)
    midi = device_model(read_model_info(models["midi"]), Overrides())
    assert (midi.n_poly, midi.zt, midi.main.in_channels) == (3, 4, 10)
    assert device_model(read_model_info(models["codec"]), Overrides()).kind == "codec"
    flagged = device_model(read_model_info(models["upstream"]), Overrides(latency_ms=100, sample_rate=48000))
    assert flagged.latency_samples == 4800


def test_latency_reported_from_model_and_host(models, tmp_path):
    spec = build_spec(device_model(read_model_info(models["audio"]), Overrides()), buffer=4096)
    assert spec.latency_max == 1024 + 2 * 4096
    assert spec.latency_pd == 1024 + 2 * 4096 - 64  # 1 + zt inputs: not the 1-in/1-out case
    codec = build_spec(device_model(read_model_info(models["codec"]), Overrides()), buffer=8192)
    assert codec.buffer_pd == 4096 and codec.latency_pd == 4096 + 4096 - 64  # §F: 1-in/1-out in Pd
    build_device(models["audio"], tmp_path, buffer=4096)
    assert read_patch(tmp_path / "demo.amxd").latency == 9216  # `latency N` message into plugout~
    assert read_patch(tmp_path / "demo.maxpat").latency is None  # a plain Max patch has no host to tell


def test_no_overwrite_without_force(models, tmp_path):
    assert run("build", models["codec"], "--out", tmp_path).exit_code == 0
    pd_file = tmp_path / "codec.pd"
    pd_file.write_text("#N canvas 0 0 10 10 12;\n")
    result = run("build", models["codec"], "--out", tmp_path)
    assert result.exit_code == 1 and "--force" in result.output and len(result.output.strip().splitlines()) == 1
    assert pd_file.read_text() == "#N canvas 0 0 10 10 12;\n"
    assert run("build", models["codec"], "--out", tmp_path, "--force").exit_code == 0
    assert pd_file.read_text().startswith("#N canvas") and "nn~" in pd_file.read_text()


def _one_line_error(result):
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_bad_inputs_give_one_line_errors(models, tmp_path):
    plain = tmp_path / "plain.ts"
    torch.jit.script(torch.nn.Linear(2, 2)).save(str(plain))
    assert "not an nn~ model" in _one_line_error(run("build", plain, "--out", tmp_path / "o"))
    assert "file not found" in _one_line_error(run("build", tmp_path / "missing.ts"))
    corrupt = tmp_path / "corrupt.ts"
    corrupt.write_bytes(b"PK\x03\x04garbage" * 10)
    assert "corrupt.ts" in _one_line_error(run("build", corrupt))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "not a folder" in _one_line_error(run("build", models["codec"], "--out", blocker))
    assert "--out" in _one_line_error(run("build", models["codec"], "--out", blocker / "sub"))
    assert "power of two" in _one_line_error(run("build", models["codec"], "--buffer", 3000, "--out", tmp_path))
    assert "--formats" in _one_line_error(run("build", models["codec"], "--formats", "vst", "--out", tmp_path))
    assert "--zt" in _one_line_error(run("build", models["upstream"], "--zt", 3, "--out", tmp_path))
    assert not list((tmp_path).glob("*.pd"))


def test_unwritable_out_folder(models, tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root ignores permissions: use a read-only kernel folder
        locked = Path("/sys/after-device-test")
        if not Path("/sys").is_dir():
            pytest.skip("no read-only folder to write into")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    assert "writable --out" in _one_line_error(run("build", models["codec"], "--out", locked))


def test_hostile_names_are_cleaned_and_files_stay_inside_out(models, tmp_path):
    out = tmp_path / "out"
    result = run("build", models["audio"], "--out", out, "--name", "../../evil; pd quit, $1 {x} \\ é" + "z" * 300)
    assert result.exit_code == 0, result.output
    written = list(out.iterdir())
    assert written and all(p.parent == out for p in written)
    assert not list(tmp_path.glob("evil*")) and not (tmp_path.parent / "evil").exists()
    for path in written:
        assert len(path.name) < 120 and all(c.isalnum() or c in "._-" for c in path.name)


def test_hostile_preset_names_reach_max_cleaned(tmp_path):
    """Preset names from users' files: the Max preset menu and the pattrstorage bank carry them cleaned, one
    menu item per preset (a `,` would split an item, a `;` or `$` would be syntax)."""
    model = make_audio_model(tmp_path / "m.ts", "x; pd quit", HOSTILE_NAMES)
    build_device(model, tmp_path / "out")
    bank = json.loads((tmp_path / "out" / "m_presets.json").read_text())["pattrstorage"]["slots"]
    names = [slot["name"] for slot in bank.values()]
    assert len(names) == 4 + len(HOSTILE_NAMES) and len(set(names)) == len(names)
    for patcher in (read_amxd(tmp_path / "out" / "x_pd_quit.amxd").patcher,
                    json.loads((tmp_path / "out" / "x_pd_quit.maxpat").read_text())):
        menu = next(b["box"] for b in patcher["patcher"]["boxes"] if b["box"]["maxclass"] == "umenu")
        assert menu["items"][::2] == names and set(menu["items"][1::2]) == {","}
    for name in names:
        assert name.isascii() and len(name) <= 48 and not set(name) & set(';,$\\"{}[]')


@pytest.mark.parametrize("raw", HOSTILE_NAMES + ["", "...", "/etc/passwd"])
def test_name_cleaners(raw):
    for cleaned in (display_name(raw), pd_symbol(raw)):
        assert cleaned and len(cleaned) <= 48 and cleaned.isascii()
        assert not set(cleaned) & set(';,$\\"{}[]\n')
    assert " " not in pd_symbol(raw)
    stem = safe_filename(raw)
    assert stem and "/" not in stem and not stem.startswith(".")
    assert pd_escape("a b;c,d$1") == "a\\ b\\;c\\,d\\$1"
    with pytest.raises(ValueError):
        pd_escape("brace{")


def test_every_definition_loads_and_fits_the_strip(models):
    for name, kind in (("audio", "audio"), ("midi", "midi"), ("codec", "codec"), ("generic", "generic")):
        spec = build_spec(device_model(read_model_info(models[name]), Overrides()))
        assert spec.definition.name == kind
        for _, rect in spec.controls:
            assert 0 <= rect[1] and rect[1] + rect[3] <= STRIP_HEIGHT
        assert len({c.long_name for c, _ in spec.controls}) == len(spec.controls)


def test_adding_a_control_is_an_edit_of_data(models):
    """A new YAML control driving an nn~ attribute appears in the spec, with no Python change."""
    data = yaml.safe_load((resources.files("after.devices") / "generic.yaml").read_text())
    data["sections"][0]["controls"].append({"key": "boost", "long_name": "Boost", "widget": "dial", "min": 0,
                                            "max": 4, "default": 2, "drives": {"attribute": "guidance_timbre"},
                                            "rect": [0, 30, 44, 48]})
    model = device_model(read_model_info(models["generic"]), Overrides())
    spec = build_spec(model, definition=parse_definition(data, "test.yaml"))
    boost = spec.control("boost")
    assert boost is not None and boost.drives == ("attribute", "guidance_timbre")
    assert load_definition("generic").sections[0].controls[-1].key != "boost"


def test_kind_override_builds_a_generic_device(models, tmp_path):
    result = build_device(models["audio"], tmp_path, Overrides(kind="generic"))
    spec = result.spec
    assert spec.definition.name == "generic" and spec.model.main.name == "forward"
    assert {c.drives for c, _ in spec.controls} >= {("attribute", "nb_steps"), ("attribute", "guidance_timbre")}
    assert read_patch(tmp_path / "demo.amxd").nn_objects[0].method == "forward"


def test_model_file_names_survive_quoting(models, tmp_path):
    """The exact model file name reaches nn~ in every format (Max quotes it, Pd escapes it)."""
    odd = tmp_path / "my model; v2, $1.ts"
    odd.write_bytes(models["codec"].read_bytes())
    build_device(odd, tmp_path / "out")
    for suffix in (".amxd", ".maxpat", ".pd"):
        summary = read_patch(next((tmp_path / "out").glob(f"*{suffix}")))
        assert [n.model for n in summary.nn_objects] == ["my model; v2, $1.ts"], suffix


@pytest.mark.parametrize("edit,message", [
    (lambda c: c.update(widget="slider"), "widget 'slider' unknown"),
    (lambda c: c.update(drives={"sing": "x"}), "drives 'sing' unknown"),
    (lambda c: c.update(unit="furlong"), "unit 'furlong' unknown"),
    (lambda c: c.pop("rect"), "bad control definition"),
])
def test_bad_definitions_are_config_errors(edit, message):
    data = yaml.safe_load((resources.files("after.devices") / "codec.yaml").read_text())
    edit(data["sections"][0]["controls"][0])
    with pytest.raises(ConfigError, match=message):
        parse_definition(data, "broken.yaml")


def test_definition_errors_reach_the_strip_and_long_names(models):
    model = device_model(read_model_info(models["codec"]), Overrides())
    data = yaml.safe_load((resources.files("after.devices") / "codec.yaml").read_text())
    data["sections"][0]["controls"][1]["rect"] = [0, 140, 44, 48]
    with pytest.raises(ConfigError, match="leaves the 169 px strip"):
        build_spec(model, definition=parse_definition(data, "tall.yaml"))
    data = yaml.safe_load((resources.files("after.devices") / "codec.yaml").read_text())
    data["sections"][1]["controls"][0]["long_name"] = "On"
    with pytest.raises(ConfigError, match="long names must be unique"):
        build_spec(model, definition=parse_definition(data, "dup.yaml"))


REFERENCE_TABLES = {
    "after.audio.base": (lambda p: make_reference_audio_model(p, projection=False), "audio", "generate_timbre", 6, 0),
    "after.audio.proj": (lambda p: make_reference_audio_model(p, projection=True), "audio", "generate_timbre", 6, 0),
    "after.midi.base": (make_reference_midi_model, "midi", "generate", 6, 8),
}


@pytest.mark.parametrize("stem", list(REFERENCE_TABLES))
def test_reference_exports_build_and_validate(tmp_path, stem):
    """Method tables read from exports of the reference AFTER code: the audio model with and without the
    latent projection (2-channel latent2map/map2latent), the 8-voice MIDI model without `forward`. Every
    format builds and validates against the model; a map that cannot drive zt dials is left out with a note."""
    make, kind, main, zt, n_poly = REFERENCE_TABLES[stem]
    model = make(tmp_path / f"{stem}.ts")
    result = run("build", model, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    spec = build_device(model, tmp_path / "again", force=True).spec
    assert (spec.model.kind, spec.model.main.name, spec.model.zt, spec.model.n_poly) == (kind, main, zt, n_poly)
    with_map = stem == "after.audio.proj"
    assert (spec.map_rect is not None) == with_map
    assert ("Map" in spec.timbre_sources) == with_map and "Sidechain" in spec.timbre_sources
    assert any(n.startswith("No timbre map: latent2map takes 2") for n in spec.notes) != with_map
    if not with_map:
        assert "note: No timbre map" in result.output  # the note reaches the user, one line
    for suffix in (".amxd", ".maxpat", ".pd"):
        checked = run("validate", tmp_path / "out" / f"{stem}{suffix}", "--model", model)
        assert checked.exit_code == 0, checked.output


def test_unfit_method_tables_fall_back_to_a_generic_device(tmp_path):
    """An auto-detected kind whose sizes do not add up (a MIDI model whose voices cannot be told) gives a
    generic device with a one-line note, no error; asking for the kind explicitly still gives a clear error."""
    methods = [m for m in reference_midi_methods() if m.name != "timbre"]  # zt unknown: no timbre, 2 -> 2 maps
    path = tmp_path / "odd.ts"
    torch.jit.script(ContractModel(methods, CONTRACT_ATTRIBUTES)).save(str(path))
    result = run("build", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "note: Built a generic device instead of the midi device" in result.output
    spec = build_device(path, tmp_path / "again").spec
    assert spec.definition.name == "generic"
    assert "--zt" in _one_line_error(run("build", path, "--kind", "midi", "--out", tmp_path / "o2"))
    for suffix in (".amxd", ".maxpat", ".pd"):
        assert run("validate", tmp_path / "out" / f"odd{suffix}", "--model", path).exit_code == 0
