"""`after bench`."""

from typing import List

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


@click.command("bench")
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
def bench(model_path: str, buffers: List[int], threads: int, steps: List[int], methods: str, repeats: int,
          as_json: bool) -> None:
    """Measure an nn~ model: ms per buffer per method, real-time factor, memory, load time.

    Runs in a fresh process, driving each method as nn~ does (batch 1).
    """
    from after.bench import bench_model_isolated

    report = bench_model_isolated(model_path, buffers, threads, steps,
                                  [m for m in methods.split(",") if m.strip()] or None, repeats)
    click.echo(report.to_json() if as_json else report.table())


COMMANDS = [bench]
