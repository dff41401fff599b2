/* painmap: the route's still drawing, drawn by the page as plain SVG; and the graph that
   animates, placed in one panel over the scene's (see "the graph that animates" below).

   The route layer is two parts (painmap.app.page.split_layer): what the animation moves, a
   plotly graph (#graph), and what no step moves (the nerves, segments and zones the page
   reveals step by step, the labels, the panels' titles, the legend). Redrawn by plotly.js at
   each choice, that still part cost 80-170 ms of a click; drawn here it costs a few
   milliseconds. It arrives as a figure ({data, layout}) in a dcc.Store (painmap.app.ids.
   STILL_FIGURE) and is drawn into #graph-still, over the scene's panels: the scene graph
   (#graph-scene, same size and panels) gives each panel's place on the screen.

   What is drawn is what the route layer uses of plotly's scatter (a unit test holds the layer
   to it: test_the_still_layer_asks_only_for_what_the_page_draws): lines (solid, dash, longdash, dot; straight or
   spline), closed fills (with a hatch pattern), markers (circle, square, diamond, triangle-up,
   star; a size, opacity and colour per point), text (<b> and <br>; a position, colour and
   size per point; the white halo), per-trace opacity, annotations and a horizontal legend,
   placed as plotly.js places them. Each trace is one <g class="trace" data-trace="i">: the
   page's reveal sets its opacity (assets/painmap.js).

   Elements are made with createElementNS and text with text nodes: no markup is parsed, so a
   dataset's words cannot inject any. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var LINE_SPACING = 1.3;          // plotly.js: a line of text is 1.3 em
  var LEGEND_GAP = 5;              // plotly.js legend: the gap around an item
  var LEGEND_SYMBOL = 40;          // plotly.js legend: the symbol's width before its text
  var ANNOTATION_PAD = 2;          // plotly.js annotation: border pad and border width
  var ENTITIES = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0"};

  function make(name, attributes, parent) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes || {}).forEach(function (key) {
      var value = attributes[key];
      if (value !== null && value !== undefined && value !== "") { element.setAttribute(key, String(value)); }
    });
    if (parent) { parent.appendChild(element); }
    return element;
  }

  function box() { return document.getElementById("graph-still"); }
  function sceneGraph() { return document.querySelector("#graph-scene .js-plotly-plot"); }

  function isObject(value) { return !!value && typeof value === "object" && !Array.isArray(value); }

  /* ``value`` over ``defaults``, dict by dict (the layer's template says what a trace leaves out). */
  function withDefaults(value, defaults) {
    if (!isObject(defaults)) { return value === undefined ? defaults : value; }
    if (value !== undefined && !isObject(value)) { return value; }
    var out = {};
    Object.keys(defaults).forEach(function (k) { out[k] = withDefaults(value ? value[k] : undefined, defaults[k]); });
    Object.keys(value || {}).forEach(function (k) { if (!(k in out)) { out[k] = value[k]; } });
    return out;
  }

  function templateTrace(layout) {
    var found = layout && layout.template && layout.template.data && layout.template.data.scatter;
    return Array.isArray(found) && isObject(found[0]) ? found[0] : {};
  }

  function at(value, i) { return Array.isArray(value) ? value[i] : value; }
  function finite(v) { return typeof v === "number" && isFinite(v); }
  function round2(v) { return Math.round(v * 100) / 100; }

  /* ------------------------------------------------------------------ where things go */

  /* data -> screen for the panel of axes ``ref`` ("x", "x2", ...), from the scene as drawn. */
  function axisScale(full, ref, letter) {
    var axis = full[letter + "axis" + String(ref || letter).slice(1)];
    if (!axis || !Array.isArray(axis.range) || !finite(axis._offset) || !finite(axis._length)) { return null; }
    var r0 = Number(axis.range[0]), r1 = Number(axis.range[1]);
    if (!finite(r0) || !finite(r1) || r0 === r1) { return null; }
    var scale = axis._length / (r1 - r0);
    var scaled = letter === "x"
      ? function (v) { return axis._offset + (v - r0) * scale; }
      : function (v) { return axis._offset + (r1 - v) * scale; };
    scaled.low = Math.min(r0, r1);
    scaled.high = Math.max(r0, r1);
    scaled.offset = axis._offset;
    scaled.span = axis._length;
    return scaled;
  }

  function paperScale(size, letter) {
    return letter === "x"
      ? function (v) { return size.l + v * size.w; }
      : function (v) { return size.t + (1 - v) * size.h; };
  }

  /* ------------------------------------------------------------------ paths */

  function straight(points, closed) {
    return "M" + points.map(function (p) { return round2(p[0]) + "," + round2(p[1]); }).join("L") + (closed ? "Z" : "");
  }

  /* The tangents of a centripetal Catmull-Rom spline through p (as plotly.js smooths a line). */
  function tangent(previous, point, next, smoothing) {
    var d1x = previous[0] - point[0], d1y = previous[1] - point[1];
    var d2x = next[0] - point[0], d2y = next[1] - point[1];
    var d1a = Math.pow(d1x * d1x + d1y * d1y, 0.25), d2a = Math.pow(d2x * d2x + d2y * d2y, 0.25);
    var numx = (d2a * d2a * d1x - d1a * d1a * d2x) * smoothing;
    var numy = (d2a * d2a * d1y - d1a * d1a * d2y) * smoothing;
    var denom1 = 3 * d2a * (d1a + d2a), denom2 = 3 * d1a * (d1a + d2a);
    return [
      [round2(point[0] + (denom1 && numx / denom1)), round2(point[1] + (denom1 && numy / denom1))],
      [round2(point[0] - (denom2 && numx / denom2)), round2(point[1] - (denom2 && numy / denom2))]
    ];
  }

  function smooth(points, smoothing, closed) {
    var n = points.length;
    if (n < 3) { return straight(points, closed); }
    var path = "M" + points[0], tangents = [], i;
    if (!closed) {
      for (i = 1; i < n - 1; i++) { tangents.push(tangent(points[i - 1], points[i], points[i + 1], smoothing)); }
      path += "Q" + tangents[0][0] + " " + points[1];
      for (i = 2; i < n - 1; i++) { path += "C" + tangents[i - 2][1] + " " + tangents[i - 1][0] + " " + points[i]; }
      return path + "Q" + tangents[n - 3][1] + " " + points[n - 1];
    }
    for (i = 0; i < n; i++) { tangents.push(tangent(points[(i + n - 1) % n], points[i], points[(i + 1) % n], smoothing)); }
    for (i = 1; i < n; i++) { path += "C" + tangents[i - 1][1] + " " + tangents[i][0] + " " + points[i]; }
    return path + "C" + tangents[n - 1][1] + " " + tangents[0][0] + " " + points[0] + "Z";
  }

  /* The trace's points on screen, split where a point is missing (a gap in the line). */
  function segments(trace, sx, sy) {
    var xs = trace.x || [], ys = trace.y || [], out = [], current = [];
    for (var i = 0; i < xs.length; i++) {
      var x = xs[i], y = ys[i];
      if (finite(x) && finite(y)) { current.push([round2(sx(x)), round2(sy(y))]); }
      else if (current.length) { out.push(current); current = []; }
    }
    if (current.length) { out.push(current); }
    return out;
  }

  function linePath(trace, parts, closed) {
    var spline = trace.line && trace.line.shape === "spline";
    var smoothing = trace.line && finite(trace.line.smoothing) ? trace.line.smoothing : 1;
    return parts.filter(function (p) { return p.length > 1; }).map(function (p) {
      return spline ? smooth(p, smoothing, closed) : straight(p, closed);
    }).join("");
  }

  /* plotly.js's dash patterns, scaled by the line's width. */
  function dashArray(dash, width) {
    var w = Math.max(width || 1, 3);
    var made = {dot: [w, w], dash: [3 * w, 3 * w], longdash: [5 * w, 5 * w], dashdot: [3 * w, w, w, w], longdashdot: [5 * w, 2 * w, w, 2 * w]};
    if (made[dash]) { return made[dash].map(function (v) { return v + "px"; }).join(","); }
    return dash && dash !== "solid" ? String(dash) : "";
  }

  /* A marker's outline for a size (its diameter in px), as plotly.js draws each symbol. */
  function symbolPath(symbol, size) {
    var r = size / 2, d;
    switch (String(symbol || "circle").replace(/-open|-dot/g, "")) {
      case "square":
        d = round2(r);
        return "M" + d + "," + d + "H-" + d + "V-" + d + "H" + d + "Z";
      case "diamond":
        d = round2(r * 1.3);
        return "M" + d + ",0L0," + d + "L-" + d + ",0L0,-" + d + "Z";
      case "triangle-up":
        var t = round2(r * 2 / Math.sqrt(3)), half = round2(r / 2);
        return "M-" + t + "," + half + "H" + t + "L0,-" + round2(r) + "Z";
      case "star":
        var s = r * 1.4, p = function (k) { return round2(s * k); };
        return "M" + p(0.225) + "," + p(-0.309) + "H" + p(0.951) + "L" + p(0.363) + "," + p(0.118) + "L" + p(0.588) + "," + p(0.809) +
          "L0," + p(0.382) + "L-" + p(0.588) + "," + p(0.809) + "L-" + p(0.363) + "," + p(0.118) + "L-" + p(0.951) + "," + p(-0.309) +
          "H-" + p(0.225) + "L0," + p(-1) + "Z";
      default:
        d = round2(r);
        return "M" + d + ",0A" + d + "," + d + " 0 1,1 0,-" + d + "A" + d + "," + d + " 0 0,1 " + d + ",0Z";
    }
  }

  /* ------------------------------------------------------------------ text */

  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (all, name) {
      if (name[0] === "#") {
        var code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
      }
      return ENTITIES[name.toLowerCase()] || all;
    });
  }

  /* ``text`` (plotly's little HTML: <b>, <i>, <br>) as lines of [words, bold, italic] runs;
     a <b> goes on over a <br>. */
  function textLines(text) {
    var lines = [[]], bold = false, italic = false;
    String(text).split(/(<\/?[a-z]+[^>]*>)/i).forEach(function (part) {
      var tag = /^<(\/?)([a-z]+)/i.exec(part);
      if (!tag) {
        if (part) { lines[lines.length - 1].push([decode(part), bold, italic]); }
        return;
      }
      var on = tag[1] !== "/", name = tag[2].toLowerCase();
      if (name === "br") { lines.push([]); } else if (name === "b") { bold = on; } else if (name === "i") { italic = on; }
    });
    return lines;
  }

  /* A <text> of one or more lines at (x, y), the first line's baseline at y. */
  function textElement(text, x, y, anchor, font, parent, className) {
    var style = "font-family: " + font.family + "; font-size: " + font.size + "px; fill: " + font.color + "; white-space: pre;" +
      (font.shadow ? " text-shadow: " + font.shadow + ";" : "");
    var element = make("text", {x: round2(x), y: round2(y), "text-anchor": anchor, style: style, "class": className}, parent);
    var lines = textLines(text);
    lines.forEach(function (runs, k) {
      var line = lines.length > 1 ? make("tspan", {"class": "line", x: round2(x), dy: k ? LINE_SPACING + "em" : "0em"}, element) : element;
      runs.forEach(function (run) {
        if (!run[1] && !run[2]) { line.appendChild(document.createTextNode(run[0])); return; }
        var styled = make("tspan", {style: (run[1] ? "font-weight: bold;" : "") + (run[2] ? " font-style: italic;" : "")}, line);
        styled.appendChild(document.createTextNode(run[0]));
      });
    });
    return {element: element, lines: lines.length};
  }

  /* ------------------------------------------------------------------ one trace */

  function drawTrace(trace, index, scene, parent, defs, clipIds) {
    var full = scene._fullLayout;
    var sx = axisScale(full, trace.xaxis || "x", "x"), sy = axisScale(full, trace.yaxis || "y", "y");
    var group = make("g", {"class": "trace", "data-trace": index}, parent);
    var opacity = finite(trace.opacity) ? trace.opacity : 1;
    if (opacity !== 1) { group.style.opacity = String(opacity); }
    if (!sx || !sy || trace.visible === false || trace.visible === "legendonly") { return group; }
    var clip = clipIds(trace.xaxis || "x", trace.yaxis || "y", sx, sy);
    var mode = String(trace.mode || "lines");
    var parts = segments(trace, sx, sy);

    if (trace.fill === "toself" && parts.length) {
      var area = linePath(trace, parts, true);
      make("path", {"class": "fill", d: area, fill: trace.fillcolor || "rgba(0,0,0,0)", stroke: "none", "clip-path": clip}, group);
      var pattern = hatch(trace.fillpattern, defs);
      if (pattern) { make("path", {"class": "fill pattern", d: area, fill: pattern, stroke: "none", "clip-path": clip}, group); }
    }
    var line = trace.line || {};
    if (mode.indexOf("lines") >= 0 && finite(line.width) && line.width > 0 && parts.length) {
      make("path", {
        "class": "line", d: linePath(trace, parts, false), fill: "none", stroke: line.color || "#444",
        "stroke-width": line.width, "stroke-dasharray": dashArray(line.dash, line.width), "clip-path": clip
      }, group);
    }
    var marker = trace.marker || {};
    var inside = function (i) {
      var x = trace.x[i], y = trace.y[i];
      return finite(x) && finite(y) && x >= sx.low && x <= sx.high && y >= sy.low && y <= sy.high;
    };
    var xs = trace.x || [];
    if (mode.indexOf("markers") >= 0) {
      var points = make("g", {"class": "points", "clip-path": trace.cliponaxis === false ? null : clip}, group);
      var outline = marker.line || {};
      /* plotly.js draws markers of per-point sizes ("bubbles") at 0.7 opacity unless told */
      var markerOpacity = marker.opacity !== undefined ? marker.opacity : Array.isArray(marker.size) ? 0.7 : 1;
      for (var i = 0; i < xs.length; i++) {
        var size = finite(at(marker.size, i)) ? at(marker.size, i) : 6;
        if (size <= 0 || !inside(i)) { continue; }
        var pointOpacity = at(markerOpacity, i);
        make("path", {
          "class": "point", d: symbolPath(at(marker.symbol, i), size),
          transform: "translate(" + round2(sx(xs[i])) + "," + round2(sy(trace.y[i])) + ")",
          fill: at(marker.color, i) || "#444", opacity: finite(pointOpacity) && pointOpacity !== 1 ? pointOpacity : null,
          stroke: finite(at(outline.width, i)) && at(outline.width, i) > 0 ? (at(outline.color, i) || "#444") : null,
          "stroke-width": finite(at(outline.width, i)) && at(outline.width, i) > 0 ? at(outline.width, i) : null
        }, points);
      }
    }
    if (mode.indexOf("text") >= 0 && trace.text !== undefined) {
      var texts = make("g", {"class": "texts", "clip-path": trace.cliponaxis === false ? null : clip}, group);
      var textfont = trace.textfont || {};
      for (var j = 0; j < xs.length; j++) {
        var words = at(trace.text, j);
        if (words === null || words === undefined || words === "" || !inside(j)) { continue; }
        var font = {
          family: at(textfont.family, j) || full.font.family, size: at(textfont.size, j) || full.font.size,
          color: at(textfont.color, j) || full.font.color, shadow: at(textfont.shadow, j)
        };
        var radius = mode.indexOf("markers") >= 0 ? (finite(at(marker.size, j)) ? at(marker.size, j) : 6) / 2 : 0;
        placePointText(String(words), at(trace.textposition, j) || "middle center", sx(xs[j]), sy(trace.y[j]), font, radius, texts);
      }
    }
    return group;
  }

  /* A point's text where plotly.js puts it for ``position`` ("middle left", "top center", ...). */
  function placePointText(words, position, x, y, font, markerRadius, parent) {
    var v = position.indexOf("top") >= 0 ? -1 : position.indexOf("bottom") >= 0 ? 1 : 0;
    var h = position.indexOf("left") >= 0 ? -1 : position.indexOf("right") >= 0 ? 1 : 0;
    var r = markerRadius ? markerRadius / 0.8 + 1 : 0;
    var count = textLines(words).length;
    var numLines = (count - 1) * LINE_SPACING + 1;
    var dy = font.size * 0.75 + v * r + (v - 1) * numLines * font.size / 2;
    var holder = make("g", {"class": "textpoint", transform: "translate(" + round2(h * r) + "," + round2(dy) + ")"}, parent);
    textElement(words, x, y, h < 0 ? "end" : h > 0 ? "start" : "middle", font, holder);
  }

  /* A fill pattern's <pattern> (plotly's "/" hatch; other shapes draw as it), its url. */
  function hatch(pattern, defs) {
    if (!isObject(pattern) || !pattern.shape) { return null; }
    var size = finite(pattern.size) ? pattern.size : 8, solidity = finite(pattern.solidity) ? pattern.solidity : 0.3;
    var id = "still-hatch-" + [pattern.fgcolor, size, solidity].join("-").replace(/[^a-z0-9-]/gi, "");
    if (!defs.querySelector("#" + id)) {
      var made = make("pattern", {id: id, patternUnits: "userSpaceOnUse", width: size, height: size}, defs);
      make("path", {
        d: "M-1," + (size + 1) + "L" + (size + 1) + ",-1M-1,1L1,-1M" + (size - 1) + "," + (size + 1) + "L" + (size + 1) + "," + (size - 1),
        stroke: pattern.fgcolor || "#444", "stroke-width": Math.max(0.5, size * solidity * 0.7), fill: "none"
      }, made);
    }
    return "url(#" + id + ")";
  }

  /* ------------------------------------------------------------------ annotations, legend */

  function anchorOf(value, ref, position, names) {
    if (value && value !== "auto") { return value; }
    if (ref !== "paper") { return names[1]; }
    return position <= 1 / 3 ? names[0] : position >= 2 / 3 ? names[2] : names[1];
  }

  function drawAnnotation(note, full, parent) {
    if (!isObject(note) || note.visible === false || note.text === undefined || note.text === null || note.text === "") { return; }
    var xref = note.xref || "x", yref = note.yref || "y";
    var sx = xref === "paper" ? paperScale(full._size, "x") : axisScale(full, xref, "x");
    var sy = yref === "paper" ? paperScale(full._size, "y") : axisScale(full, yref, "y");
    if (!sx || !sy || !finite(note.x) || !finite(note.y)) { return; }
    var font = {
      family: (note.font && note.font.family) || full.font.family, size: (note.font && note.font.size) || full.font.size,
      color: (note.font && note.font.color) || full.font.color
    };
    var x = sx(note.x), y = sy(note.y);
    var xanchor = anchorOf(note.xanchor, xref, note.x, ["left", "center", "right"]);
    var yanchor = anchorOf(note.yanchor, yref, note.y, ["bottom", "middle", "top"]);
    var count = textLines(note.text).length;
    var height = (count - 1) * LINE_SPACING * font.size + font.size + 3 * ANNOTATION_PAD;
    var top = yanchor === "bottom" ? y - height : yanchor === "top" ? y : y - height / 2;
    var tx = xanchor === "left" ? x + ANNOTATION_PAD : xanchor === "right" ? x - ANNOTATION_PAD : x;
    var group = make("g", {"class": "annotation"}, parent);
    if (finite(note.textangle) && note.textangle) {
      group.setAttribute("transform", "rotate(" + note.textangle + "," + round2(x) + "," + round2(top + height / 2) + ")");
    }
    textElement(note.text, tx, top + font.size + 1, xanchor === "left" ? "start" : xanchor === "right" ? "end" : "middle", font, group, "annotation-text");
  }

  /* The legend: one column per legend group (here one entry each), left to right and wrapped
     to the plot's width, as plotly.js lays out a horizontal legend of grouped entries. */
  function drawLegend(data, layout, full, parent) {
    var legend = layout.legend || {};
    if (layout.showlegend === false) { return; }
    var entries = data.filter(function (t) { return t && t.showlegend === true && t.visible !== false; });
    if (!entries.length) { return; }
    var size = full._size;
    var font = {
      family: (legend.font && legend.font.family) || full.font.family, size: (legend.font && legend.font.size) || full.font.size,
      color: (legend.font && legend.font.color) || full.font.color
    };
    var itemHeight = Math.max(font.size * LINE_SPACING, 16) + 3;
    var entryWidth = finite(legend.entrywidth) && legend.entrywidthmode !== "fraction" ? legend.entrywidth : 150;
    var step = LEGEND_SYMBOL + entryWidth + LEGEND_GAP;
    var gap = finite(legend.tracegroupgap) ? legend.tracegroupgap : 10;
    var lx = size.l + (finite(legend.x) ? legend.x : 0) * size.w;
    var ly = size.t + (1 - (finite(legend.y) ? legend.y : 1)) * size.h;
    var group = make("g", {"class": "legend", transform: "translate(" + round2(lx) + "," + round2(ly) + ")"}, parent);
    var column = 0, row = 0;
    entries.forEach(function (trace) {
      if (column > 0 && column * step + step > size.w) { column = 0; row += 1; }
      var item = make("g", {
        "class": "traces", transform: "translate(" + column * step + "," + round2(row * (itemHeight + gap) + LEGEND_GAP + itemHeight / 2) + ")"
      }, group);
      var mode = String(trace.mode || "lines"), line = trace.line || {}, marker = trace.marker || {};
      if (mode.indexOf("lines") >= 0 && finite(line.width) && line.width > 0) {
        make("path", {
          "class": "js-line", d: "M5,0h30", fill: "none", stroke: line.color || "#444", "stroke-width": Math.min(line.width, 5),
          "stroke-dasharray": dashArray(line.dash, Math.min(line.width, 5))
        }, item);
      }
      if (mode.indexOf("markers") >= 0) {
        var markerSize = Math.min(finite(at(marker.size, 0)) ? at(marker.size, 0) : 6, 16);
        make("path", {
          "class": "scatterpts", d: symbolPath(at(marker.symbol, 0), markerSize), transform: "translate(20,0)",
          fill: at(marker.color, 0) || "#444"
        }, item);
      }
      textElement(String(trace.name || ""), LEGEND_SYMBOL, round2(font.size * LINE_SPACING * 0.3), "start", font, item, "legendtext");
      column += 1;
    });
  }

  /* ------------------------------------------------------------------ the drawing */

  /* Draw the figure held on #graph-still over the scene as drawn now; false when either is
     missing (it is drawn again when the scene is). */
  /* Drawings kept by figure and panels' places: a route seen before (the organ chosen again, a
     step back through a comparison) is put back, not drawn again. */
  var DRAWINGS_KEPT = 24;
  var drawings = new Map();

  function placesKey(full) {
    var key = [full.width, full.height];
    Object.keys(full).sort().forEach(function (k) {
      if (/^[xy]axis[0-9]*$/.test(k) && full[k]) { key.push(k, full[k]._offset, full[k]._length, full[k].range); }
    });
    return JSON.stringify(key);
  }

  function draw() {
    var holder = box(), scene = sceneGraph(), figure = holder && holder.painmapFigure;
    if (!holder || !figure || !scene || !scene._fullLayout || !scene._fullLayout._size) { return false; }
    var full = scene._fullLayout, layout = isObject(figure.layout) ? figure.layout : {};
    var key = holder._painmapFigureText ? holder._painmapFigureText + "|" + placesKey(full) : "";
    var svg = key ? drawings.get(key) : null;
    if (svg) { drawings.delete(key); } else { svg = drawing(figure, layout, scene); }
    if (key) {
      drawings.set(key, svg);
      while (drawings.size > DRAWINGS_KEPT) { drawings.delete(drawings.keys().next().value); }
    }
    var old = holder.querySelector("svg.still-layer");
    if (old !== svg) { if (old) { holder.replaceChild(svg, old); } else { holder.appendChild(svg); } }
    holder.painmapDrawn = figure;
    holder.dispatchEvent(new CustomEvent("painmap:stilldrawn", {bubbles: true, detail: {route: (layout.meta || {}).route}}));
    return true;
  }

  /* The still figure drawn as a new <svg> over the scene graph ``scene``, as drawn. */
  function drawing(figure, layout, scene) {
    var full = scene._fullLayout, defaults = templateTrace(layout);
    var svg = make("svg", {"class": "still-layer", width: full.width, height: full.height, role: "presentation"});
    svg.style.position = "absolute";
    svg.style.top = "0";
    svg.style.left = "0";
    var defs = make("defs", {}, svg);
    var clips = {};
    function clipIds(xref, yref, sx, sy) {
      var key = "still-clip-" + xref + yref;
      if (!clips[key]) {
        var path = make("clipPath", {id: key}, defs);
        make("rect", {x: round2(sx.offset), y: round2(sy.offset), width: round2(sx.span), height: round2(sy.span)}, path);
        clips[key] = "url(#" + key + ")";
      }
      return clips[key];
    }
    var panels = make("g", {"class": "traces-layer"}, svg);
    var data = Array.isArray(figure.data) ? figure.data : [];
    data.forEach(function (trace, i) {
      drawTrace(withDefaults(isObject(trace) ? trace : {}, defaults), i, scene, panels, defs, clipIds);
    });
    var notes = make("g", {"class": "annotations"}, svg);
    (Array.isArray(layout.annotations) ? layout.annotations : []).forEach(function (note) { drawAnnotation(note, full, notes); });
    drawLegend(data, layout, full, svg);
    return svg;
  }

  /* ------------------------------------------------------------------ the graph that animates

     The server builds it over the scene's panels, an axis pair each. plotly.js lays out, clips
     and redraws every panel of a graph at each choice, with or without anything in it: the six
     hidden panels were about half of redrawing the few traces that move. So the page draws it
     in one panel over the whole plot area, in the scene's pixels, each point where the scene
     drew its own panel: only the scene as drawn knows where (plotly's scaleanchor narrows a
     panel when the graph is wider than the server built it for). The server's answer is placed
     before Dash applies it (Dash's request_post hook): Dash then draws the placed figure, whole.
     A figure this cannot place (a shape; an axis neither the scene nor the figure places; the
     scene not drawn yet) goes as the server made it, and is placed once the scene is drawn. */
  var AXIS_KEY = /^[xy]axis[0-9]*$/;
  /* The server's figure, as it made it, and the key of the panels' places it was last placed by. */
  var serverMoving = null, movingKey = null, movingGraph = "graph";

  /* data -> screen for a panel the scene does not draw (the caption's: nothing of the scene is
     in it), from the figure's own axis: the place its domain gives it, which plotly.js keeps
     for a panel with no scaleanchor. */
  function ownScale(layout, ref, letter, size) {
    var name = letter + "axis" + String(ref || letter).slice(1), axis = layout[name];
    if (!isObject(axis) || axis.scaleanchor || (axis.type && axis.type !== "linear")) { return null; }
    var domain = Array.isArray(axis.domain) ? axis.domain : [0, 1];
    var d0 = Number(domain[0]), d1 = Number(domain[1]);
    if (!finite(d0) || !finite(d1)) { return null; }
    var placed = {};
    placed[name] = letter === "x"
      ? {_offset: size.l + d0 * size.w, _length: (d1 - d0) * size.w, range: axis.range}
      : {_offset: size.t + (1 - d1) * size.h, _length: (d1 - d0) * size.h, range: axis.range};
    return axisScale(placed, ref, letter);
  }

  /* {figure, key}: ``figure`` in one panel over the scene ``full`` (its _fullLayout), and the
     key of the panels' places it was placed by; null when it cannot be. */
  function onePanel(figure, full) {
    var size = full && full._size, layout = isObject(figure.layout) ? figure.layout : {};
    if (!size || (Array.isArray(layout.shapes) && layout.shapes.length)) { return null; }
    var data = Array.isArray(figure.data) ? figure.data : [];
    var scales = {}, key = [size.l, size.t, size.w, size.h];
    function scaleOf(ref, letter) {
      if (!(ref in scales)) {
        scales[ref] = axisScale(full, ref, letter) || ownScale(layout, ref, letter, size);
        if (scales[ref]) { key.push(ref, scales[ref].offset, scales[ref].span, scales[ref].low, scales[ref].high); }
      }
      return scales[ref];
    }
    var axes = [];
    for (var i = 0; i < data.length; i++) {
      var trace = isObject(data[i]) ? data[i] : {};
      var pair = [scaleOf(String(trace.xaxis || "x"), "x"), scaleOf(String(trace.yaxis || "y"), "y")];
      if (!pair[0] || !pair[1]) { return null; }
      axes.push(pair);
    }
    function place(values, scale, origin) {
      return values.map(function (v) { return finite(v) ? round2(scale(v) - origin) : v; });
    }
    function moved(entry, pair, whole) {
      if (!isObject(entry) || !pair) { return entry; }
      var out = Object.assign({}, entry);
      if (Array.isArray(entry.x)) { out.x = place(entry.x, pair[0], size.l); }
      if (Array.isArray(entry.y)) { out.y = place(entry.y, pair[1], size.t); }
      if (whole) { out.xaxis = "x"; out.yaxis = "y"; }
      return out;
    }
    var panel = {visible: false, fixedrange: true, domain: [0, 1]};
    var flat = {};
    Object.keys(layout).forEach(function (k) { if (!AXIS_KEY.test(k)) { flat[k] = layout[k]; } });
    flat.xaxis = Object.assign({}, panel, {range: [0, size.w], anchor: "y"});
    flat.yaxis = Object.assign({}, panel, {range: [size.h, 0], anchor: "x"});
    var frames = (Array.isArray(figure.frames) ? figure.frames : []).map(function (frame) {
      if (!isObject(frame) || !Array.isArray(frame.data)) { return frame; }
      var traces = Array.isArray(frame.traces) ? frame.traces : [];
      return Object.assign({}, frame, {data: frame.data.map(function (entry, j) { return moved(entry, axes[traces[j]], false); })});
    });
    return {
      figure: {data: data.map(function (t, i) { return moved(t, axes[i], true); }), layout: flat, frames: frames},
      key: JSON.stringify(key)
    };
  }

  /* The server's figure placed over the scene as drawn now; null while it cannot be. */
  function placedMoving() {
    var scene = sceneGraph();
    if (!isObject(serverMoving) || !scene || !scene._fullLayout) { return null; }
    return onePanel(serverMoving, scene._fullLayout);
  }

  /* The scene drawn again (a new size, language or anatomy), or for the first time: the graph
     that animates follows its panels (through Dash, as an answer would: the player hears of it). */
  function followMoving() {
    var placed = placedMoving();
    if (!placed || placed.key === movingKey) { return; }
    movingKey = placed.key;
    if (typeof dc.set_props === "function") { dc.set_props(movingGraph, {figure: placed.figure}); }
  }

  /* Dash's request_post hook: the server's figure for the graph that animates (whole, or a Patch
     of the one before) is kept as the server made it, and the answer given it placed, whole. */
  function movingAnswered(graph, response) {
    var entry = isObject(response) ? response[graph] : null;
    if (!isObject(entry) || !("figure" in entry)) { return; }
    movingGraph = graph;
    var value = entry.figure, patch = dc.panels && dc.panels.isPatch(value);
    var whole = patch ? (isObject(serverMoving) ? dc.panels.patched(serverMoving, value) : undefined) : value;
    serverMoving = isObject(whole) ? whole : null;
    movingKey = null;
    var placed = placedMoving();
    if (placed) {
      movingKey = placed.key;
      entry.figure = placed.figure;
    } else if (patch && isObject(whole)) {
      entry.figure = whole;  // the graph shows a placed figure: the Patch is of the server's
    }
  }

  function sceneDrawn() {
    draw();
    followMoving();
  }

  /* The scene redrawn (a new size, language or anatomy) moves every panel: draw again. */
  function followScene() {
    var scene = sceneGraph();
    if (!scene || scene._painmapStillBound || typeof scene.on !== "function") { return !!(scene && scene._painmapStillBound); }
    scene._painmapStillBound = true;
    scene.on("plotly_afterplot", sceneDrawn);
    return true;
  }

  function whenSceneReady(tries) {
    if (followScene() && draw()) { return; }
    if (tries > 0) { window.requestAnimationFrame(function () { whenSceneReady(tries - 1); }); }
  }

  /* Hold ``figure`` and draw it (not again when it is the one drawn already). */
  function show(figure) {
    var holder = box();
    if (!holder) { return; }
    var text = isObject(figure) ? JSON.stringify(figure) : "";
    if (text && text === holder._painmapFigureText && holder.querySelector("svg.still-layer")) { return; }
    holder._painmapFigureText = text;
    holder.painmapFigure = text ? figure : null;
    whenSceneReady(600);
  }

  var dc = window.dash_clientside = window.dash_clientside || {};
  dc.still = {
    /* The clientside callback on the still figure's store (the page's first figure, and any
       the early draw below could not make). */
    show: show,
    /* Dash's request_post hook, on every answer: the graph that animates placed (see onePanel). */
    movingAnswered: movingAnswered,
    /* Dash's request_post hook: the still drawing is drawn as soon as the server's answer is
       back, before Dash redraws the graph that animates (as the text panels are: panels.js). */
    answered: function (store, payload, response) {
      var panels = dc.panels, holder = box();
      if (!panels || !holder || !panels.isLatest(payload)) { return; }
      var figure = panels.valueIn(response, store, holder.painmapFigure);
      if (isObject(figure)) { show(figure); }
    }
  };
})();
