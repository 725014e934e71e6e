"""Rerun the recipe candidates of docs/RECIPE.md: `python bench/recipe.py WORK [--row TEXT …] [--dry-run]`.

Runs the shared setup, then each chosen row's commands from `bench/recipe_runs.json` (W replaced by WORK): train
with its `--max_time`, export, `after eval`. Rows whose commands are a description rather than commands (they
start with "(") are skipped with a note. Afterwards it writes `WORK/recipe_runs.json`: the same list with each
rerun row pointed at what its commands wrote (`outputs`), so `python bench/recipe_scores.py --spec
WORK/recipe_runs.json` collects the new numbers and `python bench/tables.py` renders them. Every candidate trains
for minutes to tens of minutes on a CPU; `--dry-run` prints what would run.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Sequence

import click
import recipe_scores
from tqdm import tqdm

from after.io import write_json_atomic


def _in_work(text: str, work: Path) -> str:
    return text.replace("W/", f"{work}/")


def runnable(row: Dict[str, Any]) -> bool:
    """A row runs when its commands are commands and it names what they write."""
    return "outputs" in row and not any(command.startswith("(") for command in row["commands"])


def plan(spec: Dict[str, Any], work: Path, chosen: Sequence[str], setup: bool) -> List[List[str]]:
    """The argument lists to run, in order: the setup (unless skipped), then each chosen runnable row's."""
    rows = [row for row in spec["rows"] if not chosen or any(text in row["label"] for text in chosen)]
    if chosen and not rows:
        raise click.BadParameter(f"no row's label contains {', '.join(map(repr, chosen))}", param_hint="--row")
    commands = [shlex.split(_in_work(c, work)) for c in spec.get("setup", [])] if setup else []
    for row in rows:
        if runnable(row):
            commands += [shlex.split(_in_work(c, work)) for c in row["commands"]]
    return commands


def rerun_spec(spec: Dict[str, Any], work: Path, chosen: Sequence[str]) -> Dict[str, Any]:
    """The candidate list with each rerun row's `eval` and `run` pointed at its outputs under `work`."""
    rows = []
    for row in spec["rows"]:
        if runnable(row) and (not chosen or any(text in row["label"] for text in chosen)):
            row = {key: value for key, value in row.items() if key not in ("recorded", "steps_recorded")}
            row["eval"], row["run"] = (_in_work(row["outputs"][key], work) for key in ("eval", "run"))
        rows.append(row)
    return {**spec, "rows": rows}


@click.command()
@click.argument("work", type=click.Path(path_type=Path, file_okay=False))
@click.option("--row", "rows", multiple=True, help="run only the rows whose label contains TEXT (repeatable)")
@click.option("--spec", type=click.Path(path_type=Path, dir_okay=False), default=recipe_scores.SPEC,
              show_default=True, help="the candidate list")
@click.option("--skip-setup", is_flag=True, help="WORK already holds the benchmark, the recipe codec and its data")
@click.option("--dry-run", is_flag=True, help="print the commands and the rows skipped; run nothing")
def main(work: Path, rows: Sequence[str], spec: Path, skip_setup: bool, dry_run: bool) -> None:
    """Train, export and judge the recipe candidates in WORK."""
    candidates = recipe_scores.load_spec(spec)
    work = work.resolve()
    commands = plan(candidates, work, rows, not skip_setup)
    for row in candidates["rows"]:
        if not runnable(row) and (not rows or any(text in row["label"] for text in rows)):
            click.echo(f"skipped (not runnable: {row['commands'][0]}): {row['label']}")
    if dry_run:
        for args in commands:
            click.echo(shlex.join(args))
        return
    work.mkdir(parents=True, exist_ok=True)
    for args in tqdm(commands, desc="recipe candidates", unit="command"):
        tqdm.write(f"$ {shlex.join(args)}")
        done = subprocess.run(args)
        if done.returncode != 0:
            raise click.ClickException(f"`{shlex.join(args)}` exited {done.returncode}; fix it, then rerun the "
                                       f"remaining rows with --row … --skip-setup")
    out = work / "recipe_runs.json"
    write_json_atomic(out, rerun_spec(candidates, work, rows))
    click.echo(f"wrote {out}; collect it with `python bench/recipe_scores.py --spec {out}` and render with "
               f"`python bench/tables.py`")


if __name__ == "__main__":
    main()
