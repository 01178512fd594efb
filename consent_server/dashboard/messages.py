"""The statistics pages' own texts (nl and en). Metric, property and note labels come from stats/labels.py."""

from __future__ import annotations

from ..auth.i18n import add_messages

add_messages(
    {
        # page titles, heading, tabs
        "dashboard.title.stats": {"nl": "Statistieken van {site}", "en": "Statistics of {site}"},
        "dashboard.title.consent": {"nl": "Toestemmingen op {site}", "en": "Consent on {site}"},
        "dashboard.heading.stats": {"nl": "Websitestatistieken", "en": "Website statistics"},
        "dashboard.heading.consent": {"nl": "Toestemmingen", "en": "Consent"},
        "dashboard.tabs.label": {"nl": "Statistieken van deze site", "en": "Statistics of this site"},
        "dashboard.tabs.stats": {"nl": "Bezoeken", "en": "Visits"},
        "dashboard.tabs.consent": {"nl": "Toestemmingen", "en": "Consent"},
        # the period picker
        "dashboard.period.heading": {"nl": "Periode", "en": "Period"},
        "dashboard.period.choose": {"nl": "Periode kiezen", "en": "Choose a period"},
        "dashboard.period.compared": {
            "nl": "vergeleken met {range}",
            "en": "compared with {range}",
        },
        "dashboard.period.day": {"nl": "Vandaag", "en": "Today"},
        "dashboard.period.7d": {"nl": "7 dagen", "en": "7 days"},
        "dashboard.period.30d": {"nl": "30 dagen", "en": "30 days"},
        "dashboard.period.month": {"nl": "Deze maand", "en": "This month"},
        "dashboard.period.6mo": {"nl": "6 maanden", "en": "6 months"},
        "dashboard.period.12mo": {"nl": "12 maanden", "en": "12 months"},
        "dashboard.period.earlier": {"nl": "Eerder", "en": "Earlier"},
        "dashboard.period.later": {"nl": "Later", "en": "Later"},
        "dashboard.period.custom": {"nl": "Eigen periode", "en": "Custom period"},
        "dashboard.period.custom_open": {"nl": "Eigen periode kiezen", "en": "Choose your own period"},
        "dashboard.period.from": {"nl": "Van", "en": "From"},
        "dashboard.period.to": {"nl": "Tot en met", "en": "To (inclusive)"},
        "dashboard.period.show": {"nl": "Tonen", "en": "Show"},
        "dashboard.range": {"nl": "{first} t/m {last}", "en": "{first} to {last}"},
        "dashboard.month_year": {"nl": "{month} {year}", "en": "{month} {year}"},
        # filters
        "dashboard.filters.heading": {"nl": "Filters", "en": "Filters"},
        "dashboard.filters.remove": {"nl": "Filter weghalen: {filter}", "en": "Remove filter: {filter}"},
        "dashboard.filters.clear": {"nl": "Alle filters weghalen", "en": "Remove all filters"},
        "dashboard.filters.sampled": {
            "nl": "Geschatte cijfers: deze periode heeft zoveel bezoeken dat de gefilterde cijfers uit een "
            "steekproef van 1 op de {n} bezoekers komen, vermenigvuldigd met {n}. Rijen met minder dan "
            "{k} bezoekers in de steekproef tellen onder (overig). Kies een kortere periode voor exacte "
            "cijfers.",
            "en": "Estimated figures: this period has so many visits that the filtered figures come from a "
            "sample of 1 in {n} visitors, multiplied by {n}. Rows with fewer than {k} visitors in the "
            "sample count under (other). Choose a shorter period for exact figures.",
        },
        "dashboard.filter.is": {"nl": "{name} is {value}", "en": "{name} is {value}"},
        "dashboard.filter.is_not": {"nl": "{name} is niet {value}", "en": "{name} is not {value}"},
        "dashboard.filter.or": {"nl": " of ", "en": " or "},
        "dashboard.filter.add_hint": {"nl": "(filter hierop)", "en": "(filter on this)"},
        # cards and their figures
        "dashboard.cards.heading": {"nl": "Kerncijfers", "en": "Key figures"},
        "dashboard.card.about": {"nl": "Hoe geteld?", "en": "How is this counted?"},
        "dashboard.realtime.unfiltered": {"nl": "hele site, zonder filters", "en": "whole site, no filters"},
        "dashboard.below_k": {"nl": "Minder dan {k}", "en": "Fewer than {k}"},
        "dashboard.below_k_choices": {"nl": "Minder dan {k}", "en": "Fewer than {k}"},
        "dashboard.percent": {"nl": "{value}%", "en": "{value}%"},
        "dashboard.duration.seconds": {"nl": "{s} s", "en": "{s} s"},
        "dashboard.duration.minutes": {"nl": "{m} min {s} s", "en": "{m} min {s} s"},
        "dashboard.duration.hours": {"nl": "{h} u {m} min", "en": "{h} h {m} min"},
        "dashboard.change.unknown": {
            "nl": "Geen vergelijking: te weinig bezoekers in een van beide perioden.",
            "en": "No comparison: too few visitors in one of the two periods.",
        },
        "dashboard.change.same": {
            "nl": "Gelijk aan de vorige periode.",
            "en": "The same as in the previous period.",
        },
        "dashboard.change.short.percent": {"nl": "{sign}{n}%", "en": "{sign}{n}%"},
        "dashboard.change.short.points": {"nl": "{sign}{n} pp", "en": "{sign}{n} pp"},
        "dashboard.change.up.percent": {
            "nl": "{n}% meer dan in de vorige periode.",
            "en": "{n}% more than in the previous period.",
        },
        "dashboard.change.down.percent": {
            "nl": "{n}% minder dan in de vorige periode.",
            "en": "{n}% less than in the previous period.",
        },
        "dashboard.change.up.points": {
            "nl": "{n} procentpunt hoger dan in de vorige periode.",
            "en": "{n} percentage points higher than in the previous period.",
        },
        "dashboard.change.down.points": {
            "nl": "{n} procentpunt lager dan in de vorige periode.",
            "en": "{n} percentage points lower than in the previous period.",
        },
        # the chart
        "dashboard.chart.title.hour": {"nl": "{metric} per uur", "en": "{metric} per hour"},
        "dashboard.chart.title.day": {"nl": "{metric} per dag", "en": "{metric} per day"},
        "dashboard.chart.title.month": {"nl": "{metric} per maand", "en": "{metric} per month"},
        "dashboard.chart.column.hour": {"nl": "Uur (UTC)", "en": "Hour (UTC)"},
        "dashboard.chart.column.day": {"nl": "Dag", "en": "Day"},
        "dashboard.chart.column.month": {"nl": "Maand", "en": "Month"},
        "dashboard.chart.metric_label": {"nl": "Cijfer in de grafiek", "en": "Figure in the chart"},
        "dashboard.chart.as_table": {"nl": "Toon de cijfers als tabel", "en": "Show the figures as a table"},
        "dashboard.chart.summary.range": {"nl": "Periode: {range}.", "en": "Period: {range}."},
        "dashboard.chart.summary.highest": {
            "nl": "Hoogste waarde: {value} ({label}).",
            "en": "Highest value: {value} ({label}).",
        },
        "dashboard.chart.summary.withheld": {
            "nl": "{n} punten met minder dan {k} bezoekers worden niet getoond (een grijs streepje).",
            "en": "{n} points with fewer than {k} visitors are not shown (a grey stub).",
        },
        # tables
        "dashboard.panel.pages": {"nl": "Pagina's", "en": "Pages"},
        "dashboard.panel.sources": {"nl": "Herkomst", "en": "Acquisition"},
        "dashboard.panel.campaigns": {"nl": "Campagnes (UTM)", "en": "Campaigns (UTM)"},
        "dashboard.panel.countries": {"nl": "Landen", "en": "Countries"},
        "dashboard.panel.technology": {"nl": "Apparaten en software", "en": "Devices and software"},
        "dashboard.panel.events": {"nl": "Gebeurtenissen", "en": "Custom events"},
        "dashboard.table.pages": {"nl": "Meest bekeken pagina's", "en": "Top pages"},
        "dashboard.table.entry-pages": {"nl": "Instappagina's", "en": "Entry pages"},
        "dashboard.table.exit-pages": {"nl": "Uitstappagina's", "en": "Exit pages"},
        "dashboard.table.sources": {"nl": "Bronnen", "en": "Sources"},
        "dashboard.table.channels": {"nl": "Kanalen", "en": "Channels"},
        "dashboard.table.utm-sources": {"nl": "UTM-bronnen", "en": "UTM sources"},
        "dashboard.table.utm-mediums": {"nl": "UTM-media", "en": "UTM mediums"},
        "dashboard.table.utm-campaigns": {"nl": "UTM-campagnes", "en": "UTM campaigns"},
        "dashboard.table.countries": {"nl": "Landen", "en": "Countries"},
        "dashboard.table.browsers": {"nl": "Browsers", "en": "Browsers"},
        "dashboard.table.os": {"nl": "Besturingssystemen", "en": "Operating systems"},
        "dashboard.table.devices": {"nl": "Apparaten", "en": "Devices"},
        "dashboard.table.events": {"nl": "Gebeurtenissen", "en": "Custom events"},
        "dashboard.table.skipped": {
            "nl": "Bezoeken zonder deze UTM-tag staan niet in de tabel ({n} unieke bezoekers).",
            "en": "Visits without this UTM tag are left out of the table ({n} unique visitors).",
        },
        "dashboard.column.visitors": {"nl": "Bezoekers", "en": "Visitors"},
        "dashboard.column.visits": {"nl": "Bezoeken", "en": "Visits"},
        "dashboard.column.pageviews": {"nl": "Weergaven", "en": "Views"},
        "dashboard.column.bounce_rate": {"nl": "Bounce", "en": "Bounce"},
        "dashboard.column.events": {"nl": "Aantal", "en": "Count"},
        "dashboard.column.views_per_visit": {"nl": "Per bezoek", "en": "Per visit"},
        "dashboard.column.visit_duration": {"nl": "Duur", "en": "Duration"},
        "dashboard.table.empty": {"nl": "Geen gegevens in deze periode.", "en": "No data in this period."},
        "dashboard.table.folded": {
            "nl": "(overig) telt {n} rijen samen die elk minder dan {k} bezoekers hadden (of de kleinste "
            "andere, tot het samen minstens {k} zijn).",
            "en": "(other) adds up {n} rows that each had fewer than {k} visitors (or the smallest others, "
            "until together they reach {k}).",
        },
        "dashboard.table.withheld": {
            "nl": "{n} rijen met samen minder dan {k} bezoekers worden niet getoond.",
            "en": "{n} rows with fewer than {k} visitors together are not shown.",
        },
        "dashboard.table.show_all": {"nl": "Alle {n} rijen tonen", "en": "Show all {n} rows"},
        "dashboard.csv.table": {"nl": "Download als CSV", "en": "Download as CSV"},
        "dashboard.csv.summary": {"nl": "Kerncijfers als CSV", "en": "Key figures as CSV"},
        "dashboard.csv.timeseries": {
            "nl": "Alle cijfers per dag (of uur, maand) als CSV",
            "en": "Every figure per day (or hour, month) as CSV",
        },
        "dashboard.channel.direct": {"nl": "Direct", "en": "Direct"},
        "dashboard.channel.search": {"nl": "Zoekmachine", "en": "Search"},
        "dashboard.channel.social": {"nl": "Sociale media", "en": "Social"},
        "dashboard.channel.email": {"nl": "E-mail", "en": "Email"},
        "dashboard.channel.referral": {"nl": "Verwijzing", "en": "Referral"},
        "dashboard.channel.paid": {"nl": "Betaald", "en": "Paid"},
        "dashboard.channel.campaign": {"nl": "Campagne", "en": "Campaign"},
        "dashboard.device.desktop": {"nl": "Computer", "en": "Desktop"},
        "dashboard.device.mobile": {"nl": "Mobiel", "en": "Mobile"},
        "dashboard.device.tablet": {"nl": "Tablet", "en": "Tablet"},
        "dashboard.device.other": {"nl": "Overig", "en": "Other"},
        "dashboard.language.nl": {"nl": "Nederlands", "en": "Dutch"},
        "dashboard.language.en": {"nl": "Engels", "en": "English"},
        "dashboard.notes.heading": {
            "nl": "Hoe deze cijfers tot stand komen",
            "en": "How these figures are made",
        },
        "dashboard.api_hint": {
            "nl": "Dezelfde cijfers zijn op te vragen via de stats-API, met een API-sleutel:",
            "en": "The same figures are available through the stats API, with an API key:",
        },
        # the consent page
        "dashboard.consent.intro": {
            "nl": "Uit het bewijslog van toestemmingen, alleen als totalen: geen enkele keuze is "
            "hier terug te vinden.",
            "en": "From the consent proof log, as totals only: no single choice can be found here.",
        },
        "dashboard.consent.too_few": {
            "nl": "Minder dan {k} keuzes in deze periode: er is niets te tonen zonder dat iemand "
            "herkenbaar wordt.",
            "en": "Fewer than {k} choices in this period: nothing can be shown without someone "
            "becoming recognisable.",
        },
        "dashboard.consent.cards": {"nl": "Keuzes", "en": "Choices"},
        "dashboard.consent.share": {"nl": "{value}% van de keuzes", "en": "{value}% of the choices"},
        "dashboard.consent.rates": {"nl": "Toestemming per categorie", "en": "Opt-in per category"},
        "dashboard.consent.rates_intro": {
            "nl": "Het deel van de keuzes waarin de categorie aan stond. Elke keuze telt, ook een latere "
            "wijziging of intrekking.",
            "en": "The share of the choices that switched the category on. Every choice counts, a later "
            "change or withdrawal too.",
        },
        "dashboard.consent.category": {"nl": "Categorie", "en": "Category"},
        "dashboard.consent.rate": {"nl": "Toestemmingspercentage", "en": "Opt-in rate"},
        "dashboard.consent.granted": {"nl": "Keuzes met toestemming", "en": "Choices opting in"},
        "dashboard.consent.rate_short": {"nl": "Aan", "en": "On"},
        "dashboard.consent.granted_short": {"nl": "Keuzes aan", "en": "Choices on"},
        "dashboard.consent.asked": {"nl": "Keuzes", "en": "Choices"},
        "dashboard.consent.opt_in_column": {"nl": "{name} aan", "en": "{name} on"},
        "dashboard.consent.chart.title": {"nl": "Keuzes per dag", "en": "Choices per day"},
        "dashboard.consent.chart.highest": {
            "nl": "Meeste keuzes: {value} ({label}).",
            "en": "Most choices: {value} ({label}).",
        },
        "dashboard.consent.chart.withheld": {
            "nl": "{n} dagen met minder dan {k} keuzes worden niet getoond (een grijs streepje).",
            "en": "{n} days with fewer than {k} choices are not shown (a grey stub).",
        },
        "dashboard.consent.table.devices": {"nl": "Per apparaat", "en": "By device"},
        "dashboard.consent.table.languages": {"nl": "Per taal van de banner", "en": "By banner language"},
        "dashboard.consent.table.policy_versions": {"nl": "Per beleidsversie", "en": "By policy version"},
        "dashboard.consent.folded": {
            "nl": "(overig) telt de rijen met minder dan {k} keuzes samen.",
            "en": "(other) adds up the rows with fewer than {k} choices.",
        },
        "dashboard.consent.withheld": {
            "nl": "{n} rijen met samen minder dan {k} keuzes worden niet getoond.",
            "en": "{n} rows with fewer than {k} choices together are not shown.",
        },
        "dashboard.csv.consent_totals": {"nl": "Totalen als CSV", "en": "Totals as CSV"},
        # a URL the pages cannot answer
        "dashboard.error.title": {
            "nl": "Deze cijfers kunnen we niet tonen",
            "en": "We cannot show these figures",
        },
        "dashboard.error.reset": {
            "nl": "Naar de laatste 30 dagen zonder filters",
            "en": "Go to the last 30 days without filters",
        },
        "dashboard.error.period": {
            "nl": "De periode in het adres bestaat niet. Kies een periode uit de lijst.",
            "en": "The period in the address does not exist. Choose a period from the list.",
        },
        "dashboard.error.date": {
            "nl": "De datums kloppen niet: gebruik twee datums (van en tot en met), de eerste niet na de "
            "tweede, samen hoogstens 1200 dagen.",
            "en": "The dates are not valid: use two dates (from and to), the first not after the second, "
            "at most 1200 days together.",
        },
        "dashboard.error.filters": {
            "nl": "Een filter in het adres is onjuist of onbekend. Haal de filters weg en klik opnieuw "
            "op een rij om te filteren.",
            "en": "A filter in the address is malformed or unknown. Remove the filters and click a row "
            "again to filter.",
        },
        "dashboard.error.metric": {
            "nl": "Dit cijfer bestaat niet voor de grafiek.",
            "en": "The chart has no such figure.",
        },
        "dashboard.error.show": {"nl": "Deze tabel bestaat niet.", "en": "There is no such table."},
        "dashboard.error.query": {
            "nl": "Het adres bevat tekens die hier niet kunnen of is te lang.",
            "en": "The address holds characters that are not allowed here, or is too long.",
        },
        "dashboard.error.interval": {
            "nl": "Deze indeling in de tijd past niet bij de periode.",
            "en": "This time interval does not fit the period.",
        },
        "dashboard.error.limit": {
            "nl": "Het gevraagde aantal rijen kan niet.",
            "en": "The number of rows asked for is not possible.",
        },
        "dashboard.error.other": {
            "nl": "Het adres vraagt iets wat deze pagina niet kan tonen.",
            "en": "The address asks for something this page cannot show.",
        },
    }
)
