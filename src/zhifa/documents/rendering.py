"""Rendering (文书制作): one content dict built from the data, printed by an HTML template to
PDF (WeasyPrint) and by a Word template to DOCX (docxtpl). Nothing here touches the database.

Failures (missing font, broken template) raise ``RenderFailed`` with a Chinese message for the
administrator; the service turns it into ``Refused([DOCUMENT_RENDER_FAILED])`` and stores nothing.
"""
from __future__ import annotations

import atexit
import datetime as dt
import io
import re
import threading
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import select_template

from . import rules
from .fonts import fc_match, font_stack
from .kinds import KindSpec

DOCX_DIR = Path(__file__).with_name("docx_templates")
DEFAULT_FONT = "Noto Serif CJK SC"
DEFAULT_HEADING_FONT = "Noto Sans CJK SC"
SEAL_MARKER = "data-seal"
DOCX_COMPRESSLEVEL = 6  # zlib's default; chosen by measurement (bench/bench_documents.py)
BLANK = "＿＿＿＿"


class RenderFailed(Exception):
    """The document could not be rendered; ``str(exc)`` is a Chinese message for the administrator."""


# --- Settings -----------------------------------------------------------------------------

def _zhifa() -> dict:
    return getattr(settings, "ZHIFA", {}) or {}


def fonts() -> tuple[str, str]:
    """(body font, heading font): ``ZHIFA["DOCUMENT_FONT"]``, ``ZHIFA["DOCUMENT_HEADING_FONT"]``."""
    conf = _zhifa()
    return conf.get("DOCUMENT_FONT", DEFAULT_FONT), conf.get("DOCUMENT_HEADING_FONT", DEFAULT_HEADING_FONT)


def number_pattern() -> str:
    return _zhifa().get("DOCUMENT_NUMBER_PATTERN", rules.DEFAULT_NUMBER_PATTERN)


def docx_dirs() -> list[Path]:
    """Where Word templates are looked up: ``ZHIFA["DOCUMENT_DOCX_DIRS"]`` first, then the
    templates shipped with zhifa."""
    return [Path(p) for p in _zhifa().get("DOCUMENT_DOCX_DIRS", [])] + [DOCX_DIR]


# --- Fonts --------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def font_available(family: str) -> bool:
    """Does fontconfig (which WeasyPrint uses) have ``family`` itself, not a fallback?"""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except Exception:  # pragma: no cover - WeasyPrint's system libraries missing
        return False
    with fc_match(ffi, fontconfig, _fc_config(), family) as match:
        if match is None:
            return False
        found, value, n = [], ffi.new("FcChar8 **"), 0
        while fontconfig.FcPatternGetString(match, b"family", n, value) == 0:
            found.append(ffi.string(value[0]).decode().casefold())
            n += 1
        return family.casefold() in found


@lru_cache(maxsize=1)
def _fc_config():
    from weasyprint.text.ffi import fontconfig

    return fontconfig.FcInitLoadConfigAndFonts()


def check_fonts() -> None:
    for family in dict.fromkeys(fonts()):
        if not font_available(family):
            raise RenderFailed(
                f"文书字体“{family}”未安装，无法生成 PDF。请安装该字体（Debian：apt-get install fonts-noto-cjk），"
                "或在设置 ZHIFA[\"DOCUMENT_FONT\"] 中改用已安装的中文字体。"
            )


# --- Values as printed text ---------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})")
_BOOL_TEXT = {True: "是", False: "否"}


def date_text(value: dt.date) -> str:
    """``2026年11月23日`` (成文日期 in Arabic numerals, GB/T 9704-2012 §7.3.5.1)."""
    return f"{value.year}年{value.month}月{value.day}日"


def text(value: Any) -> str:
    """A datum as printed: dates in Chinese form, lists joined, yes/no for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _BOOL_TEXT[value]
    if isinstance(value, dt.datetime):
        return f"{date_text(value)}{value.hour}时{value.minute:02d}分"
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, str):
        m = _ISO_DATETIME.match(value)
        if m:
            y, mo, d, h, mi = (int(x) for x in m.groups())
            return f"{y}年{mo}月{d}日{h}时{mi:02d}分"
        m = _ISO_DATE.match(value)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            return f"{y}年{mo}月{d}日"
        return value
    if isinstance(value, Mapping):
        return "，".join(text(v) for v in value.values() if not rules.is_blank(v))
    if isinstance(value, (list, tuple)):
        return "；".join(text(v) for v in value if not rules.is_blank(v))
    return str(value)


def as_list(value: Any) -> list[str]:
    if rules.is_blank(value):
        return []
    if isinstance(value, (list, tuple)):
        return [text(v) for v in value if not rules.is_blank(v)]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


_PLACEHOLDER = re.compile(r"\{([\w.]+)\}")


def fill(template: str, data: Mapping[str, Any]) -> str:
    """Replace ``{key}`` placeholders with the data as text; a missing datum prints a blank line."""

    def one(m: re.Match) -> str:
        value = text(rules.lookup(data, m.group(1)))
        return value if value else BLANK

    return _PLACEHOLDER.sub(one, template)


# --- Content ------------------------------------------------------------------------------

def json_ready(value: Any) -> Any:
    """The data as JSON (dates ISO, decimals as strings) for storage and for identical
    rendering of PDF and DOCX."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


RECORD_BODY_KEYS = ("content", "conclusion")
TABLE_KEYS = ("items", "served_documents")


def compose(
    spec: KindSpec,
    data: Mapping[str, Any],
    *,
    body: Mapping[str, Any],
    number: str,
    issued_on: dt.date,
    version: int = 1,
    void: bool = False,
    void_reason: str = "",
    preview: bool = False,
) -> dict:
    """The content of one document, the same for the PDF and the DOCX."""
    data = dict(data)
    data.setdefault("body", dict(body))
    data.setdefault("issued_on", issued_on.isoformat())
    body_font, heading_font = fonts()
    paragraphs = _paragraphs(spec, data)
    rows, record_body = _rows(spec, data)
    party_lines = _party_lines(data.get("party") or {}) if spec.layout == "decision" else []
    items = [
        {k: text(item.get(k)) for k in ("name", "spec", "quantity", "unit", "note")} if isinstance(item, Mapping)
        else {"name": text(item), "spec": "", "quantity": "", "unit": "", "note": ""}
        for item in (data.get("items") or [])
    ]
    served = [
        {"title": text(d.get("title")), "number": text(d.get("number"))} if isinstance(d, Mapping) else {"title": text(d), "number": ""}
        for d in (data.get("served_documents") or [])
    ]
    return {
        "kind": spec.code,
        "layout": spec.layout,
        "title": spec.title,
        "number": number,
        "version": version,
        "body_name": text(body.get("name")),
        "addressee": text(rules.lookup(data, spec.addressee)) if spec.addressee else "",
        "party_lines": party_lines,
        "preamble": fill(spec.preamble, data) if spec.preamble else "",
        "paragraphs": paragraphs,
        "rows": rows,
        "record_body": record_body,
        "closing": spec.closing,
        "items": items,
        "served": served,
        "signatures": list(spec.signatures),
        "seal": spec.seal,
        "issued_on": date_text(issued_on),
        "void": void,
        "void_reason": void_reason,
        "preview": preview,
        "font": body_font,
        "heading_font": heading_font,
        # CSS font-family values of the PDF layouts: the prepared face first (fonts.py)
        "font_family": font_stack(body_font, "serif"),
        "heading_font_family": font_stack(heading_font, "sans-serif"),
        "data": data,
    }


def _paragraphs(spec: KindSpec, data: Mapping[str, Any]) -> list[dict]:
    """The kind's paragraphs filled with the data; one with ``when`` only if that value is
    there, one with ``list`` only if the list has entries."""
    paragraphs = []
    for p in spec.paragraphs:
        if p.when:
            condition = rules.lookup(data, p.when)
            if not condition or rules.is_blank(condition):
                continue
        items = as_list(rules.lookup(data, p.list)) if p.list else []
        if p.list and not items:
            continue
        paragraphs.append({"text": fill(p.text, data), "entries": items})
    return paragraphs


def printed_text(spec: KindSpec, data: Mapping[str, Any]) -> str:
    """The document's text as printed (its paragraphs filled, lists included), one paragraph a
    line: what ``checks.check`` reads."""
    lines = []
    for p in _paragraphs(spec, data):
        lines.append(p["text"])
        lines.extend(p["entries"])
    return "\n".join(lines)


def _rows(spec: KindSpec, data: Mapping[str, Any]) -> tuple[list[dict], list[dict]]:
    """Letters print their data in the paragraphs; forms, records and receipts as table rows
    (a record's long texts — its body — apart)."""
    rows: list[dict] = []
    record_body: list[dict] = []
    if spec.layout not in ("form", "record", "receipt"):
        return rows, record_body
    for f in spec.fields:
        if f.key in TABLE_KEYS or f.key.startswith(("body.", "remedies.")) or f.key == "issued_on":
            continue
        value = rules.lookup(data, f.key)
        if spec.layout == "record" and f.key in RECORD_BODY_KEYS:
            record_body.append({"label": f.label, "text": text(value)})
            continue
        if isinstance(value, (list, tuple)):
            value_text = "\n".join(f"{i}. {v}" for i, v in enumerate(as_list(value), 1)) if len(value) > 1 else text(value)
        else:
            value_text = text(value)
        rows.append({"label": f.label, "value": value_text, "sign": f.sign})
    return rows, record_body


def _party_lines(party: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The party's lines at the head of a decision, as the official layout prints them: an
    organisation with 统一社会信用代码, 法定代表人（负责人） and 住所; a natural person with the ID
    document's kind and number and 住址; the address for service when it differs."""
    kind = party.get("kind")
    if kind == "organisation":
        labels = (("name", "当事人"), ("id_code", "统一社会信用代码"), ("legal_representative", "法定代表人（负责人）"),
                  ("address", "住所"))
    elif kind == "person":
        id_label = f"{text(party.get('id_type')) or '身份证件'}号码"
        labels = (("name", "当事人"), ("id_code", id_label), ("address", "住址"))
    else:
        labels = (("name", "当事人"), ("id_code", "统一社会信用代码（身份证件号码）"),
                  ("legal_representative", "法定代表人（负责人）"), ("address", "住所（住址）"))
    lines = [(label, text(party.get(key))) for key, label in labels if not rules.is_blank(party.get(key))]
    service = party.get("service_address")
    if not rules.is_blank(service) and service != party.get("address"):
        lines.append(("送达地址", text(service)))
    return lines


# --- HTML and PDF -------------------------------------------------------------------------

def html_template_names(spec: KindSpec, body_code: str) -> list[str]:
    """A body may override a layout with ``documents/<body code>/<layout>.html`` in a template
    directory (``TEMPLATES["DIRS"]``); otherwise the shipped layout is used."""
    return [f"documents/{body_code}/{spec.layout}.html", spec.template]


def _template(spec: KindSpec, body_code: str):
    names = html_template_names(spec, body_code)
    try:
        return select_template(names)
    except TemplateDoesNotExist:
        raise RenderFailed(f"文书模板“{names[-1]}”不存在，请联系系统管理员检查模板文件。") from None
    except TemplateSyntaxError as exc:
        raise RenderFailed(f"文书模板“{spec.template}”有语法错误：{exc}。请联系系统管理员修正模板。") from None


def template_has_seal_area(spec: KindSpec, body_code: str) -> bool:
    """Does the HTML layout mark a seal area (an element with ``data-seal``)? A layout that
    lost it cannot print a decision (APL art.59 ¶2)."""
    template = _template(spec, body_code)
    source = getattr(getattr(template, "template", None), "source", "")
    if source and "{% extends" in source:
        # The seal area usually lives in the parent layout: check the rendered skeleton.
        return SEAL_MARKER in _render_html(template, _skeleton(spec))
    return SEAL_MARKER in source


def _skeleton(spec: KindSpec) -> dict:
    return {"title": spec.title, "seal": spec.seal, "layout": spec.layout, "paragraphs": [], "rows": [], "items": [], "served": [],
            "signatures": [], "party_lines": [], "record_body": [], "font": "", "heading_font": "", "data": {}}


def _render_html(template, context: dict) -> str:
    try:
        return template.render(context)
    except Exception as exc:  # a template error at render time (bad filter, missing include …)
        raise RenderFailed(f"文书模板渲染出错：{exc}。请联系系统管理员修正模板。") from None


def render_html(spec: KindSpec, content: dict, body_code: str = "") -> str:
    return _render_html(_template(spec, body_code), content)


def render_pdf(spec: KindSpec, content: dict, body_code: str = "") -> bytes:
    """The PDF (A4) of the document."""
    check_fonts()
    html = render_html(spec, content, body_code)
    try:
        from weasyprint import HTML

        stylesheet, font_config = _pdf_fonts(content["font"], content["heading_font"])
        return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf(
            stylesheets=[stylesheet] if stylesheet is not None else None, font_config=font_config)
    except Exception as exc:
        raise RenderFailed(f"PDF 生成失败：{exc}。请联系系统管理员。") from None


def html_to_pdf(html: str, base_url: str, *, render: bool = False):
    """WeasyPrint on a page zhifa writes itself (a case file's cover, a report), with the prepared
    faces and the font configuration cached per thread (``_pdf_fonts``): the layout, or its PDF
    bytes unless ``render``. The layout's CSS should name ``font_stack`` families."""
    from weasyprint import HTML

    stylesheet, font_config = _pdf_fonts(*fonts())
    document = HTML(string=html, base_url=base_url).render(
        stylesheets=[stylesheet] if stylesheet is not None else None, font_config=font_config)
    return document if render else document.write_pdf()


_PDF_FONTS = threading.local()
# Dropped before the interpreter's teardown, whose order would make WeasyPrint's finalizer fail.
atexit.register(lambda: _PDF_FONTS.__dict__.clear())


def _pdf_fonts(body_font: str, heading_font: str):
    """The ``@font-face`` stylesheet of the prepared faces and WeasyPrint's font configuration,
    made once per thread and font setting: loading the faces for every document cost more than
    rendering its text. One per thread because Pango's font map is not shared across threads."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from . import fonts as prepared

    key = (body_font, heading_font, str(prepared.cache_dir()))
    cached = getattr(_PDF_FONTS, "value", None)
    if cached is None or cached[0] != key:
        font_config = FontConfiguration()
        css = prepared.font_faces_css(body_font, heading_font)
        stylesheet = CSS(string=css, font_config=font_config) if css else None
        cached = _PDF_FONTS.value = (key, stylesheet, font_config)
    return cached[1], cached[2]


# --- DOCX ---------------------------------------------------------------------------------

def docx_template_path(spec: KindSpec, body_code: str = "") -> Path:
    names = ([f"{body_code}/{n}" for n in spec.docx_templates] if body_code else []) + list(spec.docx_templates)
    for name in names:
        for directory in docx_dirs():
            candidate = directory / name
            if candidate.is_file():
                return candidate
    raise RenderFailed(f"Word 文书模板“{spec.docx_templates[-1]}”不存在，请联系系统管理员检查模板文件。")


def render_docx(spec: KindSpec, content: dict, body_code: str = "") -> bytes:
    """The Word document, from the same content as the PDF."""
    _CachingDocxTemplate = _docx_template_class_cached()
    path = docx_template_path(spec, body_code)
    try:
        template = _CachingDocxTemplate(io.BytesIO(_docx_with_fonts(path, content["font"], content["heading_font"])))
        template.render(content, jinja_env=_docx_jinja(), autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except RenderFailed:
        raise
    except Exception as exc:
        raise RenderFailed(f"Word 文书模板“{path.name}”有误：{exc}。请联系系统管理员修正模板。") from None
    return reproducible_zip(out.getvalue())


def _docx_template_class():
    from docxtpl import DocxTemplate

    class CachingDocxTemplate(DocxTemplate):
        """docxtpl's template whose preprocessing of the Word XML (``patch_xml``: regular
        expressions over the whole part, the same for every document of a template) is done
        once per distinct part."""

        def patch_xml(self, src_xml):
            return _patched_xml(src_xml, super().patch_xml)

    return CachingDocxTemplate


_docx_template_class_cached = lru_cache(maxsize=1)(_docx_template_class)
_PATCHED: dict[str, str] = {}


def _patched_xml(src_xml: str, patch) -> str:
    patched = _PATCHED.get(src_xml)
    if patched is None:
        if len(_PATCHED) > 256:
            _PATCHED.clear()
        patched = _PATCHED[src_xml] = patch(src_xml)
    return patched


@lru_cache(maxsize=1)
def _docx_jinja():
    """The Jinja environment of the Word templates: autoescaped, and compiling each distinct
    template part once per process (docxtpl compiles the part's XML for every document)."""
    from jinja2 import Environment

    class CachingEnvironment(Environment):
        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None:
                return super().from_string(source, globals, template_class)
            compiled = self._zhifa_compiled.get(source)
            if compiled is None:
                if len(self._zhifa_compiled) > 256:
                    self._zhifa_compiled.clear()
                compiled = self._zhifa_compiled[source] = super().from_string(source)
            return compiled

    env = CachingEnvironment(autoescape=True)
    env._zhifa_compiled = {}
    return env


def _docx_with_fonts(path: Path, body_font: str, heading_font: str) -> bytes:
    """The Word template with the font setting applied to its styles, read and prepared once per
    process (and again when the file changes): the styles are the same for every document."""
    stat = path.stat()
    return _docx_with_fonts_cached(str(path), stat.st_mtime_ns, stat.st_size, body_font, heading_font)


@lru_cache(maxsize=64)
def _docx_with_fonts_cached(path: str, mtime_ns: int, size: int, body_font: str, heading_font: str) -> bytes:
    from docx import Document

    document = Document(path)
    _apply_font(document, body_font, heading_font)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def reproducible_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ``ZIP_EPOCH``: python-docx stamps each part with the
    time of saving, so two renders of the same data a second apart differed; the stored files must
    be byte for byte a function of the data (a re-render after a crash, two concurrent renders)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename), compresslevel=DOCX_COMPRESSLEVEL)
    return out.getvalue()


def _apply_font(document, body_font: str, heading_font: str) -> None:
    """The font setting applies to Word too: Normal and table text in the body font, the
    title style in the heading font (East Asian and Latin slots)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    for style in document.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.TABLE):
            continue
        family = heading_font if style.name in ("Title", "DocTitle", "BodyName") else body_font
        rpr = style.element.get_or_add_rPr()
        fonts_el = rpr.find(qn("w:rFonts"))
        if fonts_el is None:
            fonts_el = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts_el)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts_el.set(qn(attr), family)
