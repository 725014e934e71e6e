"""The reference figures of `after eval` on the default General MIDI benchmark: `python bench/eval_reference.py WORK`.

Renders the default benchmark into WORK (reused when already there), then scores models whose answers are
known: the block-DCT test codec keeping every coefficient (a perfect codec: its note F1 is the judges'
ceiling), the same keeping a quarter of them (a low-pass codec), and tiny AFTER exports at random
initialisation (no learnt timbre or structure: near-zero note F1, the instrument judge at about chance).
Writes `bench/EVAL_REFERENCE.json`; `bench/tables.py` renders it into docs/EVAL.md ("Reference figures").
"""

from __future__ import annotations

import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

import click
import tables
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root: tests.helpers

from after.evaluation.evaluate import EvalReport, EvalSettings, evaluate  # noqa: E402
from after.evaluation.gm_benchmark import render_benchmark  # noqa: E402
from after.io import write_json_atomic, write_text_atomic  # noqa: E402
from tests.helpers.export_models import make_export  # noqa: E402
from tests.helpers.fake_models import make_dct_codec  # noqa: E402

SAMPLE_RATE = 16000  # the benchmark's default rate


def _timings(report: EvalReport) -> Dict[str, float]:
    return {key: round(value, 1) for key, value in report.timings.items()}


def _row(name: str, report: EvalReport, keys: List[str]) -> Dict[str, Any]:
    return {"model": name, "items": len(report.items),
            "summary": {key: round(float(report.summary[key]), 3) for key in keys if key in report.summary},
            "seconds": _timings(report)}


def _per_label_ceiling(report: EvalReport) -> Dict[str, float]:
    """Mean `note_f1_input` of the melody clips of each instrument (the ceiling per instrument)."""
    by_label: Dict[str, List[float]] = {}
    for item in report.items:
        if not item.get("polyphonic"):
            by_label.setdefault(str(item["label"]), []).append(float(item["note_f1_input"]))
    return {label: round(statistics.mean(values), 2) for label, values in sorted(by_label.items())}


@click.command()
@click.argument("work", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=tables.EVAL_REFERENCE,
              show_default=True)
def main(work: Path, out: Path) -> None:
    """Render the default GM benchmark in WORK and score the reference models on its held-out clips."""
    torch.set_num_threads(1)
    info = render_benchmark(work / "gm", sample_rate=SAMPLE_RATE, progress=False)
    heldout, train = info.root / "heldout", info.root / "train"
    settings = EvalSettings(progress=False)
    codec_keys = ["note_f1", "note_f1_input", "note_f1_monophonic", "note_f1_polyphonic", "mrstft", "si_sdr",
                  "instrument_accuracy", "judge_accuracy"]
    transfer_keys = ["note_f1", "note_f1_input", "target_accuracy", "source_accuracy", "judge_accuracy"]
    perfect = evaluate(make_dct_codec(work / "perfect.ts", latent_size=256, sample_rate=SAMPLE_RATE), heldout,
                       work / "perfect_eval", train, settings)
    lowpass = evaluate(make_dct_codec(work / "lowpass.ts", latent_size=64, sample_rate=SAMPLE_RATE), heldout,
                       work / "lowpass_eval", train, settings)
    rows = [_row("block-DCT codec keeping all 256 coefficients (a perfect codec)", perfect, codec_keys),
            _row("block-DCT codec keeping 64 of 256 coefficients (low-pass 4 kHz)", lowpass, codec_keys)]
    for kind, monophonic in (("audio", False), ("midi", True)):
        export = make_export(work / f"after_{kind}", kind, sample_rate=SAMPLE_RATE)
        report = evaluate(export.path, heldout, work / f"after_{kind}_eval", train,
                          EvalSettings(progress=False, monophonic_only=monophonic))
        label = f"{kind} AFTER export, tiny random networks, 10 steps" + (", `--monophonic`" if monophonic else "")
        rows.append(_row(label, report, transfer_keys))
    results = {"about": {"command": "python bench/eval_reference.py WORK",
                         "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                         "machine": tables.machine()},
               "benchmark": {"clips": len(info.clips), "heldout": sum(c.split == "heldout" for c in info.clips),
                             "audio_minutes": round(sum(clip.seconds for clip in info.clips) / 60, 1),
                             "render_seconds": round(info.render_seconds, 1), "reused": info.reused},
               "ceiling_per_instrument": _per_label_ceiling(perfect),
               "rows": rows}
    write_json_atomic(out, results)
    click.echo(f"wrote {out}")
    if out.resolve() == tables.EVAL_REFERENCE:
        tables.main([], write_text_atomic)


if __name__ == "__main__":
    main()
