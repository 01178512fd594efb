"""Site administration: the edit form, its refusals at their fields, the policy bump after confirmation,
new sites, the live preview, JSON import and export, and cookie scans."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consent_server.extensions import db
from consent_server.models import Scan, Site
from consent_server.sites.services import export_site
from tests.factories import site_document
from tests.integration.admin_helpers import (
    Fields,
    admin,
    admin_user,
    app_config,
    audit,
    form_fields,
    with_values,
)

__all__ = ["admin", "admin_user", "app_config"]

EDIT = "/admin/sites/example/"


@pytest.fixture
def site(make_site: Any) -> Site:
    return make_site()


def edit_form(client: FlaskClient, url: str = EDIT) -> Fields:
    page = client.get(url)
    assert page.status_code == 200
    return form_fields(page.get_data(as_text=True), "site-form")


def saved(key: str = "example") -> Site:
    db.session.expire_all()
    found = db.session.scalar(select(Site).where(Site.key == key))
    assert found is not None
    return found


def post(client: FlaskClient, fields: Fields, url: str = EDIT, **extra: str) -> Any:
    return client.post(url, data=with_values(fields, extra))


def error_at(html: str, field_id: str) -> str:
    """The text of the error shown next to a field (its <p id="...-error">)."""
    start = html.index(f'id="{field_id}-error"')
    return html[html.index(">", start) + 1 : html.index("</p>", start)]


# ---- saving ---------------------------------------------------------------------------------------------


def test_edit_form_saved_unchanged_changes_nothing(admin: FlaskClient, site: Site) -> None:
    response = post(admin, edit_form(admin), action="save")
    assert response.status_code == 303
    assert saved().policy_version == 1
    assert audit("site.update") == []


def test_a_theme_change_is_saved_without_asking_visitors_again(admin: FlaskClient, site: Site) -> None:
    response = post(admin, edit_form(admin), **{"theme.accent": "#0b5e2e", "action": "save"})
    assert response.status_code == 303
    site = saved()
    assert site.theme["accent"] == "#0b5e2e" and site.policy_version == 1
    [entry] = audit("site.update")
    assert entry.actor == "admin@example.org" and entry.target == "example"
    assert entry.details["changes"] == {"theme.accent": {"before": "#154273", "after": "#0b5e2e"}}
    assert "policy_version" not in entry.details


def test_button_styles_the_form_does_not_show_are_kept(admin: FlaskClient, make_site: Any) -> None:
    style = {"variant": "filled", "background": "#0b5e2e", "text": "#ffffff"}
    make_site(theme={"accept_button": style, "reject_button": style})
    response = post(admin, edit_form(admin), **{"theme.radius": "2", "action": "save"})
    assert response.status_code == 303
    assert saved().theme["accept_button"] == style and saved().theme["radius"] == 2


def test_a_text_change_asks_for_confirmation_before_anything_is_saved(admin: FlaskClient, site: Site) -> None:
    response = post(admin, edit_form(admin), **{"texts.nl.title": "Nieuwe titel", "action": "save"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Bezoekers opnieuw vragen?" in html
    assert "van 1 naar 2" in html
    assert "texts.nl.title" in html and "Nieuwe titel" in html
    assert saved().texts["nl"]["title"] != "Nieuwe titel"
    assert audit("site.update") == []


def test_confirming_a_text_change_bumps_the_policy_version_and_audits_before_and_after(
    admin: FlaskClient, site: Site
) -> None:
    old_title = site.texts["nl"]["title"]
    page = post(admin, edit_form(admin), **{"texts.nl.title": "Nieuwe titel", "action": "save"})
    confirmed = form_fields(page.get_data(as_text=True), EDIT)
    response = admin.post(EDIT, data=with_values(confirmed, {"action": "save"}))
    assert response.status_code == 303
    site = saved()
    assert site.texts["nl"]["title"] == "Nieuwe titel" and site.policy_version == 2
    [entry] = audit("site.update")
    assert entry.details["policy_version"] == {"before": 1, "after": 2}
    assert entry.details["changes"]["texts.nl.title"] == {"before": old_title, "after": "Nieuwe titel"}
    assert set(entry.details["changes"]) == {"texts.nl.title", "policy_version"}
    follow = admin.get(EDIT).get_data(as_text=True)
    assert "Beleidsversie 2: bezoekers worden opnieuw gevraagd" in follow


def test_back_from_the_confirmation_shows_the_form_with_the_change_kept(
    admin: FlaskClient, site: Site
) -> None:
    page = post(admin, edit_form(admin), **{"texts.nl.title": "Nieuwe titel", "action": "save"})
    confirmed = form_fields(page.get_data(as_text=True), EDIT)
    response = admin.post(EDIT, data=with_values(confirmed, {"action": "back"}))
    assert response.status_code == 200
    assert 'value="Nieuwe titel"' in response.get_data(as_text=True)
    assert saved().policy_version == 1


def test_a_confirmation_made_after_someone_else_saved_is_refused(admin: FlaskClient, site: Site) -> None:
    page = post(admin, edit_form(admin), **{"texts.nl.title": "Nieuwe titel", "action": "save"})
    confirmed = form_fields(page.get_data(as_text=True), EDIT)
    post(admin, edit_form(admin), **{"theme.accent": "#0b5e2e", "action": "save"})  # someone else, meanwhile
    response = admin.post(EDIT, data=with_values(confirmed, {"action": "save"}))
    assert response.status_code == 409
    assert "intussen gewijzigd" in response.get_data(as_text=True)
    assert saved().policy_version == 1


def test_adding_a_category_a_service_and_a_cookie_through_the_empty_rows(
    admin: FlaskClient, make_site: Any
) -> None:
    doc = site_document()
    doc["categories"] = doc["categories"][:1]
    doc["services"] = [service for service in doc["services"] if service["category"] == "necessary"]
    make_site(categories=doc["categories"], services=doc["services"])
    fields = edit_form(admin)
    category_row = 1  # the empty row after the one category
    service_row = len(doc["services"])
    changes = {
        f"categories[{category_row}].key": "analytics",
        f"categories[{category_row}].texts.nl.name": "Statistieken",
        f"categories[{category_row}].texts.en.name": "Statistics",
        f"categories[{category_row}].texts.nl.description": "Meten hoe de site gebruikt wordt.",
        f"categories[{category_row}].texts.en.description": "Measure how the site is used.",
        "action": "refresh",
    }
    refreshed = post(admin, fields, **changes)
    assert refreshed.status_code == 200
    fields = form_fields(refreshed.get_data(as_text=True), "site-form")
    prefix = f"services[{service_row}]"
    response = post(
        admin,
        fields,
        **{
            f"{prefix}.key": "matomo",
            f"{prefix}.category": "analytics",
            f"{prefix}.name": "Matomo",
            f"{prefix}.provider": "Voorbeeld B.V.",
            f"{prefix}.texts.nl.purpose": "Statistieken.",
            f"{prefix}.texts.en.purpose": "Statistics.",
            f"{prefix}.cookies[0].name": "_pk_id.*",
            f"{prefix}.cookies[0].duration_days": "390",
            f"{prefix}.cookies[0].texts.nl.purpose": "Herkent terugkerende bezoekers.",
            f"{prefix}.cookies[0].texts.en.purpose": "Recognises returning visitors.",
            "action": "save",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    exported = export_site(saved())
    assert [c["key"] for c in exported["categories"]] == ["necessary", "analytics"]
    [matomo] = [s for s in exported["services"] if s["key"] == "matomo"]
    assert matomo["cookies"][0]["name"] == "_pk_id.*" and matomo["cookies"][0]["duration_days"] == 390
    assert saved().policy_version == 2


def test_a_cookie_marked_for_removal_is_removed(admin: FlaskClient, site: Site) -> None:
    fields = edit_form(admin)
    names = dict(fields)
    [row] = [name[: -len(".name")] for name, value in fields if value == "YSC" and name.endswith(".name")]
    assert names[f"{row}.name"] == "YSC"
    response = post(admin, fields, **{f"{row}.remove": "on", "action": "save", "confirmed": "yes"})
    assert response.status_code == 303
    cookies = [
        cookie["name"] for service in export_site(saved())["services"] for cookie in service["cookies"]
    ]
    assert "YSC" not in cookies and "VISITOR_INFO1_LIVE" in cookies


def test_refresh_saves_nothing_and_adds_empty_rows(admin: FlaskClient, site: Site) -> None:
    response = post(admin, edit_form(admin), **{"name": "Anders", "action": "refresh"})
    assert response.status_code == 200
    assert 'value="Anders"' in response.get_data(as_text=True)
    assert saved().name == "Example"


# ---- refusals at their fields ---------------------------------------------------------------------------


def test_a_theme_below_4_5_to_1_contrast_is_refused_next_to_the_text_colour(
    admin: FlaskClient, site: Site
) -> None:
    response = post(admin, edit_form(admin), **{"theme.text": "#999999", "action": "save"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    message = error_at(html, "f-theme-text")
    assert "EDPB-E" in message and "4,5:1" in message
    assert 'aria-invalid="true"' in html and "De instellingen zijn niet opgeslagen" in html
    assert saved().theme["text"] == "#1b1b1b"


def test_an_empty_reject_text_is_refused_next_to_that_text(admin: FlaskClient, site: Site) -> None:
    response = post(admin, edit_form(admin), **{"texts.en.reject_all": "", "action": "save"})
    assert response.status_code == 422
    assert "EDPB-A" in error_at(response.get_data(as_text=True), "f-texts-en-reject-all")


def test_a_known_analytics_cookie_declared_necessary_is_refused_next_to_its_name(
    admin: FlaskClient, site: Site
) -> None:
    fields = edit_form(admin)
    prefix = "services[0].cookies[2]"  # the empty row of the first service, which is necessary
    response = post(
        admin,
        fields,
        **{
            f"{prefix}.name": "_ga",
            f"{prefix}.duration_days": "400",
            f"{prefix}.texts.nl.purpose": "Nodig.",
            f"{prefix}.texts.en.purpose": "Needed.",
            "action": "save",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "EDPB-G" in error_at(html, "f-services-0-cookies-2-name")
    assert '<details class="item" id="g-services-0" open>' in html  # the row with the refusal is open


def test_a_bad_origin_is_refused_next_to_the_origins(admin: FlaskClient, site: Site) -> None:
    response = post(
        admin, edit_form(admin), **{"origins": "https://www.example.nl\nftp://example.nl", "action": "save"}
    )
    assert response.status_code == 422
    assert "https://host" in error_at(response.get_data(as_text=True), "f-origins")


def test_a_duration_that_is_not_a_number_is_refused_in_the_admins_language(
    admin: FlaskClient, site: Site
) -> None:
    response = post(
        admin, edit_form(admin), **{"services[0].cookies[0].duration_days": "lang", "action": "save"}
    )
    assert response.status_code == 422
    assert "heel getal" in error_at(response.get_data(as_text=True), "f-services-0-cookies-0-duration-days")


def test_no_language_ticked_is_refused_at_the_languages(admin: FlaskClient, site: Site) -> None:
    fields = [(name, value) for name, value in edit_form(admin) if name != "languages"]
    response = post(admin, fields, action="save")
    assert response.status_code == 422
    assert error_at(response.get_data(as_text=True), "f-languages")


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_texts_are_saved_and_shown_escaped_everywhere(admin: FlaskClient, site: Site) -> None:
    response = post(
        admin,
        edit_form(admin),
        **{
            "name": XSS,
            "texts.nl.title": XSS,
            "categories[1].texts.nl.name": XSS,
            "action": "save",
            "confirmed": "yes",
        },
    )
    assert response.status_code == 303
    for url in (EDIT, "/admin/sites", "/admin/audit", "/sites/example/cookies?lang=nl"):
        html = admin.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
    widget = admin.get("/w/example.js").data.decode()
    assert "</script>" not in widget
    preview = admin.get("/admin/sites/example/preview").get_data(as_text=True)
    assert "</script><img" not in preview and "\\u003cscript" in preview


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Voor\x00beeld"),
        ("texts.nl.description", "tekst\x00"),
        ("categories[1].texts.en.name", "\x07bell"),
        ("name", "x" * 5000),
        ("texts.nl.title", "t" * 30_000),
        ("theme.radius", "9" * 40),
        ("services[0].cookies[0].duration_days", "-5"),
        ("categories[9999].key", "x"),
    ],
)
def test_hostile_values_give_the_form_back_with_errors_never_a_500(
    admin: FlaskClient, site: Site, field: str, value: str
) -> None:
    response = post(admin, edit_form(admin), **{field: value, "action": "save"})
    assert response.status_code == 422
    assert "De instellingen zijn niet opgeslagen" in response.get_data(as_text=True)
    assert saved().policy_version == 1


def test_a_hand_made_post_with_hostile_field_names_is_ignored_not_a_500(
    admin: FlaskClient, site: Site
) -> None:
    hostile = [("__class__", "x"), ("services[0].cookies[0].texts.nl.purpose.x", "y"), ("a" * 5000, "b")]
    fields = [*edit_form(admin), *hostile]
    response = post(admin, fields, action="save")
    assert response.status_code == 303


# ---- a new site ----------------------------------------------------------------------------------------


def test_a_new_site_starts_minimal_and_is_audited(admin: FlaskClient) -> None:
    response = admin.post(
        "/admin/sites/new",
        data={"key": "gemeente", "name": "Gemeente", "origins": "https://www.gemeente.nl\n"},
    )
    assert response.status_code == 303 and response.location.endswith("/admin/sites/gemeente/")
    site = saved("gemeente")
    assert site.category_keys() == ["necessary"] and site.origins == ["https://www.gemeente.nl"]
    [entry] = audit("site.create")
    assert entry.target == "gemeente" and entry.details["changes"]["name"] == {
        "before": None,
        "after": "Gemeente",
    }


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"key": "Bad Key!", "name": "X", "origins": "https://x.nl"}, "site-key", "kleine letters"),
        ({"key": "ok", "name": "", "origins": "https://x.nl"}, "site-name", "Vul dit veld in"),
        ({"key": "ok", "name": "X", "origins": "x.nl"}, "site-origins", "https://host"),
        ({"key": "ok", "name": "X", "origins": ""}, "site-origins", "minstens één"),
        ({"key": "ok\x00", "name": "X", "origins": "https://x.nl"}, "site-key", "niet zijn toegestaan"),
    ],
)
def test_a_new_site_is_refused_next_to_the_field(
    admin: FlaskClient, form: dict[str, str], field: str, message: str
) -> None:
    response = admin.post("/admin/sites/new", data=form)
    assert response.status_code == 422
    assert message in error_at(response.get_data(as_text=True), field)


def test_a_new_site_with_a_key_in_use_is_refused(admin: FlaskClient, site: Site) -> None:
    response = admin.post("/admin/sites/new", data={"key": "example", "name": "X", "origins": "https://x.nl"})
    assert response.status_code == 422
    assert "Er is al een site" in error_at(response.get_data(as_text=True), "site-key")


# ---- the live preview ----------------------------------------------------------------------------------


def test_the_preview_renders_the_draft_with_the_real_widget_and_saves_nothing(
    admin: FlaskClient, site: Site
) -> None:
    fields = with_values(edit_form(admin), {"texts.en.title": "Draft title", "theme.accent": "#0b5e2e"})
    response = admin.post("/admin/sites/example/preview?lang=en", data=fields)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert '<script type="application/json" id="cs-preview-config">' in html
    config = json.loads(html.split('id="cs-preview-config">', 1)[1].split("</script>", 1)[0])
    assert config["t"]["en"]["title"] == "Draft title" and config["v"] == 2  # as visitors would get it
    assert "#0b5e2e" in config["css"]
    assert 'src="/admin/preview/widget.js"' in html and "<script>" not in html
    csp = response.headers["Content-Security-Policy"]
    assert "connect-src 'none'" in csp and "frame-ancestors 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    site = saved()
    assert site.texts["en"]["title"] != "Draft title" and site.theme["accent"] == "#154273"


def test_the_preview_of_a_refused_draft_lists_why(admin: FlaskClient, site: Site) -> None:
    fields = with_values(edit_form(admin), {"theme.text": "#cccccc"})
    html = admin.post("/admin/sites/example/preview", data=fields).get_data(as_text=True)
    assert "EDPB-E" in html and "cs-preview-config" not in html


def test_the_preview_widget_reads_its_configuration_from_the_page(admin: FlaskClient, site: Site) -> None:
    script = admin.get("/admin/preview/widget.js").data.decode()
    assert 'document.getElementById("cs-preview-config")' in script and "__CONFIG__" not in script


def test_other_pages_still_refuse_to_be_framed(admin: FlaskClient, site: Site) -> None:
    response = admin.get(EDIT)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# ---- export and import ---------------------------------------------------------------------------------


def test_export_downloads_the_configuration_and_is_audited(admin: FlaskClient, site: Site) -> None:
    response = admin.get("/admin/sites/example/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="example.json"'
    assert json.loads(response.data) == export_site(saved())
    [entry] = audit("site.export")
    assert entry.actor == "admin@example.org" and entry.target == "example"


def test_import_of_a_new_site_creates_it(admin: FlaskClient) -> None:
    doc = site_document(key="nieuw", name="Nieuw")
    response = admin.post("/admin/sites/import", data={"text": json.dumps(doc)})
    assert response.status_code == 303
    assert saved("nieuw").name == "Nieuw"
    [entry] = audit("site.import")
    assert entry.target == "nieuw" and entry.details["created"] is True


def test_import_from_an_uploaded_file(admin: FlaskClient) -> None:
    import io

    doc = json.dumps(site_document(key="upload")).encode()
    response = admin.post(
        "/admin/sites/import",
        data={"file": (io.BytesIO(doc), "upload.json", "application/json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert saved("upload").key == "upload"


def test_import_over_a_site_with_a_text_change_asks_first_then_bumps(admin: FlaskClient, site: Site) -> None:
    doc = export_site(site)
    doc["texts"]["nl"]["title"] = "Geïmporteerd"
    doc["policy_version"] = 1  # the server decides the version, whatever the document says
    page = admin.post("/admin/sites/import", data={"text": json.dumps(doc)})
    assert page.status_code == 200 and "Bezoekers opnieuw vragen?" in page.get_data(as_text=True)
    assert saved().policy_version == 1
    confirmed = form_fields(page.get_data(as_text=True), "/admin/sites/import")
    response = admin.post("/admin/sites/import", data=with_values(confirmed, {"action": "save"}))
    assert response.status_code == 303
    assert saved().policy_version == 2 and saved().texts["nl"]["title"] == "Geïmporteerd"
    [entry] = audit("site.import")
    assert entry.details["policy_version"] == {"before": 1, "after": 2}


def test_back_from_an_import_confirmation_keeps_the_text(admin: FlaskClient, site: Site) -> None:
    doc = export_site(site)
    doc["texts"]["nl"]["title"] = "Geïmporteerd"
    page = admin.post("/admin/sites/import", data={"text": json.dumps(doc, ensure_ascii=False, indent=2)})
    confirmed = form_fields(page.get_data(as_text=True), "/admin/sites/import")
    response = admin.post("/admin/sites/import", data=with_values(confirmed, {"action": "back"}))
    assert "\n  &#34;key&#34;: &#34;example&#34;," in response.get_data(as_text=True)  # lines kept
    assert response.status_code == 200 and "Geïmporteerd" in response.get_data(as_text=True)
    assert saved().policy_version == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "geen geldige JSON"),
        ("[]", "JSON"),
        ("", "Kies een bestand"),
        (json.dumps(site_document(theme={"text": "#eeeeee"})), "EDPB-E"),
        (json.dumps(site_document(key="Bad key")), "niet de juiste vorm"),
        (json.dumps(site_document(name="Nul\x00byte")), "niet zijn toegestaan"),
        ('{"key": "x", "name": "\\ud800"}', "niet zijn toegestaan"),
        ("</textarea><script>alert(1)</script>", "geen geldige JSON"),
    ],
)
def test_an_import_that_is_refused_says_why(admin: FlaskClient, text: str, message: str) -> None:
    response = admin.post("/admin/sites/import", data={"text": text})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "niet geïmporteerd" in html and message in html
    assert "<script>alert" not in html
    assert db.session.scalar(select(Site.id)) is None


# ---- cookie scans --------------------------------------------------------------------------------------


def test_scan_now_starts_a_background_scan_of_the_site(
    admin: FlaskClient, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr(
        "consent_server.scan.services.run_scan_in_background", lambda app, scan_id: started.append(scan_id)
    )
    response = admin.post("/admin/sites/example/scans", data={"url": "https://www.example.nl/", "pages": "3"})
    assert response.status_code == 303
    scan = db.session.scalar(select(Scan))
    assert scan is not None and started == [scan.id] and scan.max_pages == 3
    assert scan.requested_by == "admin@example.org"
    assert audit("scan.start")[0].actor == "admin@example.org"
    assert "bezig" in admin.get(response.location).get_data(as_text=True)
    assert "bezig" in admin.get(EDIT).get_data(as_text=True)


def test_scan_now_with_a_bad_address_says_so(admin: FlaskClient, site: Site) -> None:
    response = admin.post("/admin/sites/example/scans", data={"url": "javascript:alert(1)", "pages": "3"})
    assert response.status_code == 303
    assert "http(s)-adres" in admin.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(Scan)) is None


def finished_scan(site: Site) -> Scan:
    proposal = {
        "id": "p1",
        "name": "_hjSession_*",
        "storage": "cookie",
        "domain": None,
        "duration_days": 1,
        "category": "analytics",
        "category_reason": "known",
        "provider": "Hotjar Ltd.",
        "service_key": "hotjar",
        "service_name": "Hotjar",
        "service_purpose": {"nl": "Gedrag meten.", "en": "Measure behaviour."},
        "privacy_url": None,
        "purpose": {"nl": "Sessie.", "en": "Session."},
        "known": True,
        "examples": ["_hjSession_123"],
        "review": [],
    }
    report = {
        "phases": [
            {
                "name": "no_choice",
                "status": "done",
                "pages": [{"url": "https://www.example.nl/"}],
                "items": [],
            }
        ],
        "findings": [
            {"kind": "undeclared", "severity": "medium", "message": "cookie _hjSession_123 is undeclared"}
        ],
        "proposals": [proposal],
    }
    scan = Scan(
        site_id=site.id, url="https://www.example.nl/", status="done", report=report, requested_by="x"
    )
    db.session.add(scan)
    db.session.commit()
    return scan


def test_a_scan_report_shows_findings_and_adds_a_proposal_with_a_policy_bump(
    admin: FlaskClient, site: Site
) -> None:
    scan = finished_scan(site)
    html = admin.get(f"/admin/sites/example/scans/{scan.id}").get_data(as_text=True)
    assert "cookie _hjSession_123 is undeclared" in html and 'value="p1"' in html
    response = admin.post(f"/admin/sites/example/scans/{scan.id}/proposals", data={"proposal": "p1"})
    assert response.status_code == 303
    assert saved().policy_version == 2
    names = [cookie["name"] for service in export_site(saved())["services"] for cookie in service["cookies"]]
    assert "_hjSession_*" in names
    assert audit("site.declaration.add")[0].actor == "admin@example.org"


def test_a_scan_of_another_site_is_not_found(admin: FlaskClient, site: Site, make_site: Any) -> None:
    other = make_site(key="other", name="Other")
    scan = finished_scan(other)
    assert admin.get(f"/admin/sites/example/scans/{scan.id}").status_code == 404
