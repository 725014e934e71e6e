"""What `after demo` runs measured, collected for the README: `python bench/demo_scores.py DEMO_DIR … --out
bench/DEMO_RUNS.json`.

Reads each finished demo folder (nothing is retrained or re-judged): the options it ran with (`state.json`), the
training steps its runs reached (`checkpoints/last.ckpt`), the `after eval` reports of its check stage
(`renders/eval/{codec,audio,midi}/eval.json`) and any other `after eval` report inside the folder that judged
the folder's own models (e.g. `after eval --model D/exports/after.audio.demo.ts --data D/audio/heldout --out
D/eval_full_audio` on every held-out pair). Pass or fail is decided now, by `after.demo.check` (its `BARS`), so
the table follows the bars in the code rather than what the folder's `check.json` said when it was written.
`bench/tables.py` renders the JSON into the README's "Status" section.

`--feature DIR=ITEM_ID` records one item of the folder's check reports (its labels, note F1, the judge's verdict
and its picture's path and SHA-256): the README's demo picture is that item's picture, and its caption is
rendered from this record.

`--note` records what the numbers alone do not say (e.g. another CPU-bound job ran beside the demo); it is
written by whoever ran the demo, per folder (`--note DIR=TEXT`) or for every folder (`--note TEXT`).
"""

from __future__ import annotations

import hashlib
import json
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import click
import tables

from after.demo.check import BARS, RELATIVE_KEYS, check_demo
from after.io import write_json_atomic

REPORTS = ("codec", "audio", "midi")
KEPT = ("note_f1", "note_f1_input", "instrument_accuracy", "target_accuracy", "source_accuracy", "judge_accuracy")


def _read_json(path: Path, what: str) -> Dict[str, Any]:
    if not path.is_file():
        raise click.ClickException(f"{path}: no {what}; is this a finished `after demo --out` folder?")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path}: not JSON ({exc}); rerun the demo stage that writes it") from None


def last_step(run_dir: Path) -> Optional[int]:
    """The training step of a run folder's `checkpoints/last.ckpt` (None when the run has none)."""
    path = run_dir / "checkpoints" / "last.ckpt"
    if not path.is_file():
        return None
    import torch  # only when there is a checkpoint: listing commands (recipe_scores.py) needs no torch

    checkpoint = torch.load(path, map_location="cpu", weights_only=False, mmap=True)
    return int(checkpoint["global_step"])


def eval_command(report: Dict[str, Any], out: Path, folder: Path) -> str:
    """The `after eval` command line that wrote `report` (from the settings it records), the demo folder
    written as `D`."""
    settings = report["settings"]

    def inside(path: str) -> str:
        return "D/" + str(Path(path).relative_to(folder)) if Path(path).is_relative_to(folder) else path

    args = ["after", "eval", "--model", inside(report["model"]), "--data", inside(report["data"]), "--out",
            inside(str(out))]
    if settings.get("monophonic_only"):
        args.append("--monophonic")
    for key in ("seed", "pairs", "steps", "guidance_timbre", "guidance_structure"):
        if settings.get(key) is not None:
            args += [f"--{key}", f"{settings[key]:g}" if isinstance(settings[key], float) else str(settings[key])]
    return shlex.join(args)


def kept_summary(report: Dict[str, Any]) -> Dict[str, float]:
    """The `KEPT` figures of an `after eval` report's summary, rounded for the tables."""
    return {key: round(float(report["summary"][key]), 3) for key in KEPT if key in report["summary"]}


def _extra_evals(folder: Path, evals_dir: Path) -> List[Dict[str, Any]]:
    """`after eval` reports in `folder`, outside the check stage's, that judged one of the folder's models."""
    out = []
    for path in sorted(folder.rglob("eval.json")):
        if evals_dir in path.parents:
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        if not str(report.get("model", "")).startswith(str(folder) + "/"):
            continue
        out.append({"kind": report["kind"], "file": str(path.relative_to(folder)), "items": len(report["items"]),
                    "summary": kept_summary(report), "command": eval_command(report, path.parent, folder)})
    return out


FEATURED_KEYS = ("id", "source", "source_label", "target_label", "predicted", "target_hit")


def featured_item(folder: Path, evals_dir: Path, reports: Dict[str, Dict[str, Any]], item_id: str) -> Dict[str, Any]:
    """The record of check-report item `item_id` (`--feature`): what the README caption of its picture says."""
    for name in ("audio", "midi", "codec"):
        for item in reports[name]["items"]:
            if item.get("id") != item_id:
                continue
            picture = evals_dir / name / item["png"]
            if not picture.is_file():
                raise click.ClickException(f"{picture}: item {item_id}'s picture is missing; rerun the demo's "
                                           f"check stage (`after demo --out {folder}`)")
            return {"report": name, **{key: item[key] for key in FEATURED_KEYS if key in item},
                    "note_f1": round(float(item["note_f1"]), 3), "png": str(picture.relative_to(folder)),
                    "png_sha256": hashlib.sha256(picture.read_bytes()).hexdigest()}
    raise click.ClickException(f"{folder}: no item {item_id} in its check reports ({evals_dir}/*/eval.json); "
                               f"give the id of one of their items")


def collect(folder: Path, note: str, features: Sequence[str] = ()) -> Dict[str, Any]:
    """One demo folder's record (see the module docstring)."""
    folder = folder.resolve()
    state = _read_json(folder / "state.json", "state.json")
    stages = state.get("stages", {})
    if "check" not in stages:
        raise click.ClickException(f"{folder}: the demo has not reached its check stage; finish it with "
                                   f"`after demo --out {folder}` first")
    evals_dir = folder / stages["check"]["outputs"]["evals"]
    paths = {name: evals_dir / name / "eval.json" for name in REPORTS}
    reports = {name: _read_json(path, f"{name} eval.json") for name, path in paths.items()}
    check = check_demo(paths)
    runs = {"codec": folder / stages["train_codec"]["outputs"]["run"],
            **{name: folder / stages["train_after"]["outputs"][name] for name in ("audio", "midi")}}
    gm = (folder / stages["sounds"]["outputs"]["audio"] / "benchmark.json").is_file()
    return {
        "folder": str(folder),
        "seed": state["options"]["seed"],
        "minutes": state["options"]["minutes"],
        "sounds": "General MIDI (FluidSynth)" if gm else "synthesized timbres (no FluidSynth)",
        "steps": {name: last_step(run) for name, run in runs.items()},
        "pairs": {name: len(report["items"]) for name, report in reports.items()},
        "summaries": {name: kept_summary(report) for name, report in reports.items()},
        "passed": check.passed,
        "failures": check.failures(),
        "criteria": [{"report": c.report, "key": c.key, "bar": round(c.bar, 3), "value": round(c.value, 3),
                      "passed": c.passed} for c in check.criteria],
        "other_evals": _extra_evals(folder, evals_dir),
        "featured": [featured_item(folder, evals_dir, reports, item_id) for item_id in features],
        "note": note,
    }


def _features(features: Sequence[str], folders: Sequence[Path]) -> Dict[Path, List[str]]:
    """`--feature DIR=ITEM_ID` → the featured item ids of each folder."""
    out: Dict[Path, List[str]] = {folder.resolve(): [] for folder in folders}
    for feature in features:
        target, sep, item_id = feature.partition("=")
        if not sep or not item_id or Path(target).resolve() not in out:
            raise click.BadParameter(f"{feature}: give DIR=ITEM_ID with DIR one of the demo folders given",
                                     param_hint="--feature")
        out[Path(target).resolve()].append(item_id)
    return out


def _notes(notes: Sequence[str], folders: Sequence[Path]) -> Dict[Path, str]:
    """`--note TEXT` (every folder) and `--note DIR=TEXT` (one folder) → the note of each folder."""
    out = {folder.resolve(): "" for folder in folders}
    for note in notes:
        target, sep, text = note.partition("=")
        if sep and Path(target).resolve() in out:
            out[Path(target).resolve()] = text
        elif sep and Path(target).exists():
            raise click.BadParameter(f"{target} is not one of the demo folders given", param_hint="--note")
        else:
            out = {folder: note for folder in out}
    return out


@click.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=Path(tables.DEMO_RUNS),
              show_default=True, help="the JSON to write")
@click.option("--note", "notes", multiple=True, help="TEXT for every folder, or DIR=TEXT for one (e.g. what else "
                                                      "ran on the machine)")
@click.option("--feature", "features", multiple=True, help="DIR=ITEM_ID: record that check-report item of DIR "
                                                           "(the README's demo picture and its caption)")
def main(folders: Sequence[Path], out: Path, notes: Sequence[str], features: Sequence[str]) -> None:
    """Collect what each finished `after demo` folder measured into one JSON."""
    note_of, features_of = _notes(notes, folders), _features(features, folders)
    runs = [collect(folder, note_of[folder.resolve()], features_of[folder.resolve()]) for folder in folders]
    argv = ["python", "bench/demo_scores.py", *sys.argv[1:]]
    write_json_atomic(out, {
        "about": {"command": shlex.join(argv), "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                  "machine": tables.machine(), "bars_from": "after/demo/check.py",
                  "bars": [{"report": r, "key": k, "factor": f, "relative_to": RELATIVE_KEYS.get(k), "meaning": m}
                           for r, k, f, m in BARS]},
        "runs": runs,
    })
    passed = sum(run["passed"] for run in runs)
    click.echo(f"wrote {out}: {passed} of {len(runs)} runs passed; render it with `python bench/tables.py`")


if __name__ == "__main__":
    main()
