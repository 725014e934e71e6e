"""The timbre map and the timbre dials follow each other, read back through `after-device inspect --json`:

* dials → map: every timbre dial reaches the map display (Max: the picture and the X/Y dials; Pd: the X/Y
  sliders) through nn~ `latent2map`;
* map → dials: the map (Max: the picture; Pd: the X/Y sliders) reaches every timbre dial through nn~
  `map2latent`;
* no feedback loop: both paths end in `set` (a control moved without output); without those `set` edges the
  patch graph has no cycle, with them it has (so the check can fail).
"""

import json
from collections import deque
from typing import Dict, List, Set, Tuple

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import device_group
from after.device.build import build_device
from tests.helpers.device_fake_models import make_audio_model, make_midi_model


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("sync")
    files = {}
    for make, name in ((make_audio_model, "demo"), (make_midi_model, "keys")):
        result = build_device(make(folder / f"{name}.ts", name), folder / "out")
        files.update({p.name: p for p in result.files})
    return files


class Graph:
    """The wiring of an inspected patch; edges out of a `set` box into a control are 'silent'."""

    def __init__(self, summary: Dict) -> None:
        self.boxes = {b["id"]: b for b in summary["boxes"]}
        self.parameters = {p["long_name"]: p["id"] for p in summary["parameters"]}
        self.nn = {n["id"]: n["method"] for n in summary["nn_objects"]}
        self.controls: Set[str] = set(self.parameters.values()) | {
            i for i, b in self.boxes.items() if b["cls"] == "pictslider"}
        self.edges: Dict[str, List[Tuple[str, bool]]] = {}
        for c in summary["connections"]:
            silent = self._is_set(c["source"]) and c["destination"] in self.controls
            if c["inlet"] > 0 and not self._is_signal(c["destination"]):
                continue  # a cold inlet stores a value and outputs nothing (e.g. a counter's feedback)
            self.edges.setdefault(c["source"], []).append((c["destination"], silent))

    def _is_signal(self, box_id: str) -> bool:
        words = self.boxes[box_id]["text"].split()
        return bool(words) and words[0].endswith("~") or self.boxes[box_id]["cls"] not in ("obj", "newobj")

    def _is_set(self, box_id: str) -> bool:
        words = self.boxes[box_id]["text"].split()
        return words[:2] == ["prepend", "set"] or words in (["set", "\\$1"], ["set", "$1"])

    def reached(self, start: str, method: str) -> Set[str]:
        """Controls that `start`'s output moves silently (`set`) after passing an nn~ `method` box. Controls
        reached by a plain edge output in turn and are followed; controls reached by `set` are not."""
        seen = {(start, False)}
        queue = deque(seen)
        found = set()
        while queue:
            node, passed = queue.popleft()
            for destination, silent in self.edges.get(node, []):
                through = passed or self.nn.get(destination) == method
                if silent:
                    if through:
                        found.add(destination)
                    continue
                if (destination, through) not in seen:
                    seen.add((destination, through))
                    queue.append((destination, through))
        return found

    def has_cycle(self, with_silent: bool) -> bool:
        state: Dict[str, int] = {}

        def visit(node: str) -> bool:
            state[node] = 1
            for destination, silent in self.edges.get(node, []):
                if silent and not with_silent:
                    continue
                if state.get(destination) == 1 or (destination not in state and visit(destination)):
                    return True
            state[node] = 2
            return False

        return any(node not in state and visit(node) for node in list(self.boxes))


def inspected(path) -> Graph:
    result = CliRunner().invoke(device_group, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return Graph(json.loads(result.output))


@pytest.mark.parametrize("stem", ["demo", "keys"])
@pytest.mark.parametrize("suffix", [".amxd", ".maxpat"])
def test_max_map_and_dials_follow_each_other(built, stem, suffix):
    graph = inspected(built[stem + suffix])
    timbre = [graph.parameters[f"Timbre {i}"] for i in range(1, 5)]
    picture = next(i for i in graph.controls if graph.boxes[i]["cls"] == "pictslider")
    map_dials = {graph.parameters["Map X"], graph.parameters["Map Y"], picture}
    for dial in timbre:
        assert graph.reached(dial, "latent2map") >= map_dials
    assert graph.reached(picture, "map2latent") >= set(timbre)
    assert graph.reached(graph.parameters["Map X"], "map2latent") >= set(timbre)
    assert not graph.has_cycle(with_silent=False)
    assert graph.has_cycle(with_silent=True)


@pytest.mark.parametrize("stem", ["demo", "keys"])
def test_pd_map_and_sliders_follow_each_other(built, stem):
    graph = inspected(built[stem + ".pd"])
    timbre = [graph.parameters[f"Timbre_{i}"] for i in range(1, 5)]
    map_sliders = {graph.parameters["Map_X"], graph.parameters["Map_Y"]}
    for slider in timbre:
        assert graph.reached(slider, "latent2map") >= map_sliders
    for slider in map_sliders:
        assert graph.reached(slider, "map2latent") >= set(timbre)
    assert not graph.has_cycle(with_silent=False)
    assert graph.has_cycle(with_silent=True)


def test_the_check_sees_a_missing_path(built):
    """Cut the `prepend set` into the picture: dials → picture is gone, the rest stays."""
    graph = inspected(built["demo.maxpat"])
    picture = next(i for i in graph.controls if graph.boxes[i]["cls"] == "pictslider")
    for source in graph.edges:
        graph.edges[source] = [(d, s) for d, s in graph.edges[source] if d != picture]
    dial = graph.parameters["Timbre 1"]
    assert picture not in graph.reached(dial, "latent2map")
    assert graph.parameters["Map X"] in graph.reached(dial, "latent2map")
