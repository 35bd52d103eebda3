"""The import report: one line per outcome; a rejected row has one line per error (every bad cell of the row).

Row numbers are the spreadsheet's own: the header is row 1 and the first data row is row 2, for every import.
"""

from dataclasses import dataclass, field

from django.utils.translation import pgettext_lazy

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
ACTIONS = (CREATED, UPDATED, UNCHANGED, REJECTED)
ACTION_LABELS = {
    CREATED: pgettext_lazy("import row", "Created"),
    UPDATED: pgettext_lazy("import row", "Updated"),
    UNCHANGED: pgettext_lazy("import row", "Unchanged"),
    REJECTED: pgettext_lazy("import row", "Rejected"),
}
HEADER_ROW = 1  # data row i (1-based, as django-import-export counts) is spreadsheet row HEADER_ROW + i


@dataclass
class ReportLine:
    row: int
    action: str
    column: str = ""  # the column's code ('' for an error of the whole row)
    column_label: str = ""  # the column's header in the reader's language
    message: str = ""
    summary: str = ""

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]


@dataclass
class ImportReport:
    dry_run: bool = True
    lines: list[ReportLine] = field(default_factory=list)
    error: str = ""  # a problem with the whole file (unreadable, missing columns, no rows)

    @property
    def rejected(self) -> list[ReportLine]:
        return [line for line in self.lines if line.action == REJECTED]

    def count(self, action: str) -> int:
        return len({line.row for line in self.lines if line.action == action})

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTIONS}

    @property
    def labelled_counts(self) -> list[tuple[str, object, int]]:
        return [(action, ACTION_LABELS[action], self.count(action)) for action in ACTIONS]

    @property
    def ok(self) -> bool:
        return not self.error and not self.rejected

    @property
    def imported(self) -> int:
        return self.count(CREATED) + self.count(UPDATED)
