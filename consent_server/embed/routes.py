"""What sites embed: the widget script, and the public cookie declaration (page and JSON)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from ..cors import install_cors
from ..errors import NotFound
from ..extensions import db
from ..sites.services import get_site
from ..tokens import ConsentTokens
from .services import declaration, duration_text, long_date, visitor_choice, widget_for

CONSENT_COOKIE = "cs_consent"  # the widget's own cookie (widget/src/consent.js)

bp = Blueprint("embed", __name__)
api = Blueprint("declaration", __name__, url_prefix="/api/v1/sites")
install_cors(api, "GET, OPTIONS")


@bp.get("/w/<key>.js")
def widget(key: str) -> Response:
    artefact = widget_for(db.session, key)
    response = Response(mimetype="application/javascript")
    response.set_etag(artefact.etag)
    # Cached, but revalidated on every load (a cheap 304), so a configuration change shows at once.
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.vary.add("Accept-Encoding")
    if request.if_none_match.contains(artefact.etag):
        response.status_code = 304
        return response
    encodings = request.accept_encodings
    if encodings["br"]:
        response.set_data(artefact.brotli)
        response.headers["Content-Encoding"] = "br"
    elif encodings["gzip"]:
        response.set_data(artefact.gzip)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(artefact.body)
    return response


@bp.get("/sites/<key>/cookies")
def declaration_page(key: str) -> Response:
    try:
        site = get_site(db.session, key)
    except NotFound:
        abort(404)
    lang = request.args.get("lang", "")
    if lang not in site.languages:
        lang = request.accept_languages.best_match(site.languages) or site.default_language
    cookie = request.cookies.get(CONSENT_COOKIE)
    tokens = ConsentTokens(current_app.config["SECRET_KEY"], current_app.config["SECRET_KEY_FALLBACKS"])
    page = render_template(
        "declaration.html",
        doc=declaration(site, lang),
        lang=lang,
        languages=site.languages,
        duration=duration_text,
        day=partial(long_date, lang=lang),
        choice=visitor_choice(site, cookie, tokens),
        site_url=site.origins[0] if site.origins else None,
    )
    response = Response(page, mimetype="text/html")
    response.vary.add("Cookie")
    if cookie is not None:
        response.headers["Cache-Control"] = "private, no-store"  # it shows this visitor's own choice
    return response


@api.get("/<key>/declaration")
def declaration_json(key: str) -> Response:
    site = get_site(db.session, key)
    lang = request.args.get("lang", site.default_language)
    if lang not in site.languages:
        lang = site.default_language
    return jsonify(declaration(site, lang))
