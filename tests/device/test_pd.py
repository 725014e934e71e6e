"""Every generated .pd opens in real headless Pd (§E3/§F) with no error but nn~ failing to create, including
models whose names, presets and file names are hostile."""

import re
import shutil

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import device_group
from after.device.build import build_device
from after.device.pd_check import open_in_pd
from tests.helpers.device_fake_models import (
    HOSTILE_NAMES,
    make_audio_model,
    make_generic_model,
    make_midi_model,
    make_rave_codec,
    make_upstream_audio_model,
)

pytestmark = pytest.mark.pd
needs_pd = pytest.mark.skipif(shutil.which("pd") is None, reason="Pure Data (pd) not installed")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    torch.set_num_threads(1)
    return tmp_path_factory.mktemp("pd")


@needs_pd
@pytest.mark.parametrize("make", [make_audio_model, make_midi_model, make_upstream_audio_model, make_rave_codec,
                                  make_generic_model])
def test_generated_pd_opens_cleanly(folder, make):
    model = make(folder / f"{make.__name__}.ts")
    result = build_device(model, folder / make.__name__, formats=("pd",))
    patch = next(p for p in result.files if p.suffix == ".pd")
    report = open_in_pd(patch)
    assert report.errors == [], report.output
    assert not report.quit_early
    assert report.output.count("couldn't create") == len([l for l in patch.read_text().splitlines() if " nn~ " in l
                                                          and l.startswith("#X obj")])


@needs_pd
def test_hostile_names_neither_break_nor_inject(folder):
    model = make_audio_model(folder / "x; pd quit, $1 Ölçü model.ts", name="x; pd quit",
                             preset_names=HOSTILE_NAMES)
    out = folder / "hostile out; pd quit"
    result = CliRunner().invoke(device_group, ["build", str(model), "--out", str(out), "--name",
                                               'y; pd quit, {b} "q" $0 \\ ' + "w" * 500])
    assert result.exit_code == 0, result.output
    patch = next(out.glob("*.pd"))
    text = patch.read_text()
    assert "x\\;\\ pd\\ quit\\,\\ \\$1\\ Ölçü\\ model.ts" in text  # the model reference, escaped
    assert "x; pd quit" not in text.replace("\\;", "")  # no bare separator anywhere
    report = open_in_pd(patch)
    assert not report.quit_early, report.output
    assert report.errors == [], report.output


@needs_pd
def test_model_names_pd_cannot_carry_are_refused(folder):
    model = make_rave_codec(folder / "brace{x}.ts")
    result = CliRunner().invoke(device_group, ["build", str(model), "--out", str(folder / "brace")])
    assert result.exit_code == 1 and "rename" in result.output and len(result.output.strip().splitlines()) == 1
    assert CliRunner().invoke(device_group, ["build", str(model), "--out", str(folder / "brace"), "--formats",
                                             "amxd,maxpat"]).exit_code == 0


@needs_pd
def test_checker_sees_injection_and_errors(tmp_path):
    """The checker itself can fail: an injected `pd quit` and a broken connection are both reported."""
    quitter = tmp_path / "quit.pd"
    quitter.write_text("#N canvas 0 50 450 300 12;\n#X obj 10 10 loadbang;\n#X msg 10 40 \\; pd quit;\n"
                       "#X connect 0 0 1 0;\n")
    assert open_in_pd(quitter).quit_early
    broken = tmp_path / "broken.pd"
    broken.write_text("#N canvas 0 50 450 300 12;\n#X obj 10 10 loadbang;\n#X obj 10 40 print;\n"
                      "#X connect 0 3 1 0;\n")
    report = open_in_pd(broken)
    assert report.errors and "connection failed" in report.errors[0]


def nn_stand_in(folder, inlets: int, outlets: int):
    """`nn~.pd` in `folder`: an abstraction that takes nn~'s place (the external is absent here) with enough
    signal inlets and outlets, and prints every message sent to its first inlet as `nn~: ...`."""
    folder.mkdir()
    lines = ["#N canvas 0 50 450 300 12;", "#X obj 10 10 inlet~;", "#X obj 10 200 print nn~;"]
    lines += [f"#X obj {60 + 40 * i} 10 inlet~;" for i in range(inlets - 1)]
    lines += [f"#X obj {10 + 40 * i} 100 outlet~;" for i in range(outlets)]
    lines += ["#X connect 0 1 1 0;"]
    (folder / "nn~.pd").write_text("\n".join(lines) + "\n")
    return folder


def sent_to_nn(output):
    return [line.removeprefix("nn~: ") for line in output.splitlines() if line.startswith("nn~: ")]


@needs_pd
def test_pd_controls_reach_nn_as_the_host_expects(folder):
    """With a stand-in for nn~, the patch's own logic runs in real Pd: load-time values become `set` messages,
    a bool toggle sends the symbols false/true, On/Off sends enable, a preset recalls its values."""
    model = make_generic_model(folder / "logic.ts")
    build_device(model, folder / "logic", formats=("pd",))
    stand_in = nn_stand_in(folder / "stand_in_generic", 2, 3)
    report = open_in_pd(folder / "logic" / "logic.pd", search_paths=[stand_in],
                        messages=["logic-active 0", "logic-enable 0", "logic-guidance_timbre 3.5"])
    assert report.errors == [], report.output
    sent = sent_to_nn(report.output)
    assert {"set active true", "set guidance_timbre 1", "enable 1"} <= set(sent[:-3])  # exact defaults at load
    assert sent[-3:] == ["set active false", "enable 0", "set guidance_timbre 3.5"]
    assert not [s for s in sent if re.fullmatch(r"set active -?[\d.]+", s)]

    audio = build_device(make_audio_model(folder / "presets.ts", "presets"), folder / "presets", formats=("pd",))
    stand_in = nn_stand_in(folder / "stand_in_audio", 1 + audio.spec.model.zt, audio.spec.model.zt + 1)
    strong = 1 + [e.name for e in audio.spec.bank].index("Strong Timbre")
    report = open_in_pd(folder / "presets" / "presets.pd", search_paths=[stand_in],
                        messages=[f"presets-preset {strong}"])
    assert report.errors == [], report.output
    sent = sent_to_nn(report.output)
    assert {"set nb_steps 8", "set guidance_timbre 2.5", "set guidance_structure 1"} <= set(sent[-3:])
