"""The generated patches play in real headless Pd without a MIDI keyboard or an audio interface: notes from
`<name>-note pitch velocity`, the demo phrase and the on-screen keyboard reach the model's voices through the
same `poly` as MIDI input, and an audio patch sounds from its test tone as soon as DSP is on.

The nn~ external is absent here, so an `nn~.pd` abstraction takes its place: for the instrument it is a small
synthesiser that reads its inlets the way the MIDI method does (voice k = inlets 2k, 2k+1 as pitch and
velocity), for an effect it passes its first inlet through. The patch's own `<name>-level` send (output RMS in
dB, 100 = full scale, after the output gain) is what the tests listen to.
"""

import math
import re
import shutil
from pathlib import Path
from typing import List

import pytest
import torch

from after.device.build import build_device
from after.device.inspect import read_patch
from after.device.pd_check import open_in_pd
from tests.helpers.device_fake_models import make_audio_model, make_midi_model, make_reference_midi_model

pytestmark = pytest.mark.pd
needs_pd = pytest.mark.skipif(shutil.which("pd") is None, reason="Pure Data (pd) not installed: apt-get install "
                                                                 "puredata-core to run the patches")
SOUNDING_DB = 60.0  # env~ dB: 100 = RMS 1; the stand-in's voice at velocity 100 is about 88 dB


def synth_stand_in(folder: Path, inlets: int, outlets: int, voices: int) -> Path:
    """`nn~.pd`: `voices` (pitch, velocity) inlet pairs → sum of sines at mtof(pitch) × velocity / 127 on
    outlet 0 (the rest of the inlets and outlets exist for the wiring only); messages are printed as `nn~: ...`.
    With `voices` 0 it passes inlet 0 through to outlet 0 (an effect)."""
    folder.mkdir()
    lines = ["#N canvas 0 50 450 300 12;", "#X obj 10 200 print nn~;"]
    lines += [f"#X obj {10 + 50 * i} 10 inlet~;" for i in range(inlets)]  # boxes 1 .. inlets
    lines += [f"#X obj {10 + 50 * i} 300 outlet~;" for i in range(outlets)]  # boxes inlets+1 ..
    first_out = 1 + inlets
    connects = ["#X connect 1 1 0 0;"]
    if voices == 0:
        connects.append(f"#X connect 1 0 {first_out} 0;")
    next_box = first_out + outlets
    for v in range(voices):
        pitch, velocity = 1 + 2 * v, 2 + 2 * v
        lines += ["#X obj 10 100 mtof~;", "#X obj 10 130 osc~;", "#X obj 60 100 *~ 0.00787;", "#X obj 10 160 *~;"]
        mtof, osc, scale, product = next_box, next_box + 1, next_box + 2, next_box + 3
        connects += [f"#X connect {pitch} 0 {mtof} 0;", f"#X connect {mtof} 0 {osc} 0;",
                     f"#X connect {velocity} 0 {scale} 0;", f"#X connect {osc} 0 {product} 0;",
                     f"#X connect {scale} 0 {product} 1;", f"#X connect {product} 0 {first_out} 0;"]
        next_box += 4
    (folder / "nn~.pd").write_text("\n".join(lines + connects) + "\n")
    return folder


def levels(output: str, stem: str) -> List[float]:
    values = [line.split(":", 1)[1].strip() for line in output.splitlines() if line.startswith(f"{stem}-level:")]
    return [float(v) for v in values]


def play(patch: Path, stand_in: Path, stem: str, messages: List[str], ms: float = 600):
    report = open_in_pd(patch, search_paths=[stand_in], messages=messages, dsp_ms=ms, listen=[f"{stem}-level"])
    assert report.errors == [], report.output
    assert not report.quit_early, report.output
    values = levels(report.output, stem)
    assert len(values) > 10 and all(math.isfinite(v) for v in values), report.output[-2000:]
    return values, report


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    torch.set_num_threads(1)
    return tmp_path_factory.mktemp("play")


@needs_pd
@pytest.mark.parametrize("make,stem", [(make_midi_model, "keys"), (make_reference_midi_model, "after.midi.base")])
def test_instrument_plays_from_note_messages_and_its_demo_phrase(folder, make, stem):
    model = make(folder / f"{stem}.ts")
    result = build_device(model, folder / f"{stem}_device", formats=("pd",))
    spec = result.spec
    n, zt = spec.model.n_poly, spec.model.zt
    main = spec.model.main
    stand_in = synth_stand_in(folder / f"stand_in_{stem}", max(main.in_channels, 2), max(zt, 2) + 1, n)
    patch = folder / f"{stem}_device" / f"{stem}.pd"

    silent, _ = play(patch, stand_in, stem, [])
    assert max(silent) < 1.0  # no note, no sound: the output comes from the voices
    note, report = play(patch, stand_in, stem, [f"{stem}-note 60 100"])
    assert max(note) > SOUNDING_DB
    assert "nn~: enable 1" in report.output  # the On toggle's load-time value reached the model
    held_then_released, _ = play(patch, stand_in, stem, [f"{stem}-note 60 100", f"{stem}-note 60 0"])
    assert max(held_then_released) < 1.0  # note-off frees the voice (velocity 0 into its sig~)
    demo, _ = play(patch, stand_in, stem, [f"{stem}-demo 1"], ms=1200)
    assert max(demo) > SOUNDING_DB
    loud = [v > SOUNDING_DB for v in demo]
    assert loud.count(True) > len(loud) // 2  # the phrase keeps playing, one note per step


@needs_pd
def test_instrument_keyboard_keys_are_wired_to_the_voices(folder):
    """Every key of the on-screen keyboard reaches `poly` (the voice allocation MIDI input goes through), so
    the keys, the note receive and the demo phrase all share the model's voices."""
    model = make_midi_model(folder / "kb.ts", "kb")
    result = build_device(model, folder / "kb_device", formats=("pd",))
    keyboard = result.spec.keyboard
    summary = read_patch(folder / "kb_device" / "kb.pd")
    boxes = {b.id: b for b in summary.boxes}
    edges = {}
    for c in summary.connections:
        edges.setdefault(c.source, []).append(c.destination)

    def reaches(start: str, prefix: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            box = todo.pop()
            if box in seen:
                continue
            seen.add(box)
            if boxes[box].text.startswith(prefix) and box != start:
                return True
            todo += edges.get(box, [])
        return False

    keys = [b for b in summary.boxes if b.text.startswith("tgl ") and b.text.split()[5] == "empty"
            and b.text.split()[-1] == str(keyboard.velocity)]
    assert len(keys) == keyboard.keys == 25
    messages = sorted(int(boxes[d].text.split()[0]) for k in keys for d in edges[k.id])
    assert messages == list(range(keyboard.low, keyboard.low + keyboard.keys))
    poly = next(b for b in summary.boxes if b.text.startswith("poly "))
    notein = next(b for b in summary.boxes if b.text == "notein")
    assert all(reaches(k.id, "poly ") for k in keys) and reaches(notein.id, "poly ")
    receive = next(b for b in summary.boxes if b.text == "r kb-note")
    assert reaches(receive.id, "poly ")
    assert [p.long_name for p in summary.parameters if p.long_name.startswith("C")] == []  # keys are no controls
    assert poly.text == f"poly {result.spec.model.n_poly} 1"


@needs_pd
def test_audio_patch_sounds_from_its_test_tone_at_once(folder):
    model = make_audio_model(folder / "fx.ts", "fx")
    result = build_device(model, folder / "fx_device", formats=("pd",))
    main = result.spec.model.main
    stand_in = synth_stand_in(folder / "stand_in_fx", main.in_channels, result.spec.model.zt + 1, 0)
    patch = folder / "fx_device" / "fx.pd"
    tone, _ = play(patch, stand_in, "fx", [])
    assert max(tone) > SOUNDING_DB  # 0.25 × sine through the model's stand-in at 0 dB gain: about 85 dB
    off, _ = play(patch, stand_in, "fx", ["fx-test_tone 0"])
    assert max(off) < 1.0
    assert re.search(r"^#X obj \d+ \d+ readsf~", patch.read_text(), re.M)  # the file player stays


@pytest.mark.parametrize("suffix", [".amxd", ".maxpat"])
def test_max_instrument_has_a_keyboard_a_note_receive_and_a_demo_toggle(folder, suffix):
    """Max: a polyphonic `kslider` into `poly` beside `notein`, `r <name>-note` and the demo toggle into the same
    `poly`; a plain Max effect patch gets a test tone (on at load) into its input, the Live device does not."""
    model = make_midi_model(folder / f"mx{suffix[1:]}.ts", f"mx{suffix[1:]}")
    result = build_device(model, folder / f"mx_{suffix[1:]}", formats=(suffix[1:],))
    summary = read_patch(next(p for p in result.files if p.suffix == suffix))
    boxes = {b.id: b for b in summary.boxes}
    into = {}
    for c in summary.connections:
        into.setdefault(c.destination, []).append((boxes[c.source], c.outlet, c.inlet))
    poly = next(b for b in summary.boxes if b.text.startswith("poly "))
    feeding = {(b.cls, b.text.split(" ")[0], outlet, inlet) for b, outlet, inlet in into[poly.id]}
    assert {("kslider", "", 0, 0), ("kslider", "", 1, 1), ("newobj", "notein", 0, 0), ("newobj", "notein", 1, 1),
            ("newobj", "unpack", 0, 0), ("newobj", "unpack", 1, 1)} <= feeding
    notes = next(b for b, _, _ in into[poly.id] if b.text.startswith("unpack"))
    sources = {b.text for b, _, _ in into[notes.id]}
    assert f"r mx{suffix[1:]}-note" in sources and {"$1 0", "$1 100"} <= sources  # receive + demo phrase
    assert any(b.cls == "toggle" for b in summary.boxes)
    phrase = result.spec.keyboard.phrase  # stepped as in Pd: `sel 0 .. n-1`, one message per note
    step = next(b for b in summary.boxes if b.text == "sel " + " ".join(str(i) for i in range(len(phrase))))
    assert [int(boxes[c.destination].text) for c in sorted(
        (c for c in summary.connections if c.source == step.id), key=lambda c: c.outlet)] == list(phrase)

    effect = build_device(make_audio_model(folder / f"fx{suffix[1:]}.ts", "fxm"), folder / f"fx_{suffix[1:]}",
                          formats=(suffix[1:],))
    texts = [b.text for b in read_patch(next(p for p in effect.files if p.suffix == suffix)).boxes]
    assert ("cycle~ 220" in texts) == (suffix == ".maxpat")
