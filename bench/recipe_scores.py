"""The recipe candidates' scores, collected for docs/RECIPE.md: `python bench/recipe_scores.py [--out
bench/RECIPE.json]`, or `--commands` to print how to rerun every candidate (nothing is run).

`bench/recipe_runs.json` lists the candidates: each row's label, the commands that train, export and judge it,
the `after eval` report (`eval.json`) that backs its numbers and, optionally, the run folder whose
`checkpoints/last.ckpt` gives its training steps (an error when it is gone). This script reads those files (no
training, no judging) and writes `bench/RECIPE.json`; `bench/tables.py` renders it into docs/RECIPE.md. A row
whose report is gone keeps the numbers recorded in the list under `recorded`, and the doc marks it as measured
once, not regenerated.
Rerunning a candidate is hours on a CPU: run the printed commands, point the row's `eval` at the new report,
and collect again.
"""

from __future__ import annotations

import json
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import click
from demo_scores import kept_summary, last_step

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "bench" / "recipe_runs.json"
OUT = ROOT / "bench" / "RECIPE.json"
KINDS = {"codec": ("codec",), "after": ("audio", "midi")}  # table → the eval.json kinds it may hold


def _load(path: Path, what: str) -> Dict[str, Any]:
    if not path.is_file():
        raise click.ClickException(f"{path}: no {what}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path}: not JSON ({exc}); fix or regenerate it") from None


def load_spec(path: Path) -> Dict[str, Any]:
    """The candidate list, checked: every row names a known table, commands, and `eval` or `recorded`."""
    spec = _load(path, "candidate list")
    for i, row in enumerate(spec.get("rows", [])):
        where = f"{path}: row {i + 1} ({row.get('label', 'no label')})"
        if row.get("table") not in KINDS:
            raise click.ClickException(f"{where}: table must be one of {', '.join(KINDS)}")
        if ("eval" in row) == ("recorded" in row):
            raise click.ClickException(f"{where}: give exactly one of `eval` (a report) and `recorded` (numbers)")
        if not row.get("commands"):
            raise click.ClickException(f"{where}: no commands; say how the row was measured")
    return spec


def _steps(run: Optional[str]) -> Optional[int]:
    if run is None:
        return None
    if not (Path(run) / "checkpoints" / "last.ckpt").is_file():
        raise click.ClickException(f"{run}: no checkpoints/last.ckpt to read the row's steps from; drop `run` from "
                                   f"its row in the candidate list, or give `steps_recorded`")
    return last_step(Path(run))


def collect_row(row: Dict[str, Any]) -> Dict[str, Any]:
    """One row of bench/RECIPE.json: the report's summary (or the recorded numbers) and the steps."""
    out: Dict[str, Any] = {key: row[key] for key in ("table", "label", "commands")}
    out["recipe"] = bool(row.get("recipe"))
    if "recorded" in row:
        return {**out, "source": "recorded", "recorded": row["recorded"], "steps": None}
    report = _load(Path(row["eval"]), f"`after eval` report for '{row['label']}'")
    if report.get("kind") not in KINDS[row["table"]]:
        raise click.ClickException(f"{row['eval']}: judged a {report.get('kind')} model ({report.get('model')}), "
                                   f"but the row is in the {row['table']} table; point it at the right eval.json")
    steps, steps_from = _steps(row.get("run")), "run"
    if steps is None and row.get("steps_recorded") is not None:
        steps, steps_from = int(row["steps_recorded"]), "recorded"
    return {**out, "source": "eval", "eval": row["eval"], "model": report["model"], "data": report["data"],
            "kind": report["kind"], "items": len(report["items"]),
            "summary": kept_summary(report),
            "steps": steps, "steps_from": steps_from if steps is not None else None}


def command_listing(spec: Dict[str, Any]) -> str:
    """Every candidate's commands, after the shared setup: what `--commands` prints."""
    lines = ["# setup (W: a work folder)", *spec.get("setup", [])]
    for row in spec["rows"]:
        lines += ["", f"# {row['table']}: {row['label']}", *row["commands"]]
    return "\n".join(lines) + "\n"


@click.command()
@click.option("--spec", type=click.Path(path_type=Path, dir_okay=False), default=SPEC, show_default=True,
              help="the candidate list")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=OUT, show_default=True,
              help="the JSON to write")
@click.option("--commands", is_flag=True, help="print how to rerun every candidate and exit (runs nothing)")
def main(spec: Path, out: Path, commands: bool) -> None:
    """Collect the recipe candidates' `after eval` reports into one JSON for docs/RECIPE.md."""
    candidates = load_spec(spec)
    if commands:
        click.echo(command_listing(candidates), nl=False)
        return
    rows: List[Dict[str, Any]] = [collect_row(row) for row in candidates["rows"]]
    from after.io import write_json_atomic

    argv = ["python", "bench/recipe_scores.py", *sys.argv[1:]]
    spec_name = str(spec.resolve().relative_to(ROOT)) if spec.resolve().is_relative_to(ROOT) else str(spec)
    about = {"command": shlex.join(argv), "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
             "spec": spec_name, "setup": candidates.get("setup", [])}
    write_json_atomic(out, {"about": about, "rows": rows})
    backed = sum(row["source"] == "eval" for row in rows)
    click.echo(f"wrote {out}: {backed} of {len(rows)} rows backed by an eval.json; render with "
               f"`python bench/tables.py`")


if __name__ == "__main__":
    main()
