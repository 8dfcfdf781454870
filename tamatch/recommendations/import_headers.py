"""The layouts the importer reads: the formats, their header synonyms and required fields,
UPR Info's issues as themes, and the short State names its exports use."""

UHRI, UPR_INFO, MATRIX = "uhri", "upr-info", "ohchr-matrix"
FORMATS = (UHRI, UPR_INFO, MATRIX)

# Canonical field -> header synonyms (compared after `header_key`), per format.
UHRI_HEADERS: dict[str, tuple[str, ...]] = {
    key: tuple(names.split())
    for key, names in {
        "text": "recommendation annotation text recommendationtext observation fulltext "
        "recommendationandrecommendingstate",
        "symbol": "symbol documentsymbol document reference",
        "position_source": "sourceofposition positionsource sourceofpositions",
        "paragraph": "paragraph para paragraphnumber recid recommendationnumber no",
        "body": "body mechanism treatybody bodyname source mechanismbody",
        "session": "session uprsession sessionnumber",
        "cycle": "cycle uprcycle",
        "date": "date documentdate publicationdate dateofdocument issued issuedon "
        "documentpublicationdate",
        "state": "country stateunderreview state countries countryterritory sur "
        "countryconcerned countriesconcerned to",
        "recommending": "recommendingstates recommendingstate recommendingcountries from "
        "uprrecommendingstates uprrecommendingstate uprrecommendingcountry "
        "uprrecommendingcountries",
        "themes": "themes theme humanrightsthemes fulllistofthemes "
        "humanrightsthemesandgroupsofpersons",
        "affected": "affectedpersons affectedgroups affectedpersonsorgroups persons "
        "groupsofpersons concernedpersonsgroups affectedpersonsgroups",
        "sdgs": "sdgs sdg relevantsdgs sustainabledevelopmentgoals",
        "targets": "targets sdgtargets",
        "response": "position response uprposition uprpositions status stateresponse "
        "positionofthestateunderreview stateposition",
    }.items()
}
UHRI_REQUIRED = ("text", "state")
UPR_INFO_HEADERS: dict[str, tuple[str, ...]] = {
    "state": ("to",),
    "text": ("text",),
    "recommending": ("from",),
    "response": ("response",),
    "issues": ("issue", "issues"),
    "session": ("session",),
}
UPR_INFO_REQUIRED = ("state", "text", "recommending", "session")
# The OHCHR thematic list of UPR recommendations ("matrix"), as a table saved from the Word
# document or as researchers flatten it (one row per recommendation and theme code): the State
# under review, cycle, session and report symbol are in the heading rows above the table, so
# a "Country" column here is the recommending State.
MATRIX_HEADERS: dict[str, tuple[str, ...]] = {
    key: tuple(names.split())
    for key, names in {
        "text": "recommendation recommendations recommendationandrecommendingstate "
        "recommendationtext text",
        "paragraph": "paragraph para code recid recommendationnumber paragraphnumber",
        "response": "position response uprposition positionofthestateunderreview",
        "position_source": "sourceofposition positionsource",
        "themes": "fulllistofthemes humanrightsthemesandgroupsofpersons themes humanrightsthemes",
        "theme_code": "themecode",
        "theme_name": "description themename themedescription",
        "recommending": "country recommendingstate recommendingstates recommendingcountry from",
        "affected": "affectedpersons groupsofpersons affectedpersonsorgroups",
        "sdgs": "relevantsdgs sdgs sdg",
        "state": "stateunderreview sur",
    }.items()
}
MATRIX_REQUIRED = ("text",)
SYNONYMS = {UHRI: UHRI_HEADERS, UPR_INFO: UPR_INFO_HEADERS, MATRIX: MATRIX_HEADERS}
REQUIRED = {UHRI: UHRI_REQUIRED, UPR_INFO: UPR_INFO_REQUIRED, MATRIX: MATRIX_REQUIRED}
KNOWN_HEADERS = frozenset(n for table in SYNONYMS.values() for names in table.values()
                           for n in names)  # fmt: skip

# UPR Info "Issue" -> (theme codes, affected-group codes). Issues not listed ("Other",
# "General", "Human rights violations by state agents", "Public security", "Right to land")
# have no close UHRI theme and are imported without one.
UPR_INFO_ISSUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "international instruments": (("A12",), ()),
    "women's rights": (("TM-womens-rights",), ("women",)),
    "rights of the child": (("TM-rights-of-the-child",), ("children",)),
    "justice": (("D51",), ()),
    "torture and other cid treatment": (("D25",), ()),
    "detention": (("D26",), ("persons_deprived_of_liberty",)),
    "right to education": (("E51",), ()),
    "minorities": (("G1",), ("minorities",)),
    "labour": (("TM-labour-rights",), ()),
    "migrants": (("G4",), ("migrants",)),
    "death penalty": (("D23",), ()),
    "human rights education and training": (("A5",), ()),
    "racial discrimination": (("B32",), ()),
    "special procedures": (("A24",), ()),
    "nhri": (("A45",), ()),
    "trafficking": (("D27",), ()),
    "disabilities": (("F4",), ("persons_with_disabilities",)),
    "esc rights - general": (("E1",), ()),
    "right to health": (("E41",), ()),
    "freedom of opinion and expression": (("D43",), ()),
    "treaty bodies": (("A22",), ()),
    "technical assistance and cooperation": (("TM-cooperation-technical-assistance",), ()),
    "freedom of the press": (("D43",), ("media",)),
    "freedom of religion and belief": (("D42",), ()),
    "sexual orientation and gender identity": (("G2",), ("lgbti",)),
    "poverty": (("E25",), ("persons_in_poverty",)),
    "development": (("B41",), ()),
    "enforced disappearances": (("D32",), ("disappeared_persons",)),
    "civil society": (("A61",), ("civil_society",)),
    "indigenous peoples": (("TM-indigenous-peoples",), ("indigenous_peoples",)),
    "freedom of association and peaceful assembly": (("D44", "D45"), ()),
    "cp rights - general": (("D1",), ()),
    "asylum-seekers - refugees": (("G5",), ("refugees_asylum_seekers",)),
    "national plan of action": (("A46",), ()),
    "human rights defenders": (("H1",), ("human_rights_defenders",)),
    "upr process": (("A27",), ()),
    "international humanitarian law": (("TM-intl-criminal-humanitarian-law",), ()),
    "impunity": (("TM-rule-of-law-impunity",), ()),
    "right to food": (("E22",), ()),
    "elections": (("D7",), ()),
    "hiv - aids": (("E41",), ("persons_with_hiv",)),
    "extrajudicial executions": (("TM-extrajudicial-executions",), ()),
    "right to housing": (("E23",), ()),
    "corruption": (("TM-good-governance-corruption",), ()),
    "internally displaced persons": (("TM-idps",), ("idps",)),
    "environment": (("B71",), ()),
    "right to water": (("E26",), ()),
    "counter-terrorism": (("B8",), ()),
    "freedom of movement": (("D41",), ()),
}

# Short forms the UPR Info database uses that seeds/state_names.csv does not list.
EXTRA_STATE_NAMES = {
    "dpr korea": "PRK",
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "macedonia fyr": "MKD",
    "guinea bissau": "GNB",
}
