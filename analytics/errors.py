"""The one error type the import path raises for input it cannot use.

Every message names the file and, where it applies, the row and the column,
and says what to do. The UI and the CLI show `str(error)` and nothing else.
"""

from __future__ import annotations


class ImportRejected(Exception):
    """A whole file cannot be imported; nothing was written to the store."""

    def __init__(self, file_name: str, reason: str, *, row: int | None = None,
                 column: str | None = None, hint: str | None = None) -> None:
        self.file_name = file_name
        self.reason = reason
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.file_name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = f"{', '.join(where)}: {self.reason}"
        if self.hint:
            text += f" {self.hint}"
        return text


class AlreadyImported(ImportRejected):
    """The same bytes were imported before; importing them again would change nothing."""

    def __init__(self, file_name: str, import_id: int, imported_at: str) -> None:
        super().__init__(
            file_name,
            f"already imported (import #{import_id} on {imported_at}); nothing changed.",
        )
        self.import_id = import_id
