"""Lay out a `DeviceSpec` as a Max patch graph (the `.amxd` device, or the plain `.maxpat`).

Every nn~ box is static with counts from `<method>_params` (Max nn~: inlets = max(1, in_channels),
outlets = out_channels, no info outlet) and an explicit buffer. Controls are Live parameters whose values
reach nn~ as `enable $1` / `set <attribute> $1` messages or drive gains, the dry/wet mix and the timbre
source selectors. In the `.maxpat`, plugin~/plugout~ become adc~/dac~ and no latency is reported.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from after.device.definitions import UNITS, Control
from after.device.graph import Box, LiveParameter, Patch
from after.device.names import max_quote
from after.device.spec import DeviceSpec

UI_CLASSES = {"dial": "live.dial", "toggle": "live.toggle", "tab": "live.tab", "numbox": "live.numbox"}
UI_COUNTS = {"live.dial": (1, 2, ["", "float"]), "live.toggle": (1, 1, [""]), "live.tab": (1, 3, ["", "", "float"]),
             "live.numbox": (1, 2, ["", "float"])}
SNAPSHOT_MS = "50"


def live_parameter(control: Control) -> LiveParameter:
    if control.widget in ("toggle", "tab"):
        return LiveParameter(control.long_name, control.short_name, 2, 0, len(control.items) - 1, control.default,
                             9, control.items)
    return LiveParameter(control.long_name, control.short_name, 1 if control.integer else 0, control.minimum,
                         control.maximum, control.default, UNITS[control.unit])


class _MaxBuilder:
    def __init__(self, spec: DeviceSpec, device: bool) -> None:
        self.spec, self.model, self.device = spec, spec.model, device
        self.patch = Patch()
        self.column: Dict[str, int] = {}
        self.nn_boxes: List[Box] = []
        self.ui: Dict[str, Box] = {}
        self.dry: Optional[Box] = None

    # ------------------------------------------------------------------ box helpers
    def _pos(self, lane: str) -> Tuple[int, int]:
        lanes = ("io", "nn", "ui", "logic", "timbre", "presets")
        row = self.column.get(lane, 0)
        self.column[lane] = row + 1
        return 20 + lanes.index(lane) * 220, 20 + row * 36

    def obj(self, text: str, inlets: int, outlets: int, types: Optional[List[str]] = None, lane: str = "logic") -> Box:
        size = (max(40, 7 * len(text)), 22)
        return self.patch.add("newobj", text, inlets, outlets, types, self._pos(lane), size=size)

    def msg(self, text: str) -> Box:
        return self.patch.add("message", text, 2, 1, [""], self._pos("logic"), size=(max(40, 7 * len(text)), 22))

    def sig(self, text: str, inlets: int, outlets: int = 1) -> Box:
        return self.obj(text, inlets, outlets, ["signal"] * outlets, lane="io")

    def nn(self, method: str, buffer: int) -> Box:
        m = self.model.methods[method]
        box = self.obj(f"nn~ {max_quote(self.model.path.name)} {method} {buffer}", max(1, m.in_channels),
                       m.out_channels, ["signal"] * m.out_channels, lane="nn")
        self.nn_boxes.append(box)
        return box

    def control(self, control: Control, rect: Tuple[int, int, int, int]) -> Box:
        cls = UI_CLASSES[control.widget]
        n_in, n_out, types = UI_COUNTS[cls]
        box = self.patch.add(cls, "", n_in, n_out, types, self._pos("ui"), size=(rect[2], rect[3]),
                             presentation=rect, varname=control.key, parameter=live_parameter(control))
        self.ui[control.key] = box
        return box

    # ------------------------------------------------------------------ sections
    def build(self) -> Patch:
        spec, model, p = self.spec, self.model, self.patch
        main = self.nn(model.main.name, spec.buffer_max)
        for control, rect in spec.controls:
            self.control(control, rect)
        out_gain = self.sig("*~ 1.", 2)
        out = (self.obj("plugout~", 2, 2, ["signal", "signal"], lane="io") if self.device
               else self.obj("dac~ 1 2", 2, 0, [], lane="io"))
        p.connect(out_gain, 0, out, 0)
        p.connect(out_gain, 0, out, 1)
        wet: Box = main
        in_gain = None
        if model.kind != "midi":
            audio_in = (self.obj("plugin~", 2, 2, ["signal", "signal"], lane="io") if self.device
                        else self.obj("adc~ 1 2", 1, 2, ["signal", "signal"], lane="io"))
            in_gain = self.sig("*~ 1.", 2)
            p.connect(audio_in, 0, in_gain, 0)
            if not self.device:
                self._test_tone(in_gain)
            p.connect(in_gain, 0, main, 0)
            if model.kind == "generic" and main.inlets > 1:
                p.connect(audio_in, 1, main, 1)
        else:
            self._voices(main)
        if "dry_wet" in self.ui and in_gain is not None:
            wet, dry = self.sig("*~ 1.", 2), self.sig("*~ 0.", 2)
            p.connect(main, 0, wet, 0)
            p.connect(in_gain, 0, dry, 0)
            p.connect(dry, 0, out_gain, 0)
            self.dry = dry
        if main.outlets:
            p.connect(wet, 0, out_gain, 0)
        self._meters(in_gain, out_gain)
        if spec.timbre_keys:
            self._timbre(main)
        self._drives(main, in_gain, out_gain, wet if wet is not main else None)
        self._presets()
        if self.device:
            self._latency(out)
        return p

    def _voices(self, main: Box) -> None:
        """MIDI input, the on-screen `kslider`, `r <stem>-note` ("pitch velocity" lists) and the demo phrase
        all enter the same `poly` (voice allocation); each voice is a (pitch, velocity) pair of `sig~`."""
        n = self.model.n_poly
        p = self.patch
        notein = self.obj("notein", 1, 3, ["int", "int", "int"])
        poly = self.obj(f"poly {n} 1", 2, 3, ["int", "int", "int"])
        pack = self.obj("pack 0 0 0", 3, 1, [""])
        route = self.obj("route " + " ".join(str(v + 1) for v in range(n)), n + 1, n + 1)
        p.connect(notein, 0, poly, 0)
        p.connect(notein, 1, poly, 1)
        notes = self.obj("unpack 0 0", 1, 2, ["int", "int"])
        p.connect(notes, 0, poly, 0)
        p.connect(notes, 1, poly, 1)
        p.connect(self.obj(f"r {self.spec.file_stem}-note", 0, 1, [""]), 0, notes, 0)
        if self.spec.keyboard is not None:
            self._keyboard(poly, notes)
        for i in range(3):
            p.connect(poly, i, pack, i)
        p.connect(pack, 0, route, 0)
        for v in range(n):
            unpack = self.obj("unpack 0 0", 1, 2, ["int", "int"])
            p.connect(route, v, unpack, 0)
            for k in range(2):
                s = self.sig("sig~", 1)
                p.connect(unpack, k, s, 0)
                p.connect(s, 0, main, 2 * v + k)

    def _keyboard(self, poly: Box, notes: Box) -> None:
        """A polyphonic `kslider` (a click starts a note, a second click ends it) into `poly` like `notein`,
        and the demo phrase: a toggle runs a metro through the phrase (`zl nth`); each step ends the previous
        note and starts its own; switching off ends the sounding note."""
        keyboard, p = self.spec.keyboard, self.patch
        slider = p.add("kslider", "", 2, 2, ["int", "int"], self._pos("ui"), size=keyboard.rect[2:],
                       presentation=keyboard.rect,
                       attrs={"mode": 1, "offset": keyboard.low, "range": keyboard.keys})
        p.connect(slider, 0, poly, 0)
        p.connect(slider, 1, poly, 1)
        toggle = p.add("toggle", "", 1, 1, ["int"], self._pos("ui"), size=keyboard.demo[2:],
                       presentation=keyboard.demo)
        p.add("comment", "demo", 1, 0, [], self._pos("ui"), size=(40, 18),
              presentation=(keyboard.demo[0] + keyboard.demo[2] + 4, keyboard.demo[1], 40, 18))
        phrase = keyboard.phrase
        metro = self.obj(f"metro {keyboard.step_ms}", 2, 1, ["bang"])
        counter, plus, wrap = (self.obj("i", 2, 1, ["int"]), self.obj("+ 1", 2, 1, ["int"]),
                               self.obj(f"% {len(phrase)}", 2, 1, ["int"]))
        p.connect(toggle, 0, metro, 0)
        p.connect(metro, 0, counter, 0)
        p.connect(counter, 0, plus, 0)
        p.connect(plus, 0, wrap, 0)
        p.connect(wrap, 0, counter, 1)
        step = self.obj("t b i", 1, 2, ["bang", "int"])
        index = self.obj("+ 1", 2, 1, ["int"])  # zl nth counts from 1
        notes_list = self.msg(" ".join(str(n) for n in phrase))
        pick = self.obj("zl nth", 2, 2, ["", ""])
        p.connect(counter, 0, step, 0)
        p.connect(step, 1, index, 0)
        p.connect(index, 0, pick, 1)
        p.connect(step, 0, notes_list, 0)
        p.connect(notes_list, 0, pick, 0)
        order = self.obj("t i i b", 1, 3, ["int", "int", "bang"])
        p.connect(pick, 0, order, 0)
        last, off, on = self.obj("i", 2, 1, ["int"]), self.msg("$1 0"), self.msg(f"$1 {keyboard.velocity}")
        p.connect(order, 2, last, 0)
        p.connect(last, 0, off, 0)
        p.connect(order, 1, on, 0)
        p.connect(order, 0, last, 1)
        stopped = self.obj("sel 0", 2, 2, ["bang", ""])
        p.connect(toggle, 0, stopped, 0)
        p.connect(stopped, 0, last, 0)
        for m in (off, on):
            p.connect(m, 0, notes, 0)

    def _test_tone(self, into: Box) -> None:
        """The plain Max patch's test tone: 220 Hz into the input, on at load, so it sounds as soon as audio is
        on; its toggle switches it off when `adc~` carries a real input."""
        p = self.patch
        rect = self.spec.test_tone_rect
        toggle = p.add("toggle", "", 1, 1, ["int"], self._pos("ui"), size=(18, 18), presentation=rect)
        if rect is not None:
            p.add("comment", "test tone", 1, 0, [], self._pos("ui"), size=(60, 18),
                  presentation=(rect[0] + rect[2] + 4, rect[1], 60, 18))
        loadbang, on = self.obj("loadbang", 1, 1, ["bang"]), self.msg("1")
        p.connect(loadbang, 0, on, 0)
        p.connect(on, 0, toggle, 0)
        level = self.obj("* 0.25", 2, 1, ["float"])
        tone, gate = self.sig("cycle~ 220", 2), self.sig("*~ 0.", 2)
        p.connect(toggle, 0, level, 0)
        p.connect(level, 0, gate, 1)
        p.connect(tone, 0, gate, 0)
        p.connect(gate, 0, into, 0)

    def _meters(self, in_gain: Optional[Box], out_gain: Box) -> None:
        sources = ([in_gain] if in_gain is not None and len(self.spec.meters) > 1 else []) + [out_gain]
        for rect, source in zip(self.spec.meters, sources[-len(self.spec.meters):]):
            meter = self.patch.add("live.meter~", "", 1, 2, ["float", "int"], self._pos("ui"),
                                   size=(rect[2], rect[3]), presentation=rect)
            self.patch.connect(source, 0, meter, 0)

    def _timbre(self, main: Box) -> None:
        spec, model, p = self.spec, self.model, self.patch
        offset = 1 if model.kind == "audio" else 2 * model.n_poly
        sources = spec.timbre_sources
        selectors: List[Optional[Box]] = []
        for i in range(model.zt):
            if sources:
                sel = self.sig(f"selector~ {len(sources)} {sources.index('Dials') + 1}", len(sources) + 1)
                p.connect(sel, 0, main, offset + i)
                selectors.append(sel)
            else:
                selectors.append(None)
        dial_signals = []
        for i, key in enumerate(spec.timbre_keys):
            s = self.sig("sig~", 1)
            p.connect(self.ui[key], 0, s, 0)
            sel = selectors[i]
            if sel is None:
                p.connect(s, 0, main, offset + i)
            else:
                p.connect(s, 0, sel, sources.index("Dials") + 1)
            dial_signals.append(s)
        if "Sidechain" in sources:
            side = (self.obj("plugin~ 3 4", 2, 2, ["signal", "signal"], lane="io") if self.device
                    else self.obj("adc~ 3 4", 1, 2, ["signal", "signal"], lane="io"))
            timbre = self.nn("timbre", self.spec.buffer_max)
            p.connect(side, 0, timbre, 0)
            for i, sel in enumerate(selectors):
                p.connect(timbre, i, sel, sources.index("Sidechain") + 1)
        if "Map" in sources:
            self._map(selectors, dial_signals)

    def _map(self, selectors: List[Optional[Box]], dial_signals: List[Box]) -> None:
        """The 2-D map: a `pictslider` over the model's picture, shown through the Map X/Y dials.

        The X/Y dials are the parameters and the picture only shows them: moving the picture moves the dials
        (which drive `map2latent`), and every dial output moves the picture back with `set` (no output).
        Display sync, gated by the timbre source: in Dials mode `latent2map` of the timbre dials moves the X/Y
        dials and the picture, in Map mode `map2latent` moves the timbre dials; `set` moves a control without
        output, so neither path can feed back. Entering a mode makes its controls output what they show."""
        spec, p = self.spec, self.patch
        sources = spec.timbre_sources
        picture = spec.map_picture
        slider = p.add("pictslider", "", 2, 2, ["int", "int"], self._pos("ui"), size=spec.map_rect[2:],
                       presentation=spec.map_rect, varname="map",
                       attrs={"bkgndpict": picture} if self.model.map_image else {})
        map2latent, latent2map = self.nn("map2latent", spec.buffer_map), self.nn("latent2map", spec.buffer_map)
        view = self.obj("pak 0 0", 2, 1)
        view_set = self.obj("prepend set", 1, 1)
        p.connect(view, 0, view_set, 0)
        p.connect(view_set, 0, slider, 0)
        l2m_snaps, m2l_snaps = [], []
        for axis, key in enumerate(("map_x", "map_y")):
            low, high = ("-1.", "1.") if axis == 0 else ("1.", "-1.")  # pictslider y grows downwards
            to_dial = self.obj(f"scale 0 127 {low} {high}", 6, 1)
            p.connect(slider, axis, to_dial, 0)
            p.connect(to_dial, 0, self.ui[key], 0)
            s = self.sig("sig~", 1)
            p.connect(self.ui[key], 0, s, 0)
            p.connect(s, 0, map2latent, axis)
            to_picture = self.obj(f"scale {low} {high} 0 127", 6, 1)
            p.connect(self.ui[key], 0, to_picture, 0)
            p.connect(to_picture, 0, view, axis)
            snap = self._display(latent2map, axis, self.ui[key])
            p.connect(snap, 0, to_picture, 0)
            l2m_snaps.append(snap)
        for i, s in enumerate(dial_signals):
            p.connect(s, 0, latent2map, i)
            p.connect(map2latent, i, selectors[i], sources.index("Map") + 1)
            m2l_snaps.append(self._display(map2latent, i, self.ui[spec.timbre_keys[i]]))
        select = self.obj(f"sel {sources.index('Dials')} {sources.index('Map')}", 3, 3, ["bang", "bang", ""])
        p.connect(self.ui["timbre_source"], 0, select, 0)
        on_l2m, off_m2l, off_l2m, on_m2l = (self.msg(SNAPSHOT_MS), self.msg("0"), self.msg("0"), self.msg(SNAPSHOT_MS))
        for outlet, msgs in ((0, (on_l2m, off_m2l)), (1, (off_l2m, on_m2l)), (2, (off_m2l, off_l2m))):
            for m in msgs:
                p.connect(select, outlet, m, 0)
        for m, snaps in ((on_l2m, l2m_snaps), (off_l2m, l2m_snaps), (on_m2l, m2l_snaps), (off_m2l, m2l_snaps)):
            for snap in snaps:
                p.connect(m, 0, snap, 1)
        for outlet, keys in ((0, spec.timbre_keys), (1, ("map_x", "map_y"))):
            for key in keys:
                p.connect(select, outlet, self.ui[key], 0)

    def _display(self, source: Box, outlet: int, dial: Box) -> Box:
        """`source:outlet` → `snapshot~` → `prepend set` → `dial`; returns the snapshot~ (its right inlet
        takes the polling interval, 0 = off)."""
        snap = self.obj("snapshot~ 0", 2, 1, ["float"])
        prepend = self.obj("prepend set", 1, 1)
        self.patch.connect(source, outlet, snap, 0)
        self.patch.connect(snap, 0, prepend, 0)
        self.patch.connect(prepend, 0, dial, 0)
        return snap

    def _drives(self, main: Box, in_gain: Optional[Box], out_gain: Box, wet: Optional[Box]) -> None:
        p = self.patch
        for control, _ in self.spec.controls:
            kind, target = control.drives
            ui = self.ui[control.key]
            if kind == "message":
                m = self.msg(f"{target} $1")
                p.connect(ui, 0, m, 0)
                for nn in self.nn_boxes:
                    p.connect(m, 0, nn, 0)
            elif kind == "attribute":
                m = self.msg(f"set {target} $1")
                p.connect(ui, 0, m, 0)
                p.connect(m, 0, main, 0)
            elif kind == "gain":
                gain = in_gain if target == "input" else out_gain
                if gain is not None:
                    db = self.obj("dbtoa", 1, 1, ["float"])
                    p.connect(ui, 0, db, 0)
                    p.connect(db, 0, gain, 1)
            elif kind == "mix" and wet is not None and self.dry is not None:
                scale, invert = self.obj("/ 100.", 2, 1, ["float"]), self.obj("!- 1.", 2, 1, ["float"])
                p.connect(ui, 0, scale, 0)
                p.connect(scale, 0, wet, 1)
                p.connect(scale, 0, invert, 0)
                p.connect(invert, 0, self.dry, 1)
            elif kind == "timbre_source":
                plus = self.obj("+ 1", 2, 1, ["int"])
                p.connect(ui, 0, plus, 0)
                for sel in [b for b in p.boxes if b.text.startswith("selector~")]:
                    p.connect(plus, 0, sel, 0)

    def _presets(self) -> None:
        spec, p = self.spec, self.patch
        if spec.preset_rect is None:
            return
        items: List[str] = []
        for entry in spec.bank:
            items += [entry.name, ","]
        menu = p.add("umenu", "", 1, 3, ["int", "", ""], self._pos("presets"), size=spec.preset_rect[2:],
                     presentation=spec.preset_rect, attrs={"items": items[:-1]})
        plus = self.obj("+ 1", 2, 1, ["int"], lane="presets")
        recall = self.obj("prepend recall", 1, 1, lane="presets")
        storage = self.obj(f"pattrstorage {spec.bank_name} @autorestore 1 @savemode 0", 1, 1, lane="presets")
        self.obj("autopattr", 1, 4, ["", "", "", ""], lane="presets")
        p.connect(menu, 0, plus, 0)
        p.connect(plus, 0, recall, 0)
        p.connect(recall, 0, storage, 0)

    def _latency(self, plugout: Box) -> None:
        device = self.obj("live.thisdevice", 1, 3, ["bang", "int", "int"])
        latency = self.msg(f"latency {self.spec.latency_max}")
        self.patch.connect(device, 0, latency, 0)
        self.patch.connect(latency, 0, plugout, 0)


def build_max_patch(spec: DeviceSpec, device: bool) -> Patch:
    """The graph of the `.amxd` device (`device=True`) or of the plain `.maxpat` (adc~/dac~)."""
    return _MaxBuilder(spec, device).build()
