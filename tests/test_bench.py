"""`after bench`: generic over nn~ models, table and JSON, attribute sweep, one-line errors."""

import json
import subprocess
import sys
from typing import List

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.nn_tilde.module import NNModule, save_nn_model


class StepsModel(NNModule):
    """An nn~ model whose cost grows with its `nb_steps` attribute (like AFTER exports)."""

    def __init__(self) -> None:
        super().__init__()
        self.register_attribute("nb_steps", 1)
        self.register_method("forward", 1, 1, 1, 1)

    @torch.jit.export
    def get_nb_steps(self) -> int:
        return self.nb_steps

    @torch.jit.export
    def set_nb_steps(self, value: int) -> int:
        self.nb_steps = value
        return 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for _ in range(self.nb_steps):
            x = torch.tanh(x * 1.01)
        return x


def run(*args):
    return CliRunner().invoke(after_group, ["bench", *map(str, args)])


def test_bench_codec_json(dct_codec_path):
    result = run(dct_codec_path, "--json", "--buffers", "2048,4096", "--repeats", "3")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {(r["method"], r["buffer"]) for r in report["rows"]} == {
        (m, b) for m in ("encode", "decode", "forward") for b in (2048, 4096)}
    for row in report["rows"]:
        assert row["nb_steps"] is None and 0 < row["min_ms"] <= row["median_ms"] <= row["max_ms"]
        assert row["min_ms"] <= row["mean_ms"] <= row["max_ms"]
        assert abs(row["real_time_factor"] - row["buffer"] / 16000 * 1000 / row["median_ms"]) < 1e-6
    assert report["sample_rate"] == 16000 and report["peak_rss_mb"] > 50 and report["load_s"] > 0
    assert len(report["first_calls_ms"]) == 2 and report["file_size_mb"] > 0
    assert len(report["first_series_ms"]) == 3 + 3 and report["first_series_ms"][:2] == report["first_calls_ms"]


def test_bench_sweeps_nb_steps_and_prints_table(tmp_path):
    path = tmp_path / "steps.ts"
    save_nn_model(StepsModel(), path, {"sample_rate": 48000})
    result = run(path, "--buffers", "2048", "--steps", "1,8", "--repeats", "2")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines() if line.startswith("forward")]
    assert [(line[1], line[2]) for line in lines] == [("2048", "1"), ("2048", "8")]
    assert "48000 Hz" in result.output and "peak RSS" in result.output
    assert "then slowest call" in result.output and "of forward at 2048" in result.output


def test_bench_errors(tmp_path, dct_codec_path):
    result = run(tmp_path / "missing.ts")
    assert result.exit_code == 1 and "file not found" in result.output
    result = run(dct_codec_path, "--methods", "nope")
    assert result.exit_code == 1 and "no nn~ method 'nope'" in result.output
    result = run(dct_codec_path, "--buffers", "3000")
    assert result.exit_code == 2 and "power of two" in result.output


def test_model_is_the_default_subcommand(tmp_path, dct_codec_path):
    """`after bench MODEL.ts [flags]` and `after bench model MODEL.ts [flags]` are one command; flags may come
    first; the group's help lists every benchmark."""
    for args in ([dct_codec_path, "--json", "--methods", "encode", "--buffers", "2048", "--repeats", "1"],
                 ["model", dct_codec_path, "--json", "--methods", "encode", "--buffers", "2048", "--repeats", "1"],
                 ["--methods", "encode", "--json", "--buffers", "2048", "--repeats", "1", dct_codec_path]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert [(r["method"], r["buffer"]) for r in json.loads(result.output)["rows"]] == [("encode", 2048)]
    result = run("--help")
    assert result.exit_code == 0 and all(name in result.output for name in ("model", "diffusion", "compare"))


def test_bench_diffusion_times_every_combination():
    result = run("diffusion", "--config", "base+tiny", "--steps", "1,2", "--guidance", "1,1", "--guidance", "2,3",
                 "--frames", "4", "--rounds", "1")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[1:]]
    expected = [("base+tiny", s, g) for s in ("1", "2") for g in ("1/1", "2/3")]
    assert [(r[0], r[2], r[4].rstrip(":")) for r in rows] == expected
    assert all(float(r[6]) > 0 for r in rows)  # wall ms
    result = run("diffusion", "--guidance", "2")
    assert result.exit_code == 2 and "TIMBRE,STRUCTURE" in result.output
    result = run("diffusion", "--config", "base+tiny", "--frames", "3")
    assert result.exit_code == 1 and "not a multiple of the attention chunk" in result.output


def test_bench_compare_refuses_a_model_without_nb_steps(dct_codec_path):
    result = run("compare", dct_codec_path, dct_codec_path)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "no nn~ `forward` with an `nb_steps` attribute" in result.output


BENCH_FILES = ("README.md", "docs/EXPORT.md", "docs/EVAL.md", "docs/RECIPE.md", "bench/tables.py",
               "bench/RESULTS.json", "bench/RESULTS.md", "bench/FULL_SIZE.json", "bench/EVAL_REFERENCE.json",
               "bench/DEMO_RUNS.json", "bench/RECIPE.json")


def test_documented_numbers_are_rendered_from_the_measurements(tmp_path):
    """Every benchmark number in README.md (Performance and the Status demo table), bench/RESULTS.md,
    docs/EXPORT.md, docs/EVAL.md and docs/RECIPE.md equals what `bench/tables.py` renders from the
    measurements' JSON; a number typed by hand in any of those sections makes `--check` fail."""
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tables = root / "bench" / "tables.py"
    check = subprocess.run([sys.executable, str(tables), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    for name in BENCH_FILES:  # a copy of the repository's docs, edited by hand below
        if not (root / name).exists():  # a JSON its script has not written yet
            continue
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / name, tmp_path / name)
    edits = [("README.md", "| demo audio model `forward`", " ms per ", "1 ms per "),
             ("README.md", "| `after demo --minutes 30", " / ", "1 / "),
             ("README.md", "10-minute `after demo --seed", "note F1 ", "note F1 1"),  # the demo picture's caption
             ("docs/RECIPE.md", "| structure from pitch + periodicity", " | 0.", " | 0.0")]
    for name, prefix, old, new in edits:
        if not (root / name).exists():
            continue
        text = (tmp_path / name).read_text(encoding="utf-8")
        row = next(line for line in text.splitlines() if line.startswith(prefix))
        (tmp_path / name).write_text(text.replace(row, row.replace(old, new, 1)), encoding="utf-8")
        check = subprocess.run([sys.executable, str(tmp_path / "bench" / "tables.py"), "--check"],
                               capture_output=True, text=True)
        assert check.returncode == 1 and name in check.stderr, (prefix, check.stderr)
        subprocess.run([sys.executable, str(tmp_path / "bench" / "tables.py")], check=True, capture_output=True)
        assert (tmp_path / name).read_text(encoding="utf-8") == text


def _eval_report(model: str, kind: str, items: int, **summary: float) -> dict:
    return {"kind": kind, "model": model, "data": "heldout", "settings": {"seed": 0, "monophonic_only": True},
            "summary": {"note_f1_input": 0.8, "judge_accuracy": 1.0, "output_rms": 0.1, **summary},
            "items": [{}] * items}


def _fake_demo(folder, audio_note_f1: float) -> None:
    """A finished demo folder as `after demo` leaves it: state, three check reports, runs with checkpoints,
    and one extra `after eval` report of its audio model."""
    def write(path, data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")

    write(folder / "state.json", {"version": 1, "options": {"minutes": 10.0, "seed": 3}, "stages": {
        "sounds": {"outputs": {"audio": "audio"}}, "train_codec": {"outputs": {"run": "runs/codec"}},
        "train_after": {"outputs": {"audio": "runs/audio/demo", "midi": "runs/midi/demo"}},
        "check": {"outputs": {"check": "renders/check.json", "evals": "renders/eval"}}}})
    audio_model = str(folder / "exports" / "after.audio.demo.ts")
    write(folder / "renders/eval/codec/eval.json",
          _eval_report(str(folder / "runs/codec/export.ts"), "codec", 24, note_f1=0.8, instrument_accuracy=0.75))
    write(folder / "renders/eval/audio/eval.json",
          _eval_report(audio_model, "audio", 12, note_f1=audio_note_f1, target_accuracy=0.6))
    write(folder / "renders/eval/midi/eval.json",
          _eval_report(str(folder / "exports/after.midi.demo.ts"), "midi", 12, note_f1=0.7, target_accuracy=0.9))
    write(folder / "eval_full/eval.json", _eval_report(audio_model, "audio", 24, note_f1=0.77, target_accuracy=0.7))
    write(folder / "elsewhere/eval.json", _eval_report("/other/model.ts", "audio", 24, note_f1=0.1))
    for run, step in (("runs/codec", 900), ("runs/audio/demo", 1500), ("runs/midi/demo", 1600)):
        (folder / run / "checkpoints").mkdir(parents=True)
        torch.save({"global_step": step, "state_dict": {}}, folder / run / "checkpoints" / "last.ckpt")


def _load_tables():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "tables.py"
    spec = importlib.util.spec_from_file_location("bench_tables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_scores_judges_runs_by_the_bars_in_the_code(tmp_path):
    """`bench/demo_scores.py` reads finished demo folders: steps from the runs' checkpoints, scores from the
    check reports, pass/fail from `after.demo.check.BARS` (0.6 × the inputs' 0.8 = 0.48 for audio note F1),
    the folder's other reports of its own models, and the note; the README table shows a failing run's reason."""
    from pathlib import Path

    good, bad = tmp_path / "good", tmp_path / "bad"
    _fake_demo(good, audio_note_f1=0.5)
    _fake_demo(bad, audio_note_f1=0.4)
    audio_report = good / "renders/eval/audio/eval.json"
    report = json.loads(audio_report.read_text())
    report["items"][1] = {"id": "001_oboe-melody_002_to_cello", "source": "oboe/melody_002.wav",
                          "source_label": "oboe", "target_label": "cello", "predicted": "viola", "target_hit": False,
                          "note_f1": 0.8123, "png": "items/001_oboe-melody_002_to_cello.png"}
    audio_report.write_text(json.dumps(report))
    (good / "renders/eval/audio/items").mkdir()
    (good / "renders/eval/audio/items/001_oboe-melody_002_to_cello.png").write_bytes(b"the picture")
    out = tmp_path / "runs.json"
    script = Path(__file__).resolve().parents[1] / "bench" / "demo_scores.py"
    done = subprocess.run([sys.executable, str(script), str(good), str(bad), "--out", str(out), "--note", "idle box",
                           "--note", f"{bad}=a demo beside it", "--feature", f"{good}=001_oboe-melody_002_to_cello"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1 of 2 runs passed" in done.stdout
    runs = json.loads(out.read_text())["runs"]
    assert [r["passed"] for r in runs] == [True, False]
    assert runs[0]["steps"] == {"codec": 900, "audio": 1500, "midi": 1600}
    assert runs[0]["seed"] == 3 and runs[0]["pairs"] == {"codec": 24, "audio": 12, "midi": 12}
    assert [r["note"] for r in runs] == ["idle box", "a demo beside it"]
    assert len(runs[1]["failures"]) == 1 and "audio note_f1 = 0.40, needs ≥ 0.48" in runs[1]["failures"][0]
    (extra,) = runs[0]["other_evals"]  # the report of another model is not the demo's
    assert extra["items"] == 24 and "--model D/exports/after.audio.demo.ts" in extra["command"]
    table = _load_tables().demo_runs_markdown(json.loads(out.read_text()))
    assert "pass rate: 1 of 2" in table and "**no**: audio note_f1 = 0.40" in table
    assert "≥ 0.6 × the inputs' F1 / ≥ 50 %" in table and "| 900 / 1500 / 1600 |" in table

    # The featured item: the README's demo picture must be its picture, and the caption says what it measured.
    (featured,) = runs[0]["featured"]
    assert runs[1]["featured"] == [] and featured["note_f1"] == 0.812 and featured["report"] == "audio"
    assert featured["png"] == "renders/eval/audio/items/001_oboe-melody_002_to_cello.png"
    tables = _load_tables()
    with pytest.raises(SystemExit, match="is not the picture of the featured item 001_oboe-melody_002_to_cello"):
        tables.demo_picture_markdown(json.loads(out.read_text()))  # the repository's picture is another one
    tables.DEMO_PICTURE = good / featured["png"]
    tables.ROOT = good
    caption = " ".join(tables.demo_picture_markdown(json.loads(out.read_text())).split())
    assert caption.startswith("![A held-out oboe melody played with the cello's timbre by the 10-minute demo]"
                              "(renders/eval/audio/items/001_oboe-melody_002_to_cello.png)")
    assert ("`after demo --seed 3` (bottom): note F1 0.81, judged a viola, not the target's cello. Every pair's "
            "picture and WAV is in `after_demo/renders/eval/audio/items/`.*") in caption
    unknown = subprocess.run([sys.executable, str(script), str(good), "--out", str(tmp_path / "x.json"), "--feature",
                              f"{good}=no_such_item"], capture_output=True, text=True)
    assert unknown.returncode == 1 and "no item no_such_item" in unknown.stderr and "Traceback" not in unknown.stderr

    missing = subprocess.run([sys.executable, str(script), str(tmp_path / "nothing"), "--out", str(out)],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "state.json" in missing.stderr and "Traceback" not in missing.stderr


def test_recipe_scores_lists_commands_and_refuses_a_mismatched_report(tmp_path):
    """`bench/recipe_scores.py --commands` prints every candidate's commands without running anything; a row
    whose report judged the wrong kind of model, or that gives both a report and recorded numbers, is a
    one-line error; collected rows carry the report's summary, the run's steps and the recorded rows' mark."""
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "recipe_scores.py"
    (tmp_path / "run" / "checkpoints").mkdir(parents=True)
    torch.save({"global_step": 321}, tmp_path / "run" / "checkpoints" / "last.ckpt")
    report = tmp_path / "eval.json"
    report.write_text(json.dumps(_eval_report("m.ts", "codec", 24, note_f1=0.83, instrument_accuracy=0.79)))
    rows = [{"table": "codec", "label": "ddspAE", "eval": str(report), "run": str(tmp_path / "run"),
             "recipe": True, "commands": ["after train_autoencoder --config ddspAE"]},
            {"table": "codec", "label": "old", "recorded": {"note F1": "0.05"}, "commands": ["after eval --old"]}]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"setup": ["after eval --render-benchmark W/gm"], "rows": rows}))

    def run(*args):
        return subprocess.run([sys.executable, str(script), "--spec", str(spec), *args], capture_output=True,
                              text=True)

    listing = run("--commands")
    assert listing.returncode == 0 and listing.stdout.splitlines()[:2] == [
        "# setup (W: a work folder)", "after eval --render-benchmark W/gm"]
    assert "# codec: old\nafter eval --old" in listing.stdout
    out = tmp_path / "recipe.json"
    assert run("--out", str(out)).returncode == 0
    recipe = json.loads(out.read_text())
    assert recipe["rows"][0]["steps"] == 321 and recipe["rows"][0]["summary"]["note_f1"] == 0.83
    table = _load_tables().recipe_table(recipe, "codec")
    assert "| ddspAE | 321 | **0.83** | **79 %** | 0.80 | 24 |" in table and "| old † | – | 0.05 |" in table

    spec.write_text(json.dumps({"rows": [{**rows[0], "table": "after"}]}))
    wrong = run("--out", str(out))
    assert wrong.returncode == 1 and "judged a codec model" in wrong.stderr and wrong.stderr.count("\n") == 1
    spec.write_text(json.dumps({"rows": [{**rows[0], "recorded": {}}]}))
    both = run("--commands")
    assert both.returncode == 1 and "exactly one of `eval`" in both.stderr


def test_bench_lists_what_reading_the_model_left_out(tmp_path):
    """A method the model lists but cannot serve is named in the report, not dropped silently."""

    class Ghost(StepsModel):
        @torch.jit.export
        def get_methods(self) -> List[str]:
            return self._methods + ["ghost"]

    path = tmp_path / "ghost.ts"
    save_nn_model(Ghost(), path, {"sample_rate": 48000})
    result = run(path, "--buffers", "2048", "--steps", "1", "--repeats", "1")
    assert result.exit_code == 0, result.output
    assert any(line.startswith("skipped:") and "method ghost left out" in line for line in result.output.splitlines())


def test_peak_memory_of_a_measuring_child_is_its_own_not_its_parents() -> None:
    """Linux keeps ru_maxrss across exec: a child started by a large parent must still report its own peak."""
    from after.tools.bench import _peak_rss_mb

    ballast = torch.ones(200 * 2**20)  # 800 MiB held by this (parent) process
    parent = _peak_rss_mb()
    child = subprocess.run([sys.executable, "-c", "from after.tools.bench import _peak_rss_mb; print(_peak_rss_mb())"],
                           capture_output=True, text=True, check=True)
    del ballast
    assert float(child.stdout) < parent - 600


def test_recipe_commands_use_real_flags_and_configs():
    """Every command `bench/recipe.py` would run names an `after` subcommand and only flags it has, and every
    training command's presets and `--set` overrides load into the trainer's config."""
    import shlex
    from pathlib import Path

    import click

    from after.codec.training.run import CodecConfig
    from after.config import load_config
    from after.diffusion.training.run import DiffusionConfig

    spec = json.loads((Path(__file__).resolve().parents[1] / "bench" / "recipe_runs.json").read_text())
    commands = spec["setup"] + [c for row in spec["rows"] for c in row["commands"] if not c.startswith("(")]
    assert len(commands) > 20
    ctx = click.Context(after_group)
    for command in commands:
        args = shlex.split(command)
        assert args[0] == "after", command
        sub = after_group.get_command(ctx, args[1])
        assert sub is not None, command
        known = {opt for param in sub.params for opt in param.opts + param.secondary_opts}
        assert {a for a in args[2:] if a.startswith("--")} <= known, command
        if args[1] in ("train", "train_autoencoder"):
            presets = [args[i + 1] for i, a in enumerate(args) if a == "--config"]
            sets = [args[i + 1] for i, a in enumerate(args) if a == "--set"]
            load_config(CodecConfig if args[1] == "train_autoencoder" else DiffusionConfig, presets, sets)


def test_recipe_runner_plans_setup_then_rows_and_points_the_list_at_its_outputs(tmp_path):
    """`bench/recipe.py WORK --dry-run` prints the setup then the chosen rows' commands under WORK and the rows
    it cannot run; the list it writes after a run points each rerun row at its own outputs."""
    import importlib.util
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "bench"
    done = subprocess.run([sys.executable, str(bench / "recipe.py"), str(tmp_path), "--dry-run", "--row", "pitch only",
                           "--row", "re-exported"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("skipped (not runnable") and "re-exported" in lines[0]
    assert lines[1].startswith(f"after eval --render-benchmark {tmp_path}/gm")
    assert [line.split()[1] for line in lines[-3:]] == ["train", "export", "eval"] and "--name pitch" in lines[-3]
    assert not any((tmp_path / name).exists() for name in ("gm", "runs"))  # nothing ran
    bad = subprocess.run([sys.executable, str(bench / "recipe.py"), str(tmp_path), "--dry-run", "--row", "nope"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "no row's label contains 'nope'" in bad.stderr

    spec = importlib.util.spec_from_file_location("bench_recipe", bench / "recipe.py")
    sys.path.insert(0, str(bench))  # recipe.py imports its sibling recipe_scores, as when run as a script
    try:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(bench))
    candidates = json.loads((bench / "recipe_runs.json").read_text())
    rerun = module.rerun_spec(candidates, tmp_path, ["smallAE"])
    small = next(row for row in rerun["rows"] if row["label"].startswith("`smallAE`"))
    assert small["eval"] == f"{tmp_path}/eval/small/eval.json" and small["run"] == f"{tmp_path}/runs/small"
    assert "recorded" not in small
    assert rerun["rows"][2] == candidates["rows"][2]  # rows not rerun are kept as they are
