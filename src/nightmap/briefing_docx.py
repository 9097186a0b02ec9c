"""The daily briefing as a Word file in the official house style (python-docx).

A4 portrait with the margins of the national standard for official documents
(GB/T 9704: top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm), a red title,
a date line under a red rule, numbered sections (一、二、三…) with 黑体 headings
and a 仿宋 body at 三号 (16 pt) on a fixed 28-pt line, tables and the map
picture with captions, the issuer and date at the end, and the page number
(``— 1 —``) in the footer.

Chinese fonts are named by what a bureau's Windows machine has — 方正小标宋简体
for the title, 黑体 for headings, 仿宋_GB2312 for the body, 楷体_GB2312 for the
date line — set as the east-Asian font (``w:eastAsia`` of ``w:rFonts``); the font
table gives each an ``altName`` (Noto Serif CJK SC or Noto Sans CJK SC, Debian's
``fonts-noto-cjk``) for machines without them. English documents use Times New
Roman and Arial.

The content comes in as plain blocks (:class:`Table`, :class:`Picture`, strings)
from :mod:`nightmap.briefing`; nothing here computes a number.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from nightmap.errors import NightmapError

TEXT_WIDTH_CM = 15.6
"""A4 (21 cm) less the left (2.8 cm) and right (2.6 cm) margins."""
RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
ZH_FONTS: dict[str, tuple[str, str, str]] = {
    # role: (east-Asian font, its fallback, Latin font)
    "title": ("方正小标宋简体", "Noto Serif CJK SC", "Times New Roman"),
    "heading": ("黑体", "Noto Sans CJK SC", "Times New Roman"),
    "body": ("仿宋_GB2312", "Noto Serif CJK SC", "Times New Roman"),
    "date": ("楷体_GB2312", "Noto Serif CJK SC", "Times New Roman"),
}
EN_LATIN: dict[str, str] = {"title": "Arial", "heading": "Arial", "body": "Times New Roman", "date": "Times New Roman"}


@dataclass
class Table:
    """A table with a caption above it; columns in ``numeric`` are right-aligned."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)


@dataclass
class Picture:
    """A picture (PNG bytes) with a caption below it."""

    png: bytes
    caption: str
    width_cm: float = 15.6


@dataclass
class Section:
    """A numbered section: its heading (without the number) and its blocks in order."""

    heading: str
    blocks: list[str | Table | Picture]


def section_number(i: int, lang: str) -> str:
    """``一、`` … ``十、`` for sections 1–10 in Chinese, ``1.`` in English."""
    if lang == "en":
        return f"{i}. "
    return "一二三四五六七八九十"[i - 1] + "、"


def _fonts(element, east_asia: str, latin: str) -> None:  # noqa: ANN001 - a style's or run's rPr owner
    """Set the Latin and east-Asian font of a style or run, dropping theme fonts that would override them."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        rfonts.set(qn(attr), name)


def _style(doc, name: str, *, role: str, size: float, lang: str, base: str = "Normal",  # noqa: ANN001
           align: int | None = None, bold: bool = False, colour: RGBColor = BLACK, line: float | None = None,
           indent: bool = False, before: float = 0, after: float = 0) -> None:
    """A paragraph style (made, or the built-in one re-dressed) with fonts by role and spacing in points."""
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != base:
        style.base_style = styles[base]
    east, _, latin = ZH_FONTS[role]
    _fonts(style.element, east, EN_LATIN[role] if lang == "en" else latin)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = colour
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        fmt.line_spacing = 1.15
    fmt.first_line_indent = Pt(2 * size) if indent else Pt(0)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = name in ("Heading 1", "NM Caption Above")
    pbdr = style.element.pPr.find(qn("w:pBdr")) if style.element.pPr is not None else None
    if pbdr is not None:  # the built-in Title has a rule under it
        style.element.pPr.remove(pbdr)


def _setup(doc, lang: str) -> None:  # noqa: ANN001
    """Page, margins, language and the styles of the house style."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.4)
    zh = lang != "en"
    body = 16 if zh else 12
    _style(doc, "Normal", role="body", size=body, lang=lang, line=28 if zh else None, indent=zh,
           after=0 if zh else 6)
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "en-US" if zh else "en-GB")  # Latin text (digits) breaks as Latin, not mid-number
    lang_el.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang_el)
    _style(doc, "Title", role="title", size=22 if zh else 18, lang=lang, align=WD_ALIGN_PARAGRAPH.CENTER,
           colour=RED, bold=not zh, line=36 if zh else None, after=6)
    _style(doc, "NM Date", role="date", size=16 if zh else 12, lang=lang, align=WD_ALIGN_PARAGRAPH.CENTER,
           line=28 if zh else None, after=4)
    _style(doc, "Heading 1", role="heading", size=16 if zh else 13, lang=lang, bold=not zh, line=28 if zh else None,
           indent=zh, before=6, after=0 if zh else 4)
    _style(doc, "NM Caption Above", role="heading", size=12 if zh else 10, lang=lang, bold=not zh,
           align=WD_ALIGN_PARAGRAPH.CENTER, before=8, after=4)
    _style(doc, "NM Caption", role="date", size=12 if zh else 10, lang=lang, align=WD_ALIGN_PARAGRAPH.CENTER,
           after=8)
    _style(doc, "NM Cell", role="body", size=10.5 if zh else 9.5, lang=lang, line=None)
    doc.styles["NM Cell"].paragraph_format.line_spacing = 1.0
    _style(doc, "NM Picture", role="body", size=body, lang=lang, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    _style(doc, "NM Sign", role="body", size=body, lang=lang, align=WD_ALIGN_PARAGRAPH.RIGHT,
           line=28 if zh else None)
    _style(doc, "Footer", role="body", size=14 if zh else 10, lang=lang, align=WD_ALIGN_PARAGRAPH.CENTER)
    _font_fallbacks(doc)


def _font_fallbacks(doc) -> None:  # noqa: ANN001
    """Name each Chinese font in the font table with its Noto fallback (``w:altName``) and family."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    for east, alt, _ in ZH_FONTS.values():
        if root.find(f"{qn('w:font')}[@{qn('w:name')}='{east}']") is not None:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), east)
        for tag, val in (("w:altName", alt), ("w:charset", "86"),
                         ("w:family", "swiss" if "Sans" in alt else "roman"), ("w:pitch", "variable")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            font.append(el)
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # a plain Part


def _page_number(doc) -> None:  # noqa: ANN001
    """``— 1 —`` centred in the footer: a PAGE field between two dashes."""
    para = doc.sections[0].footer.paragraphs[0]
    para.style = doc.styles["Footer"]
    para.add_run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = para.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            run.text = text
            continue
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    para.add_run(" —")


def _red_rule(doc) -> None:  # noqa: ANN001
    """An empty paragraph with a red line under it, between the heading block and the text."""
    para = doc.add_paragraph(style="NM Date")
    ppr = para._p.get_or_add_pPr()
    border = parse_xml(
        '<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:bottom w:val="single" w:sz="18" w:space="1" w:color="C00000"/></w:pBdr>'
    )
    ppr.append(border)
    para.paragraph_format.space_after = Pt(10)
    para.paragraph_format.line_spacing = Pt(8)


def _cell_shade(cell, fill: str) -> None:  # noqa: ANN001
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _display_len(text: str) -> int:
    """Width of ``text`` in half-ems: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _widths(table: Table, total: float, size_pt: float) -> list[float]:
    """Column widths (cm) summing to ``total``: a numeric column as wide as its longest value (so a number
    never breaks), the text columns sharing the rest by their longest cell (capped, so a long event title
    wraps instead of squeezing the others)."""
    half_em = size_pt / 2 * 0.03528 * 1.1  # cm, with a little air
    columns = list(zip(table.header, *table.rows, strict=True))
    body = [max((_display_len(str(v)) for v in col[1:]), default=0) for col in columns]
    head = [max((_display_len(w) for w in str(col[0]).split()), default=0) for col in columns]
    fixed = {i: max(body[i], min(head[i], 6)) * half_em + 0.45 for i in range(len(columns)) if i in table.numeric}
    needs = {i: max(8, min(30, body[i])) for i in range(len(columns)) if i not in table.numeric}
    rest = total - sum(fixed.values())
    if needs and rest < 2.0 * len(needs):  # too many numbers for the page: share it all by need
        return [total * n / sum(body) for n in body] if sum(body) else [total / len(columns)] * len(columns)
    widths = [fixed.get(i, 0.0) + (rest * needs[i] / sum(needs.values()) if i in needs else 0.0)
              for i in range(len(columns))]
    if not needs:
        widths = [w * total / sum(widths) for w in widths]
    return widths


def _table(doc, table: Table) -> None:  # noqa: ANN001
    """The caption, then a gridded table with a shaded header row repeated on each page."""
    doc.add_paragraph(table.caption, style="NM Caption Above")
    out = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    widths = _widths(table, TEXT_WIDTH_CM, doc.styles["NM Cell"].font.size.pt)
    for c, width in enumerate(widths):
        out.columns[c].width = Cm(width)
    trpr = out.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    for r, values in enumerate([table.header, *table.rows]):
        for c, value in enumerate(values):
            cell = out.cell(r, c)
            cell.width = Cm(widths[c])
            para = cell.paragraphs[0]
            para.style = doc.styles["NM Cell"]
            run = para.add_run(str(value))
            if r == 0:
                run.bold = True
                _cell_shade(cell, "E7E6E6")
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c in table.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(style="NM Caption")  # air below the table


def build(*, title: list[str], date_line: str, sections: list[Section], sign: tuple[str, str], lang: str,
          subject: str = "") -> bytes:
    """The DOCX bytes of a briefing.

    Parameters
    ----------
    title, date_line
        The red title (its lines) and the date line under it.
    sections
        The numbered sections, in order.
    sign
        The issuer and the date written at the end (落款).
    lang
        ``"zh"`` (official Chinese layout) or ``"en"``.
    subject
        The file's subject property (e.g. the view it shows).
    """
    doc = Document()
    _setup(doc, lang)
    doc.core_properties.title = "".join(title)
    doc.core_properties.subject = subject
    doc.core_properties.author = sign[0]
    doc.core_properties.language = "zh-CN" if lang != "en" else "en-GB"
    head = doc.add_paragraph(style="Title")
    for i, line in enumerate(title):
        run = head.add_run(line)
        if i < len(title) - 1:
            run.add_break()
    doc.add_paragraph(date_line, style="NM Date")
    _red_rule(doc)
    for i, section in enumerate(sections, start=1):
        doc.add_paragraph(section_number(i, lang) + section.heading, style="Heading 1")
        for block in section.blocks:
            if isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Picture):
                para = doc.add_paragraph(style="NM Picture")
                para.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
                doc.add_paragraph(block.caption, style="NM Caption")
            else:
                doc.add_paragraph(block)
    doc.add_paragraph(style="NM Sign")
    for line in sign:
        doc.add_paragraph(line, style="NM Sign")
    _page_number(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- PDF


class PdfError(NightmapError):
    """LibreOffice is missing or could not convert the document."""


def office() -> str | None:
    """The LibreOffice program on PATH (``libreoffice`` or ``soffice``), or ``None``."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def _profile(folder: Path) -> None:
    """A LibreOffice user profile that draws each Chinese font with its Noto fallback when it is missing.

    LibreOffice ignores the font table's ``altName``; its replacement table does the same job.
    """
    pairs = "".join(
        f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs"><node oor:name="_{i}" '
        'oor:op="replace"><prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
        '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(east)}</value></prop>'
        f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(alt)}</value></prop></node></item>'
        for i, (east, alt, _) in enumerate(ZH_FONTS.values())
    )
    user = folder / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution"><prop oor:name="Replacement" '
        f'oor:op="fuse"><value>true</value></prop></item>{pairs}</oor:items>\n',
        encoding="utf-8",
    )


def to_pdf(docx_path: Path, *, program: str | None = None, timeout: float = 180) -> Path:
    """Convert a DOCX to a PDF beside it with ``libreoffice --headless --convert-to pdf``.

    Runs in a throwaway profile (so a LibreOffice already open does not block it) that maps
    the Chinese fonts to Noto (:func:`_profile`).

    Raises
    ------
    PdfError
        When LibreOffice is not on PATH, fails or writes no PDF.
    """
    program = program or office()
    if program is None:
        raise PdfError("LibreOffice (libreoffice / soffice) is not on PATH")
    docx_path = Path(docx_path).resolve()
    with tempfile.TemporaryDirectory(prefix="nightmap-pdf-") as tmp:
        _profile(Path(tmp) / "profile")
        out = Path(tmp) / "out"
        cmd = [program, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out), str(docx_path)]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(str(exc)) from None
        made = out / (docx_path.stem + ".pdf")
        if not made.exists():
            raise PdfError((run.stderr or run.stdout or f"exit status {run.returncode}").strip()[-300:])
        target = docx_path.with_suffix(".pdf")
        shutil.move(str(made), target)
    return target
