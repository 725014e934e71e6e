"""Validators: generated outputs pass; deliberately broken patches are rejected (non-zero exit)."""

import json
import re

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import device_group
from after.device.amxd import amxd_bytes, read_amxd
from after.device.build import build_device
from tests.helpers.device_fake_models import make_generic_model, make_midi_model, make_rave_codec


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("validate")
    models = {"midi": make_midi_model(folder / "midi.ts"), "generic": make_generic_model(folder / "generic.ts"),
              "codec": make_rave_codec(folder / "codec.ts")}
    files = {}
    for name, model in models.items():
        for path in build_device(model, folder / "out").files:
            files[(name, path.suffix)] = path
    return models, files


def validate(path, model=None):
    args = ["validate", str(path)] + (["--model", str(model)] if model else [])
    return CliRunner().invoke(device_group, args)


@pytest.mark.parametrize("name", ["midi", "generic", "codec"])
@pytest.mark.parametrize("suffix", [".amxd", ".maxpat", ".pd"])
def test_generated_outputs_validate(built, name, suffix):
    models, files = built
    for model in (None, models[name]):
        result = validate(files[(name, suffix)], model)
        assert result.exit_code == 0, result.output
        assert ": ok (" in result.output


def _edit_amxd(src, dst, edit):
    device = read_amxd(src)
    doc = device.patcher
    edit(doc["patcher"])
    dst.write_bytes(amxd_bytes(device.device_type, json.dumps(doc)))
    return dst


def _nn_box(patcher):
    return next(b["box"] for b in patcher["boxes"] if b["box"].get("text", "").startswith("nn~"))


def pd_boxes(text):
    """The box records of a flat Pd patch, in the order `#X connect` counts them."""
    return [line for line in text.splitlines() if re.match(r"#X (obj|msg|text) ", line)]


def _rejected(result, pattern):
    assert result.exit_code == 1, result.output
    assert re.search(pattern, result.output), result.output


def test_wrong_port_is_rejected(built, tmp_path):
    models, files = built

    def wrong_inlet(patcher):
        nn = _nn_box(patcher)
        line = next(l["patchline"] for l in patcher["lines"] if l["patchline"]["destination"][0] == nn["id"])
        line["destination"][1] = nn["numinlets"]

    broken = _edit_amxd(files[("midi", ".amxd")], tmp_path / "port.amxd", wrong_inlet)
    _rejected(validate(broken), r"inlet \d+ out of range")


def test_nn_counts_must_match_the_model(built, tmp_path):
    models, files = built
    broken = _edit_amxd(files[("midi", ".amxd")], tmp_path / "counts.amxd",
                        lambda p: _nn_box(p).update(numoutlets=2, outlettype=["signal", "signal"]))
    assert validate(broken).exit_code == 0  # consistent by itself ...
    _rejected(validate(broken, models["midi"]), r"saved \d+ inlets/2 outlets, the model gives")  # ... not with it


def test_duplicate_long_name_is_rejected(built, tmp_path):
    def duplicate(patcher):
        params = [b["box"] for b in patcher["boxes"] if b["box"].get("parameter_enable")]
        params[1]["saved_attribute_attributes"]["valueof"]["parameter_longname"] = \
            params[0]["saved_attribute_attributes"]["valueof"]["parameter_longname"]

    _rejected(validate(_edit_amxd(built[1][("generic", ".amxd")], tmp_path / "dup.amxd", duplicate)),
              r"long name 'On' already used")


def test_missing_buffer_is_rejected(built, tmp_path):
    models, files = built
    broken = _edit_amxd(files[("codec", ".amxd")], tmp_path / "buffer.amxd",
                        lambda p: _nn_box(p).update(text=_nn_box(p)["text"].rsplit(" ", 1)[0]))
    _rejected(validate(broken), r"no explicit buffer size")
    pd = tmp_path / "buffer.pd"
    pd.write_text(re.sub(r"(nn~ codec.ts forward) \d+", r"\1", files[("codec", ".pd")].read_text()))
    _rejected(validate(pd), r"no explicit buffer size")


def test_pd_buffer_limits(built, tmp_path):
    models, files = built
    pd = tmp_path / "big.pd"
    pd.write_text(re.sub(r"(nn~ codec.ts forward) \d+", r"\1 8192", files[("codec", ".pd")].read_text()))
    assert validate(pd).exit_code == 0
    _rejected(validate(pd, models["codec"]), r"crashes Pd")
    odd = tmp_path / "odd.pd"
    odd.write_text(re.sub(r"(nn~ codec.ts forward) \d+", r"\1 3000", files[("codec", ".pd")].read_text()))
    _rejected(validate(odd), r"not a power of two")


def test_bool_sent_as_number_in_pd_is_rejected(built, tmp_path):
    models, files = built
    text = files[("generic", ".pd")].read_text()
    assert "set active false" in text and "set active true" in text
    numbers = tmp_path / "bool.pd"
    numbers.write_text(text.replace("set active false", "set active 0").replace("set active true", "set active 1"))
    _rejected(validate(numbers, models["generic"]), r"bool attribute active sent as a number")
    # Without the model: a toggle wired straight into `set active $1` is caught too.
    boxes = pd_boxes(text)
    toggle = next(i for i, line in enumerate(boxes) if " tgl " in line)
    message = next(i for i, line in enumerate(boxes) if "set active false" in line)
    direct = tmp_path / "direct.pd"
    direct.write_text(text.replace("set active false", "set active \\$1") + f"#X connect {toggle} 0 {message} 0;\n")
    _rejected(validate(direct), r"bool attribute active sent as a number")


def test_pd_wrong_port_is_rejected(built, tmp_path):
    models, files = built
    text = files[("codec", ".pd")].read_text()
    boxes = pd_boxes(text)
    nn = next(i for i, l in enumerate(boxes) if l.startswith("#X obj") and " nn~ " in l)
    broken = tmp_path / "port.pd"
    broken.write_text(text + f"#X connect {nn} 5 {nn} 0;\n")
    _rejected(validate(broken, models["codec"]), r"outlet 5 out of range \(box has 2\)")
    gone = tmp_path / "gone.pd"
    gone.write_text(text + "#X connect 999 0 0 0;\n")
    _rejected(validate(gone), r"no such box")


def test_strip_ids_and_type_are_checked(built, tmp_path):
    files = built[1]

    def outside(patcher):
        box = next(b["box"] for b in patcher["boxes"] if b["box"].get("presentation"))
        box["presentation_rect"] = [0, 150, 40, 48]

    _rejected(validate(_edit_amxd(files[("codec", ".amxd")], tmp_path / "strip.amxd", outside)),
              r"leaves the 169 px device strip")
    _rejected(validate(_edit_amxd(files[("codec", ".amxd")], tmp_path / "ids.amxd",
                                  lambda p: p["boxes"][1]["box"].update(id=p["boxes"][0]["box"]["id"]))),
              r"duplicate box id")
    _rejected(validate(_edit_amxd(files[("codec", ".amxd")], tmp_path / "type.amxd",
                                  lambda p: p["project"].update(amxdtype=1768515945))),
              r"does not match device type aaaa")
