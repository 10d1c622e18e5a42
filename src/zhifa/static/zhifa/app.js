/* zhifa: the little JavaScript the pages need on top of htmx. Everything works without it. */
(function () {
  "use strict";
  // Upload progress (htmx fires xhr:progress on the element that issued the request).
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = evt.target.closest ? evt.target.closest("form") : null;
    var bar = form && form.querySelector("progress[data-upload-progress]");
    if (bar && evt.detail.lengthComputable) {
      bar.value = Math.round((evt.detail.loaded / evt.detail.total) * 100);
    }
  });
  // Confirm buttons: <button data-confirm="确定？">.
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      evt.preventDefault();
    }
  });
  // Busy state on long posts (a draw takes 1–10 s at city scale): <form data-busy="正在抽取…">.
  // The form posts as usual (and exactly as without JavaScript); after the submit event the
  // button is disabled — so a second click cannot post twice — and shows a spinner and the text.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (evt.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-busy")) { return; }
    if (form.getAttribute("aria-busy") === "true") { evt.preventDefault(); return; }
    form.setAttribute("aria-busy", "true");
    var button = evt.submitter || form.querySelector("button:not([type=button])");
    window.setTimeout(function () {  // after the browser has read the form, the button's value too
      if (!button) { return; }
      button.setAttribute("data-idle-html", button.innerHTML);
      button.disabled = true;
      button.classList.add("is-busy");
      button.textContent = form.getAttribute("data-busy");
      var spin = document.createElement("span");
      spin.className = "spinner";
      spin.setAttribute("aria-hidden", "true");
      button.insertBefore(spin, button.firstChild);
    }, 0);
  });
  // A refused form far down the page (<div data-scroll-here> holding its reasons): bring it into
  // view, so the clerk sees why and what they typed instead of the top of the page.
  document.addEventListener("DOMContentLoaded", function () {
    var here = document.querySelector("[data-scroll-here]");
    if (here && here.scrollIntoView) { here.scrollIntoView({ block: "start" }); }
  });
  // File fields in Chinese whatever the browser's language: the native input (still the one that
  // is labelled, required and posted) lies transparent over a button 选择文件 and the chosen names.
  function pickerText(input) {
    var files = input.files || [];
    if (!files.length) { return "未选择文件"; }
    return files.length === 1 ? files[0].name : "已选择 " + files.length + " 个文件";
  }
  function enhanceFiles(root) {
    if (!root || !root.querySelectorAll) { return; }
    root.querySelectorAll("input[type=file]:not([data-picker])").forEach(function (input) {
      input.setAttribute("data-picker", "");
      var box = document.createElement("span");
      box.className = "file-pick";
      var button = document.createElement("span");
      button.className = "btn btn-sm";
      button.setAttribute("aria-hidden", "true");
      button.textContent = /^image\//.test(input.getAttribute("accept") || "") ? "拍照或选择照片" : "选择文件";
      var name = document.createElement("span");
      name.className = "file-pick-name";
      name.setAttribute("aria-hidden", "true");
      name.textContent = pickerText(input);
      input.parentNode.insertBefore(box, input);
      box.appendChild(button);
      box.appendChild(name);
      box.appendChild(input);
      input.addEventListener("change", function () { name.textContent = pickerText(input); });
      if (input.form) { input.form.addEventListener("reset", function () { window.setTimeout(function () { name.textContent = pickerText(input); }, 0); }); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceFiles(document.body); });
  document.addEventListener("htmx:load", function (evt) { enhanceFiles(evt.target); });
  // Back to a page from the browser's cache: the buttons work again.
  window.addEventListener("pageshow", function (evt) {
    if (!evt.persisted) { return; }
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[data-idle-html]").forEach(function (button) {
        button.innerHTML = button.getAttribute("data-idle-html");
        button.removeAttribute("data-idle-html");
        button.disabled = false;
        button.classList.remove("is-busy");
      });
    });
  });
  // No inline handlers anywhere (the Content-Security-Policy allows no inline script):
  // <button data-print> prints the page; <select data-autosubmit> submits its form when changed.
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-print]") : null;
    if (el) { evt.preventDefault(); window.print(); }
  });
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
  });
  // Search pickers (cases/widgets/search_pick.html): a result chosen from the htmx list becomes the
  // chosen one above the list, so a new search does not lose it (still one radio group, one value).
  document.addEventListener("change", function (evt) {
    var radio = evt.target;
    var results = radio && radio.closest ? radio.closest("[data-picker-results]") : null;
    if (!results || radio.type !== "radio") { return; }
    var chosen = results.parentNode.querySelector("[data-picker-chosen]");
    if (!chosen) { return; }
    var label = radio.closest("label").cloneNode(true);
    label.classList.add("picked");
    label.classList.remove("pick-option");
    chosen.innerHTML = "";
    chosen.appendChild(label);
    label.querySelector("input").checked = true;
    results.innerHTML = "";
  });
  // Long lists of checks: <input data-filter-list="ID"> hides the choices of #ID that do not contain
  // the typed text; <p data-picked="ID"> names the checked ones.
  document.addEventListener("input", function (evt) {
    var box = evt.target;
    if (!box || !box.hasAttribute || !box.hasAttribute("data-filter-list")) { return; }
    var list = document.getElementById(box.getAttribute("data-filter-list"));
    var text = box.value.trim().toLowerCase();
    if (!list) { return; }
    list.querySelectorAll("label").forEach(function (label) {
      label.hidden = text !== "" && label.textContent.toLowerCase().indexOf(text) < 0;
    });
  });
  document.addEventListener("change", function (evt) {
    var box = evt.target;
    var list = box && box.closest ? box.closest(".choices[id]") : null;
    if (!list || box.type !== "checkbox") { return; }
    var summary = document.querySelector("[data-picked='" + list.id + "'] [data-picked-names]");
    if (!summary) { return; }
    var names = [];
    list.querySelectorAll("input:checked").forEach(function (input) { names.push(input.closest("label").textContent.trim()); });
    summary.textContent = names.join("、");
  });
  // The phone: the navigation folds behind <button data-nav-toggle> (aria-expanded, body.nav-open).
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-nav-toggle]") : null;
    if (!button) { return; }
    var open = document.body.classList.toggle("nav-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
