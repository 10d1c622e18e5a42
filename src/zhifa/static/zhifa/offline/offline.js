/* zhifa: field work without network (离线现场执法, B9), for the offline pages: the inspector's
   pages under /inspections/ (我的检查, the results pages) and the cases' field pages under /cases/
   (证据与现场笔录, /cases/<id>/field/). Loaded on every page (base.html); does nothing elsewhere.
   A page's capture panel (partials/offline_panel.html) names its subject: data-offline-target
   ("inspection" or "case") and data-offline-id; each capture keeps its subject and the API it is
   sent to, so that any offline page sends every capture of the phone.

   - Registers the service worker (/inspections/sw.js), which keeps the pages for offline use,
     and on 我的检查 stores the page, its static files and the listed inspections' results pages
     (their check points) in the cache.
   - On a results page without network: the result form, the photo form (each photo resized on
     the phone with a canvas) and the on-site record with the party's signature drawn on the
     screen are saved in the browser's storage (IndexedDB), each with a new id (UUID), the time
     and — where the inspector allows it — the position. They show as
     "已保存在本机，尚未发送" and survive a reload.
   - Back online (and on each page load online), every capture is sent to its API
     (/api/v1/inspections/offline/sync, /api/v1/cases/<id>/offline/sync), one by one, oldest first. The server receives each id once.
     A refused capture (改派, certificate, recorded meanwhile …) stays on the phone with the
     server's Chinese reasons, for the inspector to send again or discard on purpose: never lost. */
(function () {
  "use strict";
  var SCOPES = ["/inspections/", "/cases/"];  // each with its service worker at <scope>sw.js
  var SCOPE = SCOPES.filter(function (s) { return location.pathname.indexOf(s) === 0; })[0];
  var CACHE = "zhifa-offline-v1";
  var DB_NAME = "zhifa-offline";
  var STORE = "captures";
  var PHOTO_MAX_SIDE = 1600;  // px: a readable site photo at a fraction of a phone camera's bytes
  var KIND_LABEL = { result: "检查结果", photo: "现场照片", onsite: "现场笔录", scene: "现场笔录", inquest: "勘验笔录" };
  var OUTCOME_LABEL = { no_problem: "未发现问题", corrected: "发现问题已当场整改", rectify: "责令限期整改", case: "立案查处",
                        not_found: "通过登记的住所（经营场所）无法联系" };  // Inspection.Outcome
  // Signed out (the login page): the cached pages were that user's; drop them. Captures not yet
  // received stay (they are work that must not be lost) and are sent at the next sign-in.
  if (location.pathname.indexOf("/accounts/login") === 0 && window.caches) { caches["delete"](CACHE); }
  if (!SCOPE) { return; }

  // --- storage (IndexedDB, plain API) ---------------------------------------------------------
  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode);
        var out = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function allCaptures() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) {
        return a.captured_at === b.captured_at ? (a.order || 0) - (b.order || 0) : (a.captured_at < b.captured_at ? -1 : 1);
      });
    });
  }
  function putCapture(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function deleteCapture(id) { return tx("readwrite", function (s) { s["delete"](id); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  // The position, only where the inspector allows it; never waits long.
  function position() {
    if (!navigator.geolocation) { return Promise.resolve(null); }
    var ask = function () {
      return new Promise(function (resolve) {
        navigator.geolocation.getCurrentPosition(function (p) {
          resolve({ latitude: p.coords.latitude.toFixed(6), longitude: p.coords.longitude.toFixed(6),
                    accuracy_m: Math.round(p.coords.accuracy || 0) });
        }, function () { resolve(null); }, { timeout: 5000, maximumAge: 120000 });
        window.setTimeout(function () { resolve(null); }, 6000);
      });
    };
    if (!navigator.permissions) { return ask(); }
    return navigator.permissions.query({ name: "geolocation" }).then(function (p) {
      return p.state === "denied" ? null : ask();
    }, ask);
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function fmt(iso) {
    var d = new Date(iso);
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }

  // --- the service worker and the cache of the day's inspections ------------------------------
  function register() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(false); }
    return navigator.serviceWorker.register(SCOPE + "sw.js", { scope: SCOPE }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () { return true; }, function () { return false; });
  }
  function keepForOffline() {
    if (!navigator.onLine || !window.caches) { return Promise.resolve(); }
    var urls = [location.pathname + location.search];
    document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=manifest][href]").forEach(function (el) {
      urls.push(el.getAttribute("href") || el.getAttribute("src"));
    });
    // 我的检查: the listed inspections' results pages (their check points), for the day's work
    document.querySelectorAll("[data-offline-keep]").forEach(function (a) { urls.push(a.getAttribute("href")); });
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.filter(Boolean).map(function (u) {
        return fetch(u, { credentials: "same-origin" }).then(function (r) {
          if (r.ok && !r.redirected) { return cache.put(u, r); }
        }, function () {});
      }));
    });
  }

  // --- capture ----------------------------------------------------------------------------------
  var panel = document.querySelector("[data-offline-target]");
  var target = panel ? panel.getAttribute("data-offline-target") : null;
  var targetId = panel ? parseInt(panel.getAttribute("data-offline-id"), 10) : null;
  // A capture's subject: {target, id}; the captures saved before cases had field pages name only inspection_id.
  function targetOf(item) { return item.case_id ? "case" : "inspection"; }
  function idOf(item) { return item.case_id || item.inspection_id; }
  function partOf(item) { return item.part || item.kind; }  // where its content is: result, photo or onsite
  function pageOf(item) { return targetOf(item) === "case" ? "/cases/" + item.case_id + "/field/" : "/inspections/results/" + item.inspection_id + "/"; }

  function base(kind, part) {
    return Promise.all([position(), allCaptures()]).then(function (got) {
      var pos = got[0];
      var order = got[1].reduce(function (m, i) { return Math.max(m, i.order || 0); }, 0) + 1;  // the order saved in
      var item = { client_id: uuid(), kind: kind, part: part, captured_at: new Date().toISOString(), order: order,
                   position: pos, expected_outcome: panel.getAttribute("data-expected-outcome") || "", overwrite: false,
                   entity: panel.getAttribute("data-entity") || "", sync_url: panel.getAttribute("data-offline-sync"),
                   status: "pending", messages: [] };
      item[target + "_id"] = targetId;
      return item;
    });
  }
  function placeOf(form) { return form.elements.place ? form.elements.place.value.trim() : ""; }
  function resultOf(form) {
    var answers = [];
    form.querySelectorAll(".point[aria-label]").forEach(function (div) {
      var checked = div.querySelector("input[type=radio]:checked");
      if (!checked) { return; }
      var note = div.querySelector("input[type=text]");
      answers.push({ point: div.getAttribute("aria-label"), ok: checked.value === "ok", note: note ? note.value.trim() : "" });
    });
    var val = function (n) { var el = form.elements[n]; return el ? el.value.trim() : ""; };
    return { inspected_on: val("inspected_on"), outcome: val("outcome"), answers: answers,
             findings: val("findings"), case_number: val("case_number") };
  }
  function resize(file) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var url = URL.createObjectURL(file);
      img.onload = function () {
        var scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        resolve(canvas.toDataURL("image/jpeg", 0.85));
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("无法读取照片" + file.name)); };
      img.src = url;
    });
  }
  function saveResult(form) {
    return base("result", "result").then(function (item) { item.result = resultOf(form); return putCapture(item); });
  }
  function savePhotos(form) {
    var input = form.querySelector("input[type=file]");
    var caption = form.elements.caption ? form.elements.caption.value.trim() : "";
    var files = Array.prototype.slice.call((input && input.files) || []);
    return files.reduce(function (done, file) {
      return done.then(function () {
        return Promise.all([resize(file), base("photo", "photo")]).then(function (got) {
          got[1].photo = { data: got[0], caption: caption };
          got[1].place = placeOf(form);
          return putCapture(got[1]);
        });
      });
    }, Promise.resolve()).then(function () { form.reset(); });
  }
  function saveOnsite(form) {
    var canvas = form.querySelector("canvas[data-signature]");
    var signed = canvas && canvas.getAttribute("data-signed") === "1";
    var kind = form.elements.record_kind ? form.elements.record_kind.value : "onsite";  // a case: 现场笔录 or 勘验笔录
    return base(kind, "onsite").then(function (item) {
      item.place = placeOf(form);
      item.onsite = { text: form.elements.onsite_text.value.trim(), party_name: form.elements.party_name.value.trim(),
                      signature: signed ? canvas.toDataURL("image/png") : "" };
      return putCapture(item);
    }).then(function () { form.reset(); clearSignature(canvas); });
  }
  // The party signs with a finger (or the mouse) on the canvas.
  function clearSignature(canvas) {
    if (!canvas) { return; }
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    canvas.removeAttribute("data-signed");
  }
  function signaturePad(canvas) {
    var ctx = canvas.getContext("2d");
    var drawing = false;
    clearSignature(canvas);
    ctx.lineWidth = 3; ctx.lineCap = "round"; ctx.strokeStyle = "#111";
    function at(evt) {
      var r = canvas.getBoundingClientRect();
      return [(evt.clientX - r.left) * canvas.width / r.width, (evt.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (evt) {
      drawing = true; canvas.setPointerCapture && canvas.setPointerCapture(evt.pointerId);
      var p = at(evt); ctx.beginPath(); ctx.moveTo(p[0], p[1]); evt.preventDefault();
    });
    canvas.addEventListener("pointermove", function (evt) {
      if (!drawing) { return; }
      var p = at(evt); ctx.lineTo(p[0], p[1]); ctx.stroke(); canvas.setAttribute("data-signed", "1");
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (t) { canvas.addEventListener(t, function () { drawing = false; }); });
  }

  // --- what is on the phone ---------------------------------------------------------------------
  function describe(item) {
    if (partOf(item) === "result") {
      return (OUTCOME_LABEL[item.result.outcome] || item.result.outcome) + " · 检查日期 " + item.result.inspected_on + " · " + item.result.answers.length + " 个检查要点";
    }
    if (partOf(item) === "photo") { return item.photo.caption || "（无说明）"; }
    return (item.onsite.party_name ? "当事人 " + item.onsite.party_name + " · " : "") + (item.onsite.signature ? "已签名" : "未签名") + " · " + item.onsite.text.slice(0, 40);
  }
  function stateText(item) {
    if (item.status === "sent") { return "已发送，服务器于 " + fmt(item.received_at) + " 收到"; }
    if (item.status === "conflict") { return "未被接收，仍保存在本机"; }
    return "已保存在本机，尚未发送";
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function itemNode(item, showEntity) {
    var li = el("li", "offline-item " + item.status);
    li.setAttribute("data-testid", "offline-item");
    li.setAttribute("data-status", item.status);
    if (showEntity) {
      var a = el("a", "", item.entity || ((targetOf(item) === "case" ? "案件 #" : "检查 #") + idOf(item)));
      a.href = pageOf(item);
      li.appendChild(a);
    }
    var head = el("span");
    head.appendChild(el("strong", "", KIND_LABEL[item.kind] + " "));
    head.appendChild(el("span", "", describe(item)));
    li.appendChild(head);
    li.appendChild(el("span", "sub muted", "保存于 " + fmt(item.captured_at) + (item.position ? " · 位置 " + item.position.latitude + ", " + item.position.longitude : "")));
    li.appendChild(el("span", "sub offline-status", stateText(item)));
    if (partOf(item) === "photo") { var img = el("img"); img.src = item.photo.data; img.alt = "本机照片"; li.appendChild(img); }
    if (partOf(item) === "onsite" && item.onsite.signature) { var s = el("img", "signature"); s.src = item.onsite.signature; s.alt = "当事人签名"; li.appendChild(s); }
    (item.messages || []).forEach(function (m) { li.appendChild(el("p", "field-error", m)); });
    if (item.status === "conflict") {
      var actions = el("div", "form-actions");
      var again = el("button", "btn btn-sm btn-primary", item.kind === "result" && item.recorded_meanwhile ? "仍以本机结果提交" : "重新发送");
      again.type = "button";
      again.addEventListener("click", function () {
        item.status = "pending"; item.messages = [];
        if (item.recorded_meanwhile) { item.overwrite = true; }
        putCapture(item).then(syncAll);
      });
      var drop = el("button", "btn btn-sm", "放弃本机记录");
      drop.type = "button";
      drop.addEventListener("click", function () {
        if (window.confirm("确定放弃这项本机记录？放弃后无法恢复，服务器上也没有这项记录。")) { deleteCapture(item.client_id).then(render); }
      });
      actions.appendChild(again); actions.appendChild(drop); li.appendChild(actions);
    }
    return li;
  }
  function render() {
    return allCaptures().then(function (items) {
      var waiting = items.filter(function (i) { return i.status !== "sent"; });
      // 我的检查: every capture of this phone not yet received, whatever the inspection (a reassigned
      // one is no longer listed here, its captures are)
      document.querySelectorAll("[data-offline-summary]").forEach(function (box) {
        box.hidden = waiting.length === 0 && navigator.onLine;
        var text = box.querySelector("[data-offline-count]");
        if (text) {
          text.textContent = waiting.length ? "本机有 " + waiting.length + " 项记录已保存在本机，尚未发送" +
            (navigator.onLine ? "。" : "：联网后自动发送。") : "当前无网络：可以继续录入，保存的内容留在本机，联网后自动发送。";
        }
        var all = box.querySelector("[data-offline-list-all]");
        if (all) { all.textContent = ""; waiting.forEach(function (i) { all.appendChild(itemNode(i, true)); }); }
        var button = box.querySelector("[data-offline-send]");
        if (button) { button.hidden = !waiting.length || !navigator.onLine; }
      });
      document.querySelectorAll("[data-offline-row]").forEach(function (row) {
        var id = parseInt(row.getAttribute("data-offline-row"), 10);
        var n = waiting.filter(function (i) { return targetOf(i) === "inspection" && i.inspection_id === id; }).length;
        var badge = row.querySelector("[data-offline-badge]");
        if (badge) { badge.hidden = !n; badge.textContent = "本机待发送 " + n; }
      });
      if (!panel) { return; }
      var mine = items.filter(function (i) { return targetOf(i) === target && idOf(i) === targetId; });
      var list = panel.querySelector("[data-offline-list]");
      var state = panel.querySelector("[data-offline-state]");
      var canCapture = !!document.querySelector("[data-offline-form]");
      panel.hidden = mine.length === 0 && (navigator.onLine || !canCapture);
      list.textContent = "";
      var pending = mine.filter(function (i) { return i.status !== "sent"; }).length;
      state.textContent = pending ? "已保存在本机，尚未发送（" + pending + " 项）" + (navigator.onLine ? "" : "：当前无网络，联网后自动发送")
        : (mine.length ? "本机记录已全部发送" : "当前无网络：保存的内容留在本机，联网后自动发送");
      state.className = "badge offline-state " + (pending ? "badge-warn" : "badge-ok");
      panel.querySelector("[data-offline-send]").hidden = !pending || !navigator.onLine;
      var reload = panel.querySelector("[data-offline-reload]");
      if (reload) { reload.hidden = !(mine.length && !pending && navigator.onLine); }
      mine.forEach(function (item) { list.appendChild(itemNode(item, false)); });
    });
  }

  // --- sending ------------------------------------------------------------------------------------
  var sending = false, again = false;
  function send(item) {
    var body = { client_id: item.client_id, kind: item.kind, captured_at: item.captured_at, position: item.position };
    if (targetOf(item) === "case") {
      body.place = item.place || "";
    } else {
      body.inspection_id = item.inspection_id; body.expected_outcome = item.expected_outcome; body.overwrite = !!item.overwrite;
    }
    body[partOf(item)] = item[partOf(item)];
    return fetch(syncUrl(item), { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() }, body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (data) { return [r.status, data]; }, function () { return [r.status, {}]; });
      }).then(function (got) {
        var status = got[0], data = got[1];
        if (status === 200 || status === 201) {
          item.status = "sent"; item.received_at = data.received_at; item.messages = [];
        } else if (status === 409 || status === 422 || status === 404) {
          item.status = "conflict";
          item.recorded_meanwhile = (data.violations || []).some(function (v) { return v.code === "RECORDED_MEANWHILE"; });
          item.messages = (data.violations || []).map(function (v) { return v.message; });
          (Array.isArray(data.detail) ? data.detail : []).forEach(function (d) { item.messages.push(d.msg); });
          if (typeof data.detail === "string") { item.messages.push(data.detail); }
          if (!item.messages.length) { item.messages.push("服务器未接收这项记录"); }
        } else {  // 401/403 (signed out), 5xx: kept as it is, sent again later
          item.messages = [status === 401 || status === 403 ? "登录已过期：请重新登录后发送" : "服务器暂时无法接收，稍后自动重试"];
          throw new Error("retry later");
        }
        return putCapture(item);
      });
  }
  function syncUrl(item) {
    if (item.sync_url) { return item.sync_url; }
    return targetOf(item) === "case" ? "/api/v1/cases/" + item.case_id + "/offline/sync" : "/api/v1/inspections/offline/sync";
  }
  function syncAll() {
    if (!navigator.onLine) { return render(); }
    if (sending) { again = true; return render(); }  // saved while sending: sent right after
    sending = true; again = false;
    return allCaptures().then(function (items) {
      var todo = items.filter(function (i) { return i.status === "pending"; });
      return todo.reduce(function (done, item) { return done.then(function () { return send(item); }); }, Promise.resolve());
    }).catch(function () {}).then(function () {
      sending = false;
      if (again) { return syncAll(); }
      document.documentElement.setAttribute("data-offline-synced", String(Date.now()));
      return render();
    });
  }
  function prune() {  // sent captures are shown for a week, then dropped from the phone
    var week = Date.now() - 7 * 86400000;
    return allCaptures().then(function (items) {
      return Promise.all(items.filter(function (i) { return i.status === "sent" && new Date(i.received_at).getTime() < week; })
        .map(function (i) { return deleteCapture(i.client_id); }));
    });
  }

  // --- wiring -------------------------------------------------------------------------------------
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var kind = form.getAttribute && form.getAttribute("data-offline-form");
    if (!kind || !panel) { return; }
    if (!window.indexedDB) {  // no storage on this browser: the result and photo forms post as usual
      if (kind === "onsite" || form.hasAttribute("data-offline-always")) { evt.preventDefault(); window.alert("此浏览器不能在本机保存记录，请更换浏览器后填写现场笔录。"); }
      return;
    }
    // online, the result and photo forms post as usual; the on-site record (signature) always goes this way
    if (navigator.onLine && kind !== "onsite" && !form.hasAttribute("data-offline-always")) { return; }
    evt.preventDefault();
    var save = kind === "result" ? saveResult : kind === "photo" ? savePhotos : saveOnsite;
    save(form).then(function () {
      return syncAll();
    }).then(function () {
      panel.scrollIntoView && panel.scrollIntoView({ block: "start" });
    }, function (err) { window.alert("未能保存在本机：" + (err && err.message ? err.message : err)); });
  }, true);
  document.addEventListener("click", function (evt) {
    var t = evt.target.closest ? evt.target : null;
    if (!t) { return; }
    if (t.closest("[data-offline-send]")) { evt.preventDefault(); syncAll(); }
    var clear = t.closest("[data-signature-clear]");
    if (clear) { evt.preventDefault(); clearSignature(document.querySelector("canvas[data-signature]")); }
  });
  window.addEventListener("online", syncAll);
  window.addEventListener("offline", render);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-offline-only]").forEach(function (e) { e.hidden = false; });
    var canvas = document.querySelector("canvas[data-signature]");
    if (canvas) { signaturePad(canvas); }
    var ready = window.indexedDB ? prune().then(syncAll) : Promise.resolve();
    Promise.all([ready, register().then(keepForOffline)]).catch(function () {}).then(function () {
      document.documentElement.setAttribute("data-offline-ready", "1");
    });
  });
})();
