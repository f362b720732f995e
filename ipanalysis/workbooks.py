"""Workbooks with the same bytes for the same content: fixed document dates and fixed zip entry times. Used by the
report's workbook and the curation workbook."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = datetime.datetime(2000, 1, 1)
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with fixed creation and modification dates and zip entry times."""
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # not workbook.save(), which stamps the time of saving
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def save_workbook(workbook: Workbook, path: Path) -> Path:
    """Write the workbook to path (folders created), byte-identical for identical content."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(workbook))
    return path
