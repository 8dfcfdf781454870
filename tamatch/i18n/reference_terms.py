"""Puts the names of the reference terms (seeds/*.csv) into the message catalogue.

`python -m tamatch.i18n.reference_terms` rewrites TERMS below from seeds/ (run it when a seed
file's names change, then `make translations`); `term_name()` translates a name at display
time. State names are not here: the UN's own names in six languages are in
seeds/state_names_i18n.csv.
"""

# ruff: noqa: E501 - the generated names stay on one line each
import csv
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
FILES = ("mechanisms.csv", "themes.csv", "affected_groups.csv", "sdgs.csv",
         "support_kinds.csv", "languages.csv")  # fmt: skip


def N_(name: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate"
    return name


# fmt: off
TERMS = (
    # seeds/mechanisms.csv
    N_('Universal Periodic Review'),
    N_('Human Rights Committee'),
    N_('Committee on Economic, Social and Cultural Rights'),
    N_('Committee on the Elimination of Racial Discrimination'),
    N_('Committee on the Elimination of Discrimination against Women'),
    N_('Committee against Torture'),
    N_('Subcommittee on Prevention of Torture'),
    N_('Committee on the Rights of the Child'),
    N_('Committee on Migrant Workers'),
    N_('Committee on the Rights of Persons with Disabilities'),
    N_('Committee on Enforced Disappearances'),
    N_('Special procedures of the Human Rights Council'),
    # seeds/themes.csv
    N_('Acceptance of international norms'),
    N_('Cooperation with treaty bodies'),
    N_('Follow-up to treaty bodies'),
    N_('Cooperation with special procedures'),
    N_('Follow-up to Universal Periodic Review (UPR)'),
    N_('Cooperation with other international mechanisms and institutions'),
    N_('Inter-State cooperation & development assistance'),
    N_('Constitutional and legislative framework'),
    N_('Institutions & policies - General'),
    N_('Human rights policies'),
    N_('Structure of the national human rights machinery'),
    N_('National Human Rights Institution (NHRI)'),
    N_('National Plans of Action on Human Rights (or specific areas)'),
    N_('Good governance'),
    N_('Human rights education, trainings and awareness raising'),
    N_('Human rights education - general'),
    N_('Professional training in human rights'),
    N_('Awareness raising and dissemination'),
    N_('Context, statistics, budget, civil society'),
    N_('Cooperation with civil society'),
    N_('Statistics and indicators'),
    N_('Budget and resources (for human rights implementation)'),
    N_('International humanitarian law'),
    N_('Equality & non-discrimination'),
    N_('Racial discrimination'),
    N_('Right to development'),
    N_('Right to an effective remedy'),
    N_('Impunity'),
    N_('Support to victims and witnesses'),
    N_('Business & Human Rights'),
    N_('Human rights and the environment'),
    N_('Human rights and climate change'),
    N_('Human rights & counter-terrorism'),
    N_('Civil & political rights - general measures of implementation'),
    N_('Right to life'),
    N_('Death penalty'),
    N_('Prohibition of torture and cruel, inhuman or degrading treatment'),
    N_('Conditions of detention'),
    N_('Prohibition of slavery, trafficking'),
    N_('Domestic violence'),
    N_('Liberty and security - general'),
    N_('Enforced disappearances'),
    N_('Arbitrary arrest and detention'),
    N_('Freedom of movement'),
    N_('Freedom of thought, conscience and religion'),
    N_('Freedom of opinion and expression'),
    N_('Right to peaceful assembly'),
    N_('Freedom of association'),
    N_('Right to private life, privacy'),
    N_('Administration of justice & fair trial'),
    N_('Rights related to name, identity, nationality'),
    N_('Right to participation in public affairs and right to vote'),
    N_('Rights related to marriage & family'),
    N_('Economic, social & cultural rights - general measures of implementation'),
    N_('Right to an adequate standard of living - general'),
    N_('Right to food'),
    N_('Right to adequate housing'),
    N_('Right to social security'),
    N_('Human rights & poverty'),
    N_('Human Rights & drinking water and sanitation'),
    N_('Right to work'),
    N_('Right to just and favourable conditions of work'),
    N_('Trade union rights'),
    N_('Right to health - General'),
    N_('Health awareness raising, access to information'),
    N_('Right to education - General'),
    N_('technical and vocational education'),
    N_('Cultural rights'),
    N_('Advancement of women'),
    N_('Discrimination against women'),
    N_('Violence against women'),
    N_('Participation of women in political and public life'),
    N_('Girls'),
    N_('Children: definition; general principles; protection'),
    N_('Children: family environment and alternative care'),
    N_('Children: protection against exploitation'),
    N_('Children: Juvenile justice'),
    N_('Persons with disabilities'),
    N_('Persons with disabilities: definition, general principles'),
    N_('Persons with disabilities: accessibility, mobility'),
    N_('Persons with disabilities: protecting the integrity of the person'),
    N_('Persons with disabilities: independence, inclusion'),
    N_('Members of minorities'),
    N_('Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)'),
    N_('Migrants'),
    N_('Refugees & asylum seekers'),
    N_('Older persons'),
    N_('Human rights defenders'),
    N_('Persons living with HIV/AIDS'),
    N_('Persons living in rural areas'),
    N_('Scope of international obligations'),
    N_('Reservations'),
    N_('Cooperation with human rights mechanisms'),
    N_('Follow-up to special procedures'),
    N_('Cooperation with human rights mechanisms & requests for technical assistance'),
    N_('National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)'),
    N_('2030 Agenda & other voluntary commitments'),
    N_('Unilateral coercive measures'),
    N_('Legal, institutional & policy framework'),
    N_('Legal & institutional reform'),
    N_('Good governance & corruption'),
    N_('Human rights education in schools'),
    N_('Data collection & research'),
    N_('Statistics, indicators & disaggregated data'),
    N_('Right to self-determination'),
    N_('Equality & non-discrimination - cross-cutting'),
    N_('Remedy, impunity & victims'),
    N_('International criminal & humanitarian law (including crimes against humanity, war crimes, genocide)'),
    N_('Right to physical & moral integrity'),
    N_('Extrajudicial, summary or arbitrary executions'),
    N_('Sexual & gender-based violence'),
    N_('Liberty & security of the person'),
    N_('Fundamental freedoms'),
    N_('Administration of justice'),
    N_('Access to justice & remedy'),
    N_('Right to work and to just & favorable conditions of work & labour rights'),
    N_('Sexual & reproductive health and rights'),
    N_('HIV/AIDS'),
    N_("Women's rights"),
    N_('Rights of the child'),
    N_('Children in armed conflict'),
    N_('Persons with disabilities: protection against exploitation, violence & abuse'),
    N_('Persons with disabilities: protection and safety in situations of risk'),
    N_('Indigenous peoples'),
    N_('Internally displaced persons'),
    N_('Stateless persons'),
    N_('Right to effective remedy & reparations'),
    N_('Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)'),
    N_('Human trafficking & contemporary forms of slavery'),
    N_('Impunity & transparency'),
    N_('Rule of law & impunity'),
    N_('Land & property rights'),
    N_('Right to be recognized as a person before the law'),
    N_('Use of mercenaries/private security'),
    N_('Private life & privacy'),
    N_('Inter-State cooperation & development or humanitarian assistance'),
    N_('Freedom of opinion and expression & access to information'),
    N_('Cooperation and meaningful consultation with civil society & participation'),
    N_('Cooperation & Follow up with Treaty Bodies'),
    N_('National Human Rights Action Plans (or specific areas) / implementation plans'),
    N_('Safe drinking water & sanitation'),
    N_('Sexual & other forms of gender-based violence'),
    N_('Access to sexual & reproductive health & services'),
    # seeds/affected_groups.csv
    N_('General'),
    N_('Women'),
    N_('Girls'),
    N_('Children'),
    N_('Children in vulnerable situations'),
    N_('Youth & juveniles'),
    N_('Older persons'),
    N_('Persons with disabilities'),
    N_('Human rights defenders'),
    N_('Civil society'),
    N_('Media'),
    N_('Migrants'),
    N_('Domestic workers'),
    N_('Refugees & asylum seekers'),
    N_('Internally displaced persons'),
    N_('Stateless persons'),
    N_('Non-citizens'),
    N_('Minorities / racial, ethnic, linguistic, religious or descent-based groups'),
    N_('Roma, Gypsies, Sinti & Travellers'),
    N_('Indigenous peoples'),
    N_('Lesbian, gay, bisexual, transgender and intersex persons (LGBTI)'),
    N_('Persons deprived of their liberty & detainees'),
    N_('Disappeared persons'),
    N_('Persons living in poverty'),
    N_('Persons living in rural areas'),
    N_('Persons living with HIV/AIDS'),
    N_('Vulnerable persons/groups'),
    N_('Public officials'),
    N_('Judges, lawyers and prosecutors'),
    N_('Law enforcement / police & prison officials'),
    N_('Medical staff / health professionals'),
    N_('Educational staff & students'),
    N_('Persons affected by armed conflict'),
    # seeds/sdgs.csv
    N_('No poverty'),
    N_('Zero hunger'),
    N_('Good health and well-being'),
    N_('Quality education'),
    N_('Gender equality'),
    N_('Clean water and sanitation'),
    N_('Affordable and clean energy'),
    N_('Decent work and economic growth'),
    N_('Industry, innovation and infrastructure'),
    N_('Reduced inequalities'),
    N_('Sustainable cities and communities'),
    N_('Responsible consumption and production'),
    N_('Climate action'),
    N_('Life below water'),
    N_('Life on land'),
    N_('Peace, justice and strong institutions'),
    N_('Partnerships for the goals'),
    # seeds/support_kinds.csv
    N_('Expert advice'),
    N_('Training'),
    N_('Peer exchange or study visit'),
    N_('Legislative drafting help'),
    N_('Data and indicator systems'),
    N_('Funding'),
    N_('Equipment'),
    # seeds/languages.csv
    N_('Arabic'),
    N_('Chinese'),
    N_('English'),
    N_('French'),
    N_('Russian'),
    N_('Spanish'),
    N_('Portuguese'),
)
# fmt: on


def _render() -> str:
    lines = []
    for name in FILES:
        with (SEEDS / name).open(encoding="utf-8", newline="") as file:
            lines.append(f"    # seeds/{name}")
            lines.extend(f"    N_({row['name']!r})," for row in csv.DictReader(file))
    return "\n".join(lines) + "\n"


def main() -> int:
    path = Path(__file__)
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("TERMS = (\n", 1)
    _old, tail = rest.split(")\n# fmt: on", 1)
    path.write_text(head + "TERMS = (\n" + _render() + ")\n# fmt: on" + tail, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
