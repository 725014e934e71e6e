"""The demo's closing summary: where everything is, what the independent judges measured, what to do next;
and, when a bar is missed, one block that says what failed, the numbers and what to try."""

from __future__ import annotations

import json
from pathlib import Path

import click

from after.demo.state import DemoState


def _number(summary: dict, key: str, fmt: str = "{:.2f}") -> str:
    value = summary.get(key)
    return "n/a" if value is None else fmt.format(value)


def print_report(state: DemoState) -> bool:
    """Print the outputs of a finished demo (every stage done) and the next steps; returns whether the check
    passed (a failure is printed as one block at the end)."""
    out = state.out_dir
    seconds = sum(record["seconds"] for record in state.stages.values())
    check = json.loads(state.output("check", "check").read_text(encoding="utf-8"))
    codec, audio, midi = (check["summaries"].get(name, {}) for name in ("codec", "audio", "midi"))
    devices = sorted(Path(path).name for path in state.stages["build_devices"]["outputs"].values())
    lines = [
        "",
        f"Demo finished in {seconds / 60:.1f} min of stage time. Everything is in {out}/:",
        f"  codec exports      {state.output('export_codec', 'offline').relative_to(out)}, "
        f"{state.output('export_codec', 'stream').relative_to(out)}",
        f"  AFTER exports      {state.output('export_audio', 'model').relative_to(out)} (audio→audio)",
        f"                     {state.output('export_midi', 'model').relative_to(out)} (MIDI→audio)",
        "  devices, patches   exports/: " + ", ".join(devices),
        f"  timbre transfer    {state.output('render', 'transfer').relative_to(out)}  (structure: "
        f"{state.output('render', 'structure').relative_to(out)}, timbre: "
        f"{state.output('render', 'timbre').relative_to(out)})",
        f"  MIDI to audio      {state.output('render', 'midi_to_audio').relative_to(out)}",
        f"  timbre map         {state.output('render', 'map').relative_to(out)}",
        f"  judged by after eval on held-out clips ({state.output('check', 'evals').relative_to(out)}/*/eval.md):",
        f"    codec            note F1 {_number(codec, 'note_f1')} (the inputs: "
        f"{_number(codec, 'note_f1_input')}), instrument kept {_number(codec, 'instrument_accuracy', '{:.0%}')}, "
        f"MR-STFT {_number(codec, 'mrstft')}",
        f"    audio→audio      note F1 {_number(audio, 'note_f1')}, target instrument "
        f"{_number(audio, 'target_accuracy', '{:.0%}')} (source's: {_number(audio, 'source_accuracy', '{:.0%}')})",
        f"    MIDI→audio       note F1 {_number(midi, 'note_f1')}, target instrument "
        f"{_number(midi, 'target_accuracy', '{:.0%}')}",
        f"    the judges       instrument classifier right on {_number(codec, 'judge_accuracy', '{:.0%}')} "
        f"of the real clips",
        "",
        "Next:",
        f"  listen to {out}/renders/*.wav and look at the spectrograms in {out}/renders/eval/*/items/;",
        f"  Live: drag {out}/exports/after.audio.demo.amxd onto an audio track, after.midi.demo.amxd onto a MIDI "
        f"track (the .ts files are beside them; see the *_README.md files for controls and latency);",
        f"  Max: open the .maxpat files; Pd (with nn~ installed): open {out}/exports/after.audio.demo.pd;",
        "  your own sounds: the commands above (printed after `$`) with your folders, see README.md.",
    ]
    click.echo("\n".join(lines))
    if not check["passed"]:
        block = ["", "DEMO CHECK FAILED — the models do not yet sound right on held-out clips:"]
        block += [f"  - {line}" for line in check["failures"]]
        block += [f"  What to try: {check['advice']}.", f"  Numbers: {out}/renders/check.json", ""]
        click.echo("\n".join(block), err=True)
    return bool(check["passed"])
