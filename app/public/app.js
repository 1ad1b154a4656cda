// www.foobar.com: posts the message form to the JSON API and shows the new message without a reload (plain JS, no build step).
"use strict";

(function () {
  var form = document.getElementById("message-form");
  var status = document.getElementById("form-status");
  var list = document.getElementById("messages");
  if (!form || !status || !list) return;

  function showStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function paragraph(className) {
    var element = document.createElement("p");
    if (className) element.className = className;
    return element;
  }

  function renderMessage(message) {
    var item = document.createElement("li");
    var meta = paragraph("meta");
    var author = document.createElement("strong");
    author.textContent = message.author;
    var time = document.createElement("time");
    time.dateTime = message.createdAt;
    time.textContent = message.createdAt.slice(0, 10) + " " + message.createdAt.slice(11, 16) + " UTC";
    meta.append(author, " ", time);
    var text = paragraph("");
    text.textContent = message.text;
    item.append(meta, text);
    return item;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button");
    var data = { author: form.elements.author.value, text: form.elements.text.value };
    button.disabled = true;
    showStatus("Posting…", false);
    fetch("/api/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(data),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
          return body;
        });
      })
      .then(function (message) {
        var empty = document.getElementById("no-messages");
        if (empty) empty.remove();
        list.prepend(renderMessage(message));
        form.elements.text.value = "";
        showStatus("Posted.", false);
      })
      .catch(function (error) {
        showStatus("Could not post: " + error.message, true);
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();
