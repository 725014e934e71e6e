"""`after bench`: generic over nn~ models, table and JSON, attribute sweep, one-line errors."""

import json
import subprocess
import sys
from typing import List

import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.nn_tilde import NNModule, save_nn_model


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


def test_documented_numbers_are_rendered_from_the_measurements(tmp_path):
    """Every benchmark number in README.md, bench/RESULTS.md, docs/EXPORT.md and docs/EVAL.md equals what
    `bench/tables.py` renders from the measurements' JSON; a number typed by hand makes `--check` fail."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    check = subprocess.run([sys.executable, str(root / "bench" / "tables.py"), "--check"], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    # A copy of the repository's docs with one number edited by hand.
    for name in ("README.md", "docs/EXPORT.md", "docs/EVAL.md", "bench/tables.py", "bench/RESULTS.json",
                 "bench/RESULTS.md", "bench/FULL_SIZE.json", "bench/EVAL_REFERENCE.json"):
        if not (root / name).exists():  # a JSON its script has not written yet
            continue
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / name, tmp_path / name)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| demo audio model `forward`"))
    (tmp_path / "README.md").write_text(readme.replace(row, row.replace(" ms per ", "1 ms per ", 1)),
                                        encoding="utf-8")
    check = subprocess.run([sys.executable, str(tmp_path / "bench" / "tables.py"), "--check"], capture_output=True,
                           text=True)
    assert check.returncode == 1 and "README.md" in check.stderr
    subprocess.run([sys.executable, str(tmp_path / "bench" / "tables.py")], check=True, capture_output=True)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme


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
    from after.bench import _peak_rss_mb

    ballast = torch.ones(200 * 2**20)  # 800 MiB held by this (parent) process
    parent = _peak_rss_mb()
    child = subprocess.run([sys.executable, "-c", "from after.bench import _peak_rss_mb; print(_peak_rss_mb())"],
                           capture_output=True, text=True, check=True)
    del ballast
    assert float(child.stdout) < parent - 600
