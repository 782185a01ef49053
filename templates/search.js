(function () {
  "use strict";
  // The catalogue is read from catalogue-N.js beside this page (newest first), one file at a time and
  // only as far as a search needs: script elements load from file:// where fetch() may not.
  var main = document.getElementById("main");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var shardCount = Number(main.getAttribute("data-shards"));
  var LIMIT = 200;
  var shards = [];
  var waiting = {};
  var current = 0;
  var timer = 0;

  function fold(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  window.catalogueShard = function (number, data) {
    var sources = data[0], rows = data[1];
    shards[number] = {
      sources: sources,
      rows: rows,
      folded: rows.map(function (row) { return fold(row[0] + "\n" + (row[3] >= 0 ? sources[row[3]] : "")); })
    };
    var then = waiting[number] || [];
    delete waiting[number];
    then.forEach(function (callback) { callback(); });
  };

  function load(number, then) {
    if (shards[number]) { then(); return; }
    if (waiting[number]) { waiting[number].push(then); return; }
    waiting[number] = [then];
    var script = document.createElement("script");
    script.src = "catalogue-" + number + ".js";
    script.onerror = function () {
      delete waiting[number];
      status.textContent = main.getAttribute("data-failed");
    };
    document.head.appendChild(script);
  }

  function item(shard, row) {
    var li = document.createElement("li");
    var time = document.createElement(row[2] ? "time" : "span");
    if (row[2]) {
      time.dateTime = row[2];
      time.textContent = row[2];
    } else {
      time.className = "no-date";
    }
    li.appendChild(time);
    var a = document.createElement("a");
    a.href = "../" + row[1] + ".html";
    a.textContent = row[0];
    li.appendChild(a);
    if (row[3] >= 0) {
      var source = document.createElement("span");
      source.className = "source";
      source.textContent = shard.sources[row[3]];
      li.appendChild(source);
    }
    return li;
  }

  function search(query) {
    var id = ++current;
    var terms = fold(query).split(/\s+/).filter(Boolean);
    var found = 0;
    results.textContent = "";
    status.textContent = terms.length ? main.getAttribute("data-searching") : "";
    if (!terms.length) return;
    (function scan(number) {
      if (id !== current) return;  // a newer search has started
      if (number > shardCount || found >= LIMIT) {
        var text = found >= LIMIT ? "data-found-limit" : found ? "data-found" : "data-none";
        status.textContent = main.getAttribute(text).replace(/\{n\}/g, found);
        return;
      }
      load(number, function () {
        if (id !== current) return;
        var shard = shards[number], list = document.createDocumentFragment();
        for (var i = 0; i < shard.rows.length && found < LIMIT; i++) {
          var folded = shard.folded[i];
          if (terms.every(function (term) { return folded.indexOf(term) !== -1; })) {
            list.appendChild(item(shard, shard.rows[i]));
            found++;
          }
        }
        results.appendChild(list);
        scan(number + 1);
      });
    })(1);
  }

  function remember(query) {
    try {
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    } catch (error) {
      // some browsers refuse to change a file:// address; the search works all the same
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); remember(input.value); }, 150);
  });
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
    remember(input.value);
  });
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    input.value = query;
    search(query);
  }
})();
