"""Host writers: one `PatchGraph` → the boxes of one host's patch (`after.device.boxes.Patch`).

A host is data — its features and a table from each neutral node kind to its object (text template, port
counts, outlet types, port order) or to a chain of objects in series — plus a few placements for the kinds
whose widgets differ in shape between hosts (controls, keyboard, meters, the preset menu). `HostWriter.write`
places every node the host has the feature for and wires every edge between placed nodes, so each edge of the
graph appears once in every host that keeps both of its ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

from after.device.boxes import Box, Patch
from after.device.patch_graph import Count, Node, PatchGraph

Text = Union[str, Callable[[Dict[str, Any], Dict[str, Any]], str]]


@dataclass(frozen=True)
class Obj:
    """One host object for a neutral kind. `text` is a `str.format` template over the node's parameters and the
    host context (or a function of both); `inlet_map` / `outlet_map` give the host port of each neutral port
    where the host orders them differently (empty: the same)."""

    text: Text
    inlets: Count
    outlets: Count
    types: Union[str, Tuple[str, ...], Callable[[Dict[str, Any]], Tuple[str, ...]]] = ""  # Max outlet types
    cls: str = ""
    inlet_map: Tuple[int, ...] = ()
    outlet_map: Tuple[int, ...] = ()


Entry = Union[Obj, Tuple[Obj, ...]]  # a tuple is a chain: outlet 0 of each into inlet 0 of the next


@dataclass
class Placed:
    """Where a node's neutral ports landed: (box, host port) per inlet and per outlet."""

    inputs: List[Tuple[Box, int]]
    outputs: List[Tuple[Box, int]]


def _count(count: Count, params: Dict[str, Any]) -> int:
    return count(params) if callable(count) else count


class HostWriter:
    """Base writer; subclasses set `features`, `objects`, `object_cls`, `context` and `box`/`position`."""

    features: FrozenSet[str] = frozenset()
    objects: Dict[str, Entry] = {}
    object_cls = "newobj"

    def __init__(self) -> None:
        self.patch = Patch()
        self.context: Dict[str, Any] = {}
        self.placed: Dict[int, Placed] = {}  # node id → where its ports landed (after `write`)

    # to be provided by each host
    def position(self, lane: str) -> Tuple[int, int]:
        raise NotImplementedError

    def box(self, cls: str, text: str, inlets: int, outlets: int, types: Sequence[str], lane: str) -> Box:
        raise NotImplementedError

    # shared
    def keeps(self, node: Node) -> bool:
        return node.feature is None or node.feature in self.features

    def write(self, graph: PatchGraph) -> Patch:
        placed = self.placed
        for node in graph.nodes:
            if self.keeps(node):
                placed[node.id] = self.place(node)
        for edge in graph.edges:
            if edge.source in placed and edge.destination in placed:
                source, outlet = placed[edge.source].outputs[edge.outlet]
                destination, inlet = placed[edge.destination].inputs[edge.inlet]
                self.patch.connect(source, outlet, destination, inlet)
        return self.patch

    def place(self, node: Node) -> Placed:
        special = getattr(self, f"place_{node.kind.replace('~', '_signal')}", None)
        if special is not None:
            return special(node)
        if node.kind not in self.objects:
            raise ValueError(f"{type(self).__name__} has no object for the node kind {node.kind!r}")
        return self.place_entry(node, self.objects[node.kind])

    def make(self, obj: Obj, node: Node) -> Box:
        params = node.params
        text = obj.text(params, self.context) if callable(obj.text) else obj.text.format(**params, **self.context)
        outlets = _count(obj.outlets, params)
        given = obj.types(params) if callable(obj.types) else obj.types
        types = [given] * outlets if isinstance(given, str) else list(given)
        return self.box(obj.cls or self.object_cls, text, _count(obj.inlets, params), outlets, types, node.lane)

    def place_entry(self, node: Node, entry: Entry) -> Placed:
        chain = entry if isinstance(entry, tuple) else (entry,)
        boxes = [self.make(obj, node) for obj in chain]
        for a, b in zip(boxes, boxes[1:]):
            self.patch.connect(a, 0, b, 0)
        first, last = chain[0], chain[-1]
        return Placed([(boxes[0], first.inlet_map[i] if first.inlet_map else i) for i in range(node.inlets)],
                      [(boxes[-1], last.outlet_map[i] if last.outlet_map else i) for i in range(node.outlets)])

    @staticmethod
    def single(box: Box, node: Node, output: Optional[Box] = None) -> Placed:
        """Neutral ports = the box's ports (outputs from `output` when the node ends in another box)."""
        out = output or box
        return Placed([(box, i) for i in range(node.inlets)], [(out, i) for i in range(node.outlets)])


def number_list(values: Sequence[Any]) -> str:
    return " ".join(str(v) for v in values)
