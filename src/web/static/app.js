/* app.js: the one script of debrief's pages; every page works without it.
 *
 * Live findings and preview while typing: a form with
 * data-findings-target="#findings" and data-preview-target="#preview"
 * holding a <textarea data-live>. After a pause in typing, the script
 * posts the textarea's text (under its name, "markdown"), the form's
 * csrf_token and fragment=1 to /preview as a urlencoded form; the answer
 * is <div id="findings">…</div><div id="preview">…</div>, and each
 * target's content is replaced by the content of the answer's element of
 * the same id. The answer is parsed in an inert <template>, so nothing in
 * it runs. */
(function () {
    "use strict";

    var DELAY_MS = 600;

    function target(form, attribute) {
        var selector = form.getAttribute(attribute);
        if (!selector) {
            return null;
        }
        try {
            return document.querySelector(selector);
        } catch (e) {
            return null;
        }
    }

    function idOf(selector) {
        return selector && selector.charAt(0) === "#" ? selector.slice(1) : selector;
    }

    /* Replaces the children of TO with those of the answer's element ID. */
    function place(answer, id, to) {
        if (!to || !id) {
            return;
        }
        var from = answer.getElementById
            ? answer.getElementById(id)
            : answer.querySelector("#" + CSS.escape(id));
        if (!from) {
            return;
        }
        var nodes = document.importNode(from, true).childNodes;
        var copy = Array.prototype.slice.call(nodes);
        while (to.firstChild) {
            to.removeChild(to.firstChild);
        }
        copy.forEach(function (node) {
            to.appendChild(node);
        });
    }

    function live(textarea) {
        var form = textarea.form;
        if (!form) {
            return;
        }
        var findings = form.getAttribute("data-findings-target");
        var preview = form.getAttribute("data-preview-target");
        var timer = null;
        var sent = 0; /* the number of the newest request; older answers are dropped */

        function send() {
            var number = ++sent;
            var fields = new URLSearchParams();
            fields.set(textarea.name || "markdown", textarea.value);
            var csrf = form.querySelector("input[name=csrf_token]");
            if (csrf) {
                fields.set("csrf_token", csrf.value);
            }
            fields.set("fragment", "1");
            var id = form.querySelector("input[name=id]");
            if (id) {
                fields.set("id", id.value); /* the post mortem's files, for its graphs */
            }
            fetch("/preview", {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: fields.toString()
            })
                .then(function (reply) {
                    return reply.ok ? reply.text() : null;
                })
                .then(function (text) {
                    if (text === null || number !== sent) {
                        return;
                    }
                    var template = document.createElement("template");
                    template.innerHTML = text;
                    place(template.content, idOf(findings), target(form, "data-findings-target"));
                    place(template.content, idOf(preview), target(form, "data-preview-target"));
                })
                .catch(function () {
                    /* The server is away: the page keeps what it shows. */
                });
        }

        textarea.addEventListener("input", function () {
            if (timer) {
                clearTimeout(timer);
            }
            timer = setTimeout(send, DELAY_MS);
        });
    }

    function start() {
        var areas = document.querySelectorAll("textarea[data-live]");
        Array.prototype.forEach.call(areas, live);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();

/* ---- Uploading a file to a post mortem (pm_page_files.c) ----
 * A form marked data-attachments="URL/" is hidden until this runs: it PUTs
 * the chosen file's bytes to URL followed by the percent-encoded name (the
 * name field, else the file's own name) with the page's csrf_token as the
 * X-CSRF-Token header, then reloads the page, which lists the new version.
 * Without the script, the page's other form adds a text file. */
(function () {
    "use strict";

    function upload(form) {
        var base = form.getAttribute("data-attachments");
        var input = form.querySelector("input[type=file]");
        var nameField = form.querySelector("input[name=name]");
        var status = form.querySelector(".upload-status");
        var csrf = document.querySelector("input[name=csrf_token]");
        if (!base || !input) {
            return;
        }
        form.hidden = false;
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var file = input.files && input.files[0];
            if (!file) {
                return;
            }
            var name = (nameField && nameField.value.trim()) || file.name;
            var headers = { "Content-Type": "application/octet-stream" };
            if (csrf) {
                headers["X-CSRF-Token"] = csrf.value;
            }
            if (status) {
                status.textContent = "Uploading " + name + "…";
            }
            fetch(base + encodeURIComponent(name), {
                method: "PUT",
                credentials: "same-origin",
                headers: headers,
                body: file
            })
                .then(function (reply) {
                    if (reply.ok) {
                        window.location.reload();
                        return null;
                    }
                    return reply.json().then(function (answer) {
                        var said = answer && answer.error && answer.error.message;
                        if (status) {
                            status.textContent = "Not uploaded: " + (said || reply.statusText);
                        }
                    });
                })
                .catch(function () {
                    if (status) {
                        status.textContent = "Not uploaded: the server cannot be reached.";
                    }
                });
        });
    }

    function start() {
        var forms = document.querySelectorAll("form[data-attachments]");
        Array.prototype.forEach.call(forms, upload);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
/* ---- end of uploading a file ---- */
