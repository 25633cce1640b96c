/* The query page: YASGUI on our endpoint, our prefixes, one-click examples, and a chart view.
   Configuration comes from a JSON script element (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("pg-query-config").textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      element.setAttribute(key, String(attributes[key]));
    });
    return element;
  }

  /* A Yasr plugin: a bar chart of the first numeric column against the first other column. */
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables || !results.getBindings) return null;
    var variables, bindings;
    try {
      variables = results.getVariables();
      bindings = results.getBindings();
    } catch (e) {
      return null;
    }
    if (!variables || !bindings || !bindings.length) return null;
    var numeric = variables.filter(function (v) {
      return bindings.every(function (b) {
        return !b[v] || (b[v].type !== "uri" && b[v].value !== "" && !isNaN(Number(b[v].value)));
      }) && bindings.some(function (b) { return b[v]; });
    });
    if (!numeric.length) return null;
    var label = variables.filter(function (v) { return numeric.indexOf(v) < 0; })[0] || numeric[0];
    return { label: label, value: numeric[0], bindings: bindings };
  };
  ChartPlugin.prototype.canHandleResults = function () {
    return this.columns() !== null;
  };
  ChartPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.textContent = "▤";
    return icon;
  };
  ChartPlugin.prototype.draw = function () {
    var spec = this.columns();
    var holder = document.createElement("div");
    holder.className = "pg-chart";
    if (!spec) {
      holder.textContent = "No numeric column to chart.";
      this.yasr.resultsEl.appendChild(holder);
      return;
    }
    var rows = spec.bindings.slice(0, 60);
    var most = Math.max.apply(null, rows.map(function (b) { return Number(b[spec.value] ? b[spec.value].value : 0); })) || 1;
    var labelWidth = 280, barWidth = 460, rowHeight = 20;
    var svg = svgElement("svg", {
      viewBox: "0 0 " + (labelWidth + barWidth + 70) + " " + (rowHeight * rows.length + 24),
      width: "100%", role: "img", "class": "chart"
    });
    var title = svgElement("title");
    title.textContent = spec.value + " by " + spec.label;
    svg.appendChild(title);
    rows.forEach(function (binding, index) {
      var y = 10 + index * rowHeight;
      var value = Number(binding[spec.value] ? binding[spec.value].value : 0);
      var name = binding[spec.label] ? binding[spec.label].value : "";
      if (name.length > 42) name = name.slice(0, 41) + "…";
      var text = svgElement("text", { x: labelWidth - 6, y: y + 13, "text-anchor": "end", "class": "axis" });
      text.textContent = name;
      var bar = svgElement("rect", { x: labelWidth, y: y + 3, height: rowHeight - 6,
        width: Math.max(1, Math.round(barWidth * value / most)), "class": "s-cited" });
      var tip = svgElement("title");
      tip.textContent = name + ": " + value;
      bar.appendChild(tip);
      var figure = svgElement("text", { x: labelWidth + Math.round(barWidth * value / most) + 4, y: y + 13, "class": "value" });
      figure.textContent = String(value);
      svg.appendChild(text);
      svg.appendChild(bar);
      svg.appendChild(figure);
    });
    holder.appendChild(svg);
    this.yasr.resultsEl.appendChild(holder);
  };

  Yasr.registerPlugin("chart", ChartPlugin);
  // Our own links open in this tab, and literals are shown whole.
  Yasr.plugins.table.defaults.openIriInNewWindow = false;

  // An absolute URL: YASGUI builds GET requests with new URL(endpoint), which needs one.
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var errorBox = document.getElementById("query-error");
  var downloads = document.getElementById("query-downloads");

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: []
    },
    persistenceId: "policygraph-query",
    yasqe: { value: config.defaultQuery, resizeable: true },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table" }
  });

  function currentTab() {
    return yasgui.getTab();
  }

  /* The endpoint's refusal, as it worded it (the caret lines of a syntax error included). */
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    downloads.hidden = true;
    document.body.setAttribute("data-results", "error");
  }

  function downloadLink(id, query, format) {
    var url = new URL(endpoint);
    url.searchParams.set("query", query);
    url.searchParams.set("format", format);
    document.getElementById(id).href = url.href;
  }

  /* Result IRIs under the dataset's base IRI open the page this server has for them. */
  function linkHere() {
    Array.prototype.forEach.call(document.querySelectorAll(".yasr a.iri"), function (link) {
      var href = link.getAttribute("href") || "";
      if (href.indexOf(config.baseIri + "/") === 0) {
        link.setAttribute("href", window.location.origin + href.slice(config.baseIri.length));
        link.removeAttribute("target");
      }
    });
  }

  function watch(tab) {
    var yasqe = tab.getYasqe();
    yasqe.on("query", function () {
      errorBox.hidden = true;
      errorBox.textContent = "";
    });
    yasqe.on("queryResponse", function (instance, response) {
      if (response instanceof Error) {
        showError(response.message || String(response));
        return;
      }
      errorBox.hidden = true;
      downloadLink("download-csv", yasqe.getValue(), "csv");
      downloadLink("download-json", yasqe.getValue(), "json");
      downloads.hidden = false;
    });
    var yasr = tab.getYasr();
    yasr.on("drawn", linkHere);
    var table = yasr.plugins && yasr.plugins.table;
    if (table) table.persistentConfig.isEllipsed = false;
  }

  function runText(query, name) {
    var tab = currentTab();
    tab.setEndpoint(endpoint);
    tab.setQuery(query);
    if (name) tab.setName(name);
    tab.getYasqe().query();
  }

  function run(name) {
    var example = config.examples.filter(function (e) { return e.name === name; })[0];
    if (!example) return;
    runText(example.query, example.name);
    document.body.setAttribute("data-example", name);
  }

  /* A shared query: ?query=… or #query=… (URL-encoded), loaded and run. */
  function sharedQuery() {
    var fromSearch = new URLSearchParams(window.location.search).get("query");
    if (fromSearch) return fromSearch;
    var hash = window.location.hash.replace(/^#/, "");
    return hash ? new URLSearchParams(hash).get("query") : null;
  }

  var tab = currentTab();
  if (tab && tab.getEndpoint() !== endpoint) {
    tab.setEndpoint(endpoint);
  }
  if (tab) {
    tab.getYasqe().addPrefixes(config.prefixes);
    watch(tab);
  }
  yasgui.on("tabAdd", function (instance, id) {
    var added = instance.getTab(id);
    if (added) watch(added);
  });
  yasgui.on("queryResponse", function () {
    if (errorBox.hidden) document.body.setAttribute("data-results", "shown");
  });

  Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (button) {
    button.addEventListener("click", function () { run(button.getAttribute("data-example")); });
  });
  var shared = sharedQuery();
  if (shared) runText(shared);
  else if (config.run) run(config.run);
})();
