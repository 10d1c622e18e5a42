"""Fonts prepared once for documents (文书字体预处理).

A CJK face has 65,000 glyphs (Noto Serif CJK SC: 26 MB). WeasyPrint subsets the face of every
document it prints, and keeps the glyph ids (RETAIN_GIDS): with the system face that meant walking
tens of thousands of glyphs for each of the two faces a decision uses, a third of its rendering
time. So the faces named by ``ZHIFA["DOCUMENT_FONT"]`` and ``ZHIFA["DOCUMENT_HEADING_FONT"]`` are
reduced once, per machine, to the characters official documents use — GB 2312 (its 6,763 hanzi
and its symbols), ASCII and Latin-1, general and CJK punctuation, full-width forms, circled and
Roman numerals — about 8,000 glyphs with compact ids (HarfBuzz's subsetter, seconds), and stored
under ``VAR_DIR/fonts/`` named by the hash of the source face and of the character set. The
layouts name the prepared face first and the system face after it (``font_stack``), so a rare
character (堃, 喆, 龘 …) falls back to the full face glyph by glyph: nothing prints as a box.

The prepared file is a function of the source face and the character set: documents rendered
from the same data stay byte for byte the same.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

PREPARED_VERSION = "1"  # part of the cache key: bump when the character set or the method changes
PREFIX = "Zhifa "  # the prepared face's CSS family: "Zhifa Noto Serif CJK SC"


def document_charset() -> list[int]:
    """The code points official documents use (sorted): GB 2312 in full, ASCII, Latin-1,
    general punctuation, CJK symbols and punctuation, full-width forms, numbers in circles and
    Roman numerals, geometric shapes (□ ☑ for check boxes)."""
    chars: set[int] = set()
    for start, end in ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x2100, 0x2190), (0x2190, 0x2200),
                       (0x2460, 0x2500), (0x25A0, 0x2600), (0x2610, 0x2613), (0x3000, 0x3040), (0xFE30, 0xFE50),
                       (0xFF00, 0xFFF0)):
        chars.update(range(start, end))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(chars)


# --- HarfBuzz subsetter (cffi, ABI mode; the libraries WeasyPrint already needs) -------------

_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t * hb_face_reference_blob (hb_face_t *face);
unsigned int hb_face_get_glyph_count (const hb_face_t *face);
void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints, unsigned int num_codepoints);
hb_subset_input_t * hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t * hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
_SETS_UNICODE = 1
_FLAG_NAME_LEGACY = 0x08  # keep the face's names; the CSS family comes from @font-face anyway
_FLAG_NOTDEF_OUTLINE = 0x40


@lru_cache(maxsize=1)
def _harfbuzz():
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    hb = ffi.dlopen("harfbuzz") if _has("harfbuzz") else ffi.dlopen("libharfbuzz.so.0")
    sub = ffi.dlopen("harfbuzz-subset") if _has("harfbuzz-subset") else ffi.dlopen("libharfbuzz-subset.so.0")
    return ffi, hb, sub


def _has(name: str) -> bool:
    import ctypes.util

    return ctypes.util.find_library(name) is not None


def subset_face(path: str, index: int, codepoints: list[int]) -> bytes:
    """The face ``index`` of the font file ``path`` reduced to ``codepoints`` (and the glyphs its
    layout features reach), with compact glyph ids, as an OpenType file."""
    ffi, hb, sub = _harfbuzz()
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        raise OSError(f"无法读取字体文件 {path}")
    face = hb.hb_face_create(blob, index)
    subset_input = sub.hb_subset_input_create_or_fail()
    try:
        unicodes = sub.hb_subset_input_set(subset_input, _SETS_UNICODE)
        array = ffi.new(f"hb_codepoint_t[{len(codepoints)}]", codepoints)
        hb.hb_set_add_sorted_array(unicodes, array, len(codepoints))
        sub.hb_subset_input_set_flags(subset_input, _FLAG_NAME_LEGACY | _FLAG_NOTDEF_OUTLINE)
        result = sub.hb_subset_or_fail(face, subset_input)
        if result == ffi.NULL:
            raise OSError(f"无法精简字体 {path}")
        try:
            out_blob = hb.hb_face_reference_blob(result)
            length = ffi.new("unsigned int *")
            data = hb.hb_blob_get_data(out_blob, length)
            content = bytes(ffi.buffer(data, length[0]))
            hb.hb_blob_destroy(out_blob)
        finally:
            hb.hb_face_destroy(result)
    finally:
        sub.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
    return content


# --- The prepared faces -----------------------------------------------------------------------

_FC_CDEF = """
typedef struct _FcConfig FcConfig;
typedef struct _FcPattern FcPattern;
typedef unsigned char FcChar8;
typedef int FcBool;
typedef enum { FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId, FcResultOutOfMemory } FcResult;
typedef enum { FcMatchPattern, FcMatchFont, FcMatchScan } FcMatchKind;
FcConfig * FcInitLoadConfigAndFonts (void);
FcPattern * FcPatternCreate (void);
void FcPatternDestroy (FcPattern *p);
FcBool FcPatternAddString (FcPattern *p, const char *object, const FcChar8 *s);
FcBool FcPatternAddInteger (FcPattern *p, const char *object, int i);
FcBool FcConfigSubstitute (FcConfig *config, FcPattern *p, FcMatchKind kind);
void FcDefaultSubstitute (FcPattern *pattern);
FcPattern * FcFontMatch (FcConfig *config, FcPattern *p, FcResult *result);
FcResult FcPatternGetString (const FcPattern *p, const char *object, int n, FcChar8 **s);
FcResult FcPatternGetInteger (const FcPattern *p, const char *object, int n, int *i);
"""


@lru_cache(maxsize=1)
def _fontconfig():
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_FC_CDEF)
    fc = ffi.dlopen("fontconfig") if _has("fontconfig") else ffi.dlopen("libfontconfig.so.1")
    return ffi, fc, fc.FcInitLoadConfigAndFonts()


@contextmanager
def fc_match(ffi, fc, config, family: str, weight: int | None = None):
    """fontconfig's best match (``FcFontMatch``) for ``family`` (and ``weight``), or ``None``; both
    the pattern and the match are destroyed on leaving. ``ffi``/``fc``: a binding of the library
    (WeasyPrint's, or ``_fontconfig``'s)."""
    pattern = fc.FcPatternCreate()
    match = ffi.NULL
    try:
        fc.FcPatternAddString(pattern, b"family", family.encode())
        if weight is not None:
            fc.FcPatternAddInteger(pattern, b"weight", weight)
        fc.FcConfigSubstitute(config, pattern, fc.FcMatchPattern)
        fc.FcDefaultSubstitute(pattern)
        match = fc.FcFontMatch(config, pattern, ffi.new("FcResult *"))
        yield None if match == ffi.NULL else match
    finally:
        if match != ffi.NULL:
            fc.FcPatternDestroy(match)
        fc.FcPatternDestroy(pattern)


def _font_file(family: str, bold: bool) -> tuple[str, int] | None:
    """(file, face index) fontconfig gives for ``family`` in that weight (the family itself, not
    a fallback: ``rendering.font_available``)."""
    from .rendering import font_available

    if not font_available(family):
        return None
    ffi, fc, config = _fontconfig()
    with fc_match(ffi, fc, config, family, 200 if bold else 80) as match:  # FC_WEIGHT_BOLD / FC_WEIGHT_REGULAR
        if match is None:
            return None
        value, index = ffi.new("FcChar8 **"), ffi.new("int *")
        if fc.FcPatternGetString(match, b"file", 0, value) != fc.FcResultMatch:
            return None
        if fc.FcPatternGetInteger(match, b"index", 0, index) != fc.FcResultMatch:
            index[0] = 0
        return ffi.string(value[0]).decode(), index[0]


def cache_dir() -> Path:
    """``VAR_DIR/fonts`` (beside the database and the media folder; not under MEDIA_ROOT, which
    the test suites move to a temporary folder per test)."""
    return Path(settings.VAR_DIR) / "fonts"


_LOCK = threading.Lock()


def prepared_face(family: str, bold: bool = False) -> Path | None:
    """The prepared file of ``family`` (regular or bold), built on first use; None when the
    family is not installed or cannot be reduced (documents then use the system face)."""
    return _prepared_face(family, bold, str(cache_dir()))


@lru_cache(maxsize=16)
def _prepared_face(family: str, bold: bool, directory: str) -> Path | None:
    source = _font_file(family, bold)
    if source is None:
        return None
    path, index = source
    stat = os.stat(path)
    key = hashlib.sha256(f"{PREPARED_VERSION}|{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = Path(directory) / f"{family.replace(' ', '_')}-{'bold' if bold else 'regular'}-{key}.otf"
    if target.exists():
        return target
    with _LOCK:
        if target.exists():
            return target
        try:
            content = subset_face(path, index, document_charset())
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(content)
            os.replace(temporary, target)  # atomic: another process never reads half a font
        except Exception:
            logger.warning("无法预处理文书字体 %s，改用系统字体", family, exc_info=True)
            return None
    return target


def font_faces_css(body_font: str, heading_font: str) -> str:
    """``@font-face`` rules of the prepared faces (body regular and bold, heading bold)."""
    rules = []
    for family, bold in ((body_font, False), (body_font, True), (heading_font, True), (heading_font, False)):
        path = prepared_face(family, bold)
        if path is not None:
            weight = "bold" if bold else "normal"
            rules.append(f'@font-face {{ font-family: "{PREFIX}{family}"; font-weight: {weight}; src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)


def font_stack(family: str, generic: str) -> str:
    """The CSS ``font-family`` value: the prepared face, then the system face (rare characters
    fall back to it glyph by glyph), then the generic family. Quotes and backslashes in a
    configured name are dropped: the value is written into the layouts' CSS as it is."""
    family = family.replace('"', "").replace("\\", "")
    return f'"{PREFIX}{family}", "{family}", {generic}'
