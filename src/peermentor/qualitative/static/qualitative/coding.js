/* The coding page: a mouse selection in an answer fills in its character numbers, and typed
   numbers read out the passage they select. The browser counts UTF-16 units; PeerMentor counts
   Unicode code points (an emoji is one character), so offsets are converted here, at the edge.
   Characters are numbered from 1 in the form; the server stores start = from - 1, end = to. */
(function () {
  "use strict";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function pieceOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element ? element.closest("[data-start]") : null;
  }

  // The code-point offset of a DOM position inside an answer's text, or null when outside it.
  function offsetIn(container, node, offset) {
    if (node === container) {
      var child = container.childNodes[offset];
      if (!child) return Number(container.dataset.length);
      var first = pieceOf(child);
      return first ? Number(first.dataset.start) : null;
    }
    var piece = pieceOf(node);
    if (!piece || !container.contains(piece)) return null;
    var base = Number(piece.dataset.start);
    if (node.nodeType === 3) return base + codePoints(node.data.slice(0, offset));
    var before = "";
    for (var i = 0; i < offset && i < node.childNodes.length; i += 1) {
      before += node.childNodes[i].textContent;
    }
    return base + codePoints(before);
  }

  function formFor(sourceId) {
    return document.querySelector('.apply-form[data-source="' + sourceId + '"]');
  }

  function preview(form) {
    var sourceId = form.dataset.source;
    var container = document.getElementById("text-" + sourceId);
    var out = document.getElementById("preview-" + sourceId);
    var first = Number(form.elements.first.value);
    var last = Number(form.elements.last.value);
    var length = Number(container.dataset.length);
    if (!first || !last || first < 1 || last > length || last < first) {
      out.textContent = "Characters 1 to " + length + "; choose a first character and a last one after it.";
      return;
    }
    var passage = Array.from(container.textContent).slice(first - 1, last).join("");
    out.textContent = "Characters " + first + " to " + last + ": “" + passage + "”";
  }

  function fromSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var container = start && start.closest(".source-text[data-source]");
    if (!container || !container.contains(range.endContainer)) return;
    var form = formFor(container.dataset.source);
    if (!form) return;
    var from = offsetIn(container, range.startContainer, range.startOffset);
    var to = offsetIn(container, range.endContainer, range.endOffset);
    if (from === null || to === null || to <= from) return;
    form.elements.first.value = from + 1;
    form.elements.last.value = to;
    var details = form.closest("details");
    if (details) details.open = true;
    preview(form);
  }

  var pending = null;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(fromSelection, 120);
  });

  document.querySelectorAll(".apply-form").forEach(function (form) {
    form.elements.first.addEventListener("input", function () { preview(form); });
    form.elements.last.addEventListener("input", function () { preview(form); });
    var whole = form.querySelector(".whole-answer");
    if (whole) {
      whole.hidden = false;
      whole.addEventListener("click", function () {
        var container = document.getElementById("text-" + form.dataset.source);
        form.elements.first.value = 1;
        form.elements.last.value = container.dataset.length;
        preview(form);
      });
    }
  });
})();
