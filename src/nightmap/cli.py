"""The ``nightmap`` command: simulate data, build the store, ingest files, list and roll back batches.

Every command that reads the store builds it first when it is missing or the
files in the data folder changed. Messages are bilingual (中文 / English).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from nightmap import config
from nightmap.errors import NightmapError, ValidationError


def _open_store(db: Path | None, data_dir: Path | None):  # noqa: ANN202 - Store, imported lazily
    from nightmap.store import Store

    return Store.open(db, data_dir=data_dir)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(path_type=Path), default=None,
              help="DuckDB file (default: $NIGHTMAP_DB or data/nightmap.duckdb).")
@click.option("--data-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder of source files (default: $NIGHTMAP_DATA_DIR or data/).")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, data_dir: Path | None) -> None:
    """解放区夜经济地图 nightmap — data tools."""
    ctx.obj = {"db": db, "data_dir": data_dir}


@cli.command()
@click.option("--seed", type=int, default=2022, show_default=True, help="Random seed; same seed, same bytes.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--zones", "n_zones", type=int, default=None, help="Total zones; above 13 adds synthetic ones.")
@click.option("--start", default="2022-06-03", show_default=True, help="First night (YYYY-MM-DD).")
@click.option("--end", default="2022-06-30", show_default=True, help="Last night (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@click.pass_context
def simulate(ctx: click.Context, seed: int, out_dir: Path, n_zones: int | None, start: str, end: str,
             fmt: str) -> None:
    """Write simulated footfall, sales and events (模拟数据) into OUT."""
    from nightmap.geo import load_zones
    from nightmap.simulate import run_simulation

    zones_dir = ctx.obj["data_dir"] or config.data_dir()
    zones = load_zones(Path(zones_dir) / "zones.geojson")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = run_simulation(out_dir=out_dir, seed=seed, zones=zones, n_zones=n_zones,
                           start=_date(start), end=_date(end), fmt=fmt)
    note = {"simulated": True, "seed": seed, "start": start, "end": end,
            "zones": n_zones or len(zones), "generator": "nightmap simulate"}
    (out_dir / "source.json").write_text(json.dumps(note, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for p in paths:
        click.echo(f"wrote {p}")


@cli.command()
@click.pass_context
def build(ctx: click.Context) -> None:
    """(Re)build the store from the data folder, keeping ingested batches."""
    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    store.rebuild()
    counts = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in ("zones", "footfall", "sales", "events")}
    click.echo(f"built {store.path}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))


@cli.command()
@click.argument("kind", type=click.Choice(["footfall", "sales", "events"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def ingest(ctx: click.Context, kind: str, file: Path) -> None:
    """Validate FILE (CSV or XLSX) and upsert it as one batch (导入数据)."""
    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    result = store.ingest_path(file, kind=kind)
    click.echo(
        f"批次 batch {result.batch_id}: {result.rows} 行 rows, 新增 inserted {result.inserted}, "
        f"更新 updated {result.updated}, 未变 unchanged {result.unchanged}"
    )


@cli.command()
@click.pass_context
def batches(ctx: click.Context) -> None:
    """List ingested batches (导入批次)."""
    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    frame = store.batches()
    if frame.empty:
        click.echo("没有导入批次 / no batches")
        return
    click.echo(frame.to_string(index=False))


@cli.command()
@click.argument("batch_id", type=int)
@click.pass_context
def rollback(ctx: click.Context, batch_id: int) -> None:
    """Restore the rows as they were before batch BATCH_ID (回滚)."""
    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    result = store.rollback(batch_id)
    click.echo(f"已回滚批次 rolled back batch {result.batch_id} ({result.file_name})")


@cli.command("export-html")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "start", default=None, help="First night (YYYY-MM-DD); default the campaign's first.")
@click.option("--to", "end", default=None, help="Last night (YYYY-MM-DD); default the campaign's last.")
@click.option("--hours", default="17-2", show_default=True, help="Hour window, may wrap past midnight.")
@click.option("--cat", "cats", default="eat,shop,play", show_default=True, help="Categories, comma-separated.")
@click.option("--metric", type=click.Choice(["visitors", "spend", "spend_per_visitor", "uplift"]),
              default="visitors", show_default=True, help="Metric that colours the zones.")
@click.option("--mode", type=click.Choice(["nights", "hours"]), default="nights", show_default=True,
              help="nights: night by night; hours: one night hour by hour.")
@click.option("--night", default=None, help="The night played in --mode hours (YYYY-MM-DD).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--png", "png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw the first frame as a 1920×1080 PNG (needs Chromium).")
@click.pass_context
def export_html(ctx: click.Context, out: Path, start: str | None, end: str | None, hours: str, cats: str,
                metric: str, mode: str, night: str | None, lang: str, png: Path | None) -> None:
    """Write a self-contained presenter HTML (汇报文件): map, playback and data in one file, works offline."""
    from nightmap import metrics, playback
    from nightmap.viewstate import from_query

    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    params = {"hours": hours, "cat": cats, "metric": metric, "lang": lang}
    if start:
        params["from"] = start
    if end:
        params["to"] = end
    view = from_query(params, data_range=metrics.data_range(store))
    flt = view.filter()
    html_text = playback.presenter_html(store, flt, metric=view.metric, lang=view.lang, mode=mode,
                                        night=_date(night), inline=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html_text, encoding="utf-8")
    click.echo(f"已写出 wrote {out} ({len(html_text.encode('utf-8')) // 1024} KB)")
    if png is not None:
        still = playback.presenter_html(store, flt, metric=view.metric, lang=view.lang, mode=mode,
                                        night=_date(night), inline=True, still=True)
        playback.render_png(still, png)
        click.echo(f"已写出 wrote {png}")


def main() -> None:
    """Entry point: run the command, turning known errors into a message and exit status 1."""
    try:
        cli(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(1)
    except ValidationError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except NightmapError as exc:
        click.echo(f"错误 / error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
