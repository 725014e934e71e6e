"""`after bench`: how fast a model runs. `after bench MODEL.ts` measures an nn~ export (the `model` subcommand);
`after bench diffusion` and `after bench compare` are the maintainers' probes of the streaming generator and of
two exports side by side. Lists are comma-separated (`--buffers 2048,8192`), as in every `after bench` command."""

from typing import List, Optional, Sequence, Tuple

import click

from after.cli.common import run_command


def _int_list(ctx: click.Context, param: click.Parameter, value: str) -> List[int]:
    try:
        items = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a comma-separated list of integers, e.g. 2048,4096") from None
    if not items or any(v < 1 for v in items):
        raise click.BadParameter(f"'{value}' needs positive integers, e.g. 2048,4096")
    return items


def _buffer_list(ctx: click.Context, param: click.Parameter, value: str) -> List[int]:
    buffers = _int_list(ctx, param, value)
    bad = [b for b in buffers if b & (b - 1)]
    if bad:
        raise click.BadParameter(f"{bad[0]} is not a power of two (nn~ buffers are powers of two)")
    return buffers


def _guidance_pairs(ctx: click.Context, param: click.Parameter,
                    values: Sequence[str]) -> List[Tuple[float, float]]:
    pairs = []
    for value in values:
        try:
            timbre, structure = (float(v) for v in value.split(","))
        except ValueError:
            raise click.BadParameter(f"'{value}' is not TIMBRE,STRUCTURE (two numbers), e.g. 2,2") from None
        pairs.append((timbre, structure))
    return pairs


class _ModelByDefault(click.Group):
    """A group whose first argument is either a subcommand or, for `after bench MODEL.ts [flags]` as it has
    always been typed, the model of the `model` subcommand."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["model", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "MODEL.ts [OPTIONS] | COMMAND [ARGS]...")


@click.group("bench", cls=_ModelByDefault)
def bench() -> None:
    """Measure speed: `after bench MODEL.ts [OPTIONS]` is `after bench model MODEL.ts [OPTIONS]`."""


@bench.command("model")
@click.argument("model_path", type=click.Path(dir_okay=False))
@click.option("--buffers", default="2048,4096,8192", show_default=True, callback=_buffer_list,
              help="nn~ buffer sizes (powers of two), comma-separated")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1), help="torch threads")
@click.option("--steps", default="1,4,10", show_default=True, callback=_int_list,
              help="values of the nb_steps attribute to measure (models that have it)")
@click.option("--methods", default="", help="comma-separated nn~ methods (default: all)")
@click.option("--repeats", default=20, show_default=True, type=click.IntRange(1), help="timed calls per row")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@run_command
def model(model_path: str, buffers: List[int], threads: int, steps: List[int], methods: str, repeats: int,
          as_json: bool) -> None:
    """Measure an nn~ model: ms per buffer per method, real-time factor, memory, load time.

    Runs in a fresh process, driving each method as nn~ does (batch 1).
    """
    from after.tools.bench import bench_model_isolated

    report = bench_model_isolated(model_path, buffers, threads, steps,
                                  [m for m in methods.split(",") if m.strip()] or None, repeats)
    click.echo(report.to_json() if as_json else report.table())


@bench.command("diffusion")
@click.option("--config", "configs", multiple=True, default=("base", "base+tiny"), show_default=True,
              help="diffusion presets of one model, '+'-joined (e.g. base+tiny); repeat to time several models")
@click.option("--steps", default="1,4", show_default=True, callback=_int_list, help="diffusion steps per chunk")
@click.option("--guidance", multiple=True, default=("1,1", "2,2"), show_default=True, callback=_guidance_pairs,
              help="guidance TIMBRE,STRUCTURE; repeat to time several")
@click.option("--frames", default=4, show_default=True, type=click.IntRange(1), help="latent frames per chunk")
@click.option("--rounds", default=30, show_default=True, type=click.IntRange(1), help="timed chunks per row")
@run_command
def diffusion(configs: Tuple[str, ...], steps: List[int], guidance: List[Tuple[float, float]], frames: int,
              rounds: int) -> None:
    """ms per streaming `generate_chunk` of random-weight generators on one thread (wall and CPU time)."""
    from after.diffusion.benchmark import time_chunks

    results = time_chunks([c.split("+") for c in configs], steps, guidance, frames=frames, rounds=rounds)
    click.echo(f"ms per generate_chunk of {frames} frames, batch 1, one thread (median wall | median CPU)")
    for (name, n_steps, knobs), (wall, cpu) in results.items():
        click.echo(f"{name:10s} steps {n_steps:2d} guidance {knobs[0]:g}/{knobs[1]:g}: wall {wall:7.2f} | "
                   f"CPU {cpu:7.2f}  (CPU per step {cpu / n_steps:.2f})")


@bench.command("compare")
@click.argument("before", type=click.Path(dir_okay=False))
@click.argument("after", type=click.Path(dir_okay=False))
@click.option("--buffers", default="2048,8192", show_default=True, callback=_buffer_list,
              help="nn~ buffer sizes (powers of two), comma-separated")
@click.option("--steps", default="1,4,10", show_default=True, callback=_int_list, help="values of nb_steps")
@click.option("--calls", default=48, show_default=True, type=click.IntRange(1), help="timed calls per model and row")
@click.option("--sample_rate", default=None, type=int,
              help="for the real-time factor (default: BEFORE's metadata, else 44100)")
@run_command
def compare(before: str, after: str, buffers: List[int], steps: List[int], calls: int,
            sample_rate: Optional[int]) -> None:
    """Before/after cost of two AFTER exports' `forward`, driven call by call in alternating order in one
    process (fair on a busy machine): CPU and wall ms per buffer."""
    from after.export.compare import HEADER, compare_exports

    rows, rate = compare_exports({"before": before, "after": after}, buffers, steps, calls, sample_rate)
    click.echo(HEADER)
    for row in rows:
        click.echo(row.line(rate))


COMMANDS = [bench]
