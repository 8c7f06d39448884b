"""Turn uploaded bytes (or a path) into something DuckDB's CSV reader can read safely.

Order of checks, each with its own message: size, magic bytes (Excel, zip,
images, PDF), encoding (UTF-8 with or without BOM, UTF-16 with BOM, else
cp1252), Excel's `sep=;` hint line, delimiter, header. A header in mojibake
(`ResponsÃ¡vel`: UTF-8 once read as Latin-1) gets the whole file repaired when
the repair round-trips, else the header alone. The data itself is never
parsed here: DuckDB reads it (see `analytics.importers.load`).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from analytics.errors import ImportRejected

MAX_FILE_BYTES = 1024 * 1024 * 1024  # 1 GiB; the app's upload limit is lower (see .streamlit/config.toml)
MAX_COLUMNS = 1000
SNIFF_BYTES = 256 * 1024

_MAGIC = [
    (b"PK\x03\x04", "an Excel workbook or a zip archive", "Export it as CSV (in Excel: File > Save As > CSV UTF-8) and upload the CSV."),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook", "Export it as CSV and upload the CSV."),
    (b"\x89PNG", "a PNG image", "Upload the CSV export from your tool instead."),
    (b"\xff\xd8\xff", "a JPEG image", "Upload the CSV export from your tool instead."),
    (b"%PDF", "a PDF document", "Upload the CSV export from your tool instead."),
    (b"\x1f\x8b", "a gzip archive", "Decompress it and upload the CSV inside."),
]


@dataclass(frozen=True)
class TextFile:
    """A delimited text file ready for DuckDB: UTF-8 on disk, header already parsed."""

    name: str
    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    skip_lines: int  # physical lines before the first data record (hint line + header)
    size: int
    temporary: bool

    def cleanup(self) -> None:
        if self.temporary:
            try:
                os.unlink(self.path)
            except OSError:
                pass


def _check_magic(name: str, head: bytes) -> None:
    for magic, what, hint in _MAGIC:
        if head.startswith(magic):
            if magic == b"PK\x03\x04" and b"xl/" not in head[:4096] and b"[Content_Types]" not in head[:4096]:
                what, hint = "a zip archive", "Unzip it and upload the CSV inside."
            elif magic == b"PK\x03\x04":
                what = "an Excel workbook (.xlsx)"
            raise ImportRejected(name, f"this is {what}, not a CSV.", hint=hint)
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRejected(name, "this is a binary file, not a CSV export.",
                             hint="Upload the CSV export from your tool.")


def _decode_head(name: str, head: bytes, complete: bool) -> tuple[str, str]:
    """Return (encoding, decoded text of the head)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", head.decode("utf-8-sig", errors="replace")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", head.decode("utf-16", errors="replace")
    try:
        return "utf-8", head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a multi-byte character at the end of the sniffed head is fine.
        if not complete and exc.start >= len(head) - 3:
            return "utf-8", head[: exc.start].decode("utf-8")
    return "cp1252", head.decode("cp1252", errors="replace")


def _split_hint(text: str) -> tuple[str | None, str]:
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) <= 6:
        return first.strip()[4:5] or None, rest
    return None, text


def _sniff_delimiter(name: str, text: str) -> str:
    best, best_count = ",", 0
    for delim in (",", ";", "\t", "|"):
        try:
            row = next(csv.reader(io.StringIO(text), delimiter=delim, quotechar='"'))
        except (StopIteration, csv.Error):
            continue
        if len(row) > best_count:
            best, best_count = delim, len(row)
    return best


def _parse_header(name: str, text: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(name, "the file is empty.", hint="Export again from your tool; the file has no rows.")
    except csv.Error as exc:
        raise ImportRejected(name, f"the header row cannot be read ({exc}).", row=1)
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    if len(header) > MAX_COLUMNS:
        raise ImportRejected(name, f"the header has {len(header):,} columns; at most {MAX_COLUMNS:,} are accepted.",
                             row=1, hint="Export only the columns you need (Jira: 'CSV (current fields)').")
    return header


def open_text(name: str, *, data: bytes | None = None, path: str | Path | None = None,
              tmp_dir: str | Path | None = None) -> TextFile:
    """Sniff a delimited export given as bytes or a path; never parses the body."""
    if (data is None) == (path is None):
        raise ValueError("give exactly one of data or path")
    size = len(data) if data is not None else Path(path).stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRejected(name, f"the file is {size / 1e6:,.0f} MB; at most {MAX_FILE_BYTES / 1e6:,.0f} MB is accepted.",
                             hint="Export a shorter date range.")
    if data is not None:
        head = data[:SNIFF_BYTES]
    else:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise ImportRejected(name, "the file is empty.", hint="Export again from your tool; the file has no rows.")
    _check_magic(name, head)
    encoding, text = _decode_head(name, head, complete=len(head) >= size)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    hint_delim, body = _split_hint(text)
    delimiter = hint_delim or _sniff_delimiter(name, body)
    header = _parse_header(name, body, delimiter)
    skip = 1 + (1 if hint_delim else 0)

    if _repair_mojibake(" ".join(header)) is not None:
        return _repaired(name, data, path, encoding, delimiter, header, skip, size, tmp_dir)
    if encoding == "utf-8" and path is not None:
        return TextFile(name, Path(path), encoding, delimiter, header, skip, size, temporary=False)
    raw = data if data is not None else Path(path).read_bytes()
    if encoding == "utf-8":
        decoded = None
    else:
        decoded = raw.decode(encoding, errors="replace")
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw if decoded is None else decoded.encode("utf-8"))
    return TextFile(name, Path(tmp), encoding, delimiter, header, skip, size, temporary=True)


def _repair_mojibake(text: str) -> str | None:
    """UTF-8 text that was once decoded as Latin-1/cp1252 (`ResponsÃ¡vel`), decoded right; None when the
    text is not such mojibake (plain ASCII, proper UTF-8, or bytes that do not round-trip)."""
    if text.isascii():
        return None
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return fixed if fixed != text else None
    return None


def _repaired(name: str, data: bytes | None, path: str | Path | None, encoding: str, delimiter: str,
              header: list[str], skip: int, size: int, tmp_dir: str | Path | None) -> TextFile:
    """The header is mojibake: repair the whole file when the repair round-trips, else only the header
    (so the columns are recognised; cell text stays as exported)."""
    raw = data if data is not None else Path(path).read_bytes()
    text = raw.decode(encoding, errors="replace")
    fixed = _repair_mojibake(text)
    if fixed is not None:
        text, encoding = fixed, f"{encoding}, mojibake repaired"
        header = _parse_header(name, _split_hint(fixed.replace("\r\n", "\n").replace("\r", "\n"))[1], delimiter)
    else:
        header = [_repair_mojibake(h) or h for h in header]
        encoding = f"{encoding}, header mojibake repaired"
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(text.encode("utf-8"))
    return TextFile(name, Path(tmp), encoding, delimiter, header, skip, size, temporary=True)


def reencode_cp1252(text_file: TextFile, tmp_dir: str | Path | None = None) -> TextFile:
    """The head looked like UTF-8 but the body is not: decode the whole file as cp1252."""
    raw = text_file.path.read_bytes()
    text_file.cleanup()
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw.decode("cp1252", errors="replace").encode("utf-8"))
    return TextFile(text_file.name, Path(tmp), "cp1252", text_file.delimiter, text_file.header,
                    text_file.skip_lines, text_file.size, temporary=True)


def normalize_newlines(text_file: TextFile, tmp_dir: str | Path | None = None) -> TextFile | None:
    """Records ending in a mix of CRLF and LF (EXPORT_FORMATS quirk 12), which DuckDB's strict reader
    refuses: every CRLF made LF, so that there is one record terminator. None when the file has no CRLF."""
    raw = text_file.path.read_bytes()
    if b"\r\n" not in raw:
        return None
    text_file.cleanup()
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw.replace(b"\r\n", b"\n"))
    return TextFile(text_file.name, Path(tmp), text_file.encoding, text_file.delimiter, text_file.header,
                    text_file.skip_lines, text_file.size, temporary=True)
