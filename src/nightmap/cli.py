"""The ``nightmap`` command: simulate data, build the store, ingest files, list and roll back batches.

Every command that reads the store builds it first when it is missing or the
files in the data folder changed. Messages are bilingual (中文 / English).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from nightmap import config
from nightmap.errors import NightmapError, ValidationError
from nightmap.i18n import both_text


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
@click.option("--note", default="", help="Optional note kept with the batch (备注).")
@click.pass_context
def ingest(ctx: click.Context, kind: str, file: Path, note: str) -> None:
    """Validate FILE (CSV or XLSX) and upsert it as one batch (导入数据); the OS user is recorded."""
    from nightmap.auth import local_actor

    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    result = store.ingest_path(file, kind=kind, actor=local_actor(), note=note)
    if not result.recorded:
        click.echo(f"{result.rows} 行与库中数据完全相同，未记录新批次 / all {result.rows} rows equal the stored "
                   "ones; no batch was recorded")
        return
    click.echo(
        f"批次 batch {result.batch_id}: {result.rows} 行 rows, 新增 inserted {result.inserted}, "
        f"更新 updated {result.updated}, 未变 unchanged {result.unchanged}"
    )


@cli.command()
@click.pass_context
def batches(ctx: click.Context) -> None:
    """List ingested batches (导入批次) with who committed and rolled back each, then the change log."""
    import pandas as pd

    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    frame = store.batches()
    if frame.empty:
        click.echo("没有导入批次 / no batches")
    else:
        cols = ["batch_id", "kind", "file_name", "rows", "inserted", "updated", "created_at", "actor", "actor_role",
                "rolled_back_at", "rolled_back_by", "rolled_back_role", "note"]
        shown = frame[cols].copy()
        for col in ("created_at", "rolled_back_at"):  # stored to the microsecond, shown to the second
            shown[col] = pd.to_datetime(shown[col]).dt.floor("s")
        click.echo(shown.fillna("").to_string(index=False))
    log = store.audit_log()
    click.echo("")
    click.echo("操作记录 / change log:")
    if log.empty:
        click.echo("（无 / none）")
    else:
        click.echo(log.assign(at=pd.to_datetime(log["at"]).dt.floor("s")).to_string(index=False))


@cli.command()
@click.argument("batch_id", type=int)
@click.pass_context
def rollback(ctx: click.Context, batch_id: int) -> None:
    """Restore the rows as they were before batch BATCH_ID (回滚)."""
    from nightmap.auth import local_actor

    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    result = store.rollback(batch_id, actor=local_actor())
    click.echo(f"已回滚批次 rolled back batch {result.batch_id} ({result.file_name})")


@cli.command("export-html")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "start", default=None, help="First night (YYYY-MM-DD); default the campaign's first.")
@click.option("--to", "end", default=None, help="Last night (YYYY-MM-DD); default the campaign's last.")
@click.option("--hours", default="17-2", show_default=True, help="Hour window, may wrap past midnight.")
@click.option("--cat", "cats", default="eat,shop,play", show_default=True, help="Categories, comma-separated.")
@click.option("--metric", type=click.Choice(["visitors", "spend", "spend_per_visitor", "uplift", "uplift_visitors"]),
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



# --------------------------------------------------------------------------- the daily briefing


class _ReportFailure(click.ClickException):
    """Ends ``report`` with a bilingual message on stderr and its exit status, no traceback."""

    def __init__(self, key: str, *, exit_code: int = 1, **fields: object) -> None:
        super().__init__(both_text(key, **fields))
        self.exit_code = exit_code

    def show(self, file: object = None) -> None:
        click.echo(f"错误 / error: {self.message}", err=True)


def _night(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _ReportFailure("briefing.cli.bad_date", exit_code=2, value=value) from None


@cli.command()
@click.option("--night", required=True, help="The night (YYYY-MM-DD); 01:00 belongs to the night before.")
@click.option("--to", "end", default=None, help="Last night of a range (YYYY-MM-DD); default: --night.")
@click.option("--hours", default="17-2", show_default=True, help="Hour window, may wrap past midnight.")
@click.option("--cat", "cats", default="eat,shop,play", show_default=True, help="Categories, comma-separated.")
@click.option("--metric", type=click.Choice(["visitors", "spend", "spend_per_visitor", "uplift", "uplift_visitors"]),
              default="visitors", show_default=True, help="Metric of the map and the ranking.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The DOCX to write (default: 夜经济日报_YYYYMMDD.docx in the current folder).")
@click.option("--pdf", is_flag=True, help="Also convert it to PDF with LibreOffice (libreoffice/soffice on PATH).")
@click.option("--basemap", type=click.Choice(["auto", "none", "amap", "osm"]), default="auto", show_default=True,
              help="Under the map: auto = the installed AMap pack, else the OSM pack, else the schematic; "
                   "none = the schematic; amap/osm = that offline tile pack (must be installed).")
@click.pass_context
def report(ctx: click.Context, night: str, end: str | None, hours: str, cats: str, metric: str, lang: str,
           out: Path | None, pdf: bool, basemap: str) -> None:
    """Write the daily briefing 夜经济日报 of a night or a range as DOCX (and PDF).

    Exit status: 0 written; 1 a night outside the data, a --basemap pack that is
    not installed, an output that cannot be written, or no PDF (the DOCX is
    written all the same); 2 a bad date or --to before --night.
    """
    from nightmap import briefing, briefing_docx, metrics, tiles
    from nightmap.viewstate import from_query

    start, last = _night(night), _night(end or night)
    if last < start:
        raise _ReportFailure("briefing.cli.order", exit_code=2, start=start, end=last)
    try:
        briefing.choose_pack(basemap)
    except tiles.PackError:
        raise _ReportFailure("briefing.cli.no_pack", name=basemap, folder=config.tiles_dir() / basemap) from None
    store = _open_store(ctx.obj["db"], ctx.obj["data_dir"])
    span = metrics.data_range(store)
    if span is None:
        raise _ReportFailure("briefing.cli.empty")
    for day in (start, last):
        if not span[0] <= day <= span[1]:
            raise _ReportFailure("briefing.cli.outside", night=day, lo=span[0], hi=span[1])
    view = from_query({"from": start.isoformat(), "to": last.isoformat(), "hours": hours, "cat": cats,
                       "metric": metric, "lang": lang}, data_range=span)
    data = briefing.make_briefing(store, view.filter(), metric=view.metric, lang=view.lang, basemap=basemap)
    out = out or Path(briefing.file_name(start, last, lang))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise _ReportFailure("briefing.cli.unwritable", path=out, why=exc) from None
    click.echo(both_text("briefing.cli.wrote", path=out))
    if pdf:
        if briefing_docx.office() is None:
            raise _ReportFailure("briefing.cli.no_office", path=out)
        try:
            made = briefing_docx.to_pdf(out)
        except briefing_docx.PdfError as exc:
            raise _ReportFailure("briefing.cli.pdf_failed", why=exc, path=out) from None
        click.echo(both_text("briefing.cli.wrote", path=made))


# --------------------------------------------------------------------------- offline basemap tile packs


class _TilesFailure(click.ClickException):
    """Ends a ``tiles`` command with a bilingual message on stderr and a non-zero status, no traceback.

    A ClickException, so that both ``main()`` and click's standalone mode show it and exit with its status.
    """

    def __init__(self, message: str, *, error: bool = True, exit_code: int = 1) -> None:
        super().__init__(message)
        self.error = error
        self.exit_code = exit_code

    def show(self, file: object = None) -> None:
        click.echo(f"错误 / error: {self.message}" if self.error else self.message, err=True)


def _tiles_error(exc: BaseException) -> NoReturn:
    """Stop with a tile error's (bilingual) message and status 1."""
    raise _TilesFailure(str(exc)) from None


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB"


@cli.group()
def tiles() -> None:
    """Offline basemap tile packs (离线底图瓦片包): fetch, import, list, export.

    Packs live in $NIGHTMAP_TILES_DIR (default: tiles/ in the project folder).
    """


@tiles.command("fetch")
@click.option("--basemap", type=click.Choice(["amap", "osm"]), required=True,
              help="amap: 高德 AMap (GCJ-02); osm: OpenStreetMap (WGS-84).")
@click.option("--zoom", "zoom", default=None,
              help="Zoom range, e.g. 12-17 or 15 (default: amap 12-17, osm 12-16).")
@click.option("--bbox", default=None,
              help="WGS-84 W,S,E,N (default: 解放区 and its neighbours, padded).")
@click.option("--url", default=None, help="Tile URL template overriding the provider's ({z} {x} {y}, {s}).")
@click.option("--rate", type=float, default=4.0, show_default=True, help="At most this many requests per second.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (for scripts).")
def tiles_fetch(basemap: str, zoom: str | None, bbox: str | None, url: str | None, rate: float,
                yes: bool) -> None:
    """Download a tile pack for offline use (下载离线瓦片包); an interrupted fetch resumes."""
    from nightmap import tiles as tl

    provider = tl.PROVIDERS[basemap]
    try:
        zooms = tl.parse_zooms(zoom) if zoom else provider.default_zooms
        box = tl.parse_bbox(bbox) if bbox else None
        the_plan = tl.plan(box, zooms, basemap=basemap)
        if url is not None:
            tl.check_url(url, basemap)
    except (tl.TilesError, OSError) as exc:
        _tiles_error(exc)
    w, s, e, n = the_plan.bbox
    click.echo(f"底图 basemap: {provider.label} ({provider.datum})")
    click.echo(f"范围 bbox (WGS-84): {w:.4f},{s:.4f},{e:.4f},{n:.4f}")
    for z, count in the_plan.per_zoom.items():
        click.echo(f"  z{z:<2} {count:>7} 瓦片 tiles")
    click.echo(f"合计 total: {the_plan.total} 瓦片 tiles, 约 about {_mb(the_plan.est_bytes)} "
               f"(按每个瓦片 {the_plan.avg_tile_bytes // 1024} KB 估算 / at {the_plan.avg_tile_bytes // 1024} KB a tile)")
    click.echo(f"来源 source: {url or provider.url}")
    click.echo(f"署名 attribution: {provider.attribution}")
    click.echo(f"使用条款 terms: {provider.terms}")
    try:
        tl.check_plan(the_plan, url=url)
    except tl.TilesError as exc:
        _tiles_error(exc)
    if not yes:
        try:
            ok = click.confirm("开始下载？ / Start the download?", default=False)
        except click.exceptions.Abort:
            ok = False  # stdin closed or not answered (non-interactive run without --yes)
            click.echo("")
        if not ok:
            raise _TilesFailure("已取消，未下载任何瓦片（脚本里请加 --yes） / cancelled, nothing downloaded "
                                "(use --yes in scripts)", error=False)

    with click.progressbar(length=the_plan.total, label="下载 downloading", show_pos=True) as bar:
        seen = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.update(done - seen["done"])
            seen["done"] = done

        try:
            pack = tl.fetch(basemap, zooms=zooms, bbox=the_plan.bbox, url=url, rate=rate, progress=progress)
        except (tl.TilesError, OSError) as exc:
            click.echo("")
            _tiles_error(exc)
        except KeyboardInterrupt:
            click.echo("")
            raise _TilesFailure("已中断；重新运行同一命令即可续传 / interrupted; run the same command again "
                                "to resume", error=False, exit_code=130) from None
    click.echo(f"完成 done: {pack.tiles} 瓦片 tiles, {_mb(pack.bytes)}, z{pack.min_zoom}–{pack.max_zoom}; "
               f"缺失 missing (404): {pack.missing}; 失败 failed: {pack.failed}")
    click.echo(f"位置 where: {pack.path}")
    if pack.failed:
        click.echo("有瓦片下载失败：重新运行同一命令可补齐 / some tiles failed: run the same command again "
                   "to fill them in")


@tiles.command("import")
@click.argument("pack", type=click.Path(exists=True, path_type=Path))
def tiles_import(pack: Path) -> None:
    """Install a tile pack from a folder or a .zip (导入瓦片包), replacing an older one of that basemap."""
    from nightmap import tiles as tl

    try:
        installed = tl.import_pack(pack)
    except (tl.TilesError, OSError) as exc:
        _tiles_error(exc)
    click.echo(f"已导入 imported {installed.name}: {installed.tiles} 瓦片 tiles, {_mb(installed.bytes)}, "
               f"z{installed.min_zoom}–{installed.max_zoom} → {installed.path}")


@tiles.command("list")
def tiles_list() -> None:
    """List the installed tile packs (已安装的瓦片包)."""
    from nightmap import tiles as tl

    packs = tl.installed()
    if not packs:
        click.echo(f"没有安装瓦片包 / no packs installed ({config.tiles_dir()})")
        return
    click.echo(f"{'name':<6} {'datum':<7} {'zooms':<7} {'tiles':>8} {'MB':>9}  {'fetched_at':<25} path")
    for p in packs:
        click.echo(f"{p.name:<6} {p.datum:<7} {f'{p.min_zoom}-{p.max_zoom}':<7} {p.tiles:>8} "
                   f"{p.bytes / 1e6:>9.1f}  {p.fetched_at:<25} {p.path}")


@tiles.command("export")
@click.argument("name", type=click.Choice(["amap", "osm"]))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def tiles_export(name: str, out: Path) -> None:
    """Zip an installed pack NAME into OUT (导出瓦片包), to copy to another machine."""
    from nightmap import tiles as tl

    try:
        path = tl.export_pack(name, out)
    except (tl.TilesError, OSError) as exc:
        _tiles_error(exc)
    click.echo(f"已写出 wrote {path} ({_mb(path.stat().st_size)})")

# --------------------------------------------------------------------------- users of the sign-in


class _UsersFailure(click.ClickException):
    """Ends a ``users`` command with a bilingual message on stderr and status 1, no traceback."""

    def show(self, file: object = None) -> None:
        click.echo(f"错误 / error: {self.message}", err=True)


def _users_file(path: Path | None) -> Path:
    from nightmap.auth import auth_path

    found = path or auth_path()
    if found is None:
        raise _UsersFailure("请用 --auth 或环境变量 NIGHTMAP_AUTH 指定用户文件 / name the users file with --auth or "
                            "the NIGHTMAP_AUTH environment variable")
    return found


_AUTH_OPTION = click.option("--auth", "auth_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                            help="Users file (default: $NIGHTMAP_AUTH).")


@cli.group()
def users() -> None:
    """Users who may sign in (登录用户): add, list, remove.

    The users file ($NIGHTMAP_AUTH) keeps bcrypt hashes only; with no such file the app runs in single-user mode.
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor", "admin"]), required=True,
              help="viewer: reads; editor: uploads and zone edits; admin: also rollback and the user list.")
@click.option("--display-name", default="", help="Name shown in the app (default: NAME).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (scripts).")
@_AUTH_OPTION
def users_add(name: str, role: str, display_name: str, password_stdin: bool, auth_file: Path | None) -> None:
    """Add user NAME (or set a new password and role); asks for the password and stores only its hash."""
    from nightmap import auth

    path = _users_file(auth_file)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = click.prompt("密码 / password", hide_input=True, confirmation_prompt=
                                    "再输入一次 / repeat the password")
        except click.exceptions.Abort:
            raise _UsersFailure("已取消，未做任何修改 / cancelled, nothing was changed") from None
    problem = auth.password_problem(password)
    if problem:
        raise _UsersFailure(problem + "；未做任何修改 / nothing was changed")
    try:
        new = auth.add_user(path, name, password=password, role=role, name=display_name)
    except (auth.AuthConfigError, OSError) as exc:
        raise _UsersFailure(str(exc)) from None
    verb = "已添加用户 / added user" if new else "已更新用户 / updated user"
    click.echo(f"{verb} {name} ({role}) → {path}")


@users.command("list")
@_AUTH_OPTION
def users_list(auth_file: Path | None) -> None:
    """List the users and their roles (never a password or hash)."""
    from nightmap import auth

    path = _users_file(auth_file)
    try:
        rows = auth.load_config(path).user_rows()
    except auth.AuthConfigError as exc:
        raise _UsersFailure(str(exc)) from None
    if not rows:
        click.echo(f"没有用户 / no users ({path})")
        return
    click.echo(f"{'user':<20} {'role':<8} name")
    for row in rows:
        click.echo(f"{row['user']:<20} {row['role']:<8} {row['name']}")


@users.command("remove")
@click.argument("name")
@_AUTH_OPTION
def users_remove(name: str, auth_file: Path | None) -> None:
    """Remove user NAME; their sign-in stops working at their next page load."""
    from nightmap import auth

    path = _users_file(auth_file)
    try:
        auth.remove_user(path, name)
    except (auth.AuthConfigError, OSError) as exc:
        raise _UsersFailure(str(exc)) from None
    click.echo(f"已删除用户 / removed user {name} → {path}")


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
    except OSError as exc:
        click.echo(f"错误：无法读写文件 / error: cannot read or write a file: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a command ends with a message, not a traceback
        import duckdb

        if not isinstance(exc, duckdb.Error):
            raise
        click.echo(f"错误：数据库操作失败，未做任何修改 / error: the store refused the operation, nothing was "
                   f"changed: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
