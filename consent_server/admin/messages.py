"""Dutch and English for the admin pages (the `admin.` messages of the catalog in auth/i18n.py)."""

from __future__ import annotations

from ..auth.i18n import add_messages


def _both(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


ADMIN_MESSAGES: dict[str, dict[str, str]] = {
    # navigation and the overview
    "admin.nav.label": _both("Beheermenu", "Admin menu"),
    "admin.nav.overview": _both("Overzicht", "Overview"),
    "admin.nav.sites": _both("Sites", "Sites"),
    "admin.nav.users": _both("Gebruikers", "Users"),
    "admin.nav.audit": _both("Auditlog", "Audit log"),
    "admin.nav.consents": _both("Verzoeken van bezoekers", "Visitor requests"),
    "admin.nav.data": _both("Gegevens en bewaartermijnen", "Data and retention"),
    "admin.index.title": _both("Beheer", "Administration"),
    "admin.index.intro": _both(
        "Hier richt u sites in, beheert u gebruikers en handelt u verzoeken van bezoekers af. "
        "Elke wijziging komt in het auditlog.",
        "Configure sites, manage users and handle visitors' requests here. Every change is recorded in "
        "the audit log.",
    ),
    "admin.index.sites": _both("{count} sites", "{count} sites"),
    "admin.index.users": _both("{count} actieve gebruikers", "{count} active users"),
    "admin.index.audit": _both(
        "Inloggen, wijzigingen, exports en opschoonacties", "Logins, changes, exports and purges"
    ),
    "admin.index.consents": _both(
        "Toestemmings-ID opzoeken, bewijs exporteren, gegevens wissen",
        "Look up a consent ID, export its receipt, erase data",
    ),
    "admin.index.data": _both(
        "Wat er is opgeslagen en hoe lang (AVG art. 30)", "What is stored and for how long (GDPR art. 30)"
    ),
    "admin.index.recent": _both("Laatste gebeurtenissen", "Latest events"),
    "admin.index.all_audit": _both("Het hele auditlog", "The whole audit log"),
    "admin.choose": _both("Kies…", "Choose…"),
    "admin.lang.nl": _both("Nederlands", "Dutch"),
    "admin.lang.en": _both("Engels", "English"),
    # sites: list and new
    "admin.sites.title": _both("Sites", "Sites"),
    "admin.sites.new": _both("Nieuwe site", "New site"),
    "admin.sites.import": _both("JSON importeren", "Import JSON"),
    "admin.sites.key": _both("Sleutel", "Key"),
    "admin.sites.policy_version": _both("Beleidsversie", "Policy version"),
    "admin.sites.changed": _both("Laatst gewijzigd", "Last changed"),
    "admin.sites.empty": _both("Er zijn nog geen sites.", "There are no sites yet."),
    "admin.site_new.title": _both("Nieuwe site", "New site"),
    "admin.site_new.intro": _both(
        "Een nieuwe site begint met alleen de categorie Noodzakelijk en de standaardteksten in het "
        "Nederlands en Engels. Daarna richt u de rest in.",
        "A new site starts with the Necessary category only and the default texts in Dutch and English. "
        "You configure the rest next.",
    ),
    "admin.site_new.key_hint": _both(
        "Kleine letters, cijfers, - en _; staat in de adressen van de widget en kan later niet meer "
        "veranderen. Bijvoorbeeld: gemeente-zwolle.",
        "Lower-case letters, digits, - and _; it appears in the widget's address and cannot change "
        "later. For example: city-of-zwolle.",
    ),
    "admin.site_new.submit": _both("Site aanmaken", "Create site"),
    "admin.site.created": _both("De site {name} is aangemaakt.", "The site {name} has been created."),
    "admin.site.key_taken": _both(
        "Er is al een site met deze sleutel.", "A site with this key exists already."
    ),
    "admin.site.key_invalid": _both(
        "Gebruik 1 tot 64 kleine letters, cijfers, - en _, beginnend met een letter of cijfer.",
        "Use 1 to 64 lower-case letters, digits, - and _, starting with a letter or digit.",
    ),
    # the edit form
    "admin.site_edit.title": _both("instellingen", "settings"),
    "admin.site_edit.version": _both("beleidsversie {version}", "policy version {version}"),
    "admin.site_edit.since": _both("sinds {date}", "since {date}"),
    "admin.site_edit.declaration": _both("Openbare cookieverklaring", "Public cookie declaration"),
    "admin.site_edit.export": _both("JSON exporteren", "Export JSON"),
    "admin.site_edit.embed": _both("Code om in te bouwen", "Embed code"),
    "admin.site_edit.embed_intro": _both(
        "Zet deze regels op elke pagina van de site. De knop opent de cookie-instellingen; het "
        "div-element toont de cookieverklaring met de keuze van de bezoeker.",
        "Put these lines on every page of the site. The button opens the cookie settings; the div shows "
        "the cookie declaration with the visitor's choice.",
    ),
    "admin.site_edit.embed_button": _both("Cookie-instellingen", "Cookie settings"),
    "admin.site_edit.save": _both("Opslaan", "Save"),
    "admin.site_edit.refresh": _both(
        "Formulier bijwerken (lege rijen toevoegen)", "Update form (add empty rows)"
    ),
    "admin.site_edit.save_hint": _both(
        "Verandert u teksten, categorieën, diensten of cookies, dan vraagt de site bezoekers opnieuw om "
        "toestemming. U bevestigt dat eerst.",
        "If you change texts, categories, services or cookies, the site asks visitors for consent again. "
        "You confirm that first.",
    ),
    "admin.site.saved": _both("De instellingen zijn opgeslagen.", "The settings have been saved."),
    "admin.site.saved_bumped": _both(
        "De instellingen zijn opgeslagen. Beleidsversie {version}: bezoekers worden opnieuw gevraagd.",
        "The settings have been saved. Policy version {version}: visitors will be asked again.",
    ),
    "admin.site.unchanged": _both("Er was niets veranderd.", "Nothing had changed."),
    "admin.site.changed_meanwhile": _both(
        "Iemand anders heeft deze site intussen gewijzigd. Controleer het formulier en sla opnieuw op.",
        "Someone else changed this site in the meantime. Check the form and save again.",
    ),
    "admin.site.section.site": _both("Site", "Site"),
    "admin.site.section.theme": _both("Vormgeving", "Theme"),
    "admin.site.section.texts": _both("Teksten van de banner", "Banner texts"),
    "admin.site.section.categories": _both("Categorieën", "Categories"),
    "admin.site.section.services": _both("Diensten en cookies", "Services and cookies"),
    "admin.site.name": _both("Naam", "Name"),
    "admin.site.origins": _both("Adressen (origins)", "Addresses (origins)"),
    "admin.site.origins_hint": _both(
        "Eén per regel, zoals https://www.voorbeeld.nl. Alleen deze adressen mogen de widget gebruiken.",
        "One per line, such as https://www.example.nl. Only these addresses may use the widget.",
    ),
    "admin.site.cookie_domain": _both("Cookiedomein", "Cookie domain"),
    "admin.site.cookie_domain_hint": _both(
        "Optioneel, bijvoorbeeld .voorbeeld.nl: de keuze geldt dan voor alle subdomeinen.",
        "Optional, for example .example.nl: the choice then holds for every subdomain.",
    ),
    "admin.site.languages": _both("Talen", "Languages"),
    "admin.site.default_language": _both("Standaardtaal", "Default language"),
    "admin.site.privacy_url": _both("Adres van de privacyverklaring", "Privacy statement address"),
    "admin.site.lifetime": _both("Geldigheid van een toestemming (maanden)", "Consent lifetime (months)"),
    "admin.site.lifetime_hint": _both(
        "1 tot 12 maanden; daarna vraagt de banner opnieuw.",
        "1 to 12 months; then the banner asks again.",
    ),
    "admin.site.gpc_mode": _both("Global Privacy Control (GPC)", "Global Privacy Control (GPC)"),
    "admin.site.gpc_hint": _both(
        "Wat de site doet als de browser van de bezoeker GPC meestuurt.",
        "What the site does when the visitor's browser sends GPC.",
    ),
    "admin.site.gpc.reject_marketing": _both(
        "Banner tonen, marketing staat uit", "Show the banner, marketing stays off"
    ),
    "admin.site.gpc.reject_all": _both(
        "Geen banner: alles weigeren namens de bezoeker", "No banner: reject all on the visitor's behalf"
    ),
    "admin.site.gpc.ignore": _both("GPC negeren", "Ignore GPC"),
    "admin.site.consent_mode": _both("Google Consent Mode v2", "Google Consent Mode v2"),
    "admin.site.consent_mode_hint": _both(
        "Geeft de keuze door aan Google-tags op de pagina (gtag).",
        "Passes the choice to Google tags (gtag).",
    ),
    "admin.site.floating_button": _both("Zwevende instellingenknop", "Floating settings button"),
    "admin.site.floating_button_hint": _both(
        "Een kleine knop linksonder waarmee bezoekers hun keuze altijd kunnen wijzigen.",
        "A small button bottom left with which visitors can always change their choice.",
    ),
    "admin.site.hash_routing": _both("Hash-routes tellen als pagina", "Count hash routes as pages"),
    "admin.site.hash_routing_hint": _both(
        "Voor apps met adressen als /#/contact.", "For apps with addresses like /#/contact."
    ),
    "admin.site.download_extensions": _both(
        "Bestandstypen die als download tellen", "File types counted as downloads"
    ),
    "admin.site.download_extensions_hint": _both(
        "Gescheiden door spaties, zoals pdf docx xlsx.", "Separated by spaces, such as pdf docx xlsx."
    ),
    "admin.theme.hint": _both(
        "Tekst en knoppen moeten een contrast van minstens 4,5:1 met hun achtergrond hebben; de knoppen "
        "Alles accepteren en Alles weigeren zien er altijd hetzelfde uit.",
        "Text and buttons need a contrast of at least 4.5:1 with their background; the Accept all and "
        "Reject all buttons always look the same.",
    ),
    "admin.theme.background": _both("Achtergrond", "Background"),
    "admin.theme.text": _both("Tekst", "Text"),
    "admin.theme.accent": _both("Knoppen", "Buttons"),
    "admin.theme.accent_text": _both("Tekst op knoppen", "Button text"),
    "admin.theme.radius": _both("Afronding van hoeken (px)", "Corner radius (px)"),
    "admin.theme.position": _both("Plaats van de banner", "Banner position"),
    "admin.theme.position.bottom": _both("Onderaan, over de hele breedte", "Bottom, full width"),
    "admin.theme.position.bottom-left": _both("Linksonder", "Bottom left"),
    "admin.theme.position.bottom-right": _both("Rechtsonder", "Bottom right"),
    "admin.theme.position.center": _both("In het midden", "Centre"),
    "admin.texts.hint": _both(
        "Vink bij Site aan welke talen de site aanbiedt; alleen die teksten worden gebruikt.",
        "Tick under Site which languages the site offers; only those texts are used.",
    ),
    "admin.texts.default": _both("Leeg laten geeft: {text}", "Left empty, this is: {text}"),
    "admin.texts.title": _both("Titel", "Title"),
    "admin.texts.description": _both("Uitleg", "Description"),
    "admin.texts.accept_all": _both("Knop Alles accepteren", "Accept all button"),
    "admin.texts.reject_all": _both("Knop Alles weigeren", "Reject all button"),
    "admin.texts.settings": _both("Knop Instellingen", "Settings button"),
    "admin.texts.save": _both("Knop Keuze opslaan", "Save choices button"),
    "admin.texts.close": _both("Knop Sluiten", "Close button"),
    "admin.texts.settings_title": _both("Titel van de instellingen", "Settings title"),
    "admin.texts.declaration_link": _both("Link naar de cookieverklaring", "Cookie declaration link"),
    "admin.texts.privacy_link": _both("Link naar de privacyverklaring", "Privacy statement link"),
    "admin.texts.floating_button": _both("Zwevende knop", "Floating button"),
    "admin.category.hint": _both(
        "Noodzakelijk staat altijd eerst en altijd aan. Andere categorieën staan uit tot de bezoeker ze "
        "aanzet.",
        "Necessary always comes first and is always on. Other categories are off until the visitor "
        "switches them on.",
    ),
    "admin.category.key": _both("Sleutel", "Key"),
    "admin.category.key_hint": _both(
        "Zoals analytics of marketing; kleine letters. Scripts op de site verwijzen ernaar (data-consent).",
        "Such as analytics or marketing; lower case. Scripts on the site refer to it (data-consent).",
    ),
    "admin.category.name.nl": _both("Naam (Nederlands)", "Name (Dutch)"),
    "admin.category.name.en": _both("Naam (Engels)", "Name (English)"),
    "admin.category.description.nl": _both("Uitleg (Nederlands)", "Description (Dutch)"),
    "admin.category.description.en": _both("Uitleg (Engels)", "Description (English)"),
    "admin.category.legend": _both("Categorie {name}", "Category {name}"),
    "admin.category.new": _both("Categorie toevoegen", "Add a category"),
    "admin.row.remove": _both("Verwijderen bij opslaan", "Remove when saving"),
    "admin.service.hint": _both(
        "Een dienst is een leverancier of functie (bijvoorbeeld YouTube) met de cookies die hij zet.",
        "A service is a provider or feature (for example YouTube) with the cookies it sets.",
    ),
    "admin.service.key": _both("Sleutel", "Key"),
    "admin.service.key_hint": _both("Kleine letters, zoals youtube.", "Lower case, such as youtube."),
    "admin.service.category": _both("Categorie", "Category"),
    "admin.service.name": _both("Naam", "Name"),
    "admin.service.provider": _both("Aanbieder", "Provider"),
    "admin.service.privacy_url": _both("Privacyverklaring van de aanbieder", "Provider's privacy statement"),
    "admin.service.purpose.nl": _both("Doel (Nederlands)", "Purpose (Dutch)"),
    "admin.service.purpose.en": _both("Doel (Engels)", "Purpose (English)"),
    "admin.service.legend": _both("Dienst {name}", "Service {name}"),
    "admin.service.new": _both("Dienst toevoegen", "Add a service"),
    "admin.cookie.name": _both("Naam of patroon", "Name or pattern"),
    "admin.cookie.name_hint": _both(
        "Een * staat voor iets willekeurigs, zoals _ga_*.", "A * stands for anything, such as _ga_*."
    ),
    "admin.cookie.domain": _both("Domein", "Domain"),
    "admin.cookie.domain_hint": _both(
        "Optioneel; leeg is het domein van de site.", "Optional; empty is the site's domain."
    ),
    "admin.cookie.storage": _both("Soort opslag", "Storage"),
    "admin.cookie.storage.cookie": _both("Cookie", "Cookie"),
    "admin.cookie.storage.local_storage": _both("localStorage", "localStorage"),
    "admin.cookie.storage.session_storage": _both("sessionStorage", "sessionStorage"),
    "admin.cookie.duration": _both("Bewaartermijn (dagen)", "Duration (days)"),
    "admin.cookie.duration_hint": _both(
        "0 is tot het sluiten van de browser.", "0 is until the browser closes."
    ),
    "admin.cookie.purpose.nl": _both("Doel (Nederlands)", "Purpose (Dutch)"),
    "admin.cookie.purpose.en": _both("Doel (Engels)", "Purpose (English)"),
    "admin.cookie.legend": _both("Cookie {name}", "Cookie {name}"),
    "admin.cookie.new": _both("Cookie toevoegen", "Add a cookie"),
    # refusals
    "admin.error.prefix": _both("Fout:", "Error:"),
    "admin.error.summary": _both("De instellingen zijn niet opgeslagen", "The settings were not saved"),
    "admin.error.has_errors": _both("bevat een fout", "has an error"),
    "admin.error.control": _both(
        "Dit veld bevat tekens die niet zijn toegestaan (zoals een nul-byte).",
        "This field holds characters that are not allowed (such as a NUL byte).",
    ),
    "admin.error.too_many_rows": _both("Het formulier heeft te veel rijen.", "The form has too many rows."),
    "admin.error.pattern": _both(
        "Deze waarde heeft niet de juiste vorm.", "This value does not have the right form."
    ),
    "admin.error.integer": _both("Vul een heel getal in.", "Enter a whole number."),
    "admin.error.minimum": _both(
        "Vul een getal van minstens {number} in.", "Enter a number of at least {number}."
    ),
    "admin.error.maximum": _both(
        "Vul een getal van hoogstens {number} in.", "Enter a number of at most {number}."
    ),
    "admin.error.choice": _both("Kies een van de mogelijkheden.", "Choose one of the options."),
    "admin.error.origin": _both(
        "Een adres is https://host (met eventueel :poort), bijvoorbeeld https://www.voorbeeld.nl.",
        "An address is https://host (with an optional :port), for example https://www.example.nl.",
    ),
    "admin.error.origin_path": _both(
        "Een adres heeft geen pad, vraag of #-deel: alleen https://host.",
        "An address has no path, query or #-part: only https://host.",
    ),
    "admin.error.url": _both(
        "Vul een volledig adres in dat met https:// begint.",
        "Enter a full address starting with https://.",
    ),
    "admin.error.list_empty": _both("Vul er minstens één in.", "Enter at least one."),
    "admin.error.list_long": _both("Hoogstens {number}.", "At most {number}."),
    "admin.rule.refused": _both("{rule} ({detail})", "{rule} ({detail})"),
    "admin.rule.EDPB-A": _both(
        "EDPB-A: Alles weigeren moet op de eerste laag staan; geef de knop een tekst",
        "EDPB-A: Reject all must be on the first layer; give the button a text",
    ),
    "admin.rule.EDPB-B": _both(
        "EDPB-B: een categorie mag niet vooraf aangevinkt zijn",
        "EDPB-B: a category may not be pre-ticked",
    ),
    "admin.rule.EDPB-C": _both(
        "EDPB-C: weigeren moet er hetzelfde uitzien als accepteren",
        "EDPB-C: reject must look the same as accept",
    ),
    "admin.rule.EDPB-D": _both(
        "EDPB-D: weigeren en accepteren moeten dezelfde kleuren hebben",
        "EDPB-D: reject and accept must use the same colours",
    ),
    "admin.rule.EDPB-E": _both(
        "EDPB-E: het contrast is te laag, het moet minstens 4,5:1 zijn",
        "EDPB-E: the contrast is too low, it must be at least 4.5:1",
    ),
    "admin.rule.EDPB-F": _both(
        "EDPB-F: niet-noodzakelijke cookies vragen toestemming, geen gerechtvaardigd belang",
        "EDPB-F: non-necessary cookies need consent, not a legitimate interest",
    ),
    "admin.rule.EDPB-G": _both(
        "EDPB-G: dit is een bekende statistiek- of advertentiecookie, nooit noodzakelijk",
        "EDPB-G: this is a well-known analytics or advertising cookie, never necessary",
    ),
    "admin.rule.texts": _both("Er ontbreekt een tekst", "A text is missing"),
    "admin.rule.necessary_first": _both(
        "De eerste categorie moet Noodzakelijk (necessary) zijn", "The first category must be necessary"
    ),
    "admin.rule.unique_keys": _both("Een sleutel komt twee keer voor", "A key appears twice"),
    "admin.rule.known_category": _both("Deze categorie bestaat niet", "This category does not exist"),
    "admin.rule.cookie_domain": _both(
        "Het cookiedomein past niet bij de adressen", "The cookie domain does not fit the addresses"
    ),
    "admin.rule.languages": _both(
        "De standaardtaal moet een van de talen van de site zijn",
        "The default language must be one of the site's languages",
    ),
    # the policy-bump confirmation
    "admin.confirm.title": _both("Bezoekers opnieuw vragen?", "Ask visitors again?"),
    "admin.confirm.asked_again": _both(
        "Deze wijziging raakt waarvoor bezoekers toestemming gaven: alle bezoekers krijgen de banner "
        "opnieuw te zien en kiezen opnieuw.",
        "This change affects what visitors consented to: every visitor sees the banner again and chooses "
        "again.",
    ),
    "admin.confirm.versions": _both(
        "De beleidsversie van {site} gaat van {before} naar {after}. Statistieken worden pas weer "
        "verzameld als een bezoeker opnieuw toestemming geeft.",
        "The policy version of {site} goes from {before} to {after}. Statistics are collected again only "
        "once a visitor consents again.",
    ),
    "admin.confirm.changes": _both("Wat er verandert", "What changes"),
    "admin.confirm.field": _both("Veld", "Field"),
    "admin.confirm.before": _both("Was", "Before"),
    "admin.confirm.after": _both("Wordt", "After"),
    "admin.confirm.submit": _both("Opslaan en bezoekers opnieuw vragen", "Save and ask visitors again"),
    "admin.confirm.back": _both("Terug naar het formulier", "Back to the form"),
    # the preview
    "admin.preview.title": _both("Voorbeeld", "Preview"),
    "admin.preview.hint": _both(
        "Zo zien bezoekers de banner, met wat nu in het formulier staat. Keuzes in het voorbeeld worden "
        "niet opgeslagen.",
        "This is how visitors see the banner, with what the form holds now. Choices in the preview are "
        "not recorded.",
    ),
    "admin.preview.frame_title": _both("Voorbeeld van de banner", "Preview of the banner"),
    "admin.preview.show_nl": _both("Voorbeeld in het Nederlands", "Preview in Dutch"),
    "admin.preview.show_en": _both("Voorbeeld in het Engels", "Preview in English"),
    "admin.preview.problems": _both(
        "Het voorbeeld kan niet worden getoond, want het formulier bevat fouten:",
        "The preview cannot be shown because the form has errors:",
    ),
    # import
    "admin.import.title": _both("Configuratie importeren", "Import a configuration"),
    "admin.import.intro": _both(
        "Een JSON-configuratie (zoals JSON exporteren of consent-server sites export die geven) maakt "
        "een nieuwe site of vervangt de site met dezelfde sleutel. Verandert de banner, dan worden "
        "bezoekers opnieuw gevraagd; u bevestigt dat eerst.",
        "A JSON configuration (as Export JSON or consent-server sites export give) creates a new site or "
        "replaces the site with the same key. If the banner changes, visitors are asked again; you "
        "confirm that first.",
    ),
    "admin.import.file": _both("Bestand", "File"),
    "admin.import.file_hint": _both(
        "Een .json-bestand van hoogstens 512 kB.", "A .json file of at most 512 kB."
    ),
    "admin.import.text": _both("Of plak de JSON hier", "Or paste the JSON here"),
    "admin.import.text_hint": _both(
        "Wordt gebruikt als er geen bestand is gekozen.", "Used when no file is chosen."
    ),
    "admin.import.submit": _both("Importeren", "Import"),
    "admin.import.refused": _both(
        "De configuratie is niet geïmporteerd", "The configuration was not imported"
    ),
    "admin.import.too_large": _both(
        "Het bestand is groter dan {size} kB.", "The file is larger than {size} kB."
    ),
    "admin.import.not_utf8": _both("Het bestand is geen UTF-8-tekst.", "The file is not UTF-8 text."),
    "admin.import.empty": _both("Kies een bestand of plak JSON.", "Choose a file or paste JSON."),
    "admin.import.not_json": _both("Dit is geen geldige JSON: {detail}", "This is not valid JSON: {detail}"),
    "admin.import.done": _both(
        "{name} is geïmporteerd (beleidsversie {version}).",
        "{name} has been imported (policy version {version}).",
    ),
    # scans
    "admin.scan.title": _both("Cookiescans", "Cookie scans"),
    "admin.scan.intro": _both(
        "De scanner bezoekt de site in een browser zonder keuze, na Alles weigeren en na Alles "
        "accepteren, en vergelijkt wat hij ziet met de cookieverklaring.",
        "The scanner visits the site in a browser with no choice, after Reject all and after Accept all, "
        "and compares what it sees with the cookie declaration.",
    ),
    "admin.scan.url": _both("Beginadres", "Start address"),
    "admin.scan.pages": _both("Pagina's per fase", "Pages per phase"),
    "admin.scan.start": _both("Nu scannen", "Scan now"),
    "admin.scan.started": _both("Gestart", "Started"),
    "admin.scan.list": _both("Eerdere scans", "Earlier scans"),
    "admin.scan.status": _both("Status", "Status"),
    "admin.scan.status.running": _both("bezig", "running"),
    "admin.scan.status.done": _both("klaar", "done"),
    "admin.scan.status.failed": _both("mislukt", "failed"),
    "admin.scan.findings": _both("Bevindingen", "Findings"),
    "admin.scan.requested_by": _both("Gestart door", "Started by"),
    "admin.scan.none": _both("Deze site is nog niet gescand.", "This site has not been scanned yet."),
    "admin.scan.running": _both(
        "Er loopt al een scan van deze site.", "A scan of this site is running already."
    ),
    "admin.scan.invalid": _both(
        "Geef een http(s)-adres en 1 tot 1000 pagina's.", "Give an http(s) address and 1 to 1000 pages."
    ),
    "admin.scan.started_note": _both("De scan is gestart.", "The scan has started."),
    "admin.scan.report_title": _both("Cookiescan van {site}", "Cookie scan of {site}"),
    "admin.scan.back": _both("Terug naar {site}", "Back to {site}"),
    "admin.scan.running_note": _both(
        "De scan loopt nog; dat duurt een paar minuten.",
        "The scan is still running; that takes a few minutes.",
    ),
    "admin.scan.reload": _both("Opnieuw laden", "Reload"),
    "admin.scan.failed": _both("De scan is mislukt:", "The scan failed:"),
    "admin.scan.phases": _both("Fasen", "Phases"),
    "admin.scan.phase.no_choice": _both("Zonder keuze", "No choice"),
    "admin.scan.phase.reject": _both("Na Alles weigeren", "After Reject all"),
    "admin.scan.phase.accept": _both("Na Alles accepteren", "After Accept all"),
    "admin.scan.phase_line": _both(
        "{status}, {pages} pagina's, {items} cookies en opslagsleutels",
        "{status}, {pages} pages, {items} cookies and storage keys",
    ),
    "admin.scan.phase_status.done": _both("klaar", "done"),
    "admin.scan.phase_status.partial": _both("niet helemaal af", "partly done"),
    "admin.scan.phase_status.failed": _both("mislukt", "failed"),
    "admin.scan.phase_status.skipped": _both("overgeslagen", "skipped"),
    "admin.scan.severity.critical": _both("overtreding", "violation"),
    "admin.scan.severity.high": _both("derde partij", "third party"),
    "admin.scan.severity.medium": _both("niet vermeld", "undeclared"),
    "admin.scan.severity.low": _both("niet gezien", "not seen"),
    "admin.scan.no_findings": _both("Geen bevindingen.", "No findings."),
    "admin.scan.proposals": _both(
        "Voorstellen voor de cookieverklaring", "Proposals for the cookie declaration"
    ),
    "admin.scan.proposals_intro": _both(
        "Cookies en opslagsleutels die de scanner zag maar die niet in de verklaring staan, met een "
        "voorgestelde categorie. Controleer ze voor u ze toevoegt.",
        "Cookies and storage keys the scanner saw that the declaration lacks, with a proposed category. "
        "Check them before you add them.",
    ),
    "admin.scan.proposals_choose": _both("Kies wat u toevoegt", "Choose what to add"),
    "admin.scan.days": _both("{days} dagen", "{days} days"),
    "admin.scan.asked_again": _both(
        "Toevoegen verhoogt de beleidsversie: bezoekers worden opnieuw gevraagd.",
        "Adding raises the policy version: visitors will be asked again.",
    ),
    "admin.scan.add": _both("Toevoegen aan de verklaring", "Add to the declaration"),
    "admin.scan.none_chosen": _both("Kies minstens één voorstel.", "Choose at least one proposal."),
    "admin.scan.refused": _both("Niet toegevoegd: {detail}", "Not added: {detail}"),
    "admin.scan.added": _both(
        "Toegevoegd: {names}. Beleidsversie {version}: bezoekers worden opnieuw gevraagd.",
        "Added: {names}. Policy version {version}: visitors will be asked again.",
    ),
    "admin.scan.nothing_added": _both("Alles stond al in de verklaring.", "Everything was declared already."),
    # users
    "admin.users.title": _both("Gebruikers", "Users"),
    "admin.users.new": _both("Nieuwe gebruiker", "New user"),
    "admin.role.admin": _both("Beheerder", "Admin"),
    "admin.role.marketing": _both("Marketing", "Marketing"),
    "admin.role.admin.hint": _both("Ziet en beheert alles.", "Sees and manages everything."),
    "admin.role.marketing.hint": _both(
        "Ziet alleen de statistieken van de sites hieronder.",
        "Sees only the statistics of the sites below.",
    ),
    "admin.user.email": _both("E-mail", "Email"),
    "admin.user.role": _both("Rol", "Role"),
    "admin.user.sites": _both("Sites", "Sites"),
    "admin.user.sites_hint": _both(
        "Voor marketinggebruikers: welke sites ze mogen zien. Beheerders zien alle sites.",
        "For marketing users: which sites they may see. Admins see every site.",
    ),
    "admin.user.all_sites": _both("alle", "all"),
    "admin.user.status": _both("Status", "Status"),
    "admin.user.active": _both("Actief", "Active"),
    "admin.user.inactive": _both("Gedeactiveerd", "Deactivated"),
    "admin.user.inactive_since": _both("Gedeactiveerd op {date}", "Deactivated on {date}"),
    "admin.user.created_at": _both("Aangemaakt", "Created"),
    "admin.user.created_on": _both("aangemaakt op {date}", "created on {date}"),
    "admin.user.history": _both("Geschiedenis in het auditlog", "History in the audit log"),
    "admin.user.password": _both("Wachtwoord", "Password"),
    "admin.user.password_hint": _both(
        "Minstens 12 tekens. Leeg laten maakt een sterk wachtwoord aan dat u één keer te zien krijgt.",
        "At least 12 characters. Left empty, a strong password is generated and shown to you once.",
    ),
    "admin.user.create": _both("Gebruiker aanmaken", "Create user"),
    "admin.user.created": _both("{email} is aangemaakt.", "{email} has been created."),
    "admin.user.email_taken": _both(
        "Er is al een gebruiker met dit e-mailadres.", "A user with this email exists already."
    ),
    "admin.user.email_invalid": _both("Vul een geldig e-mailadres in.", "Enter a valid email address."),
    "admin.user.role_invalid": _both("Kies een rol.", "Choose a role."),
    "admin.user.site_invalid": _both("Die site bestaat niet.", "That site does not exist."),
    "admin.user.password_short": _both(
        "Een wachtwoord heeft minstens {min} tekens.", "A password has at least {min} characters."
    ),
    "admin.user.password_invalid": _both(
        "Dit wachtwoord is te lang of bevat niet-toegestane tekens.",
        "This password is too long or holds characters that are not allowed.",
    ),
    "admin.user.access": _both("Rol en sites", "Role and sites"),
    "admin.user.save": _both("Opslaan", "Save"),
    "admin.user.saved": _both(
        "De rechten van {email} zijn opgeslagen.", "The access of {email} has been saved."
    ),
    "admin.user.unchanged": _both("Er was niets veranderd voor {email}.", "Nothing had changed for {email}."),
    "admin.user.own_role": _both("U kunt uw eigen rol niet veranderen.", "You cannot change your own role."),
    "admin.user.account": _both("Account", "Account"),
    "admin.user.deactivate": _both("Deactiveren", "Deactivate"),
    "admin.user.deactivate_hint": _both(
        "Beëindigt alle sessies en API-sleutels; het account wordt na de bewaartermijn verwijderd.",
        "Ends every session and API key; the account is deleted after the retention period.",
    ),
    "admin.user.reactivate": _both("Weer activeren", "Reactivate"),
    "admin.user.own_account": _both("U kunt uzelf niet deactiveren.", "You cannot deactivate yourself."),
    "admin.user.active_invalid": _both("Kies activeren of deactiveren.", "Choose activate or deactivate."),
    "admin.user.deactivated": _both("{email} is gedeactiveerd.", "{email} has been deactivated."),
    "admin.user.reactivated": _both("{email} is weer actief.", "{email} is active again."),
    "admin.user.reset_password": _both("Nieuw wachtwoord maken", "Generate a new password"),
    "admin.user.reset_hint": _both(
        "Het oude wachtwoord werkt niet meer en alle sessies eindigen.",
        "The old password stops working and every session ends.",
    ),
    "admin.user.password_title": _both("Wachtwoord voor {email}", "Password for {email}"),
    "admin.user.password_reset": _both("Nieuw wachtwoord voor {email}", "New password for {email}"),
    "admin.user.password_once": _both(
        "Geef dit wachtwoord veilig door. Het wordt maar één keer getoond; de server bewaart alleen een "
        "hash.",
        "Pass this password on safely. It is shown only once; the server keeps only a hash.",
    ),
    "admin.user.new_password": _both("Wachtwoord", "Password"),
    "admin.user.back": _both("Terug naar {email}", "Back to {email}"),
    "admin.user.no_keys": _both("Deze gebruiker heeft geen API-sleutels.", "This user has no API keys."),
    "admin.user.key_name": _both("Naam van een nieuwe sleutel", "Name of a new key"),
    # the audit log
    "admin.audit.title": _both("Auditlog", "Audit log"),
    "admin.audit.intro": _both(
        "Inloggen (gelukt en mislukt), elke wijziging door een beheerder met de waarden ervoor en "
        "erna, exports, opschoonacties en verzoeken van bezoekers. Bewaard: {months} maanden. Nooit een "
        "wachtwoord, token of volledig IP-adres.",
        "Logins (successful and failed), every admin change with the values before and after, exports, "
        "purges and visitors' requests. Kept {months} months. Never a password, token or full IP "
        "address.",
    ),
    "admin.audit.filter": _both("Auditlog filteren", "Filter the audit log"),
    "admin.audit.actor": _both("Wie", "Who"),
    "admin.audit.action": _both("Actie", "Action"),
    "admin.audit.target": _both("Waarop", "Target"),
    "admin.audit.from": _both("Van", "From"),
    "admin.audit.to": _both("Tot en met", "Until"),
    "admin.audit.any": _both("Alle acties", "Every action"),
    "admin.audit.apply": _both("Filteren", "Filter"),
    "admin.audit.clear": _both("Alles tonen", "Show all"),
    "admin.audit.count": _both("{count} gebeurtenissen", "{count} events"),
    "admin.audit.when": _both("Wanneer", "When"),
    "admin.audit.details": _both("Details", "Details"),
    "admin.audit.more_changes": _both("en nog {count} wijzigingen", "and {count} more changes"),
    "admin.audit.date_invalid": _both("Vul een datum in als 2026-05-31.", "Enter a date like 2026-05-31."),
    "admin.audit.date_order": _both(
        "Deze datum ligt voor de begindatum.", "This date is before the start date."
    ),
    "admin.audit.pages": _both("Pagina's", "Pages"),
    "admin.audit.page": _both("Pagina {page} van {pages}", "Page {page} of {pages}"),
    "admin.audit.newer": _both("← Nieuwer", "← Newer"),
    "admin.audit.older": _both("Ouder →", "Older →"),
    # data subjects
    "admin.consent.title": _both("Verzoeken van bezoekers", "Visitor requests"),
    "admin.consent.intro": _both(
        "Een bezoeker vindt het toestemmings-ID in de cookie-instellingen van de site. Met dat ID ziet u "
        "het bewijs van zijn keuzes, exporteert u het (inzage, overdraagbaarheid) en wist u de "
        "statistieken die eraan gekoppeld zijn (vergetelheid). Alles wat u hier doet komt in het "
        "auditlog.",
        "A visitor finds the consent ID in the site's cookie settings. With that ID you see the proof of "
        "their choices, export it (access, portability) and erase the statistics linked to it (erasure). "
        "Everything you do here is recorded in the audit log.",
    ),
    "admin.consent.lookup": _both("Opzoeken", "Look up"),
    "admin.consent.id": _both("Toestemmings-ID", "Consent ID"),
    "admin.consent.id_hint": _both(
        "Zoals 3f2b8c1e-5d4a-4b7e-9c2f-1a2b3c4d5e6f.", "Such as 3f2b8c1e-5d4a-4b7e-9c2f-1a2b3c4d5e6f."
    ),
    "admin.consent.id_invalid": _both(
        "Dit is geen toestemmings-ID: 36 tekens, cijfers, a tot f en streepjes.",
        "This is not a consent ID: 36 characters, digits, a to f and hyphens.",
    ),
    "admin.consent.missing": _both(
        "Onder {id} is niets vastgelegd (of het is al verwijderd na de bewaartermijn).",
        "Nothing is recorded under {id} (or it was deleted after the retention period).",
    ),
    "admin.consent.receipt_title": _both("Bewijs van toestemming", "Consent receipt"),
    "admin.consent.site": _both("Site", "Site"),
    "admin.consent.current": _both("Laatste keuze", "Latest choice"),
    "admin.consent.on": _both("aan", "on"),
    "admin.consent.off": _both("uit", "off"),
    "admin.consent.version": _both("beleidsversie {version}", "policy version {version}"),
    "admin.consent.export": _both("Bewijs exporteren (JSON)", "Export receipt (JSON)"),
    "admin.consent.erase": _both("Statistieken wissen…", "Erase statistics…"),
    "admin.consent.records": _both("Alle vastgelegde keuzes", "Every recorded choice"),
    "admin.consent.recorded_at": _both("Vastgelegd (UTC)", "Recorded (UTC)"),
    "admin.consent.action": _both("Keuze", "Choice"),
    "admin.consent.categories": _both("Categorieën", "Categories"),
    "admin.consent.policy": _both("Beleidsversie", "Policy version"),
    "admin.consent.language": _both("Taal", "Language"),
    "admin.consent.page": _both("Pagina", "Page"),
    "admin.consent.device": _both("Browser, systeem, apparaat", "Browser, system, device"),
    "admin.consent.expires_at": _both("Geldig tot (UTC)", "Valid until (UTC)"),
    "admin.consent.erased_rows": _both("Gewist", "Erased"),
    "admin.consent.erase_title": _both("Statistieken wissen", "Erase statistics"),
    "admin.consent.erase_explain": _both(
        "Dit wist de bezoeken en gebeurtenissen die nog aan {id} gekoppeld kunnen worden en legt een "
        "intrekking van de toestemming vast, net als wanneer de bezoeker dat zelf doet. Vanaf nu worden "
        "geen statistieken meer verzameld onder dit ID. Het bewijs van de keuzes blijft bewaard.",
        "This erases the visits and events that can still be linked to {id} and records a withdrawal of "
        "consent, as when the visitor does it themselves. From now on no statistics are collected under "
        "this ID. The proof of the choices is kept.",
    ),
    "admin.consent.erase_confirm": _both("Wissen en toestemming intrekken", "Erase and withdraw consent"),
    "admin.consent.cancel": _both("Annuleren", "Cancel"),
    "admin.consent.erased": _both(
        "Gewist: {count} rijen. De intrekking is vastgelegd.",
        "Erased: {count} rows. The withdrawal is recorded.",
    ),
    # the data inventory
    "admin.data.title": _both("Gegevens en bewaartermijnen", "Data inventory and retention"),
    "admin.data.intro": _both(
        "Elke tabel in de database: wat erin staat, hoe lang het bewaard wordt, de oudste rij en wat "
        "de laatste opschoning verwijderde. Het overzicht dat een privacy officer nodig heeft voor het "
        "register van verwerkingen (AVG art. 30).",
        "Every table in the database: what it holds, how long it is kept, its oldest row and what the "
        "last purge removed. The record a privacy officer needs for the record of processing (GDPR "
        "art. 30).",
    ),
    "admin.data.last_purge": _both(
        "Laatste opschoning: {date}, door {actor}.", "Last purge: {date}, by {actor}."
    ),
    "admin.data.no_purge": _both(
        "Er is nog geen opschoning vastgelegd (in de laatste 12 maanden).",
        "No purge has been recorded yet (in the last 12 months).",
    ),
    "admin.data.table": _both("Tabel", "Table"),
    "admin.data.holds": _both("Wat erin staat", "What it holds"),
    "admin.data.retention": _both("Bewaartermijn", "Retention"),
    "admin.data.oldest": _both("Oudste rij", "Oldest row"),
    "admin.data.purged": _both("Laatst opgeschoond", "Last purge removed"),
    "admin.data.empty": _both("leeg", "empty"),
    "admin.data.undescribed": _both("(nog niet beschreven)", "(not described yet)"),
    "admin.data.salt_period.day": _both("dag", "day"),
    "admin.data.salt_period.month": _both("maand", "month"),
    "admin.data.holds.sites": _both(
        "Instellingen per site: adressen, teksten, vormgeving, beleidsversie.",
        "Settings per site: addresses, texts, theme, policy version.",
    ),
    "admin.data.holds.categories": _both("Cookiecategorieën per site.", "Cookie categories per site."),
    "admin.data.holds.services": _both(
        "Diensten per site (de cookieverklaring).", "Services per site (the cookie declaration)."
    ),
    "admin.data.holds.cookies": _both(
        "Cookies per dienst (de cookieverklaring).", "Cookies per service (the cookie declaration)."
    ),
    "admin.data.holds.consent_records": _both(
        "Bewijs van elke keuze: toestemmings-ID, tijd, keuze per categorie, beleidsversie, hash van de "
        "getoonde teksten, taal, pagina, browser/systeem/apparaat, ingekort netwerk (/24, /48).",
        "Proof of every choice: consent ID, time, choice per category, policy version, hash of the texts "
        "shown, language, page, browser/system/device, truncated network (/24, /48).",
    ),
    "admin.data.holds.users": _both(
        "Gebruikers van het dashboard: e-mail, rol, wachtwoordhash (scrypt).",
        "Dashboard users: email, role, password hash (scrypt).",
    ),
    "admin.data.holds.user_sites": _both(
        "Welke sites een gebruiker mag zien.", "Which sites a user may see."
    ),
    "admin.data.holds.api_keys": _both(
        "API-sleutels: naam, eerste 12 tekens, SHA-256-hash.",
        "API keys: name, first 12 characters, SHA-256 hash.",
    ),
    "admin.data.holds.audit_log": _both(
        "Auditlog: wie deed wat, wanneer; nooit een wachtwoord, token of volledig IP-adres.",
        "Audit log: who did what, when; never a password, token or full IP address.",
    ),
    "admin.data.holds.analytics_salts": _both(
        "Geheime sleutels die anonieme bezoekerssleutels maken.",
        "Secret salts that make anonymous visitor keys.",
    ),
    "admin.data.holds.analytics_sessions": _both(
        "Bezoeken: anonieme bezoekerssleutel, eerste en laatste pagina, bron, browser/systeem/apparaat, "
        "land.",
        "Visits: anonymous visitor key, entry and exit page, source, browser/system/device, country.",
    ),
    "admin.data.holds.analytics_events": _both(
        "Paginaweergaven en gebeurtenissen: anonieme bezoekerssleutel, pagina, naam en eigenschappen.",
        "Pageviews and events: anonymous visitor key, page, name and properties.",
    ),
    "admin.data.holds.analytics_bot_tallies": _both(
        "Aantal bezoeken van bots per site en dag.", "Number of bot hits per site and day."
    ),
    "admin.data.holds.analytics_daily": _both(
        "Totalen per site, dag en uitsplitsing (geen bezoekerssleutels).",
        "Totals per site, day and breakdown (no visitor keys).",
    ),
    "admin.data.holds.analytics_monthly": _both(
        "De dagtotalen van afgelopen maanden, per maand opgeteld (geen bezoekerssleutels).",
        "The daily totals of past months, added up per month (no visitor keys).",
    ),
    "admin.data.holds.analytics_months": _both(
        "Welke maanden per maand zijn opgeteld (technisch, geen persoonsgegevens).",
        "Which months have been added up (technical, no personal data).",
    ),
    "admin.data.holds.consent_daily": _both(
        "Aantal keuzes per site en dag, per actie, apparaat, taal, beleidsversie en categorieën "
        "(geen consent-ID's).",
        "Number of choices per site and day, by action, device, language, policy version and categories "
        "(no consent ids).",
    ),
    "admin.data.holds.scans": _both(
        "Cookiescans en hun rapporten (cookienamen, externe hosts, pagina's van de site).",
        "Cookie scans and their reports (cookie names, third-party hosts, pages of the site).",
    ),
    "admin.data.holds.job_locks": _both(
        "Wie de periodieke taken uitvoert (technisch, geen persoonsgegevens).",
        "Who runs the periodic jobs (technical, no personal data).",
    ),
    "admin.data.rule.sites": _both("Zolang de site bestaat.", "While the site exists."),
    "admin.data.rule.categories": _both("Met de site.", "With the site."),
    "admin.data.rule.services": _both("Met de site.", "With the site."),
    "admin.data.rule.cookies": _both("Met de site.", "With the site."),
    "admin.data.rule.consent_records": _both(
        "{consent} maanden na het vastleggen, dan verwijderd.",
        "{consent} months from recording, then deleted.",
    ),
    "admin.data.rule.users": _both(
        "Gedeactiveerde accounts: {users} dagen na deactivering verwijderd.",
        "Deactivated accounts: deleted {users} days after deactivation.",
    ),
    "admin.data.rule.user_sites": _both("Met de gebruiker.", "With the user."),
    "admin.data.rule.api_keys": _both("Met de gebruiker.", "With the user."),
    "admin.data.rule.audit_log": _both(
        "{security} maanden, dan verwijderd.", "{security} months, then deleted."
    ),
    "admin.data.rule.analytics_salts": _both(
        "Vernietigd een uur na hun periode (een {salt}).",
        "Destroyed one hour after their period (a {salt}).",
    ),
    "admin.data.rule.analytics_sessions": _both(
        "{analytics} maanden, dan verwijderd.", "{analytics} months, then deleted."
    ),
    "admin.data.rule.analytics_events": _both(
        "{analytics} maanden, dan verwijderd (PostgreSQL: per maand).",
        "{analytics} months, then deleted (PostgreSQL: by month).",
    ),
    "admin.data.rule.analytics_bot_tallies": _both(
        "{analytics} maanden, dan verwijderd.", "{analytics} months, then deleted."
    ),
    "admin.data.rule.analytics_daily": _both(
        "{analytics} maanden, dan verwijderd.", "{analytics} months, then deleted."
    ),
    "admin.data.rule.analytics_monthly": _both(
        "{analytics} maanden, als de dagtotalen.", "{analytics} months, as the daily totals."
    ),
    "admin.data.rule.analytics_months": _both(
        "{analytics} maanden, als de dagtotalen.", "{analytics} months, as the daily totals."
    ),
    "admin.data.rule.consent_daily": _both(
        "{consent} maanden, als de keuzes die ze tellen.", "{consent} months, as the choices they count."
    ),
    "admin.data.rule.scans": _both("Zolang de site bestaat.", "While the site exists."),
    "admin.data.rule.job_locks": _both("Elke run overschrijft ze.", "Overwritten by every run."),
}

add_messages(ADMIN_MESSAGES)
