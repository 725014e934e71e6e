"""One file per artefact: a model's preset bank and map picture exist once per folder, under the names every
device of the model references (`<model stem>_presets.json`, `<model stem>_map.png`). `after export` writes
them (through `write_model_artefacts`, exercised here on models with the export's contract), `after-device
build` reads and references them, and files under the old names are removed with a message."""

import json

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import device_group
from after.device.amxd import read_amxd
from after.device.build import write_model_artefacts
from after.nn_tilde.host import read_model_info
from tests.helpers.device_fake_models import make_audio_model, make_midi_model


def run(*args):
    return CliRunner().invoke(device_group, [str(a) for a in args])


@pytest.fixture()
def exports(tmp_path):
    """An export folder as `after export` / `export_midi` leave it, plus the old-name files of earlier versions."""
    torch.set_num_threads(1)
    audio = make_audio_model(tmp_path / "after.audio.demo.ts", "demo")
    midi = make_midi_model(tmp_path / "after.midi.demo.ts", "demo")
    image = read_model_info(audio).map_image
    (tmp_path / "after.audio.demo.png").write_bytes(image)  # the export's old picture name
    (tmp_path / "after.audio.demo.presets.json").write_text(json.dumps({"model": audio.name, "zt": 4, "presets": []}))
    notes = []
    for model in (audio, midi):
        bank, picture, messages = write_model_artefacts(model)
        assert bank.name == model.name.removesuffix(".ts") + "_presets.json"
        assert picture.name == model.name.removesuffix(".ts") + "_map.png"
        notes += messages
    assert len(notes) == 2 and all(n.startswith("removed ") for n in notes)
    return tmp_path, audio, midi


def test_export_folder_holds_one_bank_and_one_picture_per_model(exports):
    folder, audio, midi = exports
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for model in (audio, midi):  # as the demo does: devices beside the model, named after it
        result = run("build", model, "--out", folder, "--name", model.name.removesuffix(".ts"), "--force")
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert [n for n in names if n.endswith(".json")] == ["after.audio.demo_presets.json",
                                                         "after.midi.demo_presets.json"]
    assert [n for n in names if n.endswith(".png")] == ["after.audio.demo_map.png", "after.midi.demo_map.png"]
    for name in ("after.audio.demo_presets.json", "after.audio.demo_map.png"):
        assert (folder / name).read_bytes() == before[name]  # referenced, not rewritten
    patcher = read_amxd(folder / "after.audio.demo.amxd").patcher["patcher"]
    texts = [b["box"].get("text", "") for b in patcher["boxes"]]
    assert "pattrstorage after.audio.demo_presets @autorestore 1 @savemode 0" in texts
    picture = next(b["box"] for b in patcher["boxes"] if b["box"]["maxclass"] == "pictslider")
    assert picture["bkgndpict"] == "after.audio.demo_map.png"
    readme = (folder / "after.audio.demo_README.md").read_text()
    assert "`after.audio.demo_presets.json`" in readme and "already here" in readme


def test_build_reads_the_bank_it_finds(exports):
    """A bank edited (or saved from Max) beside the model is what the rebuilt devices offer."""
    folder, audio, _ = exports
    bank_path = folder / "after.audio.demo_presets.json"
    bank = json.loads(bank_path.read_text())
    first = bank["pattrstorage"]["slots"]["1"]
    first["name"] = "My Sound"
    first["data"]["steps"] = [11.0]
    first["data"]["no_such_control"] = [1.0]
    bank_path.write_text(json.dumps(bank))
    result = run("build", audio, "--out", folder / "elsewhere")
    assert result.exit_code == 0, result.output
    pd_text = (folder / "elsewhere" / "demo.pd").read_text()
    assert "My_Sound" in pd_text  # the Pd presets come from the bank found beside the model
    copied = json.loads((folder / "elsewhere" / "after.audio.demo_presets.json").read_text())
    assert copied == bank  # a device in another folder gets the same bank beside it (Max looks there)
    assert (folder / "elsewhere" / "after.audio.demo_map.png").read_bytes() == (
        folder / "after.audio.demo_map.png").read_bytes()


def test_old_device_names_are_migrated_with_a_message(tmp_path):
    torch.set_num_threads(1)
    model = make_audio_model(tmp_path / "after.audio.x.ts", "x")
    out = tmp_path / "x_device"
    out.mkdir()
    image = read_model_info(model).map_image
    (out / "x_map.png").write_bytes(image)  # what earlier builds wrote under the device name
    (out / "x_presets.json").write_text(json.dumps({"pattrstorage": {"name": "x_presets", "slots": {}}}))
    (out / "keep_presets.json").write_text("{}")  # not ours: left alone
    result = run("build", model, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".json", ".png")) == [
        "after.audio.x_map.png", "after.audio.x_presets.json", "keep_presets.json"]
    assert result.output.count("removed ") == 2 and "x_map.png" in result.output
