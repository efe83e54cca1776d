"""Flow 7, «Мои педагоги»: the methodist's caseload and /caseload, where an admin assigns teachers.

The handlers only translate: ``services.workspace`` decides, reaching only the teachers of the
speaker's caseload (an admin: the people of their region), so a stale or forged button says
«кнопка устарела» and changes nothing. A teacher pressing any of these buttons gets «Нет доступа»
from ``handlers.methodist.denied``.

- ``caseload``: the list and its filters · ``card``: the teacher card and the diagnosis chart
- ``approvals``: the ИОМ's items, approval, return with a comment, transfer to practice
- ``official_diagnosis``: the ЦНППМ result a methodist records · ``export``: the XLSX export
- ``records``: a teacher's contests, presented опыт and tutor/expert/jury roles, entered from the card
- ``assign``: /caseload · ``views``: what several screens show · ``states``: the conversations
"""

from __future__ import annotations

# Imported for their handlers, in the order they are tried.
from handlers.workspace import (  # noqa: F401
    approvals,
    assign,
    card,
    caseload,
    export,
    official_diagnosis,
    records,
)
from handlers.workspace.routers import answers_router, router

__all__ = ["answers_router", "router"]
