(function () {
  "use strict";
  var data = @@DATA@@;
  var $ = function (id) { return document.getElementById(id); };
  var byId = {}, nodeHidden = {}, edgeHidden = {}, classOn = {}, predOn = {}, showObservations = false;
  var status = $("status"), findBox = $("find"), matchList = $("matches"), hits = $("hits");
  var panel = $("panel"), panelBody = $("panel-body");
  var degree = {}, links = {};  // relation edges per node, for the panel and the unconnected rule
  // details go to the side panel (a bottom sheet on a phone); the hover tooltip is one short line
  data.nodes.forEach(function (n) {
    byId[n.id] = n; nodeHidden[n.id] = !!n.hidden; classOn[n.cls] = true; links[n.id] = [];
    n.info = n.title; n.title = n.of ? undefined : n.label + " · " + (data.classNames[n.cls] || n.cls);
  });
  data.edges.forEach(function (e) {
    edgeHidden[e.id] = !!e.hidden; predOn[e.pred] = true; e.info = e.title;
    if (e.obs) { e.title = undefined; return; }
    e.title = byId[e.from].label + " → " + (data.predNames[e.pred] || e.pred) + " → " + byId[e.to].label;
    links[e.from].push(e); links[e.to].push(e);
    degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1;
  });

  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  // the data goes in after the listeners, so not even a layout done at once can be missed
  var network = new vis.Network($("graph"), {}, data.options);
  window.kgNetwork = network; window.kgNodes = nodes; window.kgEdges = edges; window.kgReady = false;
  var physicsBox = $("physics"), started = Date.now();

  function ready() {
    if (window.kgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    physicsBox.checked = false;
    network.fit({animation: false});
    if (data.focus !== null && network.getScale() < data.minScale) {
      // labels stay readable: zoom to at least minScale around the most connected node
      network.moveTo({position: network.getPosition(data.focus), scale: data.minScale, animation: false});
    }
    status.textContent = "";
    window.kgReady = true;
  }
  network.on("stabilizationProgress", function (p) {
    if (Date.now() - started > data.layoutMs) { network.stopSimulation(); }  // the page must stay usable
    status.textContent = "布局中 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  network.setData({nodes: nodes, edges: edges});
  if (!data.nodes.some(function (n) { return !n.hidden; })) { ready(); }

  // ------------------------------------------------------------------ filters
  var years = data.years, yearFrom = $("year-from"), yearTo = $("year-to"), confidence = $("confidence");
  years.forEach(function (y) {
    [yearFrom, yearTo].forEach(function (box) { var o = document.createElement("option"); o.value = o.textContent = y; box.appendChild(o); });
  });
  if (years.length < 2) { $("years").hidden = true; } else { yearTo.value = years[years.length - 1]; }
  var isolatedBox = $("isolated");

  function filtering() {
    return Object.keys(classOn).some(function (c) { return !classOn[c]; }) ||
      Object.keys(predOn).some(function (p) { return !predOn[p]; }) ||
      Number(confidence.value) > 0 || (years.length > 1 && (yearFrom.value != years[0] || yearTo.value != years[years.length - 1]));
  }
  function inYears(list) {
    if (years.length < 2 || !list) { return true; }
    var a = Number(yearFrom.value), b = Number(yearTo.value);
    return list.some(function (y) { return y >= a && y <= b; });
  }
  function edgeWanted(e, off) {
    return predOn[e.pred] && !off[e.from] && !off[e.to] && inYears(e.year === undefined ? null : [e.year]) &&
      (e.conf === undefined || e.conf >= Number(confidence.value));
  }
  function wanted() {  // node id / edge id → hidden
    var off = {}, edgeOff = {}, seen = {};
    data.nodes.forEach(function (n) { if (!n.of) { off[n.id] = !classOn[n.cls]; } });
    data.edges.forEach(function (e) {
      if (e.obs) { return; }
      edgeOff[e.id] = !edgeWanted(e, off);
      if (!edgeOff[e.id]) { seen[e.from] = seen[e.to] = true; }
    });
    var active = filtering(), dropUnconnected = active && isolatedBox.checked;
    data.nodes.forEach(function (n) {
      if (n.of || off[n.id] || seen[n.id]) { return; }
      // a filter that took every relation of a node takes the node too; one never connected stays (by year)
      off[n.id] = degree[n.id] ? dropUnconnected : !inYears(n.years);
    });
    data.nodes.forEach(function (n) { if (n.of) { off[n.id] = !showObservations || off[n.of]; } });
    data.edges.forEach(function (e) { if (e.obs) { edgeOff[e.id] = off[e.to]; } });
    return {nodes: off, edges: edgeOff};
  }
  function applyFilters() {
    var want = wanted(), nodeChanges = [], edgeChanges = [];
    data.nodes.forEach(function (n) {
      var h = want.nodes[n.id];
      if (h === nodeHidden[n.id]) { return; }
      nodeHidden[n.id] = h;
      var change = {id: n.id, hidden: h};
      if (n.of) {
        change.physics = !h;
        if (!h) {  // a ring around the entity the observation belongs to
          var p = network.getPosition(n.of), r = Math.max(130, 26 * n.ring[1]), a = 2 * Math.PI * n.ring[0] / n.ring[1] - Math.PI / 2;
          change.x = p.x + r * Math.cos(a); change.y = p.y + r * Math.sin(a);
        }
      }
      nodeChanges.push(change);
    });
    data.edges.forEach(function (e) {
      var h = want.edges[e.id];
      if (h === edgeHidden[e.id]) { return; }
      edgeHidden[e.id] = h;
      var change = {id: e.id, hidden: h};
      if (e.obs) { change.physics = !h; }
      edgeChanges.push(change);
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    var shown = data.nodes.filter(function (n) { return !n.of && !nodeHidden[n.id]; }).length;
    status.textContent = filtering() ? "显示 " + shown + " 个节点" : "";
  }
  function toggle(selector, attr, state, value, on) {
    state[value] = on;
    document.querySelectorAll(selector).forEach(function (el) {
      if (el.getAttribute(attr) === value) { el.classList.toggle("off", !on); el.setAttribute("aria-pressed", String(on)); }
    });
    applyFilters();
  }
  document.querySelectorAll(".lg").forEach(function (el) {
    el.addEventListener("click", function () { var c = el.getAttribute("data-cls"); toggle(".lg", "data-cls", classOn, c, !classOn[c]); });
  });
  document.querySelectorAll(".rel").forEach(function (el) {
    el.addEventListener("click", function () { var p = el.getAttribute("data-pred"); toggle(".rel", "data-pred", predOn, p, !predOn[p]); });
  });
  [yearFrom, yearTo, isolatedBox].forEach(function (el) { el.addEventListener("change", applyFilters); });
  confidence.addEventListener("input", function () { $("confidence-value").textContent = confidence.value; applyFilters(); });
  $("observations").addEventListener("change", function (ev) { showObservations = ev.target.checked; applyFilters(); });
  function resetFilters() {
    Object.keys(classOn).forEach(function (c) { toggle(".lg", "data-cls", classOn, c, true); });
    Object.keys(predOn).forEach(function (p) { toggle(".rel", "data-pred", predOn, p, true); });
    if (years.length) { yearFrom.value = years[0]; yearTo.value = years[years.length - 1]; }
    confidence.value = 0; $("confidence-value").textContent = "0";
    applyFilters();
  }
  $("reset").addEventListener("click", resetFilters);
  physicsBox.addEventListener("change", function () { network.setOptions({physics: {enabled: physicsBox.checked}}); });
  $("fit").addEventListener("click", function () { network.fit({animation: {duration: 300}}); });

  // the filters are a column beside the graph on a desktop, a sheet over it (closed at first) on a phone
  var toggleButton = $("filters-toggle"), wide = window.matchMedia("(min-width: 701px)");
  function showFilters(on) {
    document.body.classList.toggle("filters-open", on);
    toggleButton.setAttribute("aria-expanded", String(on));
    resize();
  }
  function resize() { network.setSize("100%", "100%"); network.redraw(); }
  toggleButton.addEventListener("click", function () { showFilters(!document.body.classList.contains("filters-open")); });
  showFilters(wide.matches);

  // ------------------------------------------------------------------ dimming: a neighbourhood or the matches of a search
  var dimmed = {}, dimmedEdges = {};
  function dim(litNodes, litEdges) {  // null: nothing dimmed
    var nodeChanges = [], edgeChanges = [];
    data.nodes.forEach(function (n) {
      var d = litNodes !== null && !litNodes[n.id];
      if (d === !!dimmed[n.id]) { return; }
      dimmed[n.id] = d;
      nodeChanges.push({id: n.id, opacity: d ? 0.15 : 1,
                        font: Object.assign({}, n.font || {}, {color: d ? "rgba(52,52,52,0.2)" : "#343434"})});
    });
    data.edges.forEach(function (e) {
      var d = litNodes !== null && !(litEdges ? litEdges[e.id] : litNodes[e.from] && litNodes[e.to]);
      if (d === !!dimmedEdges[e.id]) { return; }
      dimmedEdges[e.id] = d;
      // all three states, or a selected node's edges would turn vis's default grey
      edgeChanges.push({id: e.id, color: {color: e.color, highlight: e.color, hover: e.color, opacity: d ? 0.12 : 1},
                        font: {color: d ? "rgba(85,85,85,0.15)" : "#555555"}});
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
  }
  function neighbourhood(id) {
    var litNodes = {}, litEdges = {};
    litNodes[id] = true;
    (links[id] || []).forEach(function (e) {
      if (!edgeHidden[e.id]) { litEdges[e.id] = litNodes[e.from] = litNodes[e.to] = true; }
    });
    data.edges.forEach(function (e) { if (e.obs && e.from === id) { litEdges[e.id] = litNodes[e.to] = true; } });
    dim(litNodes, litEdges);
  }

  // ------------------------------------------------------------------ the details panel
  var e = function (text) { var d = document.createElement("div"); d.textContent = text; return d.innerHTML; };
  function nodeDetails(id) {
    var n = byId[id], rows = (links[id] || []).filter(function (x) { return !edgeHidden[x.id]; }).map(function (x) {
      var out = x.from === id, other = out ? x.to : x.from, pred = data.predNames[x.pred] || x.pred;
      return "<li>" + (out ? "" : "← ") + e(pred) + (out ? " → " : " ") +
        '<button type="button" class="nb" data-id="' + e(other) + '">' + e(byId[other].label) + "</button></li>";
    });
    var more = rows.length ? '<div class="sec">相连 ' + rows.length + " 条关系</div><ul>" + rows.slice(0, 60).join("") +
      (rows.length > 60 ? "<li>…</li>" : "") + "</ul>" : "";
    return n.info + more;
  }
  function openPanel(markup) {
    panelBody.innerHTML = markup; panel.hidden = false; panel.scrollTop = 0;
    if (wide.matches) { resize(); }
  }
  function closePanel() {
    if (panel.hidden) { return; }
    panel.hidden = true; panelBody.innerHTML = "";
    if (wide.matches) { resize(); }
  }
  function select(id) {
    network.selectNodes([id]);
    neighbourhood(id);
    openPanel(nodeDetails(id));
  }
  window.kgSelect = select;
  $("panel-close").addEventListener("click", function () { closePanel(); dim(null); network.unselectAll(); });
  panelBody.addEventListener("click", function (ev) {
    var b = ev.target.closest(".nb");
    if (b) { find(null, b.getAttribute("data-id")); }
  });
  network.on("click", function (p) {
    if (p.nodes.length) {
      select(p.nodes[0]);
    } else if (p.edges.length) {
      var edge = edges.get(p.edges[0]);
      var lit = {}; lit[edge.from] = lit[edge.to] = true;
      var litEdges = {}; litEdges[edge.id] = true;
      dim(lit, litEdges);
      openPanel(edge.info || "");
    } else {
      closePanel(); dim(null);
    }
  });

  // ------------------------------------------------------------------ search as you type
  var finds = 0, matches = [], cursor = -1, dimming = null;
  function lookup(text) {  // the nodes whose name or alias holds TEXT: the exact name, names starting with it, the rest
    var low = text.toLowerCase(), seen = {}, ranks = [[], [], []];
    data.search.forEach(function (entry) {
      var name = entry[0].toLowerCase(), at = name.indexOf(low);
      if (at < 0 || seen[entry[1]]) { return; }
      seen[entry[1]] = true;
      ranks[name === low ? 0 : at === 0 ? 1 : 2].push({id: entry[1], name: entry[0]});  // each in list order (most connected first)
    });
    return ranks[0].concat(ranks[1], ranks[2]);
  }
  function showMatches() {
    var text = findBox.value.trim();
    findBox.classList.remove("miss");
    matchList.innerHTML = ""; cursor = -1;
    clearTimeout(dimming);
    if (!text) { matches = []; matchList.hidden = true; hits.textContent = ""; dim(null); return; }
    matches = lookup(text);
    hits.textContent = matches.length + " 个匹配";
    matches.slice(0, 30).forEach(function (m, i) {
      var li = document.createElement("li"), n = byId[m.id];
      li.setAttribute("role", "option"); li.dataset.index = i;
      li.textContent = m.name;
      var small = document.createElement("small");
      small.textContent = (m.name !== n.label ? n.label + " · " : "") + (data.classNames[n.cls] || n.cls);
      li.appendChild(small);
      matchList.appendChild(li);
    });
    matchList.hidden = !matches.length;
    if (!matches.length) { findBox.classList.add("miss"); }
    var lit = {};
    matches.forEach(function (m) { lit[m.id] = true; });
    // the list follows each key at once; the graph (thousands of nodes to restyle) once typing pauses
    clearTimeout(dimming);
    dimming = setTimeout(function () { dim(lit, {}); }, 120);
  }
  function find(text, id) {
    if (id === undefined) {
      text = (text || "").trim();
      if (!text) { return null; }
      var found = lookup(text);
      if (!found.length) { findBox.classList.add("miss"); status.textContent = "未找到：" + text; return null; }
      id = found[0].id;
    }
    clearTimeout(dimming);
    findBox.classList.remove("miss"); status.textContent = ""; matchList.hidden = true; hits.textContent = "";
    var cls = byId[id].cls;
    if (!classOn[cls]) { toggle(".lg", "data-cls", classOn, cls, true); }
    if (nodeHidden[id]) { resetFilters(); }  // what was asked for is shown, whatever the filters
    select(id);
    // on a phone the node goes to the middle of what the bottom sheet leaves uncovered
    var scale = Math.max(network.getScale(), 1.2), turn = ++finds, offset = {x: 0, y: wide.matches ? 0 : -panel.offsetHeight / 2};
    network.focus(id, {scale: scale, offset: offset, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    network.once("animationFinished", function () {  // vis can stop a frame short: end exactly on the node
      if (turn === finds) { network.moveTo({position: network.getPosition(id), scale: scale, offset: offset}); }
    });
    return id;
  }
  window.kgFind = find;
  findBox.addEventListener("input", showMatches);
  findBox.addEventListener("keydown", function (ev) {
    var items = matchList.querySelectorAll("li");
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!items.length) { return; }
      ev.preventDefault();
      cursor = (cursor + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach(function (li, i) { li.classList.toggle("on", i === cursor); });
    } else if (ev.key === "Enter") {
      if (cursor >= 0) { find(null, matches[cursor].id); } else { find(findBox.value); }
    } else if (ev.key === "Escape") {
      findBox.value = ""; showMatches();
    }
  });
  matchList.addEventListener("mousedown", function (ev) {  // before the box loses focus
    var li = ev.target.closest("li");
    if (li) { ev.preventDefault(); find(null, matches[Number(li.dataset.index)].id); }
  });
})();
