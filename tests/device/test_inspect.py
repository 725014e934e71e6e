"""Round trip build → inspect, the .amxd reader on the reference and frozen devices."""

import json
import re
import struct
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import device_group
from after.device.amxd import read_amxd
from after.device.build import build_device
from after.device.hosts.max import write_max
from after.device.hosts.pd import write_pd
from after.device.inspect import read_patch, wiring
from after.device.names import pd_symbol
from after.device.patch_graph import build_patch_graph
from after.device.validate import validate_patch
from after.errors import InputError
from tests.helpers.device_fake_models import make_audio_model, make_generic_model, make_midi_model

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "upstream-devices"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("inspect")
    results = {}
    for name, make in (("audio", make_audio_model), ("midi", make_midi_model), ("generic", make_generic_model)):
        results[name] = build_device(make(folder / f"{name}.ts"), folder / "out")
    return results


def inspect_json(path):
    result = CliRunner().invoke(device_group, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("name", ["audio", "midi", "generic"])
@pytest.mark.parametrize("suffix", [".amxd", ".maxpat"])
def test_max_round_trip_gives_the_same_parameters_and_wiring(built, name, suffix):
    result = built[name]
    spec = result.spec
    path = next(p for p in result.files if p.suffix == suffix)
    data = inspect_json(path)
    got = [(p["long_name"], p["short_name"], p["minimum"], p["maximum"], p["initial"]) for p in data["parameters"]]
    expected = [(c.long_name, c.short_name, c.minimum if c.widget not in ("toggle", "tab") else 0.0,
                 c.maximum, c.default) for c, _ in spec.controls]
    assert got == expected
    patch = write_max(build_patch_graph(spec), spec, device=suffix == ".amxd")
    expected_wiring = sorted((f"obj-{l.source + 1}", l.outlet, f"obj-{l.destination + 1}", l.inlet)
                             for l in patch.lines)
    assert wiring(read_patch(path)) == expected_wiring
    nn = data["nn_objects"]
    assert nn[0]["method"] == spec.model.main.name and nn[0]["buffer"] == spec.buffer_max
    assert nn[0]["inlets"] == spec.model.main.in_channels and nn[0]["outlets"] == spec.model.main.out_channels


@pytest.mark.parametrize("name", ["audio", "midi", "generic"])
def test_pd_round_trip_gives_the_same_parameters_and_wiring(built, name):
    result = built[name]
    spec = result.spec
    path = next(p for p in result.files if p.suffix == ".pd")
    summary = read_patch(path)
    assert [p.long_name for p in summary.parameters] == [pd_symbol(c.long_name, 32) for c, _ in spec.controls]
    for parameter, (control, _) in zip(summary.parameters, spec.controls):
        assert parameter.initial == pytest.approx(control.default, abs=0.05 * (control.maximum - control.minimum))
    patch = write_pd(build_patch_graph(spec), spec, "..")
    assert wiring(summary) == sorted((str(l.source), l.outlet, str(l.destination), l.inlet) for l in patch.lines)
    assert summary.declare_paths == [".."]
    assert {n.buffer for n in summary.nn_objects} <= {spec.buffer_pd, spec.buffer_map}


def test_inspect_text_lists_parameters_nn_and_wiring(built):
    path = next(p for p in built["midi"].files if p.suffix == ".amxd")
    result = CliRunner().invoke(device_group, ["inspect", str(path)])
    assert result.exit_code == 0
    assert "device type iiii" in result.output and "Guidance Timbre" in result.output
    assert "nn~ objects (4)" in result.output and "poly 3 1" in result.output
    assert re.search(r"prepend set :0 -> \[obj-\d+\] live.dial 'Timbre 1' :0", result.output)  # controls by name


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference devices (../shared) not present")
@pytest.mark.parametrize("name,fourcc,n_params", [("after.audio.amxd", "aaaa", 65), ("after.midi.amxd", "iiii", 31)])
def test_reference_devices_read_back(name, fourcc, n_params):
    device = read_amxd(REFERENCE / name)
    assert device.device_type == fourcc and device.meta == 1 and not device.frozen
    summary = read_patch(REFERENCE / name)
    assert summary.amxdtype == int.from_bytes(fourcc.encode(), "big")
    assert len(device.patcher["patcher"]["parameters"]) == n_params  # as counted in NN_TILDE_AND_FORMATS §D3
    assert summary.parameters and all(p.long_name for p in summary.parameters)
    assert len(summary.boxes) > 100 and len(summary.connections) > 100
    assert len(summary.parameters) == len([k for k in device.patcher["patcher"]["parameters"] if k.startswith("obj-")])
    # Max's own saved counts agree with every one of its patchlines: no false alarms on real files. (The
    # reference creates its nn~ boxes at run time from js, so "no nn~ object" is expected there.)
    problems = validate_patch(summary)
    assert "no nn~ object" in problems and not [p for p in problems if "connection" in p or "duplicate" in p]


def _frozen_device(patcher: bytes, extra_name: str, extra: bytes) -> bytes:
    """A frozen .amxd built from §C2: ptch = mx@c header, files, dlst/dire footer (big-endian)."""
    def sub(tag, body):
        return tag + struct.pack(">I", 8 + len(body)) + body

    def dire(kind, name, size, offset, flag):
        body = (sub(b"type", kind) + sub(b"fnam", name.encode() + b"\x00" * (4 - len(name) % 4))
                + sub(b"sz32", struct.pack(">I", size)) + sub(b"of32", struct.pack(">I", offset))
                + sub(b"vers", struct.pack(">I", 0)) + sub(b"flag", struct.pack(">I", flag))
                + sub(b"mdat", struct.pack(">I", 3590052493)))
        return b"dire" + struct.pack(">I", 8 + len(body)) + body

    first = 16
    footer_offset = first + len(patcher) + len(extra)
    entries = dire(b"JSON", "dev.amxd", len(patcher), first, 17) + dire(b"PNG ", extra_name, len(extra),
                                                                        first + len(patcher), 0)
    payload = (b"mx@c" + struct.pack(">IQ", 16, footer_offset) + patcher + extra
               + b"dlst" + struct.pack(">I", 8 + len(entries)) + entries)
    return (b"ampf" + struct.pack("<I", 4) + b"aaaa" + b"meta" + struct.pack("<II", 4, 7)
            + b"ptch" + struct.pack("<I", len(payload)) + payload)


def test_frozen_device_reads_back(tmp_path):
    path = tmp_path / "frozen.amxd"
    path.write_bytes(_frozen_device(b'{"patcher": {"boxes": [], "lines": []}}\n\x00', "map.png", b"\x89PNG..."))
    device = read_amxd(path)
    assert device.frozen and device.meta == 7 and device.patcher == {"patcher": {"boxes": [], "lines": []}}
    assert device.bundled_files == ["dev.amxd", "map.png"]


@pytest.mark.parametrize("content,message", [(b"", "ampf"), (b"ampf\x04\x00\x00\x00aaaa", "ptch"),
                                             (b"ampf\x04\x00\x00\x00aaaaptch\xff\x00\x00\x00{", "truncated"),
                                             (b"ampf\x04\x00\x00\x00aaaaptch\x02\x00\x00\x00{\x00", "unreadable")])
def test_bad_amxd_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "bad.amxd"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_amxd(path)
    result = CliRunner().invoke(device_group, ["inspect", str(path)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1


def test_inspect_rejects_other_files(tmp_path):
    (tmp_path / "x.pd").write_text("hello")
    (tmp_path / "x.maxpat").write_text("{oops")
    (tmp_path / "x.txt").write_text("")
    for name, message in (("x.pd", "not a Pd patch"), ("x.maxpat", "not valid JSON"), ("x.txt", "unknown file type"),
                          ("missing.pd", "file not found")):
        with pytest.raises(InputError, match=message):
            read_patch(tmp_path / name)
