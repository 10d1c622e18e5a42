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
})();
