"""Every label the statistics show, in Dutch and English, in one place, saying what a number means.

The dashboard, CSV headers and API documentation take their words from here, so that "visitors" means
the same thing everywhere, and says honestly how it is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Label:
    """A short name (a column or card title) and a sentence that says how the number is counted."""

    name: str
    description: str = ""


def _both(nl: Label, en: Label) -> dict[str, Label]:
    return {"nl": nl, "en": en}


METRIC_LABELS: dict[str, dict[str, Label]] = {
    "visitors": _both(
        Label(
            "Unieke bezoekers",
            "Per UTC-dag geteld en over de periode opgeteld. Bezoekers zijn anoniem en worden niet over "
            "dagen heen herkend: wie op twee dagen komt, telt twee keer.",
        ),
        Label(
            "Unique visitors",
            "Counted per UTC day and added up over the period. Visitors are anonymous and not recognised "
            "across days: someone who comes on two days counts twice.",
        ),
    ),
    "visits": _both(
        Label(
            "Bezoeken",
            "Een bezoek is een reeks paginaweergaven zonder pauze van meer dan 30 minuten; het telt op "
            "de dag waarop het begon.",
        ),
        Label(
            "Visits",
            "A visit is a series of pageviews with no gap longer than 30 minutes; it counts on the day "
            "it started.",
        ),
    ),
    "pageviews": _both(
        Label(
            "Paginaweergaven",
            "Elke keer dat een pagina werd geladen (of een route van een app werd getoond).",
        ),
        Label("Pageviews", "Every time a page was loaded (or an app route was shown)."),
    ),
    "views_per_visit": _both(
        Label("Weergaven per bezoek", "Paginaweergaven gedeeld door bezoeken."),
        Label("Views per visit", "Pageviews divided by visits."),
    ),
    "bounce_rate": _both(
        Label(
            "Bouncepercentage",
            "Het deel van de bezoeken met één paginaweergave en geen gebeurtenis. Bij vergelijking is de "
            "verandering in procentpunten.",
        ),
        Label(
            "Bounce rate",
            "The share of visits with one pageview and no custom event. Compared, the change is in "
            "percentage points.",
        ),
    ),
    "visit_duration": _both(
        Label(
            "Bezoekduur",
            "Gemiddelde tijd tussen de eerste en de laatste hit van een bezoek, in seconden; een bezoek "
            "met één hit duurt 0 seconden.",
        ),
        Label(
            "Visit duration",
            "Average time between the first and the last hit of a visit, in seconds; a visit with one "
            "hit lasts 0 seconds.",
        ),
    ),
    "events": _both(
        Label(
            "Gebeurtenissen",
            "Eigen gebeurtenissen (ConsentServer.track). Anders dan bij Plausible tellen "
            "paginaweergaven hier niet mee.",
        ),
        Label(
            "Custom events",
            "Custom events (ConsentServer.track). Unlike Plausible, pageviews are not included.",
        ),
    ),
}

PROPERTY_LABELS: dict[str, dict[str, Label]] = {
    "event:page": _both(
        Label("Pagina", "Bezoekers die de pagina bekeken en het aantal weergaven."),
        Label("Page", "Visitors who viewed the page, and how often it was viewed."),
    ),
    "visit:entry_page": _both(
        Label("Instappagina", "De eerste pagina van een bezoek."),
        Label("Entry page", "The first page of a visit."),
    ),
    "visit:exit_page": _both(
        Label("Uitstappagina", "De laatste pagina van een bezoek."),
        Label("Exit page", "The last page of a visit."),
    ),
    "visit:source": _both(
        Label("Bron", "Waar een bezoek vandaan kwam: utm_source, anders de verwijzende site."),
        Label("Source", "Where a visit came from: utm_source, else the referring site."),
    ),
    "visit:channel": _both(
        Label(
            "Kanaal",
            "Soort bron: direct, zoekmachine, sociale media, e-mail, verwijzing, betaald of campagne.",
        ),
        Label("Channel", "Kind of source: direct, search, social, email, referral, paid or campaign."),
    ),
    "visit:referrer": _both(
        Label("Verwijzende site", "De host van de verwijzende pagina (nooit het pad)."),
        Label("Referrer", "The host of the referring page (never its path)."),
    ),
    "visit:utm_source": _both(Label("UTM-bron"), Label("UTM source")),
    "visit:utm_medium": _both(Label("UTM-medium"), Label("UTM medium")),
    "visit:utm_campaign": _both(Label("UTM-campagne"), Label("UTM campaign")),
    "visit:utm_term": _both(Label("UTM-zoekterm"), Label("UTM term")),
    "visit:utm_content": _both(Label("UTM-inhoud"), Label("UTM content")),
    "visit:country": _both(
        Label(
            "Land", "Afgeleid van het ingekorte netwerkadres (/24 of /48), nooit van het volledige IP-adres."
        ),
        Label("Country", "Derived from the truncated network (/24 or /48), never from the full IP address."),
    ),
    "visit:browser": _both(
        Label("Browser", "Browserfamilie en hoofdversie."),
        Label("Browser", "Browser family and major version."),
    ),
    "visit:os": _both(Label("Besturingssysteem"), Label("Operating system")),
    "visit:device": _both(Label("Apparaat"), Label("Device")),
    "visit:screen": _both(Label("Schermgrootte"), Label("Screen size")),
    "event:name": _both(
        Label("Gebeurtenis", "Eigen gebeurtenissen: wie ze verstuurde en hoe vaak."),
        Label("Custom event", "Custom events: who sent them, and how often."),
    ),
}

# Notes the dashboard shows next to the numbers; `{k}` is the configured floor.
NOTE_LABELS: dict[str, dict[str, Label]] = {
    "below_k": _both(
        Label("Minder dan {k} bezoekers", "Te weinig om te tonen zonder dat iemand herkenbaar wordt."),
        Label("Fewer than {k} visitors", "Too few to show without someone becoming recognisable."),
    ),
    "other": _both(
        Label(
            "(overig)",
            "Rijen met minder dan {k} bezoekers samengevoegd (en zo nodig de kleinste andere, tot het "
            "samen minstens {k} zijn).",
        ),
        Label(
            "(other)",
            "Rows with fewer than {k} visitors folded together (and, if needed, the smallest others, "
            "until together they reach {k}).",
        ),
    ),
    "none": _both(
        Label("(geen)", "Zonder waarde, bijvoorbeeld geen verwijzer."),
        Label("(none)", "No value, for example no referrer."),
    ),
    "timezone": _both(
        Label("Dagen in UTC", "Alle dagen en maanden zijn UTC-dagen en -maanden."),
        Label("Days in UTC", "Every day and month is a UTC day and month."),
    ),
    "freshness": _both(
        Label(
            "Elke minuut bijgewerkt",
            "Ongefilterde cijfers komen uit dagtotalen die elke minuut opnieuw worden berekend; "
            "gefilterde cijfers en live-bezoekers worden direct uit de ruwe gegevens gelezen.",
        ),
        Label(
            "Updated every minute",
            "Unfiltered figures come from daily totals rebuilt every minute; filtered figures and "
            "realtime visitors are read from the raw data as they are.",
        ),
    ),
    "realtime": _both(
        Label("Bezoekers nu", "Bezoekers met een hit in de laatste 5 minuten."),
        Label("Current visitors", "Visitors with a hit in the last 5 minutes."),
    ),
    "comparison": _both(
        Label(
            "Vergeleken met de vorige periode",
            "Een even lange periode direct ervoor; bij een lopende periode tellen alleen de dagen tot "
            "en met vandaag.",
        ),
        Label(
            "Compared with the previous period",
            "A period of equal length just before; for a running period only the days up to today count.",
        ),
    ),
}

CONSENT_LABELS: dict[str, dict[str, Label]] = {
    "choices": _both(
        Label("Keuzes", "Elke keuze in het bewijslog telt, ook een latere wijziging door dezelfde bezoeker."),
        Label("Choices", "Every choice in the proof log counts, a later change by the same visitor too."),
    ),
    "accept_all": _both(Label("Alles accepteren"), Label("Accept all")),
    "reject_all": _both(Label("Alles weigeren"), Label("Reject all")),
    "custom": _both(Label("Eigen keuze"), Label("Custom choice")),
    "withdraw": _both(Label("Ingetrokken"), Label("Withdrawn")),
    "opt_in_rate": _both(
        Label(
            "Toestemmingspercentage",
            "Het deel van de keuzes in de periode waarin de categorie aan stond. Elke keuze telt: wie "
            "accepteert en later intrekt, telt één keer aan en één keer uit.",
        ),
        Label(
            "Opt-in rate",
            "The share of the choices in the period that switched the category on. Every choice counts: "
            "someone who accepts and later withdraws counts once on and once off.",
        ),
    ),
    "device": _both(Label("Apparaat"), Label("Device")),
    "language": _both(Label("Taal"), Label("Language")),
    "policy_version": _both(Label("Beleidsversie"), Label("Policy version")),
    "below_k_choices": _both(
        Label("Minder dan {k} keuzes", "Te weinig om te tonen zonder dat iemand herkenbaar wordt."),
        Label("Fewer than {k} choices", "Too few to show without someone becoming recognisable."),
    ),
}

ALL_LABELS: dict[str, dict[str, dict[str, Label]]] = {
    "metrics": METRIC_LABELS,
    "properties": PROPERTY_LABELS,
    "notes": NOTE_LABELS,
    "consent": CONSENT_LABELS,
}


def _filled(found: Label, k: int | None) -> Label:
    return found if k is None else Label(found.name.format(k=k), found.description.format(k=k))


def label(key: str, language: str = "nl", k: int | None = None) -> Label:
    """The label of a metric, property, note or consent figure (`{k}` filled in when given).

    Unknown languages fall back to Dutch; an unknown key raises KeyError.
    """
    language = language if language in LANGUAGES else "nl"
    for table in ALL_LABELS.values():
        if key in table:
            return _filled(table[key][language], k)
    raise KeyError(key)


def labels_for(language: str = "nl", k: int | None = None) -> dict[str, dict[str, dict[str, str]]]:
    """Every label in one language, as JSON for the dashboard: {"metrics": {"visitors": {"name",
    "description"}}, "properties": {...}, "notes": {...}, "consent": {...}}."""
    language = language if language in LANGUAGES else "nl"
    return {
        group: {
            key: {"name": found.name, "description": found.description}
            for key, texts in table.items()
            for found in (_filled(texts[language], k),)
        }
        for group, table in ALL_LABELS.items()
    }
