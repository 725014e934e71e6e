"""Run exports in another torch (nn~ users have libtorch 2.5.1) and compare with this one.

    python bench/old_torch.py --python /path/to/venv-with-torch-2.5.1/bin/python MODEL.ts [MODEL.ts ...]

Each model is loaded the way nn~ loads it (C++ `import_ir_module`, no Python module wrappers) in a fresh
process of each interpreter, timed (load, then 8 `forward` calls at buffer 8192 on one thread), and every nn~
method is driven at batch 1 and 4 with seeded inputs; the outputs of the two torch versions are compared.
Needs no network; a torch 2.5.1 environment is made with
`python -m venv V && V/bin/pip install torch==2.5.1 sympy==1.13.1` (about 3.5 GB with its CUDA libraries;
it runs on the CPU).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUFFER = 8192
CALLS = 8
CHILD_FLAG = "--child"  # the child process: `old_torch.py --child MODEL OUT`


def drive(path: str, out: str) -> None:
    """Child: load `path` as nn~ does, time `forward`, run every method, save the outputs to `out`."""
    import torch

    torch.set_num_threads(1)
    start = time.perf_counter()
    module = torch._C.import_ir_module(torch._C.CompilationUnit(), path, torch.device("cpu"), {}, False)
    load_s = time.perf_counter() - start
    results = {"version": torch.__version__, "load_s": load_s}
    with torch.inference_mode():
        params = module.getattr("forward_params").tolist()
        signal = 0.3 * torch.sin(0.05 * torch.arange(3 * BUFFER, dtype=torch.float32))
        signal = signal[None, None].repeat(1, params[0], 1)
        forward = module._get_method("forward")
        torch.manual_seed(0)
        times, outputs = [], []
        for call in range(CALLS):
            chunk = signal[..., (call % 3) * BUFFER:(call % 3 + 1) * BUFFER]
            tic = time.perf_counter()
            outputs.append(forward(chunk))
            times.append((time.perf_counter() - tic) * 1000)
        results["forward_ms"] = times
        results["forward"] = torch.cat(outputs, dim=-1)
        for name in module._get_method("get_methods")():
            in_ch, in_ratio, out_ch, out_ratio = module.getattr(name + "_params").tolist()
            for batch in (1, 4):
                x = torch.randn(batch, in_ch, BUFFER // in_ratio, generator=torch.Generator().manual_seed(1))
                torch.manual_seed(0)
                y = module._get_method(name)(x)
                if tuple(y.shape) != (batch, out_ch, BUFFER // out_ratio):
                    raise SystemExit(f"{path}: {name} at batch {batch} returned {tuple(y.shape)}")
                results[f"{name}@{batch}"] = y
    torch.save(results, out)


def compare_models(python: str, models: tuple[str, ...]) -> None:
    """Drive every model in a child of `python` and of this interpreter; print timings and the largest difference."""
    import click
    import torch

    with tempfile.TemporaryDirectory() as tmp:
        for model in models:
            runs = {}
            for label, interpreter in (("other", python), ("this", sys.executable)):
                out = str(Path(tmp) / f"{label}.pt")
                subprocess.run([interpreter, __file__, CHILD_FLAG, model, out], check=True)
                runs[label] = torch.load(out, weights_only=False)
            other, this = runs["other"], runs["this"]
            worst = max((other[k] - this[k]).abs().max().item() for k in this if isinstance(this[k], torch.Tensor))
            for label in ("other", "this"):
                r = runs[label]
                click.echo(f"{Path(model).name}: torch {r['version']}: load {r['load_s'] * 1000:.0f} ms, forward "
                           f"calls {' '.join(f'{t:.0f}' for t in r['forward_ms'])} ms")
            click.echo(f"{Path(model).name}: every method at batch 1 and 4 runs in both; largest output difference "
                       f"{worst:.2e}")


def main() -> None:
    import click

    @click.command(help=__doc__.split("\n")[0])
    @click.option("--python", required=True, help="interpreter of the other torch (e.g. 2.5.1)")
    @click.argument("models", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    def command(python: str, models: tuple[str, ...]) -> None:
        compare_models(python, models)

    command()


if __name__ == "__main__":
    # The child runs in the other torch's environment, which has torch only: no click, no `after`.
    if len(sys.argv) == 4 and sys.argv[1] == CHILD_FLAG:
        drive(sys.argv[2], sys.argv[3])
    else:
        main()
