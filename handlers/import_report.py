"""Catalogue import results as a message: the outcome, then the errors row by row."""

from __future__ import annotations

import html
import re

from locales import Html, Translator
from services.catalogues import ImportFileError, ImportReport, RowError

TELEGRAM_TEXT_MAX = 4096
# Room kept for the «…and N more» line, which is added after the budget is spent.
_MORE_RESERVE = 100
_TAG = re.compile(r"<[^>]*>")


def render_report(
    report: ImportReport,
    t: Translator,
    limit: int = 30,
    *,
    plain: bool = False,
    max_chars: int | None = TELEGRAM_TEXT_MAX,
) -> str:
    """HTML for Telegram (or plain text for a terminal) that fits one message.

    The first ``limit`` errors are listed — fewer if they would not fit ``max_chars`` — then
    «…and N more».
    """
    kind = Html(t(f"import-kind-{report.kind}"))
    if report.applied:
        # A kind whose rows are not catalogue entries (who accompanies whom) says what it changed.
        own = f"import-report-ok-{report.kind}"
        key = own if t.has(own) else "import-report-ok"
        lines = [t(key, kind=kind, created=report.created, updated=report.updated)]
        lines += [t(notice, **args) for notice, args in report.notices]
        return _finish("\n".join(lines), plain)
    lines = [t("import-report-failed", kind=kind, count=len(report.errors))]
    budget = max_chars - _MORE_RESERVE if max_chars is not None else None
    used = len(lines[0])
    for error in report.errors[:limit]:
        line = render_row_error(error, t)
        if budget is not None and used + 1 + len(line) > budget:
            break
        lines.append(line)
        used += 1 + len(line)
    rest = len(report.errors) - (len(lines) - 1)
    if rest > 0:
        lines.append(t("import-report-more", count=rest))
    return _finish("\n".join(lines), plain)


def render_row_error(error: RowError, t: Translator) -> str:
    # The message is already escaped by the translator; it must not be escaped twice.
    message = Html(t(error.code, **error.args))
    if error.column is None:
        return t("import-report-row-no-column", row=str(error.row), message=message)
    return t("import-report-row", row=str(error.row), column=error.column, message=message)


def render_file_error(err: ImportFileError, t: Translator, *, plain: bool = False) -> str:
    return _finish(t(err.code, **err.args_), plain)


def _finish(text: str, plain: bool) -> str:
    # Tags go first, then entities: a user's «<b>» arrives escaped and must survive as text.
    return html.unescape(_TAG.sub("", text)) if plain else text
