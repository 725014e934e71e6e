"""The Max host: the `.amxd` Live device and the plain `.maxpat` from one `PatchGraph`.

Max nn~ boxes are static with counts from `<method>_params` (inlets = max(1, in_channels), outlets =
out_channels, no info outlet) and an explicit buffer. Controls are Live parameters (they restore their values
themselves, so no load-time defaults); presets are a menu over the model's `pattrstorage` bank; the map is
shown as the model's picture. The Live device has plugin~/plugout~ and reports its latency to Live; the plain
patch has adc~/dac~ and a test tone instead.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

from after.device.boxes import Box, LiveParameter, Patch
from after.device.definitions import UNITS, Control
from after.device.hosts import Entry, HostWriter, Obj, Placed, number_list
from after.device.names import max_quote
from after.device.patch_graph import Node, PatchGraph
from after.device.spec import DeviceSpec

UI_CLASSES = {"dial": "live.dial", "toggle": "live.toggle", "tab": "live.tab", "numbox": "live.numbox"}
UI_COUNTS = {"live.dial": (1, 2, ["", "float"]), "live.toggle": (1, 1, [""]), "live.tab": (1, 3, ["", "", "float"]),
             "live.numbox": (1, 2, ["", "float"])}
LANES = ("io", "nn", "ui", "logic", "timbre", "presets")


def max_number(value: float) -> str:
    """A float argument as Max writes it (`1.`, `0.25`): the dot makes the object compute in floats."""
    text = f"{float(value):g}"
    return text if "." in text or "e" in text else text + "."


def _sel_types(p: Dict[str, Any]) -> Tuple[str, ...]:
    return ("bang",) * len(p["values"]) + ("",)


def _trigger(p: Dict[str, Any], c: Dict[str, Any]) -> str:
    return "t " + " ".join("i" if t == "n" else t for t in p["order"])


def _scale(p: Dict[str, Any], c: Dict[str, Any]) -> str:
    return "scale " + " ".join(str(v) if isinstance(v, int) else max_number(v) for v in p["range"])


# Neutral kind → Max object. Counts as saved by Max (NN_TILDE_AND_FORMATS.md §D2).
OBJECTS: Dict[str, Entry] = {
    "nn": Obj(lambda p, c: f"nn~ {c['model']} {p['method']} {c['buffers'][p['buffer']]}",
              lambda p: max(1, p["in_channels"]), lambda p: p["out_channels"], "signal"),
    "audio_in": Obj("adc~ 1 2", 1, 2, "signal"),
    "sidechain_in": Obj("adc~ 3 4", 1, 2, "signal"),
    "audio_out": Obj("dac~ 1 2", 2, 0),
    "gain~": Obj(lambda p, c: f"*~ {max_number(p['value'])}", 2, 1, "signal"),
    "sig~": Obj("sig~", 1, 1, "signal"),
    "oscillator": Obj("cycle~ {hz}", 2, 1, "signal"),
    "snapshot": Obj("snapshot~ 0", 2, 1, "float"),  # polled by bangs (interval 0)
    "message": Obj("{text}", 2, 1, "", cls="message"),
    "set_display": Obj("prepend set", 1, 1),
    "loadbang": Obj("loadbang", 1, 1, "bang"),
    "metro": Obj("metro {ms}", 2, 1, "bang"),
    "gate": Obj(lambda p, c: f"gate 1 {int(p['open'])}", 2, 1, inlet_map=(1, 0)),  # control on the left
    "receive": Obj("r {name}", 0, 1),
    "store": Obj("i", 2, 1, "int"),
    "add": Obj("+ {value}", 2, 1, "int"),
    "multiply": Obj(lambda p, c: f"* {p['by']:g}", 2, 1, "float"),
    "divide": Obj(lambda p, c: f"/ {max_number(p['by'])}", 2, 1, "float"),
    "modulo": Obj("% {by}", 2, 1, "int"),
    "one_minus": Obj("!- 1.", 2, 1, "float"),
    "db_to_amp": Obj("dbtoa", 1, 1, "float"),
    "scale": Obj(_scale, 6, 1),
    "select": Obj(lambda p, c: "sel " + number_list(p["values"]), lambda p: len(p["values"]) + 1,
                  lambda p: len(p["values"]) + 1, _sel_types),
    "route": Obj(lambda p, c: "route " + number_list(p["values"]), lambda p: len(p["values"]) + 1,
                 lambda p: len(p["values"]) + 1),
    "trigger": Obj(_trigger, 1, lambda p: len(p["order"]), ""),
    "pack": Obj(lambda p, c: "pack " + " ".join("0" * p["n"]), lambda p: p["n"], 1),
    "pack_any": Obj(lambda p, c: "pak " + " ".join("0" * p["n"]), lambda p: p["n"], 1),
    "unpack": Obj(lambda p, c: "unpack " + " ".join("0" * p["n"]), 1, lambda p: p["n"], "int"),
    "poly": Obj("poly {voices} 1", 2, 3, "int"),
    "notein": Obj("notein", 1, 3, "int"),
    "device_info": Obj("live.thisdevice", 1, 3, ("bang", "int", "int")),
    "report_latency": Obj("latency {latency}", 2, 1, "", cls="message"),
}
LIVE_OBJECTS: Dict[str, Entry] = {
    **OBJECTS,
    "audio_in": Obj("plugin~", 2, 2, "signal"),
    "sidechain_in": Obj("plugin~ 3 4", 2, 2, "signal"),
    "audio_out": Obj("plugout~", 2, 2, "signal"),
}


def live_parameter(control: Control) -> LiveParameter:
    if control.widget in ("toggle", "tab"):
        return LiveParameter(control.long_name, control.short_name, 2, 0, len(control.items) - 1, control.default,
                             9, control.items)
    return LiveParameter(control.long_name, control.short_name, 1 if control.integer else 0, control.minimum,
                         control.maximum, control.default, UNITS[control.unit])


class MaxWriter(HostWriter):
    def __init__(self, spec: DeviceSpec, device: bool) -> None:
        super().__init__()
        self.spec, self.device = spec, device
        self.features = frozenset({"map_picture", "preset_storage"} | ({"live_device"} if device else {"test_tone"}))
        self.objects = LIVE_OBJECTS if device else OBJECTS
        self.context = {"model": max_quote(spec.model.path.name), "latency": spec.latency_max,
                        "buffers": {"main": spec.buffer_max, "map": spec.buffer_map}}
        self.rows: Dict[str, int] = {}

    def position(self, lane: str) -> Tuple[int, int]:
        lane = {"remote": "logic", "header": "logic", "keyboard": "ui"}.get(lane, lane)
        row = self.rows.get(lane, 0)
        self.rows[lane] = row + 1
        return 20 + LANES.index(lane) * 220, 20 + row * 36

    def box(self, cls: str, text: str, inlets: int, outlets: int, types: Sequence[str], lane: str) -> Box:
        return self.patch.add(cls, text, inlets, outlets, list(types), self.position(lane),
                              size=(max(40, 7 * len(text)), 22))

    def ui_box(self, cls: str, inlets: int, outlets: int, types: List[str], rect: Any, **kwargs: Any) -> Box:
        size = (rect[2], rect[3]) if rect is not None else (18, 18)
        return self.patch.add(cls, "", inlets, outlets, types, self.position("ui"), size=size,
                              presentation=rect, **kwargs)

    def comment(self, text: str, beside: Any) -> None:
        width = 7 * len(text) + 12
        self.patch.add("comment", text, 1, 0, [], self.position("ui"), size=(width, 18),
                       presentation=None if beside is None else (beside[0] + beside[2] + 4, beside[1], width, 18))

    # ------------------------------------------------------------------ kinds whose Max widgets differ
    def place_control(self, node: Node) -> Placed:
        control = node["control"]
        cls = UI_CLASSES[control.widget]
        n_in, n_out, types = UI_COUNTS[cls]
        box = self.ui_box(cls, n_in, n_out, types, node["rect"], varname=control.key,
                          parameter=live_parameter(control))
        return self.single(box, node)

    def place_toggle(self, node: Node) -> Placed:
        box = self.ui_box("toggle", 1, 1, ["int"], node["rect"])
        if node["rect"] is not None:
            self.comment(node["label"], node["rect"])
        return self.single(box, node)

    def place_keyboard(self, node: Node) -> Placed:
        """A polyphonic `kslider`: a click starts a note, a second click ends it; pitch and velocity outlets."""
        keyboard = node["keyboard"]
        box = self.ui_box("kslider", 2, 2, ["int", "int"], keyboard.rect,
                          attrs={"mode": 1, "offset": keyboard.low, "range": keyboard.keys})
        return self.single(box, node)

    def place_map_picture(self, node: Node) -> Placed:
        box = self.ui_box("pictslider", 2, 2, ["int", "int"], node["rect"], varname="map",
                          attrs={"bkgndpict": node["picture"]} if node["has_image"] else {})
        return self.single(box, node)

    def place_meter(self, node: Node) -> Placed:
        box = self.ui_box("live.meter~", 1, 2, ["float", "int"], node["rect"])
        return self.single(box, node)

    def place_preset_menu(self, node: Node) -> Placed:
        """A menu of the bank's slots → `pattrstorage` (which recalls every control by its varname)."""
        items: List[str] = []
        for name in node["items"]:
            items += [name, ","]
        menu = self.patch.add("umenu", "", 1, 3, ["int", "", ""], self.position("presets"), size=node["rect"][2:],
                              presentation=node["rect"], attrs={"items": items[:-1]})
        plus = self.box("newobj", "+ 1", 2, 1, ["int"], "presets")
        recall = self.box("newobj", "prepend recall", 1, 1, [""], "presets")
        storage = self.box("newobj", f"pattrstorage {node['bank']} @autorestore 1 @savemode 0", 1, 1, [""], "presets")
        self.box("newobj", "autopattr", 1, 4, ["", "", "", ""], "presets")
        for a, b in ((menu, plus), (plus, recall), (recall, storage)):
            self.patch.connect(a, 0, b, 0)
        return Placed([], [])


def write_max(graph: PatchGraph, spec: DeviceSpec, device: bool) -> Patch:
    """The boxes of the `.amxd` device (`device=True`) or of the plain `.maxpat` (adc~/dac~)."""
    return MaxWriter(spec, device).write(graph)
