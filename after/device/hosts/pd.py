"""The Pure Data host: the `.pd` patch from one `PatchGraph` (vanilla objects only, Pd >= 0.51).

Box texts are stored exactly as they appear in the file (Pd escapes included: `\\$1`, `\\,`, `\\;`). nn~ boxes
carry an explicit buffer (at most 4096 for 1-in/1-out models, §F) and one more outlet than the model has
(Pd's info outlet). Pd GUIs do not restore exact values, so the patch sends every control its default at
load; each control also listens to `<stem>-<key>`. Presets are message boxes; a file player and a test tone
let the patch sound without an audio interface. Names from users' files only ever appear cleaned
(`pd_symbol`) or escaped (`pd_escape`).
"""

from __future__ import annotations

from typing import Any, Dict, Sequence, Tuple

from after.device.boxes import Box, Patch
from after.device.definitions import Control
from after.device.hosts import Entry, HostWriter, Obj, Placed, number_list
from after.device.names import display_name, pd_escape, pd_symbol
from after.device.patch_graph import Node, PatchGraph
from after.device.spec import DeviceSpec
from after.errors import InputError

SLIDER_WIDTH = 128
COLORS = "#fcfcfc #000000 #000000"
KEYS_X, KEYS_Y = 260, 80  # the instrument's keyboard row, above the lanes (which then start lower)
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
LANES = ("ui", "remote", "io", "nn", "logic", "timbre", "presets")
TOGGLE = f"tgl 15 0 empty empty empty 17 7 0 10 {COLORS} 0 1"


def pd_message(text: str) -> str:
    """Message box text as Pd saves it: `$`, `,` and `;` escaped."""
    return text.replace("$", "\\$").replace(",", "\\,").replace(";", "\\;")


def _note_name(pitch: int) -> str:
    """MIDI note → name with octave, middle C (60) = C4."""
    return f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


def _one_inlet_when_many(p: Dict[str, Any]) -> int:
    """`sel` / `route` with one argument have a right inlet that sets it; with more, only one inlet."""
    return 2 if len(p["values"]) == 1 else 1


def gui_text(control: Control) -> str:
    """The Pd GUI object for a control: hsl (continuous/int), tgl (toggle) or hradio (choice).

    The GUIs do not output on load (Pd 0.53 restores a slider to whole pixels); the patch sends the exact
    defaults at load instead. The stored knob position only shows the default."""
    label = pd_symbol(control.long_name, 32)
    if control.widget == "toggle":
        return f"tgl 15 0 empty empty {label} 17 7 0 10 {COLORS} {int(control.default)} 1"
    if control.widget == "tab":
        return f"hradio 15 1 0 {len(control.items)} empty empty {label} 0 -8 0 10 {COLORS} {int(control.default)}"
    span = control.maximum - control.minimum
    position = int(round((control.default - control.minimum) / span * (SLIDER_WIDTH - 1) * 100)) if span else 0
    return (f"hsl {SLIDER_WIDTH} 15 {control.minimum:g} {control.maximum:g} 0 0 empty empty {label} -2 -8 0 10 "
            f"{COLORS} {position} 1")


# Neutral kind → Pd vanilla object (counts as Pd creates them; `pd_counts` in validate.py checks the same).
OBJECTS: Dict[str, Entry] = {
    "nn": Obj(lambda p, c: f"nn~ {c['model']} {p['method']} {c['buffers'][p['buffer']]}",
              lambda p: max(1, p["in_channels"]), lambda p: p["out_channels"] + 1),  # + the info outlet
    "audio_in": Obj("adc~", 1, 2),
    "sidechain_in": Obj("adc~", 1, 2, outlet_map=(1,)),  # the right input channel
    "audio_out": Obj("dac~", 2, 0),
    "gain~": Obj("*~ {value}", 2, 1),
    "sig~": Obj("sig~", 1, 1),
    "oscillator": Obj("osc~ {hz}", 2, 1),
    "snapshot": Obj("snapshot~", 1, 1),
    "message": Obj(lambda p, c: pd_message(p["text"]), 1, 1, cls="msg"),
    "set_display": Obj("set \\$1", 1, 1, cls="msg"),
    "loadbang": Obj("loadbang", 1, 1),
    "metro": Obj("metro {ms}", 2, 1),
    "gate": Obj(lambda p, c: "spigot 1" if p["open"] else "spigot", 2, 1),
    "receive": Obj("r {name}", 0, 1),
    "store": Obj("f", 2, 1),
    "add": Obj("+ {value}", 2, 1),
    "multiply": Obj(lambda p, c: f"* {p['by']:g}", 2, 1),
    "divide": Obj(lambda p, c: f"/ {p['by']:g}", 2, 1),
    "modulo": Obj("mod {by}", 2, 1),
    "one_minus": (Obj("* -1", 2, 1), Obj("+ 1", 2, 1)),
    "db_to_amp": (Obj("+ 100", 2, 1), Obj("dbtorms", 1, 1)),  # Pd dB: 100 = unity
    "select": Obj(lambda p, c: "sel " + number_list(p["values"]), _one_inlet_when_many,
                  lambda p: len(p["values"]) + 1),
    "route": Obj(lambda p, c: "route " + number_list(p["values"]), _one_inlet_when_many,
                 lambda p: len(p["values"]) + 1),
    "trigger": Obj(lambda p, c: "t " + " ".join("f" if t == "n" else t for t in p["order"]), 1,
                   lambda p: len(p["order"])),
    "pack": Obj(lambda p, c: "pack " + " ".join("f" * p["n"]), lambda p: p["n"], 1),
    "unpack": Obj(lambda p, c: "unpack " + " ".join("f" * p["n"]), 1, lambda p: p["n"]),
    "poly": Obj("poly {voices} 1", 2, 3),
    "notein": Obj("notein", 0, 3),
    "patch_title": Obj(lambda p, c: f"{pd_symbol(p['title'], 60)} - {p['definition']} device - nn~ buffer "
                                    f"{c['buffers']['main']} - latency {c['latency']} samples", 0, 0, cls="text"),
    "search_path": Obj("declare -path {dir_ref}", 0, 0),
    "dsp_message": Obj("\\; pd dsp {on}", 1, 1, cls="msg"),
    "file_button": Obj(f"bng 15 250 50 0 empty empty open_a_sound_file 17 7 0 10 {COLORS}", 1, 1),
    "open_dialog": Obj("openpanel", 1, 1),
    "file_player": Obj("readsf~ 1", 1, 2),
}
FEATURES = frozenset({"patch_header", "search_path", "dsp_switch", "remote_controls", "load_defaults", "file_player",
                      "test_tone", "preset_messages"})


class PdWriter(HostWriter):
    object_cls = "obj"
    objects = OBJECTS
    features = FEATURES

    def __init__(self, spec: DeviceSpec, model_dir_ref: str) -> None:
        super().__init__()
        self.spec = spec
        try:
            model_ref, dir_ref = pd_escape(spec.model.path.name), pd_escape(model_dir_ref)
        except ValueError as exc:
            raise InputError(f"{spec.model.path}: {exc}; rename the model file or its folder") from None
        self.context = {"model": model_ref, "dir_ref": dir_ref, "latency": spec.latency_pd,
                        "buffers": {"main": spec.buffer_pd, "map": spec.buffer_map}}
        self.rows: Dict[str, int] = {}

    def position(self, lane: str) -> Tuple[int, int]:
        row = self.rows.get(lane, 0)
        self.rows[lane] = row + 1
        if lane == "header":
            return 20, 10 + 30 * row
        if lane == "keyboard":
            keys = self.spec.keyboard.keys if self.spec.keyboard is not None else 0
            return KEYS_X + 18 * keys + 20, KEYS_Y + 30 * row
        step = 40 if lane == "ui" else 30
        top = 190 if self.spec.keyboard is not None else 90
        return 20 + LANES.index(lane) * 240, top + row * step

    def box(self, cls: str, text: str, inlets: int, outlets: int, types: Sequence[str], lane: str) -> Box:
        return self.patch.add(cls, text, inlets, outlets, None, self.position(lane))

    def text(self, text: str, at: Tuple[int, int]) -> None:
        self.patch.add("text", text, 0, 0, None, at)

    # ------------------------------------------------------------------ kinds whose Pd widgets differ
    def place_control(self, node: Node) -> Placed:
        return self.single(self.box("obj", gui_text(node["control"]), 1, 1, (), "ui"), node)

    def place_toggle(self, node: Node) -> Placed:
        box = self.box("obj", TOGGLE, 1, 1, (), node.lane)
        self.text(display_name(node["label"]), (box.position[0] + 20, box.position[1]))
        return self.single(box, node)

    def place_message(self, node: Node) -> Placed:
        placed = self.place_entry(node, OBJECTS["message"])
        if "label" in node.params:  # a preset's name beside its values
            box = placed.inputs[0][0]
            self.text(pd_symbol(node["label"]), (box.position[0] + 160, box.position[1]))
        return placed

    def place_meter(self, node: Node) -> Placed:
        """`env~` (RMS in dB, 100 = full scale) → a `vu`; the output level is also sent as `<stem>-level`."""
        env = self.box("obj", "env~", 1, 1, (), "io")
        minus = self.box("obj", "- 100", 2, 1, (), "io")
        vu = self.box("obj", "vu 15 120 empty empty -1 -8 0 10 #404040 #000000 1 0", 2, 2, (), "io")
        self.patch.connect(env, 0, minus, 0)
        self.patch.connect(minus, 0, vu, 0)
        if node["send"]:
            self.patch.connect(env, 0, self.box("obj", f"s {node['send']}", 1, 0, (), "io"), 0)
        return Placed([(env, 0)], [])

    def place_keyboard(self, node: Node) -> Placed:
        """A row of note toggles (Pd vanilla has no keyboard): on gives `pitch velocity`, off `pitch 0`, both
        into one `unpack` whose outlets are the keyboard's pitch and velocity. The toggles carry no label
        (they are not device controls); black keys are dark."""
        keyboard, p = node["keyboard"], self.patch
        self.text(f"keyboard from {_note_name(keyboard.low)} - click a key for note on and again for note off",
                  (KEYS_X, KEYS_Y - 22))
        notes = self.box("obj", "unpack f f", 1, 2, (), "logic")
        for i in range(keyboard.keys):
            pitch = keyboard.low + i
            black = pitch % 12 in (1, 3, 6, 8, 10)
            colours = "#202020 #fcfcfc #000000" if black else COLORS
            x, y = KEYS_X + 18 * i, KEYS_Y + (0 if black else 18)
            key = p.add("obj", f"tgl 15 0 empty empty empty 17 7 0 10 {colours} 0 {keyboard.velocity}", 1, 1,
                        None, (x, y))
            message = p.add("msg", f"{pitch} \\$1", 1, 1, None, (x, KEYS_Y + 40 + 22 * (i % 2)))
            p.connect(key, 0, message, 0)
            p.connect(message, 0, notes, 0)
        return Placed([], [(notes, 0), (notes, 1)])


def write_pd(graph: PatchGraph, spec: DeviceSpec, model_dir_ref: str) -> Patch:
    """The boxes of the `.pd` patch; `model_dir_ref` is the model's folder relative to the patch."""
    return PdWriter(spec, model_dir_ref).write(graph)
