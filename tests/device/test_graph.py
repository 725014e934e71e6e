"""One host-neutral patch graph per device, read by every host writer; models checked against `after.nn_tilde.contract`.

* A build makes the graph once and the `.amxd`, `.maxpat` and `.pd` writers all read it.
* Every edge of the graph lands as a line in every host that keeps both of its ends, on the host ports its
  table maps; a host leaves out exactly the nodes of features it lacks (and their edges), so the nodes and
  edges without a feature — the device itself — are the same in Max and Pd.
* Every neutral kind has an object (or a placement) in every host.
* A new control in the YAML reaches nn~ the same way in every host, with no Python change.
* A model whose metadata says it is our export but whose method table breaks the contract is refused with a
  one-line error naming the method.
"""

from dataclasses import replace
from importlib import resources

import pytest
import torch
import yaml
from click.testing import CliRunner

import after.device.build as build_module
from after.cli.main import device_group
from after.device.boxes import Line
from after.device.build import build_device
from after.device.definitions import parse_definition
from after.device.hosts.max import MaxWriter
from after.device.hosts.pd import PdWriter
from after.device.model import Overrides, device_model
from after.device.patch_graph import PORTS, build_patch_graph
from after.device.spec import build_spec
from after.nn_tilde.contract import audio_methods, midi_methods
from after.nn_tilde.host import read_model_info
from after.nn_tilde.module import save_nn_model
from tests.helpers.device_fake_models import (
    CONTRACT_ATTRIBUTES,
    ContractModel,
    make_audio_model,
    make_generic_model,
    make_midi_model,
    make_rave_codec,
    make_reference_audio_model,
    make_reference_midi_model,
    metadata,
)

MAKERS = {"audio": make_audio_model, "midi": make_midi_model, "codec": make_rave_codec,
          "generic": make_generic_model, "reference_audio": make_reference_audio_model,
          "reference_midi": make_reference_midi_model}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("graph")
    return {name: make(folder / f"{name}.ts") for name, make in MAKERS.items()}


def writers(spec):
    return {"amxd": MaxWriter(spec, device=True), "maxpat": MaxWriter(spec, device=False),
            "pd": PdWriter(spec, ".")}


@pytest.mark.parametrize("name", list(MAKERS))
def test_every_graph_edge_lands_in_every_host_that_keeps_its_ends(models, name):
    spec = build_spec(device_model(read_model_info(models[name]), Overrides()))
    graph = build_patch_graph(spec)
    core_nodes = {n.id for n in graph.nodes if n.feature is None}
    core_edges = [e for e in graph.edges if e.source in core_nodes and e.destination in core_nodes]
    assert core_edges and any(n.kind == "nn" for n in graph.nodes if n.id in core_nodes)
    for host, writer in writers(spec).items():
        patch = writer.write(graph)
        kept = {n.id for n in graph.nodes if n.feature is None or n.feature in writer.features}
        assert set(writer.placed) == kept, host
        assert core_nodes <= kept
        lines = set(patch.lines)
        for edge in graph.edges:
            if edge.source in kept and edge.destination in kept:
                source, outlet = writer.placed[edge.source].outputs[edge.outlet]
                destination, inlet = writer.placed[edge.destination].inputs[edge.inlet]
                assert Line(source.index, outlet, destination.index, inlet) in lines, (host, edge)
        # Every line between boxes of two different nodes is an edge of the graph (hosts add lines only
        # inside one node's boxes: a chain, a keyboard, a meter).
        owner = {}
        for node_id, placed in writer.placed.items():
            for box, _ in placed.inputs + placed.outputs:
                owner.setdefault(box.index, node_id)
        edges = {(e.source, e.destination) for e in graph.edges}
        for line in patch.lines:
            a, b = owner.get(line.source), owner.get(line.destination)
            if a is not None and b is not None and a != b:
                assert (a, b) in edges, (host, line)
    main = [n for n in graph.nodes if n.kind == "nn" and n["method"] == spec.model.main.name]
    assert len(main) == 1


def test_a_build_makes_one_graph_for_all_formats(models, tmp_path, monkeypatch):
    calls = []
    real = build_module.build_patch_graph

    def counting(spec):
        calls.append(spec.file_stem)
        return real(spec)

    monkeypatch.setattr(build_module, "build_patch_graph", counting)
    result = build_device(models["audio"], tmp_path)
    assert calls == ["demo"]
    assert {p.suffix for p in result.files} >= {".amxd", ".maxpat", ".pd"}


def test_every_neutral_kind_is_written_by_a_host_and_kept_only_where_it_has_an_object(models):
    """A kind a host has no object for only ever appears under a feature that host lacks."""
    written = set()
    for path in models.values():
        spec = build_spec(device_model(read_model_info(path), Overrides()))
        graph = build_patch_graph(spec)
        for writer in writers(spec).values():
            for node in graph.nodes:
                has_object = node.kind in writer.objects or hasattr(writer, f"place_{node.kind}")
                assert has_object or not writer.keeps(node), (type(writer).__name__, node.kind)
                if has_object and writer.keeps(node):
                    written.add(node.kind)
    assert written == set(PORTS)  # and no kind is dead


def test_a_yaml_control_reaches_nn_the_same_way_in_every_host(models):
    """`drives: {attribute: ...}` is interpreted once: the new dial's `set` message reaches the main nn~ in the
    Live device, the Max patch and the Pd patch."""
    data = yaml.safe_load((resources.files("after.devices") / "generic.yaml").read_text())
    data["sections"][0]["controls"].append({"key": "boost", "long_name": "Boost", "widget": "dial", "min": 0,
                                            "max": 4, "default": 2, "drives": {"attribute": "guidance_timbre"},
                                            "rect": [0, 30, 44, 48]})
    model = device_model(read_model_info(models["generic"]), Overrides())
    spec = build_spec(model, definition=parse_definition(data, "test.yaml"))
    graph = build_patch_graph(spec)
    boost = next(n for n in graph.nodes if n.kind == "control" and n["control"].key == "boost")
    for host, writer in writers(spec).items():
        patch = writer.write(graph)
        dial = writer.placed[boost.id].outputs[0][0]
        messages = [patch.boxes[l.destination] for l in patch.lines if l.source == dial.index]
        assert [m.text.replace("\\", "") for m in messages] == ["set guidance_timbre $1"], host
        into = [patch.boxes[l.destination].text for l in patch.lines if l.source == messages[0].index]
        assert len(into) == 1 and into[0].startswith("nn~ ") and " forward " in into[0], host


def _our_export(path, methods, kind, zt=4, n_poly=0):
    model = ContractModel(methods, CONTRACT_ATTRIBUTES)
    save_nn_model(model, path, metadata(kind, "broken", zt, n_poly, ["A"]))
    return path


@pytest.mark.parametrize("kind,edit,message", [
    ("audio", lambda ms: [replace(m, in_channels=5, input_labels=m.input_labels[:5]) if m.name == "diffuse" else m
                          for m in ms], "method diffuse has (in, in ratio, out, out ratio) (5, 256, 8, 256)"),
    ("audio", lambda ms: [m for m in ms if m.name != "map2latent"], "method map2latent, which this model lacks"),
    ("midi", lambda ms: [m for m in ms if m.name != "timbre"], "method timbre, which this model lacks"),
])
def test_a_model_that_breaks_its_contract_is_refused_in_one_line(tmp_path, kind, edit, message):
    methods = audio_methods(256, 8, 4, 4) if kind == "audio" else midi_methods(256, 8, 3, 4)
    path = _our_export(tmp_path / f"{kind}.ts", edit(methods), kind, n_poly=3 if kind == "midi" else 0)
    result = CliRunner().invoke(device_group, ["build", str(path), "--out", str(tmp_path / "out")])
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output and "after.nn_tilde.contract" in lines[0] and message in lines[0]
    assert "--kind generic" in lines[0] and not (tmp_path / "out").exists()
    # What the user is told to do works: the generic device reads the model for what it offers.
    generic = CliRunner().invoke(device_group, ["build", str(path), "--kind", "generic", "--out",
                                                str(tmp_path / "generic")])
    assert generic.exit_code == 0, generic.output
