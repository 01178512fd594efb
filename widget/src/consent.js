/* consent-server widget: banner, settings, script gating and the first-party tracker. Served as
 * /w/<site>.js with the site's configuration as the last argument below. One global
 * (window.ConsentServer); everything else is private.
 * It never throws into the host page: failures are reported once with console.warn. */
(function (W, D, C) {
  "use strict";
  // Magic strings in one place.
  var NAME = "cs_consent", QUEUE = "cs_queue", COLLECT = "/api/v1/collect", NEC = "necessary", EVT = "consent-server:change",
    PREFIX = "[consent-server] ", TAG = "cs-consent", DAY = 864e5;
  var script = D.currentScript, api = script ? new URL(script.src).origin : "",
    listeners = [], state = null, root, banner, dialog, opener, fab, lang, gpc = W.navigator.globalPrivacyControl === true;

  function warn(msg, err) { try { console.warn(PREFIX + msg, err || ""); } catch (e) { /* no console */ } }
  function safe(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (e) { warn("ignored an error", e); }
    };
  }
  function el(tag, attrs, kids) {
    var e = D.createElement(tag);
    if (tag === "button") e.type = "button"; // never "submit": a host page's form must not see our clicks
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), safe(attrs[k]));
      else if (attrs[k] !== null && attrs[k] !== false) e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function t(key) { return (C.t[lang] || {})[key] || (C.t[C.d] || {})[key] || ""; }
  function tr(obj) { return obj ? obj[lang] || obj[C.d] || "" : ""; }
  function pickLang() {
    var wanted = [D.documentElement.lang].concat(W.navigator.languages || [W.navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var l = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (C.t[l]) return l;
    }
    return C.d;
  }

  /* ---- storage: a first-party cookie mirrored in localStorage (Safari caps script cookies at 7 days) */
  function ls(op, key, value) {
    try { return op === "get" ? W.localStorage.getItem(key) : op === "set" ? W.localStorage.setItem(key, value) : W.localStorage.removeItem(key); }
    catch (e) { return null; }
  }
  function readCookie(name) {
    var parts = D.cookie ? D.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return null;
  }
  function writeCookie(value, expires) {
    D.cookie = NAME + "=" + encodeURIComponent(value) + "; Path=/; SameSite=Lax; Expires=" +
      new Date(expires).toUTCString() + (C.cd && hostIn(C.cd) ? "; Domain=" + C.cd : "") +
      (W.location.protocol === "https:" ? "; Secure" : "");
  }
  function hostIn(domain) {
    var h = W.location.hostname, d = domain.replace(/^\./, "");
    return h === d || h.slice(-d.length - 1) === "." + d;
  }
  function load() {
    var raw = readCookie(NAME) || ls("get", NAME), s;
    try { s = raw && JSON.parse(raw); } catch (e) { s = null; }
    if (!s || typeof s.c !== "object" || s.v !== C.v || !(s.e > Date.now())) return null; // re-prompt
    if (!readCookie(NAME)) writeCookie(raw, s.e);
    return s;
  }
  function save(s) {
    var raw = JSON.stringify(s);
    writeCookie(raw, s.e);
    ls("set", NAME, raw);
  }

  /* ---- recording: applied at once, sent in order, retried with backoff until the server answers */
  var sending = false, backoff = 2e3, memory = [];
  // localStorage keeps the queue across reloads; where it is blocked, the page's memory still holds it.
  function queue() { try { return JSON.parse(ls("get", QUEUE)) || memory; } catch (e) { return memory; } }
  function setQueue(q) { memory = q; ls("set", QUEUE, JSON.stringify(q)); }
  function flush() {
    var q = queue();
    if (sending || !q.length) return;
    sending = true;
    var body = q[0];
    if (state && state.t && body.consent_id === state.i) body.token = state.t;
    post("/api/v1/consent", JSON.stringify(body)).then(function (r) {
      return r.json().then(function (json) { return { s: r.status, j: json }; });
    }).then(function (res) {
      sending = false;
      if (res.s >= 500 || res.s === 429) throw new Error("status " + res.s);
      setQueue(queue().slice(1));
      backoff = 2e3;
      if (res.s === 201 && state && res.j.consent_id === state.i) {
        state.t = res.j.token; state.e = Date.parse(res.j.expires_at); save(state);
        view();
      } else if (res.s === 409) {
        clear(); showBanner(true);
      } else if (res.s !== 201) {
        warn("choice refused: " + ((res.j.error || {}).message || res.s));
      }
      flush();
    }).catch(function (e) {
      sending = false;
      warn("server unreachable; retrying", e);
      setTimeout(flush, backoff);
      backoff = Math.min(backoff * 2, 3e5);
    });
  }
  function post(path, body) {
    // text/plain: a simple request, no preflight
    return fetch(api + path, { method: "POST", body: body, keepalive: true, credentials: "omit", headers: { "Content-Type": "text/plain" } });
  }
  function uuid() {
    // randomUUID exists in secure contexts only. The fallback keeps the version (4) and sets the variant (8-b).
    return crypto.randomUUID ? crypto.randomUUID() : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16);
    });
  }
  function keys() { return C.c.map(function (c) { return c.k; }); }
  function choose(action, wanted, method) {
    tick(); // visible time so far counts under the consent it was measured with
    var cats = {}, before = state ? state.c : {};
    keys().forEach(function (k) {
      cats[k] = k === NEC || (action === "accept_all" ? !(gpc && C.g === "reject_marketing" && k === "marketing" && method !== "settings")
        : action === "custom" ? !!wanted[k] : false);
    });
    if (action === "accept_all" && !cats.marketing && keys().indexOf("marketing") > -1) action = "custom";
    var now = Date.now();
    state = { i: state ? state.i : uuid(), c: cats, v: C.v, t: state && state.t, u: new Date(now).toISOString(),
      e: state && state.e > now ? state.e : now + C.l * 30.44 * DAY };
    save(state);
    var q = queue();
    q.push({ site: C.k, consent_id: state.i, categories: cats, policy_version: C.v, action: action,
      method: method || "banner", language: lang, url: W.location.href.split("#")[0] });
    setQueue(q.slice(-20));
    flush();
    keys().forEach(function (k) { if (before[k] && !cats[k]) forget(k); });
    apply();
    hideBanner();
    emit();
  }
  function clear() { state = null; ls("del", NAME); D.cookie = NAME + "=; Path=/; Max-Age=0" + (C.cd && hostIn(C.cd) ? "; Domain=" + C.cd : ""); }

  /* ---- effects of a choice: gated scripts and iframes, Consent Mode, cookie deletion, events */
  function granted(attr) {
    return !!state && String(attr).split(/\s+/).every(function (k) { return !k || state.c[k] === true; });
  }
  var pending = [], loading = false;
  function runNext() {
    // One at a time, so inline and external gated scripts run in document order.
    var job = pending.shift();
    if (!job) { loading = false; return; }
    loading = true;
    var fresh = job[1], wait = fresh.src && !fresh.async;
    if (!job[0].parentNode) return runNext(); // removed by the page meanwhile
    if (wait) fresh.onload = fresh.onerror = runNext;
    job[0].parentNode.replaceChild(fresh, job[0]);
    if (!wait) runNext();
  }
  function gate(node) {
    if (node.nodeType !== 1) return;
    var list = node.matches("[data-consent]") ? [node] : [];
    list = list.concat([].slice.call(node.querySelectorAll("[data-consent]")));
    list.forEach(safe(function (e) {
      var cat = e.getAttribute("data-consent");
      if (e.tagName === "SCRIPT" && e.type === "text/plain" && granted(cat)) {
        var s = D.createElement("script");
        for (var i = 0; i < e.attributes.length; i++) {
          var a = e.attributes[i];
          if (a.name !== "type" && a.name !== "data-consent") s.setAttribute(a.name, a.value);
        }
        if (e.getAttribute("data-type")) s.type = e.getAttribute("data-type");
        if (e.nonce) s.nonce = e.nonce;
        s.async = e.hasAttribute("async");
        s.text = e.text;
        s.setAttribute("data-consent-ran", cat);
        e.type = "text/x-consent-queued"; // not picked up twice while it waits its turn
        pending.push([e, s]);
        if (!loading) runNext();
      } else if (e.tagName === "IFRAME" && e.hasAttribute("data-src")) {
        if (granted(cat)) {
          if (e.getAttribute("src") !== e.getAttribute("data-src")) e.setAttribute("src", e.getAttribute("data-src"));
          e.hidden = false;
          if (e._csHolder) { e._csHolder.remove(); e._csHolder = null; }
        } else if (!e._csHolder) {
          if (e.hasAttribute("src")) {
            // A withdrawn frame must stop running, not just hide: put a fresh copy without src in its place.
            var copy = e.cloneNode(true);
            copy.removeAttribute("src");
            e.parentNode.replaceChild(copy, e);
            e = copy;
          }
          e.hidden = true;
          e._csHolder = placeholder(cat);
          e.parentNode.insertBefore(e._csHolder, e);
        }
      }
    }));
  }
  function category(k) { return C.c.filter(function (c) { return c.k === k; })[0]; }
  function placeholder(cat) {
    var host = el(TAG + "-placeholder", { "data-consent-placeholder": cat }), sr = host.attachShadow({ mode: "open" });
    style(sr);
    var names = String(cat).split(/\s+/).map(function (k) { return tr((category(k) || {}).n) || k; }).join(", ");
    sr.appendChild(el("div", { class: "ph", role: "group", "aria-label": t("placeholder_title") || names }, [
      el("p", { text: (t("placeholder") || "{category}").replace("{category}", names) }),
      el("button", { class: "btn", text: (t("allow") || "{category}").replace("{category}", names), onclick: function () {
        var want = {};
        keys().forEach(function (k) { want[k] = !!(state && state.c[k]); });
        String(cat).split(/\s+/).forEach(function (k) { want[k] = true; });
        choose("custom", want, "settings");
      } }),
      el("button", { class: "btn", text: t("settings"), onclick: function () { show(true); } })
    ]));
    return host;
  }
  var MODE = { analytics: ["analytics_storage"], marketing: ["ad_storage", "ad_user_data", "ad_personalization"],
    preferences: ["functionality_storage", "personalization_storage"] };
  function gtag() { W.dataLayer = W.dataLayer || []; W.dataLayer.push(arguments); }
  function consentMode(kind) {
    if (!C.m) return;
    var v = { security_storage: "granted" };
    for (var k in MODE) MODE[k].forEach(function (m) { v[m] = kind !== "default" && state && state.c[k] ? "granted" : "denied"; });
    if (kind === "default") v.wait_for_update = 500;
    gtag("consent", kind, v);
  }
  function forget(k) {
    var pats = [];
    (category(k) || { s: [] }).s.forEach(function (s) { (s.c || []).forEach(function (c) { pats.push(c); }); });
    var names = (D.cookie ? D.cookie.split("; ") : []).map(function (p) { return p.split("=")[0]; });
    pats.forEach(function (c) {
      var re = new RegExp("^" + c.n.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
      if (c.s) { // local_storage or session_storage; plain cookies carry no storage key
        var store = c.s === "local_storage" ? W.localStorage : W.sessionStorage;
        try { Object.keys(store).forEach(function (n) { if (re.test(n)) store.removeItem(n); }); } catch (e) { /* blocked */ }
        return;
      }
      var domains = ["", W.location.hostname], parts = W.location.hostname.split(".");
      for (var i = 1; i < parts.length - 1; i++) domains.push("." + parts.slice(i).join("."));
      if (C.cd) domains.push(C.cd);
      if (c.o) domains.push(c.o);
      names.filter(function (n) { return re.test(n); }).forEach(function (n) {
        domains.forEach(function (d) {
          if (d && !hostIn(d)) return;
          D.cookie = n + "=; Path=/; Max-Age=0" + (d ? "; Domain=" + d : "");
        });
      });
    });
  }
  function apply() {
    consentMode("update");
    gate(D.documentElement);
    declarations();
    if (fab) fab.hidden = !state;
  }
  function declarations() {
    [].forEach.call(D.querySelectorAll("[data-consent-declaration]"), safe(function (n) {
      declare(n);
      n._cs.querySelector(".state").textContent = state ? t("your_choice") + ": " + C.c.filter(function (c) { return state.c[c.k]; })
        .map(function (c) { return tr(c.n); }).join(", ") : t("no_choice");
    }));
  }
  function emit() {
    var s = pub.get();
    listeners.forEach(function (fn) { try { fn(s); } catch (e) { warn("a change listener threw", e); } });
    W.dispatchEvent(new CustomEvent(EVT, { detail: s }));
  }

  /* ---- the interface: a region on the first layer, a modal dialog for the settings */
  var sheet;
  function style(sr) {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(C.css); }
      sr.adoptedStyleSheets = [sheet];
    } catch (e) { warn("cannot style the banner", e); }
  }
  function mount() {
    if (root) return;
    var host = el(TAG, { "data-consent-ui": "" });
    root = host.attachShadow({ mode: "open" });
    style(root);
    D.body.appendChild(host);
    if (C.f) {
      fab = el("button", { class: "fab", "aria-label": t("floating_button") || t("settings_title"), title: t("floating_button") || t("settings_title"), hidden: !state, onclick: function () { show(true); } });
      fab.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5Zm-4 9a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm4 4a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm5-1a1 1 0 1 1 0 2 1 1 0 0 1 0-2Z"/></svg>';
      root.appendChild(fab);
    }
  }
  function links() {
    return el("p", { class: "links" }, [
      el("a", { href: api + "/sites/" + C.k + "/cookies?lang=" + lang, target: "_blank", rel: "noopener", text: t("declaration_link") }),
      C.p ? el("a", { href: C.p, target: "_blank", rel: "noopener", text: t("privacy_link") }) : null
    ]);
  }
  function buttons(extra) {
    return el("div", { class: "btns" }, [
      el("button", { class: "btn", "data-action": "accept_all", text: t("accept_all"), onclick: function () { choose("accept_all", {}, extra ? "settings" : "banner"); closeDialog(); } }),
      el("button", { class: "btn", "data-action": "reject_all", text: t("reject_all"), onclick: function () { choose("reject_all", {}, extra ? "settings" : "banner"); closeDialog(); } }),
      extra || el("button", { class: "btn", "data-action": "settings", text: t("settings"), onclick: function () { show(true); } })
    ]);
  }
  function showBanner(focus) {
    mount();
    if (banner) return;
    banner = el("section", { class: "banner pos-" + (C.th || "bottom"), role: "region", "aria-labelledby": "cs-t", "aria-describedby": "cs-d", tabindex: "-1", lang: lang }, [
      el("h2", { id: "cs-t", text: t("title") }),
      el("p", { id: "cs-d", text: t("description") }),
      links(),
      buttons()
    ]);
    root.appendChild(banner);
    // Focus after the first paint: focusing now would force a layout of the whole page inside our script.
    if (focus) requestAnimationFrame(function () { setTimeout(function () { if (banner) banner.focus({ preventScroll: true }); }); });
  }
  function hideBanner() { if (banner) { banner.remove(); banner = null; } }
  function table(c) {
    var rows = [];
    c.s.forEach(function (s) {
      (s.c.length ? s.c : [null]).forEach(function (k) {
        rows.push(el("tr", {}, [el("td", { text: k ? k.n : s.n }), el("td", { text: s.n + " (" + s.p + ")" }),
          el("td", { text: k ? tr(k.p) : tr(s.u) }), el("td", { text: k ? tr(k.d) : "–" })]));
      });
    });
    // Focusable, so a table wider than the screen can be scrolled by keyboard (axe scrollable-region-focusable).
    return el("div", { class: "scroll", tabindex: 0 }, [el("table", {}, [
      el("thead", {}, [el("tr", {}, ["cookie", "provider", "purpose", "duration"].map(function (h) { return el("th", { scope: "col", text: t(h) }); }))]),
      el("tbody", {}, rows)])]);
  }
  function declare(node) {
    // The cookie declaration, rendered from the configuration already here: no extra request.
    if (node._cs) return;
    node.setAttribute("data-cs", "");
    var sr = node._cs = node.attachShadow({ mode: "open" });
    style(sr);
    sr.appendChild(el("div", { class: "decl", lang: lang }, C.c.map(function (c) {
      return el("section", {}, [el("h3", { text: tr(c.n) + (c.k === NEC ? " (" + t("always_on") + ")" : "") }),
        el("p", { text: tr(c.d) }), c.s.length ? table(c) : null]);
    }).concat([
      el("p", { text: tr(C.pd) }),
      el("p", { class: "state", "aria-live": "polite" }),
      el("button", { class: "btn", text: t("settings_title"), onclick: function () { show(true); } })
    ])));
  }
  function show(focusFirst) {
    mount();
    if (dialog) return;
    opener = D.activeElement === (root && root.host) ? root.activeElement : D.activeElement;
    var switches = {}, body = el("div", { class: "cats" });
    C.c.forEach(function (c) {
      var on = c.k === NEC || (state ? !!state.c[c.k] : false), locked = c.k === NEC;
      var sw = el("button", { role: "switch", class: "sw", "aria-checked": String(on), "aria-labelledby": "cs-n-" + c.k,
        "aria-describedby": "cs-x-" + c.k, "aria-disabled": locked ? "true" : null, "data-category": c.k, onclick: function () {
          if (!locked) sw.setAttribute("aria-checked", String(sw.getAttribute("aria-checked") !== "true"));
        } });
      switches[c.k] = sw;
      var note = gpc && C.g === "reject_marketing" && c.k === "marketing" ? el("p", { class: "note", text: t("gpc_note") }) : null;
      body.appendChild(el("div", { class: "cat" }, [
        el("div", { class: "head" }, [el("h3", { id: "cs-n-" + c.k, text: tr(c.n) }), sw]),
        el("p", { id: "cs-x-" + c.k, text: tr(c.d) }),
        note,
        c.s.length ? el("details", {}, [el("summary", { text: t("details") }), table(c)]) : null
      ]));
    });
    var save = el("button", { class: "btn", "data-action": "save", text: t("save"), onclick: function () {
      var want = {};
      for (var k in switches) want[k] = switches[k].getAttribute("aria-checked") === "true";
      choose("custom", want, "settings");
      closeDialog();
    } });
    var receipt = state ? el("p", { class: "id" }, [
      el("span", { text: t("consent_id") + ": " }), el("code", { text: state.i }), D.createTextNode(" "),
      el("button", { class: "link", text: t("receipt"), onclick: function () { download(); } })
    ]) : null;
    dialog = el("dialog", { class: "dialog", "aria-labelledby": "cs-st", lang: lang, oncancel: function (e) { e.preventDefault(); closeDialog(); },
      onkeydown: function (e) { if (e.key === "Tab") trap(e); } }, [
      el("div", { class: "top" }, [
        el("h2", { id: "cs-st", text: t("settings_title") }),
        el("button", { class: "x", "aria-label": t("close"), text: "×", onclick: function () { closeDialog(); } })
      ]),
      body, receipt, links(), buttons(save)
    ]);
    root.appendChild(dialog);
    dialog.showModal();
    (focusFirst ? dialog.querySelector(".sw:not([aria-disabled])") || dialog.querySelector("button") : dialog.querySelector("button")).focus();
  }
  function trap(e) {
    var f = [].slice.call(dialog.querySelectorAll("button, a[href], summary")), first = f[0], last = f[f.length - 1],
      active = root.activeElement;
    if (e.shiftKey && active === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && active === last) { e.preventDefault(); first.focus(); }
  }
  function closeDialog() {
    if (!dialog) return;
    dialog.close(); dialog.remove(); dialog = null;
    if (opener && opener.isConnected && opener.focus) opener.focus();
    else if (banner) banner.focus({ preventScroll: true });
    else if (fab && !fab.hidden) fab.focus();
  }
  function download() {
    fetch(api + "/api/v1/consent/" + state.i, { headers: { Authorization: "Bearer " + state.t }, credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error("status " + r.status); return r.blob(); })
      .then(function (b) {
        var a = el("a", { href: URL.createObjectURL(b), download: "consent-" + state.i + ".json" });
        root.appendChild(a); a.click(); a.remove();
      }).catch(function (e) { warn("could not fetch the receipt", e); });
  }

  /* ---- the tracker: first-party, only while analytics is granted and the server's token is here */
  var where, href, ms = 0, since = 0, stop = 0, told = 0;
  function tracking() {
    // A queued choice has no token of its own yet, and the one before it does not grant what was chosen.
    return !stop && state && state.c.analytics && state.t && !queue().length;
  }
  function send(type, extra) {
    if (!tracking()) return;
    var w = W.innerWidth, body = { site: C.k, token: state.t, type: type, url: W.location.href,
      screen: w < 576 ? "mobile" : w < 992 ? "tablet" : w < 1440 ? "laptop" : "desktop" };
    for (var k in extra) if (extra[k]) body[k] = extra[k];
    body = JSON.stringify(body);
    // Leaving the page: a beacon outlives it. Otherwise fetch, whose answer says whether the consent holds.
    if (type === "engagement" && W.navigator.sendBeacon(api + COLLECT, new Blob([body], { type: "text/plain" }))) return;
    post(COLLECT, body).then(function (r) {
      if (/^40[139]$/.test(r.status) && !stop++) warn("analytics consent refused (" + r.status + "): tracking stopped");
    }).catch(warn);
  }
  function path() { return W.location.pathname + (C.h ? W.location.hash : ""); }
  function tick() {
    // Only visible time under consent counts.
    var now = Date.now();
    if (since && tracking()) ms += now - since;
    since = D.visibilityState === "visible" && now;
  }
  function leave() {
    tick();
    if (ms && where) send("engagement", { url: href, engaged_ms: ms });
    ms = 0;
  }
  function view() {
    if (!tracking() || where === path()) return;
    leave();
    send("pageview", { referrer: !where && D.referrer });
    where = path(); href = W.location.href;
  }
  function event(name, props) {
    var p = {}, n = 0;
    for (var k in props) if (n++ < 30) p[k] = String(props[k]).slice(0, 200);
    send("event", { name: String(name), props: n && p });
  }
  function clicked(n) {
    var c = n.closest("[data-consent-event]"), a = n.closest("a[href]"), u = a && new URL(a.href, W.location);
    if (c) event(c.getAttribute("data-consent-event"), JSON.parse(c.getAttribute("data-consent-props")));
    if (!u) return;
    a = { url: u.origin + u.pathname };
    if (C.x && new RegExp("\\.(" + C.x + ")$", "i").test(u.pathname)) event("File Download", a);
    else if (/^http/.test(u.protocol) && u.host !== W.location.host) event("Outbound Link: Click", a);
  }

  /* ---- the public API, with the pre-load queue */
  var pub = {
    get: function () { return state ? { id: state.i, categories: JSON.parse(JSON.stringify(state.c)), policyVersion: state.v, updatedAt: state.u } : null; },
    has: function (k) { return !!state && state.c[k] === true; },
    show: function () { show(true); },
    acceptAll: function () { choose("accept_all", {}, "api"); },
    rejectAll: function () { choose("reject_all", {}, "api"); },
    set: function (wanted) {
      var want = {};
      keys().forEach(function (k) { want[k] = wanted && k in wanted ? !!wanted[k] : !!(state && state.c[k]); });
      choose("custom", want, "api");
    },
    track: function (name, props) {
      if (tracking()) event(name, props);
      else if (!told++) warn("track(): no analytics consent");
    },
    on: function (name, fn) { if (name === "change" && typeof fn === "function") listeners.push(fn); else warn("on(): only 'change' with a function"); },
    push: function (item) {
      if (typeof item === "function") item(pub);
      else if (item && typeof pub[item[0]] === "function") pub[item[0]].apply(pub, [].slice.call(item, 1));
      else warn("unknown queued call", item);
    }
  };
  for (var m in pub) pub[m] = safe(pub[m]);

  safe(function () {
    var pending = W.ConsentServer;
    W.ConsentServer = pub;
    if (!C || !C.k) return warn("no configuration");
    lang = pickLang();
    state = load();
    consentMode("default");
    if (state) consentMode("update");
    if (Array.isArray(pending)) pending.forEach(pub.push);
    var start = safe(function () {
      gate(D.documentElement);
      declarations();
      new MutationObserver(safe(function (ms) {
        ms.forEach(function (mr) { [].forEach.call(mr.addedNodes, gate); });
        if (D.querySelector("[data-consent-declaration]:not([data-cs])")) declarations();
      })).observe(D.documentElement, { childList: true, subtree: true });
      D.addEventListener("click", safe(function (e) {
        var n = e.target;
        if (!n.closest) return;
        if (n.closest("[data-consent-open]")) { e.preventDefault(); show(true); }
        if (tracking()) clicked(n);
      }));
      mount();
      if (!state && gpc && C.g === "reject_all") choose("reject_all", {}, "gpc");
      else if (!state) showBanner(true);
      flush();
      var nav = safe(view);
      ["pushState", "replaceState"].forEach(function (m) {
        var orig = history[m];
        history[m] = function () { var r = orig.apply(this, arguments); nav(); return r; };
      });
      W.addEventListener("popstate", nav);
      if (C.h) W.addEventListener("hashchange", nav);
      // The page is going: what is left of its visible time is sent now, and none counts after.
      W.addEventListener("pagehide", safe(function () { leave(); since = 0; }));
      D.addEventListener("visibilitychange", safe(leave));
      tick();
      view();
    });
    if (D.body) start(); else D.addEventListener("DOMContentLoaded", start);
  })();
})(window, document, __CONFIG__);
