/* painmap: browser-side playback. Play, pause and stepping call Plotly.animate on the
   precomputed frames, so no request goes to the server while the animation runs. */
(function () {
  "use strict";

  function graphDiv() {
    return document.querySelector("#graph .js-plotly-plot");
  }

  function frameCount(gd) {
    return (gd && gd._transitionData && gd._transitionData._frames) ? gd._transitionData._frames.length : 0;
  }

  function currentStep(gd) {
    if (gd && typeof gd._painmapStep === "number") { return gd._painmapStep; }
    var slider = gd && gd.layout && gd.layout.sliders && gd.layout.sliders[0];
    return slider && typeof slider.active === "number" ? slider.active : 0;
  }

  /* Show step i's caption beside the figure and remember it in the address bar. */
  function showStep(gd, i) {
    gd._painmapStep = i;
    var items = document.querySelectorAll("#steps-list li");
    items.forEach(function (li) { li.classList.toggle("current", li.getAttribute("data-step") === String(i)); });
    var li = document.querySelector('#steps-list li[data-step="' + i + '"]');
    var caption = document.getElementById("step-caption");
    if (li && caption) { caption.textContent = li.textContent; }
    var params = new URLSearchParams(window.location.search);
    if (i > 0) { params.set("step", String(i)); } else { params.delete("step"); }
    var query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function bind(gd) {
    if (!gd || gd._painmapBound) { return; }
    gd._painmapBound = true;
    gd.on("plotly_animatingframe", function (event) {
      var i = parseInt(event.name, 10);
      if (!isNaN(i)) { showStep(gd, i); }
    });
    gd.on("plotly_sliderchange", function (event) {
      if (event && event.slider && typeof event.slider.active === "number") { showStep(gd, event.slider.active); }
    });
  }

  /* Playback timing at 1x (ms): the figure carries it in layout.meta.playback (the one
     timing, painmap.figures.style.FRAME_MS and TRANSITION_MS), so the page and the
     exports play at the same pace. A figure without it steps without waiting. */
  function timing(gd, figure) {
    var layouts = [figure && figure.layout, gd && gd.layout];
    for (var k = 0; k < layouts.length; k++) {
      var playback = layouts[k] && layouts[k].meta && layouts[k].meta.playback;
      if (playback && typeof playback.frame_ms === "number" && typeof playback.transition_ms === "number") {
        return playback;
      }
    }
    return {frame_ms: 0, transition_ms: 0};
  }

  function goTo(gd, i, duration) {
    Plotly.animate(gd, [String(i)], {
      mode: "immediate",
      frame: {duration: duration, redraw: false},
      transition: {duration: Math.min(duration, 300)}
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    painmap: {
      viewport: function () {
        var box = document.getElementById("graph");
        return {width: window.innerWidth, height: window.innerHeight, graph: box ? box.clientWidth : 0};
      },
      player: function (back, forward, play, pause, speed, figure) {
        var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
        var gd = graphDiv();
        if (!gd) { return window.dash_clientside.no_update; }
        bind(gd);
        var count = frameCount(gd);
        var pace = timing(gd, figure);
        var perFrame = pace.frame_ms / (speed || 1);
        var perTransition = pace.transition_ms / (speed || 1);
        if (trigger.indexOf("graph.figure") === 0) {
          /* A new figure: its base data already shows the step from the URL. */
          var slider = figure && figure.layout && figure.layout.sliders && figure.layout.sliders[0];
          gd._painmapStep = slider && typeof slider.active === "number" ? slider.active : 0;
          return gd._painmapStep;
        }
        if (!count) { return window.dash_clientside.no_update; }
        var i = currentStep(gd);
        if (trigger.indexOf("step-back") === 0) { i = Math.max(0, i - 1); goTo(gd, i, 0); showStep(gd, i); }
        else if (trigger.indexOf("step-forward") === 0) { i = Math.min(count - 1, i + 1); goTo(gd, i, 0); showStep(gd, i); }
        else if (trigger.indexOf("step-play") === 0) {
          var names = [];
          var start = (i >= count - 1) ? 0 : i;
          for (var k = start; k < count; k++) { names.push(String(k)); }
          Plotly.animate(gd, names, {
            mode: "immediate",
            frame: {duration: perFrame, redraw: false},
            transition: {duration: Math.min(perTransition, perFrame)}
          });
        } else if (trigger.indexOf("step-pause") === 0) {
          Plotly.animate(gd, [null], {mode: "immediate", frame: {duration: 0, redraw: false}, transition: {duration: 0}});
        }
        return i;
      }
    }
  });
})();
