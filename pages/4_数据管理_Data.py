"""数据管理 Data — upload files with a full check before anything is written, roll back batches, fix zones.

Layout only: parsing and validation are :mod:`nightmap.ingest`, writing and
rollback :class:`nightmap.store.Store`, templates and the size limit
:mod:`nightmap.templates`, freshness :mod:`nightmap.freshness`, and the zone
map, drawing tool and shape checks :mod:`nightmap.zone_edit`. Nothing from an
upload is executed or unpickled: files are read as text cells.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from nightmap import auth, basemaps, export, file_guide, freshness, geo, report_tables, templates, zone_edit
from nightmap.errors import StoreError, ValidationError
from nightmap.i18n import fmt_date, fmt_int, md_escape, t
from nightmap.ingest import check_upload, zone_aliases
from nightmap.schema import CATEGORIES, KIND_LABELS, KINDS
from nightmap.ui import data
from nightmap.ui.auth import current_actor, role_label, user_rows
from nightmap.ui.page import data_banner, setup_page
from nightmap.ui.sidebar import current_view, keyed_in_language, language_picker, remember

store = setup_page("数据管理 Data · 解放区夜经济地图")
view = current_view(store)
lang = language_picker(view)
remember(view.with_(lang=lang))
token = data.data_token(store)
actor = current_actor()
esc = md_escape
REPORT_ROWS = 200


def kind_label(kind: str) -> str:
    """The name of a kind of data in the current language."""
    return KIND_LABELS[kind][1 if lang == "en" else 0]


def show_problems(problems: tuple | list) -> None:
    """Problems as a plain table whose first visible column is the row number (as in Excel)."""
    st.table(pd.DataFrame(report_tables.problems_table(problems, lang)))


def problem_report(problems: tuple | list, *, key: str) -> None:
    """The validation report: row (as in Excel), column, value, problem — as a plain table, all rows downloadable."""
    rows = pd.DataFrame(report_tables.problems_table(problems, lang))
    show_problems(problems[:REPORT_ROWS])
    if len(rows) > REPORT_ROWS:
        st.caption(t("data.report.more", lang, shown=REPORT_ROWS, n=len(rows)))
    st.download_button(t("data.report.download", lang), export.to_csv_bytes(rows), file_name="nightmap_problems.csv",
                       mime="text/csv", key=key)


def flash(kind: str, text: str) -> None:
    """Keep a message to show after the rerun that follows a write."""
    st.session_state["nm_data_flash"] = (kind, text)


st.title(t("data.title", lang))
st.caption(t("data.subtitle", lang))
data_banner(store, lang, token)
if "nm_data_flash" in st.session_state:
    level, text = st.session_state.pop("nm_data_flash")
    getattr(st, level)(text)

# --- freshness -------------------------------------------------------------------------------------
fresh = freshness.freshness(store, freshness.today_in_shanghai())
st.subheader(t("data.fresh.header", lang))
fresh_view = pd.DataFrame({
    t("data.col.table", lang): [kind_label(k) for k in fresh["kind"]],
    t("data.col.latest_night", lang): [fmt_date(d, lang) if d else "—" for d in fresh["latest_night"]],
    t("data.col.rows", lang): [fmt_int(n, "en") for n in fresh["rows"]],
    t("data.col.last_batch", lang): [
        "—" if pd.isna(b) else f"#{int(b)} {f} · {pd.Timestamp(at):%Y-%m-%d %H:%M}"
        + (f" ({t('data.batch.rolled_back', lang)})" if rb else "")
        for b, f, at, rb in zip(fresh["last_batch_id"], fresh["last_batch_file"], fresh["last_batch_at"],
                                fresh["last_batch_rolled_back"], strict=True)
    ],
})
st.dataframe(fresh_view, hide_index=True, width="stretch")
for row in fresh[fresh["stale"]].itertuples():
    night = fmt_date(row.latest_night, lang) if row.latest_night else "—"
    st.warning(t("data.fresh.stale", lang, table=kind_label(row.kind), night=night))

SECTIONS = auth.data_sections(actor)  # a viewer gets no upload or zone-editing section
if "upload" not in SECTIONS:
    st.caption(t("auth.need_editor", lang, role=role_label(actor.role if actor else "viewer", lang)))
section = st.radio(t("data.section", lang), SECTIONS, horizontal=True,
                   key=keyed_in_language("nm_data_section", lang, SECTIONS[0], options=SECTIONS),
                   format_func=lambda s: t(f"data.section.{s}", lang))

# --- upload ----------------------------------------------------------------------------------------
if section == "upload":
    st.subheader(t("data.upload.header", lang))
    kind = st.radio(t("data.upload.kind", lang), KINDS, horizontal=True, format_func=kind_label,
                    key=keyed_in_language("nm_upload_kind", lang, KINDS[0]))
    zone_list = data.zones(store, token)
    with st.expander(t("data.templates.header", lang)):
        st.caption(t("data.templates.help", lang))
        cols = st.columns(4)
        for i, (hlang, fmt) in enumerate((("zh", "xlsx"), ("zh", "csv"), ("en", "xlsx"), ("en", "csv"))):
            mime = "text/csv" if fmt == "csv" else \
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            cols[i].download_button(
                t(f"data.templates.{hlang}_{fmt}", lang),
                partial(templates.template_bytes, kind, lang=hlang, fmt=fmt, zones=zone_list),  # made on click
                file_name=templates.template_file_name(kind, hlang, fmt), mime=mime, key=f"tpl_{kind}_{hlang}_{fmt}",
            )
    with st.expander(t("data.zonelist.header", lang)):
        st.caption(t("data.zonelist.help", lang))
        st.dataframe(templates.zone_table(zone_list, lang), hide_index=True, width="stretch")
        st.download_button(t("data.zonelist.download", lang), partial(templates.zone_list_bytes, zone_list, lang),
                           file_name="nightmap_片区列表.csv" if lang == "zh" else "nightmap_zones.csv",
                           mime="text/csv", key="nm_zone_list_csv")
    with st.expander(t("data.guide.header", lang)):
        st.markdown(f"**{t('data.guide.columns', lang, kind=kind_label(kind))}**")
        st.table(file_guide.column_guide(kind, lang), hide_index=True)
        st.markdown(f"**{t('data.guide.formats', lang)}**")
        st.markdown("\n".join(f"- {line}" for line in file_guide.formats(kind, lang)))
    limit = min(templates.max_upload_mb(), float(st.get_option("server.maxUploadSize")))
    who = st.text_input(t("data.upload.who", lang), key="nm_upload_who", max_chars=60,
                        placeholder=t("data.upload.who_placeholder", lang))
    n = st.session_state.setdefault("nm_upload_n", 0)
    upload = st.file_uploader(t("data.upload.file", lang, mb=f"{limit:g}"), type=["csv", "xlsx"],
                              key=f"nm_upload_{n}", help=t("data.upload.file_help", lang))
    if upload is not None:
        cache_key = (upload.file_id, upload.name, kind, token)
        cached = st.session_state.get("nm_parsed")
        if not cached or cached[0] != cache_key:  # checked once per file, kind and data version
            cached = (cache_key, check_upload(upload.getvalue(), file_name=upload.name, kind=kind,
                                              known_zones=zone_aliases(zone_list), limit_mb=limit))
            st.session_state["nm_parsed"] = cached
        check = cached[1]
        sha, preview, result = check.sha256, check.preview, check.result
        st.markdown(f"**{t('data.upload.preview', lang)}** — {esc(upload.name)} · sha256 `{sha[:16]}…`")
        if preview is not None:
            st.dataframe(preview, width="stretch")
            st.caption(t("data.upload.preview_help", lang, header=check.header_row))
        shown_skips = [s for s in check.skipped if s.kind != "blank"]
        if shown_skips:
            st.markdown(t("data.upload.skipped", lang, header=check.header_row, n=len(shown_skips)))
            st.table(pd.DataFrame(report_tables.skipped_table(shown_skips, lang)))
        blanks = len(check.skipped) - len(shown_skips)
        if blanks:
            st.caption(t("data.upload.blank_rows", lang, n=blanks))
        if isinstance(result, ValidationError):
            st.error(t("data.verdict.bad", lang, n=len(result.problems)))
            problem_report(result.problems, key="nm_report_upload")
            st.button(t("data.upload.commit", lang), disabled=True, key="nm_commit_disabled")
        else:
            st.success(t("data.verdict.good", lang, n=fmt_int(result.rows, "en"), kind=kind_label(kind)))
            if result.ignored_columns:
                st.info(t("data.upload.ignored", lang, cols=esc("、".join(result.ignored_columns))))
            if st.button(t("data.upload.commit", lang), type="primary", key="nm_commit"):
                try:
                    done = store.ingest(result, actor=actor, note=who)
                except (StoreError, ValidationError) as exc:
                    st.error(t("error.generic", lang, msg=esc(exc)))
                else:
                    if done.recorded:
                        flash("success", t("data.upload.committed", lang, batch=done.batch_id,
                                           file=esc(done.file_name), inserted=done.inserted, updated=done.updated,
                                           unchanged=done.unchanged))
                    else:
                        flash("info", t("data.upload.unchanged", lang, file=esc(done.file_name), rows=done.rows))
                    st.session_state["nm_upload_n"] = n + 1
                    st.session_state.pop("nm_parsed", None)
                    st.rerun()

# --- batches and rollback --------------------------------------------------------------------------
elif section == "batches":
    st.subheader(t("data.batches.header", lang))
    log = store.batches()
    if log.empty:
        st.info(t("data.batches.none", lang))
    else:
        shown = report_tables.batch_log_table(log, lang)
        st.dataframe(shown, hide_index=True, width="stretch")
        active = log[log["rolled_back_at"].isna()]
        if not auth.can(actor, "rollback"):  # the store refuses it too; this only spares the button
            st.caption(t("auth.need_admin", lang))
        elif active.empty:
            st.caption(t("data.rollback.nothing", lang))
        else:
            labels = {int(r.batch_id): f"#{int(r.batch_id)} · {kind_label(r.kind)} · {r.file_name}"
                      for r in active.itertuples()}
            pick = st.selectbox(t("data.rollback.pick", lang), list(labels), format_func=labels.get,
                                key="nm_rollback_pick")
            pending = st.session_state.get("nm_rollback_confirm")
            if pending != pick:
                if st.button(t("data.rollback.start", lang), key="nm_rollback_start"):
                    st.session_state["nm_rollback_confirm"] = pick
                    st.rerun()
            else:
                st.warning(t("data.rollback.confirm_text", lang, batch=esc(labels[pick])), icon="⚠️")
                c1, c2 = st.columns(2)
                if c1.button(t("data.rollback.confirm", lang, batch=pick), type="primary", key="nm_rollback_yes"):
                    st.session_state.pop("nm_rollback_confirm", None)
                    try:
                        done = store.rollback(pick, actor=actor)
                    except StoreError as exc:
                        flash("error", esc(exc))
                    else:
                        flash("success", t("data.rollback.done", lang, batch=done.batch_id, file=esc(done.file_name)))
                    st.rerun()
                if c2.button(t("data.rollback.cancel", lang), key="nm_rollback_no"):
                    st.session_state.pop("nm_rollback_confirm", None)
                    st.rerun()

# --- change log (everyone) and users (admins) ---------------------------------------------------------
elif section == "log":
    st.subheader(t("auth.log.header", lang))
    audit = store.audit_log()
    if audit.empty:
        st.info(t("auth.log.none", lang))
    else:
        st.dataframe(report_tables.audit_table(audit, lang), hide_index=True, width="stretch")
    if auth.can(actor, "users"):
        st.subheader(t("auth.users.header", lang))
        people = user_rows()
        if people is None:
            st.caption(t("auth.users.single", lang))
        else:
            st.dataframe(pd.DataFrame({
                t("auth.col.user", lang): [p["user"] for p in people],
                t("auth.col.name", lang): [p["name"] for p in people],
                t("auth.log.role", lang): [role_label(p["role"], lang) for p in people],
            }), hide_index=True, width="stretch")
            st.caption(t("auth.users.help", lang))

# --- zone positions --------------------------------------------------------------------------------
elif section == "zones":
    st.subheader(t("data.zones.header", lang))
    st.caption(t("data.zones.help", lang))
    zones = data.zones(store, token)
    districts = data.districts()
    district = geo.focus_district(districts)
    names = {z: (en if lang == "en" and en else zh) or z
             for z, zh, en in zip(zones["zone_id"], zones["name_zh"], zones["name_en"], strict=True)}
    zone_id = st.selectbox(t("data.zones.pick", lang), list(zones["zone_id"]), format_func=names.get,
                           key="nm_zone_pick")
    row = zones.set_index("zone_id").loc[zone_id]
    packs = basemaps.installed_packs()
    choices = basemaps.available(packs)
    basemap = st.radio(t("overview.basemap", lang), choices, horizontal=True,
                       key=keyed_in_language("nm_zone_basemap", lang, basemaps.default(packs), options=choices),
                       format_func=lambda b: t(f"overview.basemap.{b}", lang))
    pending_key = f"nm_zone_shape_{zone_id}"

    map_col, side_col = st.columns([3, 2], gap="medium")
    with side_col:
        st.markdown("**" + t("data.zones.upload", lang) + "**")
        gj = st.file_uploader(t("data.zones.upload_help", lang), type=["geojson", "json"],
                              key=f"nm_zone_file_{zone_id}")
        if gj is not None:
            try:
                shape = zone_edit.read_geojson(gj.getvalue(), file_name=gj.name, zone_id=zone_id)
            except ValidationError as exc:
                st.error(t("data.verdict.bad", lang, n=len(exc.problems)))
                show_problems(exc.problems)
            else:
                if st.button(t("data.zones.use_file", lang), key=f"nm_zone_use_file_{zone_id}"):
                    st.session_state[pending_key] = ("file", shape)
                    st.rerun()
        with st.expander(t("data.zones.coords", lang)):
            text = st.text_area(t("data.zones.coords_help", lang),
                                value=zone_edit.coordinates_text(row.geometry), height=180,
                                key=f"nm_zone_coords_{zone_id}")
            if st.button(t("data.zones.use_coords", lang), key=f"nm_zone_use_coords_{zone_id}"):
                try:
                    st.session_state[pending_key] = ("coords", zone_edit.geometry_from_text(text))
                    st.rerun()
                except ValidationError as exc:
                    show_problems(exc.problems)

    pending = st.session_state.get(pending_key)
    with map_col:
        fmap = zone_edit.edit_map(zones=zones, districts=districts, zone_id=zone_id, lang=lang, basemap=basemap,
                                  preview=pending[1] if pending and pending[0] != "draw" else None)
        returned = st_folium(fmap, height=560, use_container_width=True, key=f"nm_zone_map_{zone_id}_{basemap}",
                             returned_objects=["last_active_drawing"])
    drawing = (returned or {}).get("last_active_drawing")
    if drawing and drawing != st.session_state.get("nm_zone_last_drawing"):
        st.session_state["nm_zone_last_drawing"] = drawing
        try:
            st.session_state[pending_key] = ("draw", zone_edit.geometry_from_drawing(drawing, basemap=basemap))
        except ValidationError as exc:
            st.error(esc(exc))
        pending = st.session_state.get(pending_key)

    if pending:
        source, shape = pending
        problems = zone_edit.shape_problems(shape, district, source=zone_id)
        area = geo.metric_area_km2(shape) * 1e6 if shape.geom_type in ("Polygon", "MultiPolygon") else 0
        st.markdown("**" + t("data.zones.new_shape", lang, source=t(f"data.zones.source.{source}", lang),
                             area=fmt_int(area, "en")) + "**")
        if problems:
            st.error(t("data.zones.shape_bad", lang))
            show_problems(problems)
        else:
            st.success(t("data.zones.shape_good", lang))
        note = st.text_input(t("data.zones.note", lang), key=f"nm_zone_note_{zone_id}", max_chars=200)
        c1, c2 = st.columns(2)
        if c1.button(t("data.zones.save_shape", lang), type="primary", disabled=bool(problems),
                     key=f"nm_zone_save_{zone_id}"):
            try:
                store.update_zone(zone_id, geometry=shape, note=note, actor=actor)
            except (ValidationError, StoreError) as exc:
                st.error(esc(exc))
            else:
                st.session_state.pop(pending_key, None)
                flash("success", t("data.zones.saved", lang, zone=esc(names[zone_id])))
                st.rerun()
        if c2.button(t("data.zones.discard", lang), key=f"nm_zone_discard_{zone_id}"):
            st.session_state.pop(pending_key, None)
            st.rerun()

    st.markdown("**" + t("data.zones.props", lang) + "**")
    with st.form(f"nm_zone_props_{zone_id}"):
        name_zh = st.text_input(t("data.zones.name_zh", lang), value=row.name_zh or "", max_chars=60)
        name_en = st.text_input(t("data.zones.name_en", lang), value=row.name_en or "", max_chars=60)
        cats = st.multiselect(t("filter.categories", lang), CATEGORIES, default=list(row.categories),
                              format_func=lambda c: t(f"cat.{c}", lang), placeholder=t("filter.choose", lang))
        note = st.text_input(t("data.zones.note", lang), max_chars=200)
        if st.form_submit_button(t("data.zones.save_props", lang)):
            try:
                store.update_zone(zone_id, name_zh=name_zh, name_en=name_en, categories=cats, note=note,
                                  actor=actor)
                new_name = " ".join((name_en if lang == "en" and name_en.strip() else name_zh).split())
            except ValidationError as exc:
                st.error(t("data.verdict.bad", lang, n=len(exc.problems)))
                show_problems(exc.problems)
            except StoreError as exc:
                st.error(esc(exc))
            else:
                flash("success", t("data.zones.saved", lang, zone=esc(new_name)))
                st.rerun()

    st.markdown("**" + t("data.zones.history", lang) + "**")
    history = store.zone_history(zone_id)
    if history.empty:
        st.caption(t("data.zones.no_history", lang))
    else:
        st.dataframe(pd.DataFrame({
            t("data.col.version", lang): history["version_id"],
            t("data.col.when", lang): [f"{pd.Timestamp(x):%Y-%m-%d %H:%M:%S}" for x in history["changed_at"]],
            t("data.zones.name_zh", lang): history["name_zh"],
            t("data.zones.name_en", lang): history["name_en"],
            t("filter.categories", lang): [" / ".join(t(f"cat.{c}", lang) for c in cs)
                                           for cs in history["categories"]],
            t("data.col.note", lang): history["note"],
            t("data.col.restored_from", lang): [("#" + str(int(v))) if pd.notna(v) else ""
                                                for v in history["restored_from"]],
        }), hide_index=True, width="stretch")
        st.caption(t("data.zones.history_help", lang))
        version = st.selectbox(t("data.zones.restore_pick", lang), list(history["version_id"]),
                               format_func=lambda v: f"#{v}", key=f"nm_zone_restore_pick_{zone_id}")
        if st.button(t("data.zones.restore", lang), key=f"nm_zone_restore_{zone_id}"):
            try:
                store.restore_zone(int(version), actor=actor)
            except StoreError as exc:
                st.error(esc(exc))
            else:
                flash("success", t("data.zones.restored", lang, version=int(version), zone=esc(names[zone_id])))
                st.rerun()
