"""Issue 15 §5: every spreadsheet read is capped before parsing (unpacked size, rows, sheets) and
every image opened is capped in pixels; the refusal is a Chinese message, never a 500 or a worker
held at a gigabyte."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhifa.core.importing.reading import SpreadsheetError, read_sheets, iter_rows


def _xlsx(rows: int = 3, sheets: int = 1, text: str = "x") -> bytes:
    book = Workbook()
    for n in range(sheets):
        sheet = book.active if n == 0 else book.create_sheet(f"表{n}")
        for r in range(rows):
            sheet.append([f"{text}{r}", r])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def caps(settings):
    settings.ZHIFA = {**settings.ZHIFA, "SPREADSHEET_MAX_UNPACKED_MB": 1, "SPREADSHEET_MAX_ROWS": 50, "SPREADSHEET_MAX_SHEETS": 3}
    return settings


def test_a_zip_bomb_is_refused_before_parsing(caps):
    """A small .xlsx whose XML unpacks beyond the limit (here 1 MB; 100 MB by default)."""
    data = _xlsx(rows=20, text="炸" * 30000)
    assert len(data) < 200_000
    with pytest.raises(SpreadsheetError, match="解压后超过 1 MB"):
        read_sheets(data, "bomb.xlsx")


def test_a_zip_whose_declared_size_lies_is_refused(caps):
    """Entries that claim to be small but inflate to more fail the CRC check: refused as damaged."""
    payload = b"<x>" + b"A" * 3_000_000 + b"</x>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", payload)
    data = bytearray(buffer.getvalue())
    # rewrite the uncompressed size of every entry (local headers and central directory) to 10 bytes
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset:start + offset + 4] = (10).to_bytes(4, "little")
            start += 4
    with pytest.raises(SpreadsheetError):
        read_sheets(bytes(data), "liar.xlsx")


def test_too_many_rows_in_a_sheet_are_refused(caps):
    with pytest.raises(SpreadsheetError, match="超过每表 50 行"):
        read_sheets(_xlsx(rows=51), "rows.xlsx")
    assert len(read_sheets(_xlsx(rows=50), "rows.xlsx")[0].rows) == 50


def test_too_many_rows_in_a_csv_are_refused(caps):
    data = ("a,b\n" * 51).encode()
    with pytest.raises(SpreadsheetError, match="超过每表 50 行"):
        read_sheets(data, "rows.csv")
    with pytest.raises(SpreadsheetError, match="超过每表 50 行"):
        list(iter_rows(data, "rows.csv"))


def test_too_many_sheets_are_refused(caps):
    with pytest.raises(SpreadsheetError, match="4 个工作表"):
        read_sheets(_xlsx(sheets=4), "sheets.xlsx")
    assert len(read_sheets(_xlsx(sheets=3), "sheets.xlsx")) == 3


def test_ordinary_spreadsheets_still_read(settings):
    sheets = read_sheets(_xlsx(rows=200), "ok.xlsx")
    assert len(sheets[0].rows) == 200


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, "PNG")
    return out.getvalue()


def test_an_image_with_too_many_pixels_is_refused_with_a_chinese_reason(settings):
    from zhifa.inspections.services.photos import PHOTO_TOO_LARGE, _check_uploads

    settings.ZHIFA = {**settings.ZHIFA, "IMAGE_MAX_PIXELS": 100_000}
    upload = SimpleUploadedFile("bomb.png", _png(2000, 2000), content_type="image/png")
    checked, found = _check_uploads([upload], set())
    assert checked == [] and [v.code for v in found] == [PHOTO_TOO_LARGE]
    assert "像素" in found[0].message
    # between one and two times the limit (Pillow only warns there): refused too
    upload = SimpleUploadedFile("big.png", _png(400, 400), content_type="image/png")
    checked, found = _check_uploads([upload], set())
    assert checked == [] and [v.code for v in found] == [PHOTO_TOO_LARGE]


def test_pillow_limit_comes_from_the_setting(settings):
    from PIL import Image

    assert Image.MAX_IMAGE_PIXELS == settings.ZHIFA["IMAGE_MAX_PIXELS"]
