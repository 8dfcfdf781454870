"""The rows of an OHCHR thematic matrix as recommendations (a part of the import's checker)."""

import re
from dataclasses import replace

from flask_babel import gettext as _

from tamatch.models import MechanismKind
from tamatch.models.reference import receives_from
from tamatch.recommendations import import_formats as formats
from tamatch.recommendations import import_matrix
from tamatch.recommendations.citations import citation, uhri_keys
from tamatch.seeding.recommendations import UPR_BODY, RecommendationSeed

_SDG_CODE = re.compile(r"S\d{0,2}$", re.I)  # a theme code that is an SDG ("S16"; "S": general)
_SDGS_IN_GENERAL = re.compile(r"S(?:\s|$)|Sustainable Development Goal implementation", re.I)


class MatrixRows:
    """`_matrix_row` for the import's checker, which gives `heading`, `theme_heading`, the
    report and the lookups (`_state`, `_fail`, `_terms`, `_theme`, `_response`, ...)."""

    def _matrix_row(self, row: dict[str, str]) -> None:
        """A row of an OHCHR matrix: the State, cycle, session and (failing a position source)
        the report symbol come from the heading; the rows of one recommendation (one per theme
        code, in flattened files) become one recommendation with all their themes."""
        heading = self.heading
        state_name = row.get("state") or heading.state
        iso3 = self._state(state_name) if "state" in row else self._heading_state(state_name)
        if iso3 is not None and not self._reviewed(iso3, state_name, "state" in row):
            return
        if not row["text"]:
            self._fail("text", _("The text is empty."))
        terms = self._matrix_terms(row)
        if iso3 is None or not row["text"] or terms is None or not self.report.ok:
            return
        cited = citation({**row, "symbol": ""}, upr=True)
        symbol = cited.symbol or formats.report_symbol_of(heading.symbol)
        cited = replace(cited, symbol=symbol)
        names = row.get("recommending") or "; ".join(import_matrix.recommending_names(cited.text))
        key, _former = uhri_keys({**row, "symbol": symbol, "paragraph": cited.paragraph},
                                 cited, iso3)  # fmt: skip
        session = heading.session
        seed = RecommendationSeed(
            external_key=key,
            text_locale=self.language,
            state=iso3,
            mechanism="UPR",
            body=UPR_BODY,
            text=cited.text.strip(),
            **self._response(row, cited.position_source),
            session=f"UPR {session}" if session else None,
            cycle=heading.cycle or (formats.upr_cycle(session) if session else None),
            document_symbol=symbol[:120] or None,
            paragraph=cited.paragraph[:40] or None,
            recommending_states=self._recommending(names),
            **terms,
        )
        self._add_checked(key, seed)

    def _matrix_terms(self, row: dict[str, str]) -> dict | None:
        """Themes, affected persons, SDG goals and targets of a matrix row: from its theme
        cell ("A12 ...", "S16 SDG 16 - ...", "Affected persons:", "- general"), its SDG column
        ("- 16 - PEACE, JUSTICE ...") or its theme-code column; the "Theme:" heading above it
        when the row names none. None (and the row is bad) when an SDG is not one."""
        cell = import_matrix.theme_cell(row.get("themes", ""))
        themes, affected = list(cell.themes), list(cell.affected)
        sdgs = [("themes", label) for label in cell.sdgs]
        column = import_matrix.theme_cell(row.get("sdgs", ""))  # "- 16 - PEACE, JUSTICE ..."
        sdgs += [("sdgs", label) for label in column.themes + column.sdgs]
        code = row.get("theme_code", "")
        if code:
            (sdgs.append(("theme_code", code)) if _SDG_CODE.match(code) else themes.append(code))
            affected += import_matrix.theme_cell(row.get("theme_name", "")).affected
        if not themes and self.theme_heading:
            themes.append(self.theme_heading)
        goals: list[int] = []
        targets: list[str] = []
        for column, label in sdgs:
            if _SDGS_IN_GENERAL.match(label):
                continue  # "S Sustainable Development Goal implementation": no goal named
            parsed = formats.parse_sdg_cell(label)
            if parsed is None:
                self._fail(column, _("Not an SDG goal (1 to 17) or target: %(v)s", v=label))
                return None
            goals += parsed[0]
            targets += parsed[1]
        return {
            "themes": self._terms(themes, self._theme),
            "affected_groups": self._terms(
                affected + formats.split_terms(row.get("affected", "")), self.taxonomy.affected
            ),
            "sdgs": tuple(dict.fromkeys(goals)),
            "sdg_targets": self._terms(list(dict.fromkeys(targets)), self._target),
        }

    def _reviewed(self, iso3: str, name: str, in_column: bool) -> bool:
        """The State can be under UPR review (an observer State cannot): a State of the
        column is checked on its row, the heading's once for the file."""
        if in_column:
            return self._addressable(iso3, "UPR", name)
        if receives_from(self.states.membership(iso3), MechanismKind.UPR):
            return True
        if not self.report.errors or self.report.errors[-1].reason != self._observer(name):
            self.report.error(self.source, 1, "", self._observer(name))
        return False

    @staticmethod
    def _observer(name: str) -> str:
        return _(
            "%(name)s is a non-member observer State: the Universal Periodic Review reviews UN "
            "member States only.", name=name,
        )  # fmt: skip

    def _heading_state(self, name: str) -> str | None:
        """The State the heading names; an unknown one is a bad heading, not a bad row."""
        iso3 = self.states.iso3(name)
        if iso3 is None and not self.report.unresolved_states[name]:
            self.report.unresolved_states[name] += 1
            self.report.error(self.source, 1, "", _("Unknown State: %(name)s", name=name))
        return iso3
