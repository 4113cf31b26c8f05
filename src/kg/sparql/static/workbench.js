(function () {
  "use strict";
  var data = @@DATA@@;
  var $ = function (id) { return document.getElementById(id); };
  var editor = $("editor"), state = $("state"), errorBox = $("error"), answer = $("answer");
  var RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label", XSD = "http://www.w3.org/2001/XMLSchema#";
  var SHOWN_ROWS = 2000, LABELLED_IRIS = 400;  // a bigger answer is for the download buttons
  var last = null, turn = 0;  // the last answer: {kind: "select"|"ask"|"graph", body, json}
  window.kgWorkbench = {done: 0};

  // ------------------------------------------------------------------ ready queries
  var list = $("queries");
  data.queries.forEach(function (q) {
    var li = document.createElement("li"), b = document.createElement("button"), name = document.createElement("b"),
        title = document.createElement("span");
    b.type = "button"; b.dataset.name = q.name; name.textContent = q.name; title.textContent = q.title;
    b.appendChild(name); b.appendChild(title); li.appendChild(b); list.appendChild(li);
    b.addEventListener("click", function () {
      list.querySelectorAll("button.on").forEach(function (x) { x.classList.remove("on"); });
      b.classList.add("on");
      editor.value = q.text;
      run();
    });
  });
  editor.value = data.first;

  // ------------------------------------------------------------------ showing terms
  function compact(iri) {
    var best = null;
    Object.keys(data.prefixes).forEach(function (p) {
      var ns = data.prefixes[p];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > data.prefixes[best].length)) { best = p; }
    });
    return best ? best + ":" + iri.slice(data.prefixes[best].length) : iri;
  }
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined) { x.textContent = text; }
    return x;
  }
  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var b = el("button", "iri"), short = compact(term.value);
      b.type = "button"; b.dataset.iri = term.value; b.title = term.value + " — click: its properties";
      b.appendChild(el("span", "label", short));
      b.appendChild(el("small", "", short));
      b.lastChild.hidden = true;  // shown once a label is known
      td.appendChild(b);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) { td.appendChild(el("span", "lang", "@" + term["xml:lang"])); }
      var dt = term.datatype || "";
      if (/#(integer|decimal|double|float|int|long)$/.test(dt) && dt.indexOf(XSD) === 0) { td.className = "n"; }
      else if (dt && dt !== XSD + "string") { td.appendChild(el("span", "dt", compact(dt))); }
    }
    return td;
  }

  // ------------------------------------------------------------------ answers
  function clear() {
    errorBox.hidden = true; errorBox.textContent = ""; answer.innerHTML = "";
    ["csv", "json", "nt"].forEach(function (id) { $(id).disabled = true; });
    $("nt").hidden = true;
  }
  function showError(message) {
    errorBox.textContent = message; errorBox.hidden = false;
    state.textContent = "";
  }
  function showSelect(json, ms) {
    var vars = json.head.vars || [], rows = json.results.bindings, table = el("table"), head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", "", "?" + v)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    rows.slice(0, SHOWN_ROWS).forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      body.appendChild(tr);
    });
    state.textContent = rows.length + (rows.length === 1 ? " row" : " rows") + " · " + ms + " ms";
    if (rows.length > SHOWN_ROWS) {
      answer.appendChild(el("p", "note", "The first " + SHOWN_ROWS + " of " + rows.length + " rows; the downloads hold all."));
    }
    answer.appendChild(table);
    $("csv").disabled = $("json").disabled = false;
    return labels(rows, vars);
  }
  function showGraph(text, ms) {
    var lines = text.split("\n").filter(function (l) { return l.trim(); }).length;
    state.textContent = lines + " triples · " + ms + " ms";
    answer.appendChild(el("pre", "", text));
    $("nt").hidden = false; $("nt").disabled = false;
  }

  // each IRI of the answer gets its rdfs:label (a Chinese one first) beside it, by one more query
  function labels(rows, vars) {
    var iris = [], seen = {};
    rows.slice(0, SHOWN_ROWS).forEach(function (row) {
      vars.forEach(function (v) {
        var t = row[v];
        if (t && t.type === "uri" && !seen[t.value] && !/[<>"{}|^`\\\s]/.test(t.value) && iris.length < LABELLED_IRIS) {
          seen[t.value] = true; iris.push(t.value);
        }
      });
    });
    if (!iris.length) { return Promise.resolve(); }
    var query = "SELECT ?s ?label WHERE { VALUES ?s { " + iris.map(function (i) { return "<" + i + ">"; }).join(" ") +
      " } ?s <" + RDFS_LABEL + "> ?label }";
    return post(query).then(function (r) {
      if (!r.ok) { return; }
      var best = {};
      JSON.parse(r.body).results.bindings.forEach(function (b) {
        var s = b.s.value, zh = (b.label["xml:lang"] || "").indexOf("zh") === 0;
        if (!best[s] || (zh && !best[s].zh) || (zh === best[s].zh && b.label.value < best[s].text)) {
          best[s] = {text: b.label.value, zh: zh};
        }
      });
      answer.querySelectorAll("button.iri").forEach(function (b) {
        var found = best[b.dataset.iri];
        if (found) { b.firstChild.textContent = found.text; b.lastChild.hidden = false; }
      });
    }, function () { /* the table stands without labels */ });
  }

  function post(query) {
    return fetch(data.endpoint, {
      method: "POST", body: query,
      headers: {"Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9"}
    }).then(function (resp) {
      return resp.text().then(function (body) {
        return {ok: resp.ok, status: resp.status, type: resp.headers.get("Content-Type") || "", body: body};
      });
    });
  }

  function run() {
    var query = editor.value, mine = ++turn, started = Date.now();
    clear();
    if (!query.trim()) { showError("The query is empty."); window.kgWorkbench.done++; return; }
    state.textContent = "running…"; $("run").disabled = true;
    post(query).then(function (r) {
      if (mine !== turn) { return null; }
      var ms = Date.now() - started;
      if (!r.ok) { showError(r.body.trim() || "The endpoint answered " + r.status + "."); return null; }
      if (r.type.indexOf("json") < 0) { last = {kind: "graph", body: r.body}; showGraph(r.body, ms); return null; }
      var json = JSON.parse(r.body);
      if (typeof json.boolean === "boolean") {
        last = {kind: "ask", body: r.body, json: json};
        answer.appendChild(el("p", "note", "ASK: " + json.boolean));
        state.textContent = ms + " ms"; $("json").disabled = false;
        return null;
      }
      last = {kind: "select", body: r.body, json: json};
      return showSelect(json, ms);
    }, function (err) {
      showError("The endpoint could not be reached: " + err.message + ". Is kg serve still running?");
    }).then(function () {
      $("run").disabled = false; window.kgWorkbench.done++;
    });
  }
  window.kgRun = run;
  window.kgReady = true;

  // ------------------------------------------------------------------ downloads
  function download(text, type, name) {
    var url = URL.createObjectURL(new Blob([text], {type: type})), a = el("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function csvField(text) { return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text; }
  function toCsv(json) {  // SPARQL 1.1 Query Results CSV: the values alone, CRLF between rows
    var vars = json.head.vars || [], out = [vars.map(csvField).join(",")];
    json.results.bindings.forEach(function (row) {
      out.push(vars.map(function (v) {
        var t = row[v];
        return t ? csvField(t.type === "bnode" ? "_:" + t.value : t.value) : "";
      }).join(","));
    });
    return out.join("\r\n") + "\r\n";
  }
  window.kgCsv = function () { return last && last.kind === "select" ? toCsv(last.json) : null; };
  $("csv").addEventListener("click", function () { download(toCsv(last.json), "text/csv", "kg-query.csv"); });
  $("json").addEventListener("click", function () {
    download(last.body, "application/sparql-results+json", "kg-query.json");
  });
  $("nt").addEventListener("click", function () { download(last.body, "application/n-triples", "kg-query.nt"); });

  // ------------------------------------------------------------------ the editor
  $("run").addEventListener("click", run);
  editor.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
    else if (ev.key === "Tab" && !ev.shiftKey) {  // indent, rather than leave the editor
      ev.preventDefault();
      var s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
    }
  });
  answer.addEventListener("click", function (ev) {  // an IRI: what the graph says about it
    var b = ev.target.closest("button.iri");
    if (!b) { return; }
    editor.value = "SELECT ?property ?value\nWHERE { <" + b.dataset.iri + "> ?property ?value }\nORDER BY ?property ?value\n";
    run();
  });
})();
