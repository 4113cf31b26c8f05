(function () {
  "use strict";
  var data = @@DATA@@;
  var byId = {}, nodeHidden = {}, edgeHidden = {}, classOn = {}, predOn = {}, showObservations = false;
  var status = document.getElementById("status"), findBox = document.getElementById("find");
  function tip(markup) { var d = document.createElement("div"); d.className = "kg-tip"; d.innerHTML = markup; return d; }
  data.nodes.forEach(function (n) {
    byId[n.id] = n; nodeHidden[n.id] = !!n.hidden; classOn[n.cls] = true; n.title = tip(n.title);
  });
  data.edges.forEach(function (e) { edgeHidden[e.id] = !!e.hidden; predOn[e.pred] = true; e.title = e.title ? tip(e.title) : undefined; });
  var names = document.getElementById("names"), byName = {};
  data.search.forEach(function (entry) {
    byName[entry[0]] = entry[1];
    var o = document.createElement("option"); o.value = entry[0];
    if (entry[0] !== byId[entry[1]].label) { o.label = byId[entry[1]].label; }
    names.appendChild(o);
  });

  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  // the data goes in after the listeners, so not even a layout done at once can be missed
  var network = new vis.Network(document.getElementById("graph"), {}, data.options);
  window.kgNetwork = network; window.kgNodes = nodes; window.kgEdges = edges; window.kgReady = false;
  var physicsBox = document.getElementById("physics"), started = Date.now();

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

  function applyFilters() {
    var want = {}, nodeChanges = [], edgeChanges = [];
    data.nodes.forEach(function (n) { if (!n.of) { want[n.id] = !classOn[n.cls]; } });
    data.nodes.forEach(function (n) { if (n.of) { want[n.id] = !showObservations || want[n.of]; } });
    data.nodes.forEach(function (n) {
      if (want[n.id] === nodeHidden[n.id]) { return; }
      nodeHidden[n.id] = want[n.id];
      var change = {id: n.id, hidden: want[n.id]};
      if (n.of) {
        change.physics = !want[n.id];
        if (!want[n.id]) {  // a ring around the entity the observation belongs to
          var p = network.getPosition(n.of), r = Math.max(130, 26 * n.ring[1]), a = 2 * Math.PI * n.ring[0] / n.ring[1] - Math.PI / 2;
          change.x = p.x + r * Math.cos(a); change.y = p.y + r * Math.sin(a);
        }
      }
      nodeChanges.push(change);
    });
    data.edges.forEach(function (e) {
      var h = !predOn[e.pred] || want[e.from] || want[e.to];
      if (h === edgeHidden[e.id]) { return; }
      edgeHidden[e.id] = h;
      var change = {id: e.id, hidden: h};
      if (e.obs) { change.physics = !h; }
      edgeChanges.push(change);
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
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
  document.getElementById("observations").addEventListener("change", function (ev) {
    showObservations = ev.target.checked; applyFilters();
  });
  physicsBox.addEventListener("change", function () { network.setOptions({physics: {enabled: physicsBox.checked}}); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({animation: {duration: 300}}); });

  var finds = 0;
  function find(text) {
    text = (text || "").trim();
    if (!text) { return null; }
    var id = byName[text];
    if (id === undefined) {
      var low = text.toLowerCase();
      for (var i = 0; i < data.search.length; i++) {
        if (data.search[i][0].toLowerCase().indexOf(low) >= 0) { id = data.search[i][1]; break; }
      }
    }
    if (id === undefined) { findBox.classList.add("miss"); status.textContent = "未找到：" + text; return null; }
    findBox.classList.remove("miss"); status.textContent = "";
    var cls = byId[id].cls;
    if (!classOn[cls]) { toggle(".lg", "data-cls", classOn, cls, true); }
    network.selectNodes([id]);
    var scale = Math.max(network.getScale(), 1.2), turn = ++finds;
    network.focus(id, {scale: scale, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    network.once("animationFinished", function () {  // vis can stop a frame short: end exactly on the node
      if (turn === finds) { network.moveTo({position: network.getPosition(id), scale: scale}); }
    });
    return id;
  }
  window.kgFind = find;
  findBox.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(findBox.value); } });
  findBox.addEventListener("input", function (ev) {  // a pick from the list of names
    if (!ev.inputType || ev.inputType === "insertReplacementText") { find(findBox.value); }
  });
})();
