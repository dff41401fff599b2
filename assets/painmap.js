/* painmap: browser-side playback. Play, pause and stepping call Plotly.animate on the
   precomputed frames, so no request goes to the server while the animation runs.

   The player keeps its place: a new figure for the same route (speed, layers, language,
   window size) is jumped to the player's step; the caption, the text description, the
   address bar, the share link and the embed code follow the step. The address bar and the
   links change only when playback pauses or steps (each history.replaceState makes
   Chromium fetch the favicon), never at every animation frame. */
(function () {
  "use strict";

  var RESIZE_MS = 250;
  /* One graph per page: the player's own state. */
  var player = {
    step: 0,          // the step on screen
    route: null,      // the route of the figure on screen (layout.meta.route)
    serverStep: null, // the step the server drew the last figure at (layout.meta.step)
    playing: false,
    run: 0,           // bumped whenever a playback starts or is interrupted
    figures: 0        // figures shown since the page loaded
  };

  function graphDiv() {
    return document.querySelector("#graph .js-plotly-plot");
  }

  /* The figure's frames, one per step, named "0", "1", ... */
  function stepFrames(gd) {
    var frames = (gd && gd._transitionData && gd._transitionData._frames) || [];
    return frames.filter(function (f) { return f && /^[0-9]+$/.test(String(f.name)); });
  }

  function frameCount(gd) {
    return stepFrames(gd).length;
  }

  /* The route's still drawing, under the graph that animates (painmap.app.page.split_layer),
     drawn by the page as SVG (assets/still.js): its element, and the figure drawn there. */
  function stillBox() {
    return document.getElementById("graph-still");
  }

  function stillFigure() {
    var box = stillBox(), figure = box && box.painmapDrawn;
    return figure && Array.isArray(figure.data) ? figure : null;
  }

  /* Playback steps through the figure's own frames, each holding every trace of the graph that
     animates (so that any step can be jumped to). That graph holds only what moves (the
     signal, its trail, the caption, the lit zones) and, in a panel where none of those is
     drawn, the panel's one-point "keeper", without which plotly.js empties the panels a frame
     omits (painmap.app.page.split_layer). A frame listing only what changed would save little:
     plotly.js runs its defaults over every trace of the graph at each step whatever a frame
     lists, and the keepers such frames need in every panel cost more than the traces they
     leave out.

     Most of what a step changes is the reveal: a nerve, a segment, a zone lit as the signal
     passes. Those traces are in the still drawing under this one (assets/still.js), with their
     opacity at each step in its layout.meta.reveal ({traces, at}); the page shows or hides
     them itself at each frame (reveal()): the opacity of each one's drawn group, with a CSS
     fade. */
  function stepOfFrame(name) {
    return parseInt(String(name), 10);
  }

  /* The page's figure sends each step's frame as its changes from the step before
     (layout.meta.frames === "changes"; painmap.app.page.frame_changes): made whole again here,
     once per figure, before anything plays them (plotly.js replaces frames of the same name). */
  function wholeFrames(gd) {
    var frames = stepFrames(gd);
    if (!frames.length || metaOf(gd.layout).frames !== "changes" || gd._painmapWhole === frames[0]) { return; }
    var state = {}, order = [];
    var whole = frames.map(function (frame) {
      (frame.traces || []).forEach(function (t, j) {
        if (!(t in state)) { order.push(t); }
        var entry = frame.data[j], was = state[t];
        /* a line that only grows (the signal's trail) comes as its new points (page.grown_part) */
        if (entry && entry.extend === true && was && Array.isArray(was.x) && Array.isArray(was.y)) {
          entry = {x: was.x.concat(entry.x || []), y: was.y.concat(entry.y || [])};
        }
        state[t] = entry;
      });
      var made = {name: frame.name, traces: order.slice(), data: order.map(function (t) { return state[t]; })};
      if (frame.layout) { made.layout = frame.layout; }
      return made;
    });
    Plotly.addFrames(gd, whole);
    gd._painmapWhole = stepFrames(gd)[0];
  }

  /* Step i's reveal, drawn by the page on the still drawing of the route on screen: each
     revealed trace's drawn group at its opacity for step i, faded over ``ms`` (the figure
     itself is left as the server sent it). */
  function reveal(i, ms) {
    var still = stillFigure(), box = stillBox();
    var meta = metaOf(still && still.layout);
    var plan = meta.reveal;
    if (!plan || !Array.isArray(plan.traces) || !Array.isArray(plan.at) || meta.route !== player.route) { return; }
    plan.traces.forEach(function (t, k) {
      var value = plan.at[k] && plan.at[k][i];
      if (typeof value !== "number" || !still.data[t]) { return; }
      var g = box.querySelector('svg.still-layer g.trace[data-trace="' + t + '"]');
      if (!g) { return; }
      g.style.transition = ms > 0 ? "opacity " + Math.round(ms) + "ms ease-in-out" : "";
      g.style.opacity = String(value);
    });
  }

  function metaOf(layout) {
    return (layout && layout.meta && typeof layout.meta === "object") ? layout.meta : {};
  }

  /* The step the server drew the figure at. */
  function serverStepOf(layout) {
    var step = metaOf(layout).step;
    return typeof step === "number" && step >= 0 ? step : 0;
  }

  /* On a phone the controls sit under the picture: after a choice there, bring the picture
     back into view (the player stays fixed under it). */
  function showPictureOnPhone() {
    var area = document.querySelector(".figure-area");
    if (!area || windowWidth() >= 600) { return; }
    if (area.getBoundingClientRect().top < 0 || area.getBoundingClientRect().top > window.innerHeight / 3) {
      area.scrollIntoView({block: "start"});
    }
  }

  function setProps(id, props) {
    var dc = window.dash_clientside;
    if (dc && typeof dc.set_props === "function") {
      try { dc.set_props(id, props); } catch (e) { /* the component is not on this page */ }
    }
  }

  /* Plotly.animate returns a promise that rejects when a later animation interrupts it:
     that is how pause and stepping work, not an error. */
  function animate(gd, names, options) {
    var done = Plotly.animate(gd, names, options);
    if (done && typeof done.then === "function") {
      return done.then(function () { return true; }, function () { return false; });
    }
    return Promise.resolve(true);
  }

  function goTo(gd, i, duration) {
    wholeFrames(gd);
    return animate(gd, [String(i)], {
      mode: "immediate",
      frame: {duration: duration, redraw: false},
      transition: {duration: Math.min(duration, 300)}
    });
  }

  /* ------------------------------------------------------------------ words for a step */

  function stepItem(i) {
    return document.querySelector('#steps-list li[data-step="' + i + '"]');
  }

  function stepCaption(i) {
    var li = stepItem(i);
    if (!li) { return ""; }
    var caption = li.querySelector(".caption");
    var term = li.querySelector(".term");
    if (!caption) { return li.textContent.trim(); }
    return caption.textContent.trim() + (term ? " " + term.textContent.trim() : "");
  }

  function boldName(hovertext) {
    var found = /<b>(.*?)<\/b>/.exec(typeof hovertext === "string" ? hovertext : "");
    var name = found ? found[1] : "";
    var box = document.createElement("span");
    box.innerHTML = name;
    return box.textContent;
  }

  function drawn(trace) {
    if (!trace || trace.visible === false || trace.visible === "legendonly") { return false; }
    var xs = trace.x || [];
    for (var k = 0; k < xs.length; k++) { if (xs[k] !== null && xs[k] !== undefined) { return true; } }
    return false;
  }

  /* The description's sentences in the page's language: the layout writes them, translated,
     into the description's data-words ({number}, {total}, {nerves}, {segments}, {zones}); English
     when it does not. */
  var ENGLISH_WORDS = {
    step: "Step {number} of {total}", passed: "The signal has passed: {nerves}.",
    segments: "Spinal cord segments lit: {segments}.", zones: "Pain is felt in the skin zone: {zones}.", and: " and "
  };
  function words(key, values) {
    var own = {};
    try { own = JSON.parse(document.getElementById("figure-description").getAttribute("data-words") || "{}"); } catch (e) { own = {}; }
    var template = (own && typeof own[key] === "string") ? own[key] : ENGLISH_WORDS[key];
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in (values || {}) ? values[name] : all; });
  }

  function listWords(items) {
    if (items.length < 2) { return items.join(""); }
    return items.slice(0, -1).join(", ") + words("and") + items[items.length - 1];
  }

  /* The figure in words at step i, from what the page already has: the steps list (caption
     and term) and the figure (layout.meta.step_names, and the traces' meta). */
  function describe(gd, i) {
    var meta = metaOf(gd && gd.layout);
    var names = meta.step_names || [];
    var count = meta.steps || names.length || frameCount(gd);
    var parts = [];
    if (count) { parts.push(words("step", {number: i + 1, total: count}) + ": " + (stepCaption(i) || "")); }
    var still = stillFigure();
    var data = ((still && metaOf(still.layout).route === meta.route && still.data) || []).concat((gd && gd.data) || []);
    var passed = [], segments = [], zones = [];
    data.forEach(function (trace) {
      var m = trace && trace.meta;
      if (!m || typeof m !== "object") { return; }
      if (typeof m.nerve === "string" && typeof m.step === "string" && (trace.name || "").indexOf("nerve/") === 0) {
        var at = names.indexOf(m.step);
        var label = (typeof m.label === "string" && m.label) || boldName(trace.hovertext) || m.nerve.replace(/-/g, " ");
        if (at >= 0 && at <= i && passed.indexOf(label) < 0) { passed.push(label); }
      }
      if ((trace.name || "") === "segment-lit" && Array.isArray(m.segments) && drawn(trace)) {
        m.segments.forEach(function (s) { if (segments.indexOf(s) < 0) { segments.push(s); } });
      }
      if ((trace.name || "").indexOf("zone-lit/") === 0 && Array.isArray(m.zones) && drawn(trace)) {
        m.zones.forEach(function (z, k) {
          var w = (Array.isArray(m.zone_labels) && m.zone_labels[k]) || z.replace(/-/g, " ");
          if (zones.indexOf(w) < 0) { zones.push(w); }
        });
      }
    });
    if (passed.length) { parts.push(words("passed", {nerves: listWords(passed)})); }
    if (segments.length && names.indexOf("entry") >= 0 && i >= names.indexOf("entry")) {
      parts.push(words("segments", {segments: listWords(segments)}));
    }
    if (zones.length && i === count - 1) { parts.push(words("zones", {zones: listWords(zones)})); }
    return parts.join(" ");
  }

  /* ------------------------------------------------------------------ address and links */

  function withStep(url, i, always) {
    var hash = "";
    var at = url.indexOf("#");
    if (at >= 0) { hash = url.slice(at); url = url.slice(0, at); }
    var q = url.indexOf("?");
    var base = q >= 0 ? url.slice(0, q) : url;
    var params = new URLSearchParams(q >= 0 ? url.slice(q + 1) : "");
    if (i > 0 || always) { params.set("step", String(i)); } else { params.delete("step"); }
    var query = params.toString();
    return base + (query ? "?" + query : "") + hash;
  }

  /* The address bar, the share link, the embed code's iframe and the downloads hold step i. */
  function syncLinks(i) {
    var here = window.location.pathname + window.location.search;
    var next = withStep(here, i);
    if (next !== here) { window.history.replaceState(window.history.state, "", next + window.location.hash); }
    var link = document.getElementById("share-link");
    if (link && link.value) {
      var value = withStep(link.value, i);
      if (value !== link.value) { setProps("share-link", {value: value}); }
    }
    var embed = document.getElementById("embed-code");
    if (embed && embed.value) {
      var code = embed.value.replace(/src="([^"]*)"/, function (all, src) {
        var plain = src.replace(/&amp;/g, "&");
        return 'src="' + withStep(plain, i).replace(/&/g, "&amp;") + '"';
      });
      if (code !== embed.value) { setProps("embed-code", {value: code}); }
    }
    /* The Download menu's files are of the step on screen (a download without a step is of the
       last one, so the step is always written, 0 included). */
    document.querySelectorAll("#download-links a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      var stepped = withStep(href, i, true);
      if (stepped !== href) { a.setAttribute("href", stepped); }
    });
  }

  /* Show step i: the steps list, the caption and the description; ``links`` also puts it
     in the address bar and the share links (when paused or stepped, not while playing). */
  function showStep(gd, i, links) {
    player.step = i;
    setSlider(i);
    document.querySelectorAll("#steps-list li").forEach(function (li) {
      li.classList.toggle("current", li.getAttribute("data-step") === String(i));
    });
    /* An open story's narration, and patient mode's plain words, follow the player too (their
       items name their route and step). */
    document.querySelectorAll("#story-panel li[data-route][data-step], #patient-panel li[data-route][data-step]").forEach(function (li) {
      var here = li.getAttribute("data-route") === player.route && li.getAttribute("data-step") === String(i);
      li.classList.toggle("current", here);
      if (here) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
    });
    var caption = document.getElementById("step-caption");
    var words = stepCaption(i);
    if (caption && words && caption.textContent !== words) { setProps("step-caption", {children: words}); }
    var description = document.getElementById("figure-description");
    var text = describe(gd, i);
    if (description && text && description.textContent !== text) { setProps("figure-description", {children: text}); }
    if (links) { syncLinks(i); }
  }

  /* ------------------------------------------------------------------ the mode bar

     The top graph's mode bar serves all three layers (the scene has none): its "Download plot
     as a PNG" saves the scene, the route's still drawing and this graph, one over the other. */
  function modeBarButton(gd, element) {
    var bar = gd._fullLayout && gd._fullLayout._modeBar;
    var group = element && element.parentElement;
    if (!bar || !bar.element || !group) { return null; }
    var groups = Array.prototype.slice.call(bar.element.querySelectorAll(".modebar-group"));
    var g = groups.indexOf(group), b = Array.prototype.indexOf.call(group.children, element);
    var config = g >= 0 && bar.buttons[g] ? bar.buttons[g][b] : null;
    return config && config.name ? config.name : null;
  }

  function loadImage(url) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = reject;
      image.src = url;
    });
  }

  /* The still drawing as an image (an SVG document, as drawn). */
  function stillImageUrl() {
    var svg = stillBox() && stillBox().querySelector("svg.still-layer");
    if (!svg) { return null; }
    var copy = svg.cloneNode(true);
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(copy));
  }

  function saveFigureImage(gd) {
    var full = gd._fullLayout;
    var size = {format: "png", width: full.width, height: full.height};
    var scene = document.querySelector("#graph-scene .js-plotly-plot");
    var layers = [
      scene && scene._fullLayout ? Plotly.toImage(scene, size) : null,
      stillImageUrl(),
      Plotly.toImage(gd, size)
    ].filter(function (layer) { return !!layer; });
    return Promise.all(layers)
      .then(function (urls) { return Promise.all(urls.map(loadImage)); })
      .then(function (images) {
        var canvas = document.createElement("canvas");
        canvas.width = size.width;
        canvas.height = size.height;
        var context = canvas.getContext("2d");
        images.forEach(function (image) { context.drawImage(image, 0, 0, size.width, size.height); });
        var route = metaOf(gd.layout).route;
        var link = document.createElement("a");
        link.href = canvas.toDataURL("image/png");
        link.download = "painmap" + (route ? "-" + route : "") + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      })
      .then(null, function () { return null; });
  }

  function bind(gd) {
    if (!gd || gd._painmapBound) { return; }
    gd._painmapBound = true;
    gd.addEventListener("click", function (event) {
      var button = event.target && event.target.closest ? event.target.closest(".modebar-btn") : null;
      if (!button || modeBarButton(gd, button) !== "toImage") { return; }
      event.preventDefault();
      event.stopPropagation();
      saveFigureImage(gd);
    }, true);
    /* a new figure's frames are made whole as soon as it is drawn: its own slider plays them */
    gd.on("plotly_afterplot", function () { wholeFrames(gd); });
    gd.on("plotly_react", function () { wholeFrames(gd); });
    gd.on("plotly_animatingframe", function (event) {
      var name = event && event.name;
      var i = stepOfFrame(name);
      if (isNaN(i)) { return; }
      var transition = event.animation && event.animation.transition;
      reveal(i, transition && typeof transition.duration === "number" ? transition.duration : 0);
      /* The words (steps list, caption, description) follow in a task of their own, so that
         plotly.js's step and the page's re-render do not add up to one long task. */
      player.step = i;
      window.setTimeout(function () { if (player.step === i) { showStep(gd, i, false); } }, 0);
    });
  }

  /* Playback timing at 1x (ms): the figure carries it in layout.meta.playback (the one
     timing, painmap.figures.style.FRAME_MS and TRANSITION_MS), so the page and the
     exports play at the same pace. A figure without it steps without waiting. */
  function timing(gd, figure) {
    var layouts = [figure && figure.layout, gd && gd.layout];
    for (var k = 0; k < layouts.length; k++) {
      var playback = metaOf(layouts[k]).playback;
      if (playback && typeof playback.frame_ms === "number" && typeof playback.transition_ms === "number") {
        return playback;
      }
    }
    return {frame_ms: 0, transition_ms: 0};
  }

  function currentSpeed() {
    var box = document.querySelector("#speed input:checked");
    var speed = box ? parseFloat(box.value) : 1;
    return speed > 0 ? speed : 1;
  }

  function play(gd, speed, figure) {
    var count = frameCount(gd);
    if (!count) { return; }
    var pace = timing(gd, figure);
    var perFrame = pace.frame_ms / (speed || 1);
    var perTransition = pace.transition_ms / (speed || 1);
    wholeFrames(gd);
    var start = (player.step >= count - 1) ? 0 : player.step;
    /* The step on screen held for a frame's time (a restart: step 0), then each later step. */
    var names = [];
    for (var k = start; k < count; k++) { names.push(String(k)); }
    player.run += 1;
    var run = player.run;
    player.playing = true;
    animate(gd, names, {
      mode: "immediate",
      frame: {duration: perFrame, redraw: false},
      transition: {duration: Math.min(perTransition, perFrame)}
    }).then(function (finished) {
      if (run !== player.run) { return; }  // interrupted by a later action, which owns the step
      player.playing = false;
      if (finished) { showStep(gd, player.step, true); }
    });
  }

  function stop(gd) {
    player.run += 1;
    player.playing = false;
    return animate(gd, [null], {mode: "immediate", frame: {duration: 0, redraw: false}, transition: {duration: 0}});
  }

  /* dcc.Graph calls Plotly.Plots.resize whenever the box around a graph may have changed
     (any change of the page's layout does it), and plotly.js then redraws the whole graph:
     the scene's ~80 traces and ~140 shapes at every choice. A graph whose size did not
     change is left as it is. */
  function skipNeedlessResizes() {
    var plots = window.Plotly && window.Plotly.Plots;
    if (!plots || plots._painmapResize) { return; }
    var resize = plots.resize;
    plots._painmapResize = true;
    plots.resize = function (gd) {
      var full = gd && gd._fullLayout;
      if (full && gd.clientWidth && Math.round(gd.clientWidth) === Math.round(full.width) &&
          Math.round(gd.clientHeight) === Math.round(full.height)) {
        return Promise.resolve(gd);
      }
      return resize.apply(this, arguments);
    };
  }

  /* Run ``then(gd)`` once the graph has drawn ``figure`` (dcc.Graph draws it asynchronously). */
  function whenDrawn(figure, then) {
    var waited = 0;
    function check() {
      var gd = graphDiv();
      var ready = gd && !gd.classList.contains("dash-graph--pending") && gd._fullLayout &&
        (!figure || gd.data === figure.data || (gd.layout && figure.layout && gd.layout.meta === figure.layout.meta) ||
         waited > 3000);
      if (ready) { then(gd); return; }
      waited += 50;
      if (waited > 10000) { return; }
      window.setTimeout(check, 50);
    }
    check();
  }

  /* ------------------------------------------------------------------ the step slider

     Under the picture, in the room the figure keeps for it under its legend (the embed's figure
     keeps none, and shows none): a range input, for the keys and screen readers, over the step
     numbers, which a click also takes the player to. Moving it goes to that step, as Next does.
     (plotly.js's own slider was a third of the redraw of a choice.) */
  function sliderBox() {
    return document.getElementById("step-slider");
  }

  /* Go to step i (within the route's steps), stopping any playback: Back, Next and the slider. */
  function jumpTo(i) {
    var gd = graphDiv();
    if (!gd || !frameCount(gd)) { return; }
    i = Math.max(0, Math.min(frameCount(gd) - 1, i));
    player.playing = false;
    player.run += 1;
    goTo(gd, i, 0);
    showStep(gd, i, true);
  }

  function drawSlider(gd, count, i) {
    var box = sliderBox();
    if (!box) { return; }
    var meta = metaOf(gd && gd.layout);
    var shown = count > 1 && meta.arrangement !== "embed";
    box.hidden = !shown;
    box.classList.toggle("tall", meta.arrangement === "tall");
    if (!shown) { return; }
    if (box._painmapCount !== count) {
      box._painmapCount = count;
      var input = document.createElement("input");
      input.type = "range";
      input.min = "0";
      input.max = String(count - 1);
      input.step = "1";
      input.setAttribute("aria-label", box.getAttribute("data-label") || "Step");
      input.addEventListener("input", function () { jumpTo(parseInt(input.value, 10)); });
      var numbers = document.createElement("div");
      numbers.className = "step-numbers";
      numbers.setAttribute("aria-hidden", "true");
      for (var k = 0; k < count; k++) {
        var number = document.createElement("span");
        number.textContent = String(k + 1);
        number.setAttribute("data-step", String(k));
        number.addEventListener("click", function (event) { jumpTo(parseInt(event.currentTarget.getAttribute("data-step"), 10)); });
        numbers.appendChild(number);
      }
      box.replaceChildren(input, numbers);
    }
    setSlider(i);
  }

  /* The slider shows step i. */
  function setSlider(i) {
    var box = sliderBox(), input = box && box.querySelector("input");
    if (!input) { return; }
    if (input.value !== String(i)) { input.value = String(i); }
    input.setAttribute("aria-valuetext", words("step", {number: i + 1, total: box._painmapCount}));
    box.querySelectorAll(".step-numbers span").forEach(function (number) {
      number.classList.toggle("current", number.getAttribute("data-step") === String(i));
    });
  }

  /* The figure on screen before the player saw one arrive (the page's first figure): its
     route and the step the server drew it at are the player's. */
  function adopt(gd) {
    if (player.route !== null || !gd || !gd.layout) { return; }
    player.route = metaOf(gd.layout).route || null;
    player.serverStep = serverStepOf(gd.layout);
    player.step = player.serverStep;
  }

  /* A new figure: the same route keeps the player's step, unless the server moved the step
     itself (a link or the back button); another route starts where the server drew it. */
  function newFigure(figure, pressed) {
    var layout = figure && figure.layout;
    var route = metaOf(layout).route || null;
    var serverStep = serverStepOf(layout);
    var frames = (figure && figure.frames) ? figure.frames.length : 0;
    var keep = serverStep;
    if (route && route === player.route && serverStep === player.serverStep && frames) {
      keep = Math.max(0, Math.min(player.step, frames - 1));
    }
    var wasPlaying = player.playing && route === player.route;
    /* A player button pressed while the server's answer was on its way: Dash held the press
       until the figure came, and reports both at once. The press applies to the new figure. */
    if (pressed === "step-forward" && frames) { keep = Math.min(frames - 1, keep + 1); }
    if (pressed === "step-back" && frames) { keep = Math.max(0, keep - 1); }
    if (pressed === "step-play") { wasPlaying = true; }
    if (pressed === "step-pause") { wasPlaying = false; }
    var newRoute = route !== player.route && player.figures > 0;  // a choice, not the page opening
    player.figures += 1;
    player.route = route;
    player.serverStep = serverStep;
    player.run += 1;
    player.playing = false;
    player.step = keep;
    var run = player.run;
    whenDrawn(figure, function (gd) {
      skipNeedlessResizes();
      bind(gd);
      wholeFrames(gd);
      setLanguage(gd);
      /* measured once the new figure is painted: reading a box's size now would force a
         layout of the page that is about to change again */
      window.requestAnimationFrame(function () {
        window.setTimeout(function () {
          if (newRoute && route) { showPictureOnPhone(); }
          relayOutIfMismeasured(gd);
        }, 0);
      });
      if (run !== player.run) { return; }  // the user has moved on meanwhile
      drawSlider(gd, frameCount(gd), keep);
      if (!frameCount(gd)) { return; }
      reveal(keep, 0);
      var moved = keep !== serverStep ? goTo(gd, keep, 0) : Promise.resolve(true);
      moved.then(function () {
        showStep(gd, keep, true);
        if (wasPlaying) { play(gd, currentSpeed(), figure); }
      });
    });
    return keep;
  }

  /* ------------------------------------------------------------------ page-wide */

  /* <html lang> follows the language the figure is drawn in (the server's choice: a language
     the dataset does not offer is English), not whatever the address asks for. */
  function setLanguage(gd) {
    var lang = metaOf((gd || graphDiv() || {}).layout).lang;
    if (typeof lang === "string" && /^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang) && document.documentElement.lang !== lang) {
      document.documentElement.lang = lang;
    }
  }

  /* The window's width for the page's layout. On a phone, content wider than the screen (a
     figure drawn for another width, for a moment) makes window.innerWidth grow to fit it: the
     page would then ask for a wide figure, which keeps it wide. The layout viewport
     (documentElement.clientWidth) stays the screen's width. */
  function windowWidth() {
    var layout = document.documentElement.clientWidth;
    return layout > 0 ? Math.min(window.innerWidth, layout) : window.innerWidth;
  }

  function viewport() {
    var box = document.getElementById("graph");
    return {width: windowWidth(), height: window.innerHeight, graph: box ? box.clientWidth : 0,
            embed: /\/embed\/?$/.test(window.location.pathname)};
  }

  var resizeTimer = null;
  var lastSize = null;
  function onResize() {
    if (resizeTimer) { window.clearTimeout(resizeTimer); }
    resizeTimer = window.setTimeout(function () {
      resizeTimer = null;
      var size = viewport();
      var key = size.width + "x" + size.graph;
      if (key === lastSize) { return; }
      lastSize = key;
      setProps("viewport", {data: size});
    }, RESIZE_MS);
  }

  /* The page measured the graph's box before its styles settled (a scroll bar came, a frame
     resized): a figure laid out for another width is asked for again at this one. */
  function relayOutIfMismeasured(gd) {
    var built = metaOf(gd && gd.layout).width;
    var box = document.getElementById("graph");
    if (typeof built === "number" && box && Math.abs(box.clientWidth - built) >= 40) { onResize(); }
  }

  function typing(target) {
    if (!target || !target.closest) { return false; }
    if (target.isContentEditable) { return true; }
    if (target.closest("input, textarea, select, [role=combobox], [role=listbox], [role=option], [role=menu], .dash-dropdown")) {
      return true;
    }
    return false;
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (key !== " " && key !== "Spacebar" && key !== "ArrowLeft" && key !== "ArrowRight") { return; }
    var target = event.target;
    if (typing(target)) { return; }
    var box = document.getElementById("player");
    if (!box || box.hidden || !frameCount(graphDiv())) { return; }
    var button;
    if (key === "ArrowLeft") { button = "step-back"; }
    else if (key === "ArrowRight") { button = "step-forward"; }
    else {
      /* Space on a button or a link activates it: leave it be. */
      if (target && target.closest && target.closest("button, a, summary")) { return; }
      button = player.playing ? "step-pause" : "step-play";
    }
    var element = document.getElementById(button);
    if (!element) { return; }
    event.preventDefault();
    element.click();
  }

  function start() {
    /* plotly.js arrives with the first graph (dcc.Graph loads it): wrap its resize then. */
    var waitForPlotly = window.setInterval(function () {
      if (window.Plotly && window.Plotly.Plots) { window.clearInterval(waitForPlotly); skipNeedlessResizes(); }
    }, 50);
    setLanguage();
    /* Dash's own page template wraps its scripts in a second <footer>: not a landmark. */
    document.querySelectorAll("body > footer").forEach(function (f) { f.setAttribute("role", "none"); });
    lastSize = null;
    window.addEventListener("resize", onResize);
    document.addEventListener("keydown", onKey);
    /* The still drawing redrawn (a new figure from the server, a resize): it shows the
       player's step, not the step the server drew it at. */
    document.addEventListener("painmap:stilldrawn", function () { reveal(player.step, 0); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }

  var dc = window.dash_clientside = window.dash_clientside || {};
  dc.painmap = {
    viewport: function () {
      var size = viewport();
      lastSize = size.width + "x" + size.graph;
      return size;
    },
    player: function (back, forward, playClicks, pause, speed, figure) {
      /* A server answer sets the figure and the controls (speed among them) at once: any
         trigger that is the figure makes this a new figure. */
      var triggered = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return (t && t.prop_id) || ""; });
      if (triggered.some(function (t) { return t.indexOf("graph.figure") === 0; })) {
        var pressed = triggered.map(function (t) { return t.split(".")[0]; }).filter(function (id) {
          return /^step-(back|forward|play|pause)$/.test(id);
        });
        return newFigure(figure, pressed.length ? pressed[pressed.length - 1] : "");
      }
      var trigger = triggered[0] || "";
      var gd = graphDiv();
      if (!gd) { return window.dash_clientside.no_update; }
      bind(gd);
      adopt(gd);
      var count = frameCount(gd);
      if (!count) { return window.dash_clientside.no_update; }
      var i = Math.max(0, Math.min(player.step, count - 1));
      if (trigger.indexOf("step-back") === 0 || trigger.indexOf("step-forward") === 0) {
        i = trigger.indexOf("step-back") === 0 ? i - 1 : i + 1;
        jumpTo(i);
        i = player.step;
      } else if (trigger.indexOf("step-play") === 0) {
        play(gd, speed, figure);
      } else if (trigger.indexOf("step-pause") === 0) {
        stop(gd).then(function () { showStep(gd, player.step, true); });
      }
      return i;
    }
  };
})();
