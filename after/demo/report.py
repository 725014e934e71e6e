"""The demo's closing summary: where everything is, whether the transfer check passed, what to do next."""

from __future__ import annotations

import json
from pathlib import Path

import click

from after.demo.state import DemoState


def print_report(state: DemoState) -> None:
    """Print the outputs of a finished demo (every stage done) and the next steps."""
    out = state.out_dir
    seconds = sum(record["seconds"] for record in state.stages.values())
    check = json.loads(state.output("check", "check").read_text(encoding="utf-8"))
    verdict = "passed" if check["passed"] else "FAILED"
    codec = check["codec"]
    devices = sorted(str(Path(path).relative_to("exports")) for path in state.stages["build_devices"]["outputs"].values())
    lines = [
        "",
        f"Demo finished in {seconds / 60:.1f} min of stage time. Everything is in {out}/:",
        f"  codec exports      {state.output('export_codec', 'offline').relative_to(out)}, "
        f"{state.output('export_codec', 'stream').relative_to(out)}",
        f"  AFTER exports      {state.output('export_audio', 'model').relative_to(out)} (audio→audio)",
        f"                     {state.output('export_midi', 'model').relative_to(out)} (MIDI→audio)",
        "  devices, patches   exports/: " + ", ".join(devices),
        f"  timbre transfer    {state.output('render', 'transfer').relative_to(out)}  (structure: "
        f"{state.output('render', 'structure').relative_to(out)}, timbre: {state.output('render', 'timbre').relative_to(out)})",
        f"  MIDI to audio      {state.output('render', 'midi_to_audio').relative_to(out)}",
        f"  timbre map         {state.output('render', 'map').relative_to(out)}",
        f"  transfer check     {verdict}: RMS {check['rms']:.3f}, timbre distance to target "
        f"{check['distance_to_target']:.3f} vs to source {check['distance_to_source']:.3f}",
        f"  codec              latent std median {codec['latent_std_median']:.2f} (min {codec['latent_std_min']:.2f}), "
        f"MR-STFT {codec['mrstft']:.2f}, spectral convergence {codec['spectral_convergence']:.2f}, timbre from "
        f"latents {codec['timbre_accuracy']:.0%} (chance {codec['chance']:.0%})",
        "",
        "Next:",
        f"  listen to {out}/renders/*.wav and look at the timbre map;",
        f"  Live: drag {out}/exports/after.audio.demo.amxd onto an audio track, after.midi.demo.amxd onto a MIDI "
        f"track (the .ts files are beside them; see the *_README.md files for controls and latency);",
        f"  Max: open the .maxpat files; Pd (with nn~ installed): open {out}/exports/after.audio.demo.pd;",
        f"  your own sounds: the commands above (printed after `$`) with your folders, see README.md.",
    ]
    click.echo("\n".join(lines))
