/* Live preview of a Markdown body in the admin: sends the text to the markup-preview view
   (the same renderer and sanitizer as the public pages) and shows the result beside the
   field, with the claims it cites and any unknown or malformed markers. Admin only; plain
   JavaScript, no build step. */
(function () {
  "use strict";

  function setup() {
    var panel = document.getElementById("markup-preview");
    var body = document.getElementById("id_body");
    if (!panel || !body || !window.fetch) return;
    var form = body.form;
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    var problems = panel.querySelector(".markup-preview-problems");
    var output = panel.querySelector(".markup-preview-body");
    var references = panel.querySelector(".markup-preview-references");
    var row = body.closest(".form-row") || body.parentNode;
    row.parentNode.insertBefore(panel, row.nextSibling);
    panel.hidden = false;
    var timer = null;
    var sent = 0;

    function item(list, text, className) {
      var li = document.createElement("li");
      li.textContent = text;
      if (className) li.className = className;
      list.appendChild(li);
    }

    function show(data) {
      // The HTML comes from the site's one sanitizing renderer (markup.render).
      output.innerHTML = data.html;
      problems.textContent = "";
      var list = document.createElement("ul");
      if (data.error) item(list, data.error, "error");
      data.unknown_keys.forEach(function (key) {
        item(list, "Unknown claim key '" + key + "': add the claim to the citation registry first, or fix the marker.", "error");
      });
      data.malformed_markers.forEach(function (marker) {
        item(list, "Malformed claim marker " + marker + ": write [@claim-key] with lowercase keys.", "error");
      });
      if (list.children.length) problems.appendChild(list);
      references.textContent = "";
      data.references.forEach(function (ref) {
        item(references, ref.known ? ref.statement + " [" + ref.key + "]" : "Unknown claim: " + ref.key, ref.known ? "" : "error");
      });
    }

    function refresh() {
      var number = ++sent;
      var data = new FormData();
      data.append("body", body.value);
      fetch(panel.dataset.url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (json) {
          if (number === sent) show(json);
        })
        .catch(function () {
          problems.textContent = "The preview is not available just now; saving still works.";
        });
    }

    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
