/* painmap: the text panels beside the figure, drawn from the compact data the server sends
   (src/painmap/app/wire.py): a node is a string (text) or [tag, {attributes}?, ...children].

   Elements are made with createElement and text with text nodes: no HTML is parsed, so a
   dataset's words cannot inject markup. Only the tags and attributes wire.py allows are drawn,
   and a link goes only to a web address, a mail address or a place in this app. A link to a
   web address opens in a new tab, without access to this page.

   The red flags arrive as {items: {id: node}, order: [ids]}: they are all always there, and
   a choice reorders them (moves the elements) rather than drawing them again.

   A panel is drawn as soon as the server's answer is back (``answered``, Dash's request_post
   hook), before Dash redraws the figure with the same answer: the words of a choice are on
   the screen while the figure is drawn, not after it. The clientside callback on the panels'
   stores then finds them drawn already; it alone draws when the early draw could not (an
   answer to an older request, a change to a value this page has not drawn). */
(function () {
  "use strict";

  var TAGS = {};
  "a abbr b br code details div em h3 h4 h5 i li ol p section small span strong sub summary sup ul"
    .split(" ").forEach(function (t) { TAGS[t] = true; });
  var ATTRIBUTES = {};
  "class id href target rel download role title lang hidden open".split(" ").forEach(function (a) { ATTRIBUTES[a] = true; });

  function safeHref(href) {
    var value = String(href).trim();
    if (/^(https?:|mailto:)/i.test(value)) { return value; }
    /* a place in this app: no scheme before the first / ? or # */
    var scheme = value.search(/:/), path = value.search(/[\/?#]/);
    return scheme < 0 || (path >= 0 && path < scheme) ? value : null;
  }

  function setAttributes(element, attributes) {
    Object.keys(attributes).forEach(function (name) {
      if (!ATTRIBUTES[name] && !/^(data|aria)-[a-z0-9-]+$/.test(name)) { return; }
      var value = attributes[name];
      if (value === null || value === undefined) { return; }
      if (name === "href") {
        value = safeHref(value);
        if (value === null) { return; }
      }
      element.setAttribute(name, String(value));
    });
    /* a link to a web address opens in a new tab, without access to this page (wire.web_link) */
    if (element.tagName === "A" && /^https?:/i.test(element.getAttribute("href") || "") && !element.hasAttribute("target")) {
      element.setAttribute("target", "_blank");
      element.setAttribute("rel", "noopener");
    }
  }

  function build(node) {
    if (typeof node === "string") { return document.createTextNode(node); }
    if (!Array.isArray(node) || typeof node[0] !== "string" || !TAGS[node[0]]) { return document.createTextNode(""); }
    var element = document.createElement(node[0]);
    var start = 1;
    if (node.length > 1 && node[1] && typeof node[1] === "object" && !Array.isArray(node[1])) {
      setAttributes(element, node[1]);
      start = 2;
    }
    for (var k = start; k < node.length; k++) { element.appendChild(build(node[k])); }
    return element;
  }

  function replaceChildren(container, nodes) {
    var fragment = document.createDocumentFragment();
    (Array.isArray(nodes) ? nodes : []).forEach(function (node) { fragment.appendChild(build(node)); });
    while (container.firstChild) { container.removeChild(container.firstChild); }
    container.appendChild(fragment);
  }

  /* Items keyed by id, in ``order``: built once, then moved into place. */
  function drawKeyed(container, wire) {
    var items = wire.items && typeof wire.items === "object" ? wire.items : {};
    var key = JSON.stringify(items);
    if (container._painmapItemsKey !== key) {
      container._painmapItemsKey = key;
      container._painmapItems = {};
      Object.keys(items).forEach(function (id) { container._painmapItems[id] = build(items[id]); });
      while (container.firstChild) { container.removeChild(container.firstChild); }
    }
    var built = container._painmapItems;
    var order = (Array.isArray(wire.order) ? wire.order : []).filter(function (id) { return built[id]; });
    order.forEach(function (id, k) {
      if (container.children[k] !== built[id]) { container.insertBefore(built[id], container.children[k] || null); }
    });
    while (container.children.length > order.length) { container.removeChild(container.lastChild); }
  }

  /* Draw a panel's data into the element ``id``; the same data again draws nothing. */
  function draw(id, wire) {
    var container = document.getElementById(id);
    if (!container || wire === undefined) { return; }
    if (container._painmapWire === wire) { return; }
    var key = JSON.stringify(wire);
    container._painmapWire = wire;
    if (container._painmapKey === key) { return; }
    container._painmapKey = key;
    if (wire && typeof wire === "object" && !Array.isArray(wire)) { drawKeyed(container, wire); }
    else { replaceChildren(container, wire); }
  }

  /* ``value`` with a Dash Patch's operations applied (those painmap.app.page.to_patch makes:
     Assign, Delete, Extend), or undefined for any other. ``value`` itself is not changed. */
  function patched(value, patch) {
    var out = JSON.parse(JSON.stringify(value));
    var operations = patch.operations || [];
    for (var k = 0; k < operations.length; k++) {
      var op = operations[k], location = op.location || [], params = op.params || {};
      var target = out;
      var last = location.length ? location[location.length - 1] : null;
      var path = op.operation === "Extend" ? location : location.slice(0, -1);
      for (var j = 0; j < path.length; j++) {
        if (target === null || typeof target !== "object") { return undefined; }
        target = target[path[j]];
      }
      if (target === null || typeof target !== "object") { return undefined; }
      if (op.operation === "Assign" && location.length) { target[last] = params.value; }
      else if (op.operation === "Delete" && location.length) {
        if (Array.isArray(target)) { target.splice(last, 1); } else { delete target[last]; }
      }
      else if (op.operation === "Extend" && Array.isArray(target) && Array.isArray(params.value)) {
        Array.prototype.push.apply(target, params.value);
      }
      else { return undefined; }
    }
    return out;
  }

  function isPatch(value) {
    return !!(value && typeof value === "object" && value.__dash_patch_update && Array.isArray(value.operations));
  }

  /* The latest request per callback output: only the answer to it is drawn early. */
  var latest = {};

  var dc = window.dash_clientside = window.dash_clientside || {};
  dc.panels = {
    /* ``containers[k]`` is drawn from ``values[k]`` (the clientside callback's arguments). */
    draw: function (containers, values) {
      for (var k = 0; k < containers.length; k++) { draw(containers[k], values[k]); }
    },
    /* Dash's request_pre hook: a callback request is sent. */
    requested: function (payload) {
      if (payload && typeof payload.output === "string") { latest[payload.output] = payload; }
    },
    /* True when ``payload`` is the latest request of its callback (only its answer is drawn early). */
    isLatest: function (payload) {
      return !!payload && latest[payload.output] === payload;
    },
    isPatch: isPatch,
    /* ``value`` with the Patch ``patch`` applied (a copy; undefined when it does not apply). */
    patched: patched,
    /* The value ``response`` gives store ``store``'s data: whole, or a Patch applied to
       ``previous`` (undefined when there is none, or nothing to apply it to). */
    valueIn: function (response, store, previous) {
      var entry = response && typeof response === "object" ? response[store] : null;
      if (!entry || typeof entry !== "object" || !("data" in entry)) { return undefined; }
      if (!isPatch(entry.data)) { return entry.data; }
      return previous === undefined || previous === null ? undefined : patched(previous, entry.data);
    },
    /* Dash's request_post hook: ``response`` ({component: {prop: value}}) answers ``payload``.
       ``stores`` maps each panel's element id to the id of the store that carries its data. */
    answered: function (stores, payload, response) {
      if (!payload || latest[payload.output] !== payload || !response || typeof response !== "object") { return; }
      Object.keys(stores).forEach(function (id) {
        var container = document.getElementById(id);
        var value = dc.panels.valueIn(response, stores[id], container ? container._painmapWire : undefined);
        if (value !== undefined) { draw(id, value); }
      });
    }
  };
})();
