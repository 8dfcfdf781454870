"""The response table: the positions real files write, and the code each one means.

Compared after `response_key` (case, accents, spacing and punctuation other than "/" ignored).
Sources: the OHCHR thematic matrices write "Supported", "Noted" and, for a recommendation the
State supported in part, "Supported/Noted"; the UPR Info database writes "Accepted" and
"Noted"; State responses (A/HRC/.../Add.1) and earlier databases also use "rejected", "not
accepted", "partially supported", "supported in part", "already implemented". The French
and Spanish rows are the words of the Council's reports in those languages, for UHRI exports
in French or Spanish. A value not listed is never guessed: the import keeps its text, stores
no code and reports the row.
"""

import re
import unicodedata
from dataclasses import dataclass

from tamatch.models import Response

_TERMS: dict[Response, tuple[str, ...]] = {
    Response.SUPPORTED: (
        "supported", "support", "supports", "accepted", "accept", "accepts", "fully supported",
        "fully accepted", "enjoys the support", "soutenue", "soutenu", "acceptee", "accepte",
        "appuyee", "apoyada", "apoyado", "aceptada", "aceptado",
    ),
    Response.PARTIALLY_SUPPORTED: (
        "supported/noted", "noted/supported", "accepted/noted", "supported/rejected",
        "accepted/rejected", "partially supported", "partially accepted", "supported in part",
        "accepted in part", "partly supported", "partly accepted", "supported partially",
        "accepted partially", "partially noted", "noted in part", "soutenue en partie",
        "partiellement soutenue", "partiellement acceptee", "apoyada parcialmente",
        "parcialmente apoyada", "aceptada parcialmente", "parcialmente aceptada",
    ),
    Response.NOTED: (
        "noted", "note", "notes", "takes note", "taken note", "took note", "prend note",
        "notee", "prise en note", "pris note", "se toma nota", "tomada nota", "anotada",
        "se tomo nota",
    ),
    Response.REJECTED: (
        "rejected", "reject", "rejects", "not accepted", "not supported", "does not accept",
        "does not support", "rejetee", "non acceptee", "rechazada", "no aceptada",
    ),
    Response.IMPLEMENTED: (
        "implemented", "already implemented", "supported already implemented",
        "accepted already implemented", "supported and already implemented",
        "accepted and already implemented", "supported and implemented",
        "accepted and implemented", "considered implemented", "considered as implemented",
        "deja mise en oeuvre", "ya aplicada",
    ),
    Response.PENDING: (
        "pending", "deferred", "under consideration", "to be considered", "under examination",
        "will be examined", "no position yet", "awaiting response", "en suspens",
        "en cours d examen", "pendiente", "en examen",
    ),
}  # fmt: skip


def response_key(value: str) -> str:
    """ "Supported / Noted" -> "supported/noted", "Acceptée." -> "acceptee"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[^\w/]+", " ", plain.replace("_", " "))
    plain = re.sub(r"\s*/\s*", "/", plain)
    return re.sub(r"\s+", " ", plain).strip()


RESPONSE_TERMS: dict[str, Response] = {
    response_key(term): code for code, terms in _TERMS.items() for term in (*terms, code.value)
}


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    """A response cell: its code (None when empty or unknown) and its text as given."""

    code: Response | None
    text: str | None

    @property
    def unknown(self) -> bool:
        """A text was given but no code fits it."""
        return self.code is None and self.text is not None


def parse_response(value: str | None) -> ParsedResponse:
    """The code of a response cell, by the table above; no code for a value it does not list."""
    text = re.sub(r"\s+", " ", value or "").strip()[:200] or None
    if text is None:
        return ParsedResponse(None, None)
    return ParsedResponse(RESPONSE_TERMS.get(response_key(text)), text)
