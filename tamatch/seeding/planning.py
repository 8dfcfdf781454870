"""Slovenia's demo implementation plan: its real institutions, clusters of its real UPR
recommendations, and measures, indicators, dates and figures that are made up for the demo."""

from datetime import date, timedelta

import sqlalchemy as sa

from tamatch.extensions import db
from tamatch.models import (
    Cluster,
    DeadlineKind,
    Institution,
    InstitutionKind,
    MeasureStatus,
    MeasureVisibility,
    Mechanism,
    Organisation,
    Recommendation,
    Role,
    State,
    User,
)
from tamatch.planning.queries import add_months

K = InstitutionKind
INSTITUTIONS = [
    ("Ministry of Justice", K.MINISTRY, "Head of the human rights and equality service"),
    ("Ministry of Labour, Family, Social Affairs and Equal Opportunities", K.MINISTRY,
     "Head of the equal opportunities department"),
    ("Ministry of the Interior", K.MINISTRY, "Head of the migration directorate"),
    ("Ministry of Education", K.MINISTRY, "Head of the pre-school and primary education unit"),
    ("Ministry of Foreign and European Affairs", K.MINISTRY, "Human rights department (NMRF)"),
    ("Government Office for National Minorities", K.AGENCY, "Roma affairs adviser"),
    ("Police", K.AGENCY, "Head of the criminal police directorate"),
    ("Advocate of the Principle of Equality", K.AGENCY, "Secretary-General"),
    ("National Assembly Committee on Justice", K.PARLIAMENT, "Committee secretary"),
    ("Supreme Court of the Republic of Slovenia", K.JUDICIARY, "Judicial training centre"),
    ("Human Rights Ombudsman of the Republic of Slovenia", K.NHRI, "Human rights centre"),
]  # fmt: skip
# (title, words any of which puts a recommendation in, institutions by position above)
CLUSTERS = [
    ("Roma inclusion", ("roma",), (5, 3)),
    ("Violence against women and domestic violence", ("violence against women",
     "domestic violence", "istanbul"), (1, 6)),
    ("Hate speech and intolerance", ("hate speech", "hate crime", "intolerance", "xenophob"),
     (0, 7)),
    ("Trafficking in human beings", ("trafficking",), (2, 6)),
    ("Migrants and asylum seekers", ("migrant", "asylum", "refugee"), (2,)),
    ("Persons with disabilities", ("disabilit",), (1,)),
    ("The 'erased'", ("erased",), (2, 0)),
    ("National human rights institution", ("paris principles", "national human rights "
     "institution", "ombudsman"), (10, 4)),
    ("Ratification of international instruments", ("ratif", "accede", "accession"), (4, 8)),
]  # fmt: skip
S, V = MeasureStatus, MeasureVisibility
# (cluster, title, status, visibility, start and due in months from today, institutions,
# indicator or None, values as (months ago, value)): the demo stays as current as its date.
MEASURES = [
    (0, "Amend the Roma Community Act", S.IN_PROGRESS, V.PUBLIC, -21, 1,
     (5, 8), ("Municipalities with a Roma councillor", "municipalities", 20, 2024, 20, 2027),
     [(15, 20), (3, 21)]),
    (0, "Roma teaching assistants in every primary school with Roma pupils", S.IN_PROGRESS,
     V.MEMBERS, -27, 7, (3,), ("Share of Roma children enrolled in "
     "pre-school", "%", 24, 2023, 60, 2027), [(26, 26), (14, 31)]),
    (1, "Specialised training of police and prosecutors on domestic violence", S.IN_PROGRESS,
     V.PUBLIC, -22, -2, (6, 0), ("Police officers trained", "officers", 0,
     2024, 1200, 2026), [(9, 180), (2, 410)]),
    (1, "National programme for the prevention of domestic violence 2026-2030", S.PLANNED,
     V.INTERNAL, -3, -1, (1,), None, []),
    (2, "Monitoring and reporting of online hate speech", S.IN_PROGRESS, V.MEMBERS,
     -19, 5, (0, 7), ("Reports of online hate speech processed within 30 "
     "days", "%", 35, 2024, 80, 2027), [(4, 42)]),
    (3, "Identification of victims of trafficking among applicants for international "
     "protection", S.IN_PROGRESS, V.PUBLIC, -22, 2, (2, 6), ("Victims "
     "identified and referred to support", "persons", 28, 2024, None, None),
     [(13, 35)]),
    (5, "Implement the Personal Assistance Act", S.IN_PROGRESS, V.PUBLIC, -35,
     12, (1,), ("Users of personal assistance", "persons", 2900, 2023, 4000, 2027),
     [(20, 3300), (5, 3520)]),
    (6, "Compensation scheme for the 'erased'", S.SUSPENDED, V.INTERNAL, -30,
     -6, (2, 0), None, []),
    (7, "Strengthen the Ombudsman's human rights centre", S.COMPLETED, V.PUBLIC, -47,
     -8, (10, 4), ("Staff of the human rights centre", "posts", 6, 2022, 12, 2025),
     [(14, 10), (8, 12)]),
    (8, "Ratify the Optional Protocol to the CRC on a communications procedure",
     S.PLANNED, V.PUBLIC, 1, 15, (4, 8), None, []),
]  # fmt: skip


def load_plan(iso3: str = "SVN") -> dict[str, int]:
    """The demo plan of the State, once (nothing happens when it has institutions already).
    Built through the planning services, as a focal point would; flushes, does not commit."""
    state = db.session.scalar(sa.select(State).where(State.iso3 == iso3))
    focal = db.session.scalar(
        sa.select(User).where(User.role == Role.FOCAL_POINT, User.state_id == state.id)
        .order_by(User.id)
    )  # fmt: skip
    exists = sa.select(Institution.id).where(Institution.state_id == state.id).exists()
    if focal is None or db.session.scalar(sa.select(exists)):
        return {"plan_measures": 0}
    institutions = _institutions(focal)
    clusters = _clusters(focal, institutions)
    measures = _measures(focal, clusters, institutions)
    _comments(measures)
    _calendar(focal, clusters)
    return {"plan_clusters": len(clusters), "plan_measures": len(measures)}


def _institutions(focal: User) -> list[Institution]:
    from tamatch.planning import services

    return [
        services.create_institution(focal, services.InstitutionData(name, kind, role))
        for name, kind, role in INSTITUTIONS
    ]


def _clusters(focal: User, institutions: list[Institution]) -> list[Cluster | None]:
    from tamatch.planning import services

    recs = db.session.scalars(
        sa.select(Recommendation).where(Recommendation.state_id == focal.state_id)
        .order_by(Recommendation.id)
    ).all()  # fmt: skip
    taken: set[int] = set()
    clusters: list[Cluster | None] = []
    for title, words, holders in CLUSTERS:
        members = [r for r in recs if r.id not in taken and any(w in r.text.lower() for w in words)]
        if not members:
            clusters.append(None)
            continue
        taken |= {r.id for r in members}
        themes = {t.id for r in members[:5] for t in r.themes}
        data = services.ClusterData(
            title, theme_ids=tuple(sorted(themes))[:4],
            institution_ids=tuple(institutions[i].id for i in holders),
        )  # fmt: skip
        clusters.append(services.create_cluster(focal, data, [r.id for r in members]))
        for i in holders:
            services.assign_institution(focal, institutions[i], [r.id for r in members], True)
    return clusters


def _measures(focal: User, clusters, institutions) -> list:
    from tamatch.planning import measures as ms

    today = date.today()
    made = []
    for index, title, status, visibility, start, due, holders, indicator, values in MEASURES:
        cluster = clusters[index]
        if cluster is None:
            continue
        measure = ms.create_measure(
            focal,
            ms.MeasureData(
                title=title,
                description=f"{title}: the steps, the budget line and who reports (demo text).",
                gap="Expertise and exchange with peers who have done it are missing (demo text).",
                cluster_id=cluster.id,
                institution_ids=tuple(institutions[i].id for i in holders),
                start_on=add_months(today, start),
                due_on=add_months(today, due),
                visibility=visibility,
            ),
            status=MeasureStatus.PLANNED,
        )
        if status != MeasureStatus.PLANNED:
            ms.add_update(focal, measure, "Work started (demo entry).", MeasureStatus.IN_PROGRESS)
            if status != MeasureStatus.IN_PROGRESS:
                ms.add_update(focal, measure, "", status)
        if indicator is not None:
            definition, unit, base, base_year, target, target_year = indicator
            row = ms.create_indicator(
                focal,
                measure,
                ms.IndicatorData(definition, unit, base, base_year, target, target_year,
                                 "Ministry records (demo figures)"),
            )  # fmt: skip
            for months_ago, value in values:
                ms.record_value(focal, row, add_months(today, -months_ago), value)
        made.append(measure)
    return made


def _comments(measures) -> None:
    """The demo's civil-society and NHRI accounts comment on the first public measures."""
    from tamatch.planning import measures as ms

    voices = db.session.scalars(
        sa.select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(User.role == Role.CIVIL_SOCIETY, Organisation.state_id == measures[0].state_id)
        .order_by(User.id)
    ).all()  # fmt: skip
    public = [m for m in measures if m.visibility == MeasureVisibility.PUBLIC]
    texts = (
        "Roma organisations were not consulted on the draft (demo comment).",
        "Training is welcome; shelters outside Ljubljana still lack places (demo comment).",
    )
    for voice, measure, text in zip(voices, public, texts, strict=False):
        ms.add_comment(voice, measure, text, False)


def _calendar(focal: User, clusters) -> None:
    from tamatch.planning import calendar

    upr = db.session.scalar(sa.select(Mechanism.id).where(Mechanism.code == "UPR"))
    crpd = db.session.scalar(sa.select(Mechanism.id).where(Mechanism.code == "CRPD"))
    calendar.create_deadline(
        focal,
        calendar.DeadlineData(DeadlineKind.UPR_REVIEW, "Fifth UPR review (demo date)",
                              add_months(date.today(), 35), upr),
    )  # fmt: skip
    calendar.create_deadline(
        focal,
        calendar.DeadlineData(DeadlineKind.UPR_MIDTERM, "Fourth-cycle mid-term report "
                              "(demo date)", add_months(date.today(), 5), upr),
    )  # fmt: skip
    disability = clusters[5]
    selected = tuple(r.id for r in disability.recommendations[:3]) if disability else ()
    calendar.create_deadline(
        focal,
        calendar.DeadlineData(
            DeadlineKind.TREATY_FOLLOWUP,
            "CRPD follow-up information (demo: UPR recommendations stand in for the committee's)",
            date.today() + timedelta(days=75),
            crpd,
            recommendation_ids=selected,
        ),
    )
