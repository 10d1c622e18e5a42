"""Document kinds (文书种类) as data: ``kinds.toml`` loaded into frozen specs.

Pure: no Django, no database. The specs say what each document needs (required fields with the
law that requires them), how its number is formed (its 文书代字) and which layout prints it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

KINDS_FILE = Path(__file__).with_name("kinds.toml")
LAYOUTS = ("form", "record", "letter", "decision", "notice", "seizure", "receipt")


@dataclass(frozen=True)
class FieldSpec:
    """One datum a document needs (文书要素): a dotted key into the context, its Chinese label,
    whether it is required and the law that requires it."""

    key: str
    label: str
    required: bool = True
    basis: str = ""
    sign: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a letter: text with ``{key}`` placeholders, printed only ``when`` the key
    is truthy; ``list`` names a list in the data printed as numbered items after the text."""

    text: str
    when: str = ""
    list: str = ""


@dataclass(frozen=True)
class KindSpec:
    """A document kind (文书种类)."""

    code: str
    title: str
    abbreviation: str
    layout: str
    basis: str
    fields: tuple[FieldSpec, ...]
    paragraphs: tuple[Paragraph, ...] = ()
    addressee: str = ""
    preamble: str = ""
    closing: str = ""
    signatures: tuple[str, ...] = ()
    seal: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def template(self) -> str:
        """The HTML template of the layout (``documents/<layout>.html``)."""
        return f"documents/{self.layout}.html"

    @property
    def docx_templates(self) -> tuple[str, ...]:
        """Word templates in order of preference: one for the layout, else the generic one."""
        return (f"{self.layout}.docx", "document.docx")

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def mentions_remedies(self) -> bool:
        """Does the document tell the party how to seek reconsideration or sue (救济途径)?"""
        return any("remedies." in p.text for p in self.paragraphs) or any(f.key.startswith("remedies.") for f in self.fields)


def _paragraph(raw) -> Paragraph:
    if isinstance(raw, str):
        return Paragraph(raw)
    return Paragraph(raw.get("text", ""), raw.get("when", ""), raw.get("list", ""))


def parse_kinds(raw: dict) -> dict[str, KindSpec]:
    """Build specs from the parsed TOML; raises ``ValueError`` (in Chinese) on a malformed kind."""
    kinds = {}
    for code, entry in raw.items():
        layout = entry.get("layout", "letter")
        if layout not in LAYOUTS:
            raise ValueError(f"文书种类“{code}”的版式“{layout}”不存在，可选：{'、'.join(LAYOUTS)}")
        for required in ("title", "abbreviation"):
            if not entry.get(required):
                raise ValueError(f"文书种类“{code}”缺少“{required}”")
        kinds[code] = KindSpec(
            code=code,
            title=entry["title"],
            abbreviation=entry["abbreviation"],
            layout=layout,
            basis=entry.get("basis", ""),
            fields=tuple(
                FieldSpec(f["key"], f["label"], f.get("required", True), f.get("basis", ""), f.get("sign", False))
                for f in entry.get("fields", [])
            ),
            paragraphs=tuple(_paragraph(p) for p in entry.get("paragraphs", [])),
            addressee=entry.get("addressee", ""),
            preamble=entry.get("preamble", ""),
            closing=entry.get("closing", ""),
            signatures=tuple(entry.get("signatures", [])),
            seal=entry.get("seal", layout in ("letter", "decision", "notice", "seizure")),
        )
    return kinds


@lru_cache(maxsize=1)
def all_kinds() -> dict[str, KindSpec]:
    """Every kind of ``kinds.toml``, in file order (the order of use, legal-rules.md §F)."""
    with KINDS_FILE.open("rb") as fh:
        return parse_kinds(tomllib.load(fh))


def get(code: str) -> KindSpec | None:
    return all_kinds().get(code)


def choices() -> list[tuple[str, str]]:
    """``(code, title)`` pairs for model and form choices."""
    return [(k.code, k.title) for k in all_kinds().values()]
