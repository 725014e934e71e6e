"""The host-neutral patch graph of a device, built once from a `DeviceSpec`; the Max and Pd writers
(`after.device.hosts`) turn it into their boxes.

Nodes have a neutral `kind` ("nn", "control", "gain~", "select", "meter", "keyboard" ...) with parameters, a
`lane` (where a writer may put it) and, for what only some hosts offer, a `feature` ("map_picture",
"file_player", "live_device" ...): a writer keeps a node only when its host has the feature, and drops the
edges that touch a node it left out. Edges connect neutral ports (`PORTS`); a host table maps each kind to its
object text and port counts, and remaps ports where its object orders them differently.

Every `drives` kind of `devices/*.yaml` is interpreted here, once: `message` (to every nn~), `attribute`
(`set <name> $1` to the main nn~, bools as the symbols `false`/`true`, which nn~ reads in every host),
`gain` (dB into a signal gain), `mix` (dry/wet), `timbre_source` (opens the gates of one timbre source).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from after.device.definitions import Keyboard
from after.device.spec import DeviceSpec
from after.nn_tilde.contract import MAP_METHODS, TIMBRE_METHOD

Count = Union[int, Callable[[Dict[str, Any]], int]]

# kind → (inlets, outlets) of the neutral node; a count may depend on the node's parameters.
PORTS: Dict[str, Tuple[Count, Count]] = {
    "nn": (lambda p: max(1, p["in_channels"]), lambda p: p["out_channels"]),
    "audio_in": (0, 2), "sidechain_in": (0, 1), "audio_out": (2, 0),
    "gain~": (2, 1), "sig~": (1, 1), "oscillator": (2, 1), "snapshot": (1, 1), "meter": (1, 0),
    "control": (1, 1), "toggle": (1, 1), "keyboard": (0, 2), "map_picture": (2, 2),
    "message": (1, 1), "set_display": (1, 1), "loadbang": (1, 1), "metro": (2, 1), "gate": (2, 1),
    "receive": (0, 1), "store": (2, 1), "add": (2, 1), "multiply": (2, 1), "divide": (2, 1),
    "modulo": (2, 1), "one_minus": (1, 1), "db_to_amp": (1, 1), "scale": (1, 1),
    "select": (1, lambda p: len(p["values"]) + 1), "route": (1, lambda p: len(p["values"]) + 1),
    "trigger": (1, lambda p: len(p["order"])), "pack": (lambda p: p["n"], 1),
    "pack_any": (lambda p: p["n"], 1), "unpack": (1, lambda p: p["n"]),
    "poly": (2, 3), "notein": (0, 3),
    # host furniture: the title, the model search path, DSP switches, the file player, Live's latency report
    "patch_title": (0, 0), "search_path": (0, 0), "dsp_message": (1, 1), "file_button": (1, 1),
    "open_dialog": (1, 1), "file_player": (1, 1), "device_info": (0, 1), "report_latency": (1, 1),
    "preset_menu": (0, 0),
}
MAP_POLL_MS = 100  # the map display follows the model this often


def ports(kind: str, params: Dict[str, Any]) -> Tuple[int, int]:
    inlets, outlets = PORTS[kind]
    return (inlets(params) if callable(inlets) else inlets, outlets(params) if callable(outlets) else outlets)


@dataclass(eq=False)
class Node:
    """One neutral object. `params` hold what its host text needs (a method, a value, a control ...)."""

    id: int
    kind: str
    lane: str
    feature: Optional[str]
    params: Dict[str, Any]
    inlets: int
    outlets: int

    def __getitem__(self, key: str) -> Any:
        return self.params[key]


@dataclass(frozen=True)
class Edge:
    source: int
    outlet: int
    destination: int
    inlet: int


@dataclass
class PatchGraph:
    nodes: List[Node] = field(default_factory=list)
    edges: List[Edge] = field(default_factory=list)

    def add(self, kind: str, lane: str = "logic", feature: Optional[str] = None, **params: Any) -> Node:
        inlets, outlets = ports(kind, params)
        node = Node(len(self.nodes), kind, lane, feature, params, inlets, outlets)
        self.nodes.append(node)
        return node

    def connect(self, source: Node, outlet: int, destination: Node, inlet: int) -> None:
        if not (0 <= outlet < source.outlets and 0 <= inlet < destination.inlets):
            raise ValueError(f"bad connection {source.kind}:{outlet} -> {destination.kind}:{inlet}")
        self.edges.append(Edge(source.id, outlet, destination.id, inlet))


class _Builder:
    def __init__(self, spec: DeviceSpec) -> None:
        self.spec, self.model = spec, spec.model
        self.g = PatchGraph()
        self.ui: Dict[str, Node] = {}
        self.nn_nodes: List[Node] = []
        self.dial_signals: List[Node] = []
        self.sync_gates: Dict[str, Node] = {}
        self.to_picture: List[Node] = []

    def nn(self, method: str, buffer: str) -> Node:
        """`buffer` names the host's buffer: "main" (the device's nn~ buffer) or "map" (the map methods')."""
        m = self.model.methods[method]
        node = self.g.add("nn", "nn", method=method, buffer=buffer, in_channels=m.in_channels,
                          out_channels=m.out_channels)
        self.nn_nodes.append(node)
        return node

    def chain(self, *nodes: Node) -> None:
        for a, b in zip(nodes, nodes[1:]):
            self.g.connect(a, 0, b, 0)

    def build(self) -> PatchGraph:
        spec, model, g = self.spec, self.model, self.g
        g.add("patch_title", "header", "patch_header", title=spec.title, definition=spec.definition.name)
        g.add("search_path", "header", "search_path")
        for on in (1, 0):
            g.add("dsp_message", "io", "dsp_switch", on=on)
        main = self.nn(model.main.name, "main")
        for control, rect in spec.controls:
            self.ui[control.key] = g.add("control", "ui", control=control, rect=rect)
            remote = g.add("receive", "remote", "remote_controls", name=f"{spec.file_stem}-{control.key}")
            g.connect(remote, 0, self.ui[control.key], 0)
        out_gain = g.add("gain~", "io", value=1)
        out = g.add("audio_out", "io")
        g.connect(out_gain, 0, out, 0)
        g.connect(out_gain, 0, out, 1)
        in_gain = self._audio_in(main) if model.kind != "midi" else None
        if model.kind == "midi":
            self._voices(main)
        wet, dry = main, None
        if "dry_wet" in self.ui and in_gain is not None:
            wet, dry = g.add("gain~", "io", value=1), g.add("gain~", "io", value=0)
            g.connect(main, 0, wet, 0)
            g.connect(in_gain, 0, dry, 0)
            g.connect(dry, 0, out_gain, 0)
        if main.outlets:
            g.connect(wet, 0, out_gain, 0)
        self._meters(in_gain, out_gain)
        gates = self._timbre(main) if spec.timbre_keys else {}
        self._drives(main, in_gain, out_gain, wet, dry, gates)
        self._defaults()
        self._presets()
        device = g.add("device_info", feature="live_device")
        latency = g.add("report_latency", feature="live_device")
        g.connect(device, 0, latency, 0)
        g.connect(latency, 0, out, 0)
        return g

    # ------------------------------------------------------------------ audio and notes in
    def _audio_in(self, main: Node) -> Node:
        g = self.g
        audio_in = g.add("audio_in", "io")
        in_gain = g.add("gain~", "io", value=1)
        g.connect(audio_in, 0, in_gain, 0)
        # A file player, to try the patch without an audio interface.
        button, dialog = g.add("file_button", "io", "file_player"), g.add("open_dialog", "io", "file_player")
        opened = g.add("message", "io", "file_player", text="open $1 , 1")
        stop = g.add("message", "io", "file_player", text="0")
        player = g.add("file_player", "io", "file_player")
        for a, b in ((button, dialog), (dialog, opened), (opened, player), (stop, player)):
            g.connect(a, 0, b, 0)
        g.connect(player, 0, in_gain, 0)
        self._test_tone(in_gain)
        g.connect(in_gain, 0, main, 0)
        if self.model.kind == "generic" and main.inlets > 1:
            g.connect(audio_in, 1, main, 1)
        return in_gain

    def _test_tone(self, into: Node) -> None:
        """A 220 Hz tone into the input, on at load (the patch sounds as soon as DSP is on); its toggle (also
        `<stem>-test_tone 0/1` where the host has remote controls) switches it off for a real input."""
        g, feature = self.g, "test_tone"
        toggle = g.add("toggle", "io", feature, rect=self.spec.test_tone_rect, label="test tone")
        remote = g.add("receive", "io", "remote_controls", name=f"{self.spec.file_stem}-test_tone")
        loadbang, on = g.add("loadbang", "io", feature), g.add("message", "io", feature, text="1")
        self.chain(loadbang, on, toggle)
        g.connect(remote, 0, toggle, 0)
        level = g.add("multiply", "io", feature, by=0.25)
        tone, gate = g.add("oscillator", "io", feature, hz=220), g.add("gain~", "io", feature, value=0)
        g.connect(toggle, 0, level, 0)
        g.connect(level, 0, gate, 1)
        g.connect(tone, 0, gate, 0)
        g.connect(gate, 0, into, 0)

    def _voices(self, main: Node) -> None:
        """MIDI input, the `<stem>-note pitch velocity` receive, the on-screen keyboard and the demo phrase all
        enter the same `poly` (voice allocation); each voice is a (pitch, velocity) pair of `sig~` into `main`."""
        n, g = self.model.n_poly, self.g
        notein, poly = g.add("notein"), g.add("poly", voices=n)
        pack = g.add("pack", n=3)
        route = g.add("route", values=tuple(range(1, n + 1)))
        notes = g.add("unpack", n=2)  # "pitch velocity" lists from the patch's own note sources
        for source in (notein, notes):
            g.connect(source, 0, poly, 0)
            g.connect(source, 1, poly, 1)
        remote = g.add("receive", "remote", name=f"{self.spec.file_stem}-note")
        g.connect(remote, 0, notes, 0)
        if self.spec.keyboard is not None:
            keyboard = g.add("keyboard", "ui", keyboard=self.spec.keyboard)
            g.connect(keyboard, 0, poly, 0)
            g.connect(keyboard, 1, poly, 1)
            self._demo(notes, self.spec.keyboard)
        for i in range(3):
            g.connect(poly, i, pack, i)
        g.connect(pack, 0, route, 0)
        for v in range(n):
            unpack = g.add("unpack", n=2)
            g.connect(route, v, unpack, 0)
            for k in range(2):
                s = g.add("sig~", "io")
                g.connect(unpack, k, s, 0)
                g.connect(s, 0, main, 2 * v + k)

    def _demo(self, notes: Node, keyboard: Keyboard) -> None:
        """The demo phrase: a toggle runs a metro through the phrase; each step ends the previous note, then
        starts its own; switching off ends the sounding note."""
        g = self.g
        phrase = keyboard.phrase
        toggle = g.add("toggle", "keyboard", rect=keyboard.demo, label="demo phrase")
        remote = g.add("receive", "remote", "remote_controls", name=f"{self.spec.file_stem}-demo")
        g.connect(remote, 0, toggle, 0)
        metro = g.add("metro", ms=keyboard.step_ms)
        counter, plus, wrap = g.add("store"), g.add("add", value=1), g.add("modulo", by=len(phrase))
        g.connect(toggle, 0, metro, 0)
        self.chain(metro, counter, plus, wrap)
        g.connect(wrap, 0, counter, 1)
        step = g.add("select", values=tuple(range(len(phrase))))
        g.connect(counter, 0, step, 0)
        order = g.add("trigger", order="nnb")
        for i, pitch in enumerate(phrase):
            m = g.add("message", text=str(pitch))
            g.connect(step, i, m, 0)
            g.connect(m, 0, order, 0)
        last = g.add("store")
        off, on = g.add("message", text="$1 0"), g.add("message", text=f"$1 {keyboard.velocity}")
        g.connect(order, 2, last, 0)
        g.connect(last, 0, off, 0)
        g.connect(order, 1, on, 0)
        g.connect(order, 0, last, 1)
        stopped = g.add("select", values=(0,))
        g.connect(toggle, 0, stopped, 0)
        g.connect(stopped, 0, last, 0)
        for m in (off, on):
            g.connect(m, 0, notes, 0)

    def _meters(self, in_gain: Optional[Node], out_gain: Node) -> None:
        """One meter per meter of the definition: the last shows the output (whose level the host may also
        publish as `<stem>-level`), a first one the input."""
        meters = self.spec.meters or ((0, 0, 0, 0),)
        sources = ([in_gain] if in_gain is not None and len(meters) > 1 else []) + [out_gain]
        for rect, source in zip(meters, sources[-len(meters):]):
            send = f"{self.spec.file_stem}-level" if source is out_gain else None
            meter = self.g.add("meter", "io", rect=rect if self.spec.meters else None, send=send)
            self.g.connect(source, 0, meter, 0)

    # ------------------------------------------------------------------ timbre and the map
    def _timbre(self, main: Node) -> Dict[str, List[Node]]:
        """Per timbre source, one signal gate per dimension into `main`; the default source's gates start open
        and the source switch opens one source's gates at a time. One source (no gates): the dials go straight
        in."""
        spec, model, g = self.spec, self.model, self.g
        offset = 1 if model.kind == "audio" else 2 * model.n_poly
        sources = spec.timbre_sources
        gates: Dict[str, List[Node]] = {s: [] for s in sources}
        for source in sources:
            for i in range(model.zt):
                gate = g.add("gain~", "timbre", value=1 if source == "Dials" else 0)
                g.connect(gate, 0, main, offset + i)
                gates[source].append(gate)
        for i, key in enumerate(spec.timbre_keys):
            s = g.add("sig~", "timbre")
            g.connect(self.ui[key], 0, s, 0)
            if gates:
                g.connect(s, 0, gates["Dials"][i], 0)
            else:
                g.connect(s, 0, main, offset + i)
            self.dial_signals.append(s)
        if "Sidechain" in sources:
            side = g.add("sidechain_in", "io")
            timbre = self.nn(TIMBRE_METHOD, "main")
            g.connect(side, 0, timbre, 0)
            for i, gate in enumerate(gates["Sidechain"]):
                g.connect(timbre, i, gate, 0)
        if "Map" in sources:
            self._map(gates)
        return gates

    def _map(self, gates: Dict[str, List[Node]]) -> None:
        """The 2-D map: the Map X/Y controls drive `map2latent` into the Map gates; the timbre dials drive
        `latent2map`. Display sync: polled every `MAP_POLL_MS`, gated by the timbre source, in Dials mode
        `latent2map` moves the X/Y controls, in Map mode `map2latent` moves the timbre dials, always through
        `set` (a control moved without output), so neither path feeds back. Where the host shows the map as
        a picture, the picture moves the X/Y controls and follows them."""
        spec, g = self.spec, self.g
        to_latent, to_map = MAP_METHODS[1], MAP_METHODS[0]
        map2latent, latent2map = self.nn(to_latent, "map"), self.nn(to_map, "map")
        for axis, key in enumerate(("map_x", "map_y")):
            s = g.add("sig~", "timbre")
            g.connect(self.ui[key], 0, s, 0)
            g.connect(s, 0, map2latent, axis)
        for i, gate in enumerate(gates["Map"]):
            g.connect(map2latent, i, gate, 0)
        for i, s in enumerate(self.dial_signals):
            g.connect(s, 0, latent2map, i)
        self._picture()
        loadbang, metro = g.add("loadbang"), g.add("metro", ms=MAP_POLL_MS)
        g.connect(loadbang, 0, metro, 0)
        for source, nn, keys in (("Map", map2latent, spec.timbre_keys), ("Dials", latent2map, ("map_x", "map_y"))):
            gate = g.add("gate", open=source == "Dials")
            g.connect(metro, 0, gate, 0)
            self.sync_gates[source] = gate
            for i, key in enumerate(keys):
                snap, show = g.add("snapshot", "timbre"), g.add("set_display", "timbre")
                g.connect(gate, 0, snap, 0)
                g.connect(nn, i, snap, 0)
                self.chain(snap, show, self.ui[key])
                if source == "Dials":
                    g.connect(snap, 0, self.to_picture[i], 0)

    def _picture(self) -> None:
        """The map picture (hosts with the `map_picture` feature): the model's picture under a 2-D slider
        (0–127 on both axes, y downwards) that sets the X/Y controls and follows them with `set`."""
        g, feature = self.g, "map_picture"
        picture = g.add("map_picture", "ui", feature, rect=self.spec.map_rect, picture=self.spec.map_picture,
                        has_image=self.model.map_image is not None)
        view, view_set = g.add("pack_any", feature=feature, n=2), g.add("set_display", feature=feature)
        self.chain(view, view_set, picture)
        for axis, key in enumerate(("map_x", "map_y")):
            low, high = (-1.0, 1.0) if axis == 0 else (1.0, -1.0)
            to_control = g.add("scale", feature=feature, range=(0, 127, low, high))
            g.connect(picture, axis, to_control, 0)
            g.connect(to_control, 0, self.ui[key], 0)
            to_picture = g.add("scale", feature=feature, range=(low, high, 0, 127))
            g.connect(self.ui[key], 0, to_picture, 0)
            g.connect(to_picture, 0, view, axis)
            self.to_picture.append(to_picture)

    # ------------------------------------------------------------------ what the controls drive
    def _drives(self, main: Node, in_gain: Optional[Node], out_gain: Node, wet: Node, dry: Optional[Node],
                gates: Dict[str, List[Node]]) -> None:
        g = self.g
        for control, _ in self.spec.controls:
            kind, target = control.drives
            ui = self.ui[control.key]
            if kind == "message":
                m = g.add("message", text=f"{target} $1")
                g.connect(ui, 0, m, 0)
                for nn in self.nn_nodes:
                    g.connect(m, 0, nn, 0)
            elif kind == "attribute" and self.model.attributes[target].types[0] == "bool":
                select = g.add("select", values=(0,))
                false, true = g.add("message", text=f"set {target} false"), g.add("message", text=f"set {target} true")
                g.connect(ui, 0, select, 0)
                g.connect(select, 0, false, 0)
                g.connect(select, 1, true, 0)
                g.connect(false, 0, main, 0)
                g.connect(true, 0, main, 0)
            elif kind == "attribute":
                m = g.add("message", text=f"set {target} $1")
                g.connect(ui, 0, m, 0)
                g.connect(m, 0, main, 0)
            elif kind == "gain":
                gain = in_gain if target == "input" else out_gain
                if gain is not None:  # an instrument has no input gain
                    amp = g.add("db_to_amp")
                    g.connect(ui, 0, amp, 0)
                    g.connect(amp, 0, gain, 1)
            elif kind == "mix" and dry is not None:
                share, rest = g.add("divide", by=100), g.add("one_minus")
                g.connect(ui, 0, share, 0)
                g.connect(share, 0, wet, 1)
                g.connect(share, 0, rest, 0)
                g.connect(rest, 0, dry, 1)
            elif kind == "timbre_source":
                self._source_switch(ui, gates)

    def _source_switch(self, ui: Node, gates: Dict[str, List[Node]]) -> None:
        g, sources = self.g, self.spec.timbre_sources
        select = g.add("select", values=tuple(range(len(sources))))
        unpack = g.add("unpack", n=len(sources))
        g.connect(ui, 0, select, 0)
        for k in range(len(sources)):
            m = g.add("message", text=" ".join("1" if j == k else "0" for j in range(len(sources))))
            g.connect(select, k, m, 0)
            g.connect(m, 0, unpack, 0)
        for k, source in enumerate(sources):
            for gate in gates[source]:
                g.connect(unpack, k, gate, 1)
            if source in self.sync_gates:
                g.connect(unpack, k, self.sync_gates[source], 1)
                # Entering a synced mode, its controls output what they show (the other mode only `set`s them).
                for key in self.spec.timbre_keys if source == "Dials" else ("map_x", "map_y"):
                    g.connect(select, k, self.ui[key], 0)

    # ------------------------------------------------------------------ load-time values and presets
    def _defaults(self) -> None:
        """Hosts whose controls do not restore themselves (`load_defaults`): every control receives its exact
        default at load (and passes it on to nn~ and the gains)."""
        g, controls, feature = self.g, self.spec.controls, "load_defaults"
        if not controls:
            return
        loadbang = g.add("loadbang", feature=feature)
        values = g.add("message", feature=feature, text=" ".join(f"{c.default:g}" for c, _ in controls))
        unpack = g.add("unpack", feature=feature, n=len(controls))
        self.chain(loadbang, values, unpack)
        for k, (control, _) in enumerate(controls):
            g.connect(unpack, k, self.ui[control.key], 0)

    def _presets(self) -> None:
        """The preset bank, two ways: a menu recalling the bank file's slots by control name (hosts with
        `preset_storage`), or one message per preset whose values reach the controls through `unpack`, with
        `<stem>-preset N` recalling the N-th (hosts with `preset_messages`)."""
        spec, g = self.spec, self.g
        if spec.preset_rect is None:
            return
        g.add("preset_menu", "presets", "preset_storage", rect=spec.preset_rect,
              items=tuple(e.name for e in spec.bank), bank=spec.bank_name)
        feature = "preset_messages"
        entries = [e for e in spec.bank if any(k in e.values for k in self.ui)]
        if not entries:
            return
        remote = g.add("receive", "presets", feature, name=f"{spec.file_stem}-preset")
        select = g.add("select", "presets", feature, values=tuple(range(1, len(entries) + 1)))
        g.connect(remote, 0, select, 0)
        groups: Dict[Tuple[str, ...], Node] = {}
        for index, entry in enumerate(entries):
            keys = tuple(c.key for c, _ in spec.controls if c.key in entry.values)
            if keys not in groups:
                groups[keys] = g.add("unpack", "presets", feature, n=len(keys))
                for k, key in enumerate(keys):
                    g.connect(groups[keys], k, self.ui[key], 0)
            m = g.add("message", "presets", feature, text=" ".join(f"{entry.values[k]:g}" for k in keys),
                      label=entry.name)
            g.connect(m, 0, groups[keys], 0)
            g.connect(select, index, m, 0)


def build_patch_graph(spec: DeviceSpec) -> PatchGraph:
    """The device's patch graph: every host writer reads this one graph."""
    return _Builder(spec).build()
