"""Lay out a `DeviceSpec` as a Pure Data patch graph (vanilla objects only, Pd >= 0.51).

Box texts are stored exactly as they appear in the file (Pd escapes included: `\\$1`, `\\,`, `\\;`). nn~ boxes
carry an explicit buffer (at most 4096 for 1-in/1-out models, §F) and one more outlet than the model has
(Pd's info outlet). Bool attributes are sent as the symbols `false`/`true` (Pd would send `0.000000`, which
nn~ reads as true). Names from users' files only ever appear cleaned (`pd_symbol`) or escaped (`pd_escape`).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from after.device.definitions import Control
from after.device.graph import Box, Patch
from after.device.names import pd_escape, pd_symbol
from after.device.spec import DeviceSpec
from after.errors import InputError

SLIDER_WIDTH = 128
COLORS = "#fcfcfc #000000 #000000"
KEYS_X, KEYS_Y = 260, 80  # the instrument's keyboard row, above the lanes (which then start lower)
TEST_TONE_HZ = 220
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


def _note_name(pitch: int) -> str:
    """MIDI note → name with octave, middle C (60) = C4."""
    return f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


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


class _PdBuilder:
    def __init__(self, spec: DeviceSpec, model_dir_ref: str) -> None:
        self.spec, self.model = spec, spec.model
        self.patch = Patch()
        self.rows: Dict[str, int] = {}
        self.ui: Dict[str, Box] = {}
        self.nn_boxes: List[Box] = []
        self.dial_signals: List[Box] = []
        self.spigots: Dict[str, Box] = {}
        try:
            self.model_ref = pd_escape(self.model.path.name)
            self.dir_ref = pd_escape(model_dir_ref)
        except ValueError as exc:
            raise InputError(f"{self.model.path}: {exc}; rename the model file or its folder") from None

    def _pos(self, lane: str) -> Tuple[int, int]:
        lanes = ("ui", "remote", "io", "nn", "logic", "timbre", "presets")
        row = self.rows.get(lane, 0)
        self.rows[lane] = row + 1
        step = 40 if lane == "ui" else 30
        top = 190 if self.spec.keyboard is not None else 90
        return 20 + lanes.index(lane) * 240, top + row * step

    def obj(self, text: str, inlets: int, outlets: int, lane: str = "logic") -> Box:
        return self.patch.add("obj", text, inlets, outlets, None, self._pos(lane))

    def msg(self, text: str, lane: str = "logic") -> Box:
        return self.patch.add("msg", text, 1, 1, None, self._pos(lane))

    def nn(self, method: str, buffer: int) -> Box:
        m = self.model.methods[method]
        box = self.obj(f"nn~ {self.model_ref} {method} {buffer}", max(1, m.in_channels), m.out_channels + 1, "nn")
        self.nn_boxes.append(box)
        return box

    def build(self) -> Patch:
        spec, model, p = self.spec, self.model, self.patch
        p.add("text", f"{pd_symbol(spec.title, 60)} - {spec.definition.name} device - nn~ buffer {spec.buffer_pd} "
                      f"- latency {spec.latency_pd} samples", 0, 0, None, (20, 10))
        p.add("obj", f"declare -path {self.dir_ref}", 0, 0, None, (20, 40))
        for dsp in ("\\; pd dsp 1", "\\; pd dsp 0"):
            self.msg(dsp, "io")
        main = self.nn(model.main.name, spec.buffer_pd)
        for control, _ in spec.controls:
            self.ui[control.key] = self.obj(gui_text(control), 1, 1, "ui")
            remote = self.obj(f"r {spec.file_stem}-{control.key}", 0, 1, "remote")
            p.connect(remote, 0, self.ui[control.key], 0)
        out_gain = self.obj("*~ 1", 2, 1, "io")
        dac = self.obj("dac~", 2, 0, "io")
        p.connect(out_gain, 0, dac, 0)
        p.connect(out_gain, 0, dac, 1)
        self._meter(out_gain)
        in_gain = self._audio_in(main) if model.kind != "midi" else None
        if model.kind == "midi":
            self._voices(main)
        wet: Box = main
        dry: Optional[Box] = None
        if "dry_wet" in self.ui and in_gain is not None:
            wet, dry = self.obj("*~ 1", 2, 1, "io"), self.obj("*~ 0", 2, 1, "io")
            p.connect(main, 0, wet, 0)
            p.connect(in_gain, 0, dry, 0)
            p.connect(dry, 0, out_gain, 0)
        if model.main.out_channels:
            p.connect(wet, 0, out_gain, 0)
        gates = self._timbre(main) if spec.timbre_keys else {}
        self._drives(main, in_gain, out_gain, wet, dry, gates)
        self._defaults()
        self._presets()
        return p

    def _defaults(self) -> None:
        """At load, every control receives its exact default (and passes it on to nn~ and the gains)."""
        p, controls = self.patch, self.spec.controls
        loadbang = self.obj("loadbang", 1, 1)
        values = self.msg(" ".join(f"{c.default:g}" for c, _ in controls))
        unpack = self.obj("unpack " + " ".join("f" for _ in controls), 1, len(controls))
        p.connect(loadbang, 0, values, 0)
        p.connect(values, 0, unpack, 0)
        for k, (control, _) in enumerate(controls):
            p.connect(unpack, k, self.ui[control.key], 0)

    def _audio_in(self, main: Box) -> Box:
        p = self.patch
        adc = self.obj("adc~", 1, 2, "io")
        in_gain = self.obj("*~ 1", 2, 1, "io")
        p.connect(adc, 0, in_gain, 0)
        # A file player, to try the patch without an audio interface.
        bang = self.obj(f"bng 15 250 50 0 empty empty open_a_sound_file 17 7 0 10 {COLORS}", 1, 1, "io")
        panel = self.obj("openpanel", 1, 1, "io")
        open_msg = self.msg("open \\$1 \\, 1", "io")
        stop = self.msg("0", "io")
        player = self.obj("readsf~ 1", 1, 2, "io")
        for a, b in ((bang, panel), (panel, open_msg), (open_msg, player), (stop, player)):
            p.connect(a, 0, b, 0)
        p.connect(player, 0, in_gain, 0)
        self._test_tone(in_gain)
        p.connect(in_gain, 0, main, 0)
        if self.model.kind == "generic" and main.inlets > 1:
            p.connect(adc, 1, main, 1)
        return in_gain

    def _test_tone(self, into: Box) -> None:
        """A 220 Hz tone into the input, on at load (so the patch sounds as soon as DSP is on); its toggle (also
        `<stem>-test_tone 0/1`) switches it off when a real input or the file player takes over."""
        p, stem = self.patch, self.spec.file_stem
        toggle = self.obj(f"tgl 15 0 empty empty empty 17 7 0 10 {COLORS} 0 1", 1, 1, "io")
        x, y = toggle.position
        p.add("text", "test tone", 0, 0, None, (x + 20, y))
        remote, on = self.obj(f"r {stem}-test_tone", 0, 1, "io"), self.msg("1", "io")
        loadbang = self.obj("loadbang", 1, 1, "io")
        p.connect(loadbang, 0, on, 0)
        p.connect(on, 0, toggle, 0)
        p.connect(remote, 0, toggle, 0)
        level = self.obj("* 0.25", 2, 1, "io")
        tone, gate = self.obj(f"osc~ {TEST_TONE_HZ}", 2, 1, "io"), self.obj("*~ 0", 2, 1, "io")
        p.connect(toggle, 0, level, 0)
        p.connect(level, 0, gate, 1)
        p.connect(tone, 0, gate, 0)
        p.connect(gate, 0, into, 0)

    def _meter(self, source: Box) -> None:
        env = self.obj("env~", 1, 1, "io")
        minus = self.obj("- 100", 2, 1, "io")
        vu = self.obj("vu 15 120 empty empty -1 -8 0 10 #404040 #000000 1 0", 2, 2, "io")
        level = self.obj(f"s {self.spec.file_stem}-level", 1, 0, "io")  # output RMS in dB (100 = full scale)
        self.patch.connect(source, 0, env, 0)
        self.patch.connect(env, 0, minus, 0)
        self.patch.connect(minus, 0, vu, 0)
        self.patch.connect(env, 0, level, 0)

    def _voices(self, main: Box) -> None:
        """MIDI input, the `<stem>-note pitch velocity` receive, the on-screen keyboard and the demo phrase all
        enter the same `poly` (voice allocation); each voice is a (pitch, velocity) pair of `sig~` into `main`."""
        n, p = self.model.n_poly, self.patch
        notein = self.obj("notein", 0, 3)
        poly = self.obj(f"poly {n} 1", 2, 3)
        pack = self.obj("pack f f f", 3, 1)
        route = self.obj("route " + " ".join(str(v + 1) for v in range(n)), 1 if n > 1 else 2, n + 1)
        p.connect(notein, 0, poly, 0)
        p.connect(notein, 1, poly, 1)
        notes = self.obj("unpack f f", 1, 2)  # "pitch velocity" lists from the patch's own note sources
        p.connect(notes, 0, poly, 0)
        p.connect(notes, 1, poly, 1)
        remote = self.obj(f"r {self.spec.file_stem}-note", 0, 1, "remote")
        p.connect(remote, 0, notes, 0)
        if self.spec.keyboard is not None:
            self._keyboard(notes)
            self._demo(notes)
        for i in range(3):
            p.connect(poly, i, pack, i)
        p.connect(pack, 0, route, 0)
        for v in range(n):
            unpack = self.obj("unpack f f", 1, 2)
            p.connect(route, v, unpack, 0)
            for k in range(2):
                s = self.obj("sig~", 1, 1)
                p.connect(unpack, k, s, 0)
                p.connect(s, 0, main, 2 * v + k)

    def _keyboard(self, notes: Box) -> None:
        """A row of note toggles (Pd vanilla has no keyboard): on sends `pitch velocity`, off `pitch 0`. The
        toggles carry no label (they are not device controls); black keys are dark."""
        keyboard, p = self.spec.keyboard, self.patch
        p.add("text", f"keyboard from {_note_name(keyboard.low)} - click a key for note on and again for note off",
              0, 0, None, (KEYS_X, KEYS_Y - 22))
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

    def _demo(self, notes: Box) -> None:
        """The demo phrase: a toggle (also `<stem>-demo 0/1`) runs a metro through the phrase; each step ends
        the previous note, then starts its own; switching off ends the sounding note."""
        keyboard, p, stem = self.spec.keyboard, self.patch, self.spec.file_stem
        phrase = keyboard.phrase
        x = KEYS_X + 18 * keyboard.keys + 20
        toggle = p.add("obj", f"tgl 15 0 empty empty empty 17 7 0 10 {COLORS} 0 1", 1, 1, None, (x, KEYS_Y))
        p.add("text", "demo phrase", 0, 0, None, (x + 20, KEYS_Y))
        remote = self.obj(f"r {stem}-demo", 0, 1, "remote")
        p.connect(remote, 0, toggle, 0)
        metro = self.obj(f"metro {keyboard.step_ms}", 2, 1)
        counter, plus, wrap = self.obj("f", 2, 1), self.obj("+ 1", 2, 1), self.obj(f"mod {len(phrase)}", 2, 1)
        p.connect(toggle, 0, metro, 0)
        p.connect(metro, 0, counter, 0)
        p.connect(counter, 0, plus, 0)
        p.connect(plus, 0, wrap, 0)
        p.connect(wrap, 0, counter, 1)
        step = self.obj("sel " + " ".join(str(i) for i in range(len(phrase))), 2 if len(phrase) == 1 else 1,
                        len(phrase) + 1)
        p.connect(counter, 0, step, 0)
        order = self.obj("t f f b", 1, 3)
        for i, pitch in enumerate(phrase):
            m = self.msg(str(pitch))
            p.connect(step, i, m, 0)
            p.connect(m, 0, order, 0)
        last, off, on = self.obj("f", 2, 1), self.msg("\\$1 0"), self.msg(f"\\$1 {keyboard.velocity}")
        p.connect(order, 2, last, 0)
        p.connect(last, 0, off, 0)
        p.connect(order, 1, on, 0)
        p.connect(order, 0, last, 1)
        stopped = self.obj("sel 0", 2, 2)
        p.connect(toggle, 0, stopped, 0)
        p.connect(stopped, 0, last, 0)
        for m in (off, on):
            p.connect(m, 0, notes, 0)

    def _timbre(self, main: Box) -> Dict[str, List[Box]]:
        """Per timbre source, one `*~ 0` gate per dimension into `main` (all gates of a source open together)."""
        spec, model, p = self.spec, self.model, self.patch
        offset = 1 if model.kind == "audio" else 2 * model.n_poly
        sources = spec.timbre_sources or ("Dials",)
        gates: Dict[str, List[Box]] = {s: [] for s in sources}
        for source in sources:
            for i in range(model.zt):
                gate = self.obj("*~ 0", 2, 1, "timbre") if spec.timbre_sources else None
                if gate is not None:
                    p.connect(gate, 0, main, offset + i)
                gates[source].append(gate)
        for i, key in enumerate(spec.timbre_keys):
            s = self.obj("sig~", 1, 1, "timbre")
            p.connect(self.ui[key], 0, s, 0)
            gate = gates["Dials"][i]
            if gate is None:
                p.connect(s, 0, main, offset + i)
            else:
                p.connect(s, 0, gate, 0)
            self.dial_signals.append(s)
        if "Sidechain" in sources:
            adc = self.obj("adc~", 1, 2, "io")
            timbre = self.nn("timbre", spec.buffer_pd)
            p.connect(adc, 1, timbre, 0)
            for i, gate in enumerate(gates["Sidechain"]):
                p.connect(timbre, i, gate, 0)
        if "Map" in sources:
            self._map(gates)
        return gates

    def _map(self, gates: Dict[str, List[Box]]) -> None:
        spec, p = self.spec, self.patch
        map2latent, latent2map = self.nn("map2latent", spec.buffer_map), self.nn("latent2map", spec.buffer_map)
        for axis, key in enumerate(("map_x", "map_y")):
            s = self.obj("sig~", 1, 1, "timbre")
            p.connect(self.ui[key], 0, s, 0)
            p.connect(s, 0, map2latent, axis)
        for i, gate in enumerate(gates["Map"]):
            p.connect(map2latent, i, gate, 0)
        for i, s in enumerate(self.dial_signals):
            p.connect(s, 0, latent2map, i)
        # Display sync, polled every 100 ms and gated by the timbre source (see the Max layout).
        loadbang, metro = self.obj("loadbang", 1, 1), self.obj("metro 100", 2, 1)
        p.connect(loadbang, 0, metro, 0)
        for source, nn, keys in (("Map", map2latent, spec.timbre_keys), ("Dials", latent2map, ("map_x", "map_y"))):
            spigot = self.obj("spigot", 2, 1)
            p.connect(metro, 0, spigot, 0)
            self.spigots[source] = spigot
            for i, key in enumerate(keys):
                snap, set_msg = self.obj("snapshot~", 1, 1, "timbre"), self.msg("set \\$1", "timbre")
                p.connect(spigot, 0, snap, 0)
                p.connect(nn, i, snap, 0)
                p.connect(snap, 0, set_msg, 0)
                p.connect(set_msg, 0, self.ui[key], 0)

    def _drives(self, main: Box, in_gain: Optional[Box], out_gain: Box, wet: Box, dry: Optional[Box],
                gates: Dict[str, List[Box]]) -> None:
        p = self.patch
        for control, _ in self.spec.controls:
            kind, target = control.drives
            ui = self.ui[control.key]
            if kind == "message":
                m = self.msg(f"{target} \\$1")
                p.connect(ui, 0, m, 0)
                for nn in self.nn_boxes:
                    p.connect(m, 0, nn, 0)
            elif kind == "attribute" and self.model.attributes[target].types[0] == "bool":
                select = self.obj("sel 0", 2, 2)
                false, true = self.msg(f"set {target} false"), self.msg(f"set {target} true")
                p.connect(ui, 0, select, 0)
                p.connect(select, 0, false, 0)
                p.connect(select, 1, true, 0)
                p.connect(false, 0, main, 0)
                p.connect(true, 0, main, 0)
            elif kind == "attribute":
                m = self.msg(f"set {target} \\$1")
                p.connect(ui, 0, m, 0)
                p.connect(m, 0, main, 0)
            elif kind == "gain" and (in_gain is not None or target == "output"):
                plus, rms = self.obj("+ 100", 2, 1), self.obj("dbtorms", 1, 1)
                p.connect(ui, 0, plus, 0)
                p.connect(plus, 0, rms, 0)
                p.connect(rms, 0, in_gain if target == "input" else out_gain, 1)
            elif kind == "mix" and dry is not None:
                scale, negate, one = self.obj("/ 100", 2, 1), self.obj("* -1", 2, 1), self.obj("+ 1", 2, 1)
                p.connect(ui, 0, scale, 0)
                p.connect(scale, 0, wet, 1)
                p.connect(scale, 0, negate, 0)
                p.connect(negate, 0, one, 0)
                p.connect(one, 0, dry, 1)
            elif kind == "timbre_source":
                self._source_switch(ui, gates)

    def _source_switch(self, ui: Box, gates: Dict[str, List[Box]]) -> None:
        p, sources = self.patch, self.spec.timbre_sources
        select = self.obj("sel " + " ".join(str(i) for i in range(len(sources))), 1, len(sources) + 1)
        unpack = self.obj("unpack " + " ".join("f" for _ in sources), 1, len(sources))
        p.connect(ui, 0, select, 0)
        for k in range(len(sources)):
            m = self.msg(" ".join("1" if j == k else "0" for j in range(len(sources))))
            p.connect(select, k, m, 0)
            p.connect(m, 0, unpack, 0)
        for k, source in enumerate(sources):
            for gate in gates[source]:
                p.connect(unpack, k, gate, 1)
            if source in self.spigots:
                p.connect(unpack, k, self.spigots[source], 1)
                # Entering a synced mode, its sliders output what they show (the other mode only `set` them).
                for key in self.spec.timbre_keys if source == "Dials" else ("map_x", "map_y"):
                    p.connect(select, k, self.ui[key], 0)

    def _presets(self) -> None:
        """One message box per preset (numbers only) with its cleaned name as a comment; a preset sends its
        values through `unpack` to the sliders, which move and output them. `<stem>-preset N` recalls the
        N-th preset (1-based) from anywhere."""
        p = self.patch
        groups: Dict[Tuple[str, ...], Box] = {}
        entries = [e for e in self.spec.bank if any(k in e.values for k in self.ui)]
        if not entries:
            return
        remote = self.obj(f"r {self.spec.file_stem}-preset", 0, 1, "presets")
        select = self.obj("sel " + " ".join(str(i + 1) for i in range(len(entries))), 2 if len(entries) == 1 else 1,
                          len(entries) + 1, "presets")
        p.connect(remote, 0, select, 0)
        for index, entry in enumerate(entries):
            keys = tuple(c.key for c, _ in self.spec.controls if c.key in entry.values)
            if keys not in groups:
                unpack = self.obj("unpack " + " ".join("f" for _ in keys), 1, len(keys), "presets")
                for k, key in enumerate(keys):
                    p.connect(unpack, k, self.ui[key], 0)
                groups[keys] = unpack
            x, y = self._pos("presets")
            m = p.add("msg", " ".join(f"{entry.values[k]:g}" for k in keys), 1, 1, None, (x, y))
            p.add("text", pd_symbol(entry.name), 0, 0, None, (x + 160, y))
            p.connect(m, 0, groups[keys], 0)
            p.connect(select, index, m, 0)


def build_pd_patch(spec: DeviceSpec, model_dir_ref: str) -> Patch:
    """The graph of the `.pd` patch; `model_dir_ref` is the model's folder relative to the patch."""
    return _PdBuilder(spec, model_dir_ref).build()
