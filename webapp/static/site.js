// Progressive enhancement only: every feature of the pages works without this file.
(function () {
  "use strict";

  // Pressing "/" outside a text field moves the focus to the search box.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var box = document.getElementById("q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // The parts of the results that script improves; run again on results replaced by
  // search as you type (below).
  var FOCUS_KEY = "iapb-facet-focus";
  var wide = window.matchMedia ? window.matchMedia("(min-width: 48.01rem)") : null;
  var enhanceResults = function () {
    // The filters: open on wide screens, a closed disclosure on narrow ones ("Filters
    // (n)"), so that the results come first on a phone (the same breakpoint as site.css).
    var filters = document.getElementById("filters");
    if (filters && wide) {
      var follow = function () {
        if (wide.matches) filters.open = true;
      };
      follow();
      if (wide.addEventListener && !filters.dataset.follows) {
        filters.dataset.follows = "1";
        wide.addEventListener("change", follow);
      }
    }

    // Ticking a filter applies it at once; the focus comes back to the same box.
    var form = document.querySelector("form.facets");
    if (form) {
      var apply = form.querySelector(".facets-apply");
      if (apply) apply.hidden = true;
      form.addEventListener("change", function (event) {
        if (!event.target.matches("input[type=checkbox]")) return;
        try {
          sessionStorage.setItem(FOCUS_KEY, event.target.id);
        } catch (e) {
          /* storage may be off: the filter still applies */
        }
        form.submit();
      });
      var again = null;
      try {
        again = sessionStorage.getItem(FOCUS_KEY);
        sessionStorage.removeItem(FOCUS_KEY);
      } catch (e) {
        again = null;
      }
      var box = again && document.getElementById(again);
      if (box) {
        if (filters) filters.open = true;
        box.focus();
      }
    }

    // The chart of years: a bar shows its year; a shift-click (or Shift+Enter) on another
    // bar shows the span from the current span's first year to it (data-span-href).
    var chart = document.querySelector(".year-chart");
    if (chart) {
      var help = document.querySelector(".chart-help");
      if (help) help.hidden = false;
      chart.addEventListener("click", function (event) {
        var bar = event.target.closest("a[data-span-href]");
        if (!bar || !event.shiftKey) return;
        event.preventDefault();
        window.location.href = bar.getAttribute("data-span-href");
      });
    }
  };
  enhanceResults();

  // Search as you type on the search page: a pause in typing fetches the page of the new
  // query (the same server-rendered results a submit gives) and swaps its results in;
  // an answer overtaken by newer typing is aborted; the address follows
  // (history.replaceState), so it is always a permalink; a live region says the count.
  // Arrow keys move from the box through the hits; Enter opens one.
  var searchForm = document.querySelector("form.search-form");
  var query = searchForm && searchForm.querySelector("#q");
  var live = document.getElementById("live-count");
  if (searchForm && query && live && window.fetch && window.DOMParser && window.AbortController) {
    var TYPING_PAUSE_MS = 200;
    var timer = 0;
    var pending = null;
    var shown = query.value.trim();
    var addressOf = function () {
      var params = new URLSearchParams(new FormData(searchForm));
      params.set("q", query.value.trim());
      if (!params.get("q")) params.delete("q");
      return searchForm.getAttribute("action") + "?" + params.toString();
    };
    var swap = function (html, address) {
      var next = new DOMParser().parseFromString(html, "text/html");
      var fresh = next.querySelector(".layout");
      var old = document.querySelector(".layout");
      if (!fresh || !old) return false;
      old.replaceWith(document.importNode(fresh, true));
      document.title = next.title;
      history.replaceState(null, "", address);
      var heading = document.querySelector(".page-title");
      var nextHeading = next.querySelector(".page-title");
      if (heading && nextHeading) heading.className = nextHeading.className;
      var count = document.querySelector(".result-count");
      var title = document.getElementById("results-title");
      live.textContent = [title && title.textContent.trim(), count && count.textContent.trim()]
        .filter(Boolean)
        .join(": ");
      enhanceResults();
      return true;
    };
    var run = function () {
      var wanted = query.value.trim();
      if (wanted === shown) return;
      if (pending) pending.abort();
      var controller = (pending = new AbortController());
      var address = addressOf();
      fetch(address, { signal: controller.signal, headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (html) {
          if (controller !== pending) return;
          pending = null;
          if (swap(html, address)) shown = wanted;
        })
        .catch(function () {
          /* aborted, or the server failed: the form still submits as before */
        });
    };
    query.addEventListener("input", function (event) {
      if (event.isComposing) return;
      clearTimeout(timer);
      timer = setTimeout(run, TYPING_PAUSE_MS);
    });
    query.addEventListener("compositionend", function () {
      clearTimeout(timer);
      timer = setTimeout(run, TYPING_PAUSE_MS);
    });
    var hitLinks = function () {
      return Array.prototype.slice.call(document.querySelectorAll("a.hit-link"));
    };
    document.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var links = hitLinks();
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      if (document.activeElement === query) {
        if (event.key !== "ArrowDown") return;
        event.preventDefault();
        links[0].focus();
      } else if (at >= 0) {
        event.preventDefault();
        if (event.key === "ArrowDown") links[Math.min(at + 1, links.length - 1)].focus();
        else if (at === 0) query.focus();
        else links[at - 1].focus();
      }
    });
  }

  // A "Copy" button after each text to copy (the snippet to paste on the /widget page,
  // a report's citations); labels from the page.
  document.querySelectorAll("[data-copy]").forEach(function (pre) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = pre.getAttribute("data-copy") || "Copy";
    var label = pre.getAttribute("data-copy-label");
    if (label) button.setAttribute("aria-label", label);
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    var done = function () {
      status.textContent = pre.getAttribute("data-copied") || "Copied";
    };
    button.addEventListener("click", function () {
      var text = pre.textContent;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {
          status.textContent = "";
        });
      } else {
        var range = document.createRange();
        range.selectNodeContents(pre);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (document.execCommand && document.execCommand("copy")) done();
      }
    });
    var bar = document.createElement("div");
    bar.className = "copy-bar";
    bar.append(button, status);
    pre.after(bar);
  });

  // Next and previous match on a report page: the marks of the search in reading order
  // (a phrase's words, marked one by one, are one match), the current one outlined.
  var matchNav = document.querySelector(".match-nav");
  if (matchNav) {
    var groups = [];
    document.querySelectorAll(".summary mark").forEach(function (mark) {
      var before = mark.previousSibling;
      var joined =
        before && before.nodeType === 3 && !before.textContent.trim() && before.previousSibling;
      var last = groups[groups.length - 1];
      if (last && (joined === last[last.length - 1] || before === last[last.length - 1])) {
        last.push(mark);
      } else {
        groups.push([mark]);
      }
    });
    var status = matchNav.querySelector(".match-status");
    var current = -1;
    var show = function (index) {
      if (!groups.length) return;
      if (current >= 0) groups[current].forEach(function (m) { m.classList.remove("current-match"); });
      current = (index + groups.length) % groups.length;
      groups[current].forEach(function (m) { m.classList.add("current-match"); });
      groups[current][0].scrollIntoView({ block: "center" });
      status.textContent = (matchNav.getAttribute("data-of") || "{index}/{total}")
        .replace("{index}", String(current + 1))
        .replace("{total}", String(groups.length));
    };
    if (groups.length) {
      matchNav.hidden = false;  // its status says the number of matches until a step
      matchNav.querySelector(".match-next").addEventListener("click", function () {
        show(current + 1);
      });
      matchNav.querySelector(".match-prev").addEventListener("click", function () {
        show(current < 0 ? groups.length - 1 : current - 1);
      });
    }
  }

  // The compare page on a phone shows one language per paragraph: a link to a paragraph
  // of another language (#p2-…) switches its row to that language.
  var showTarget = function () {
    var id = location.hash.slice(1);
    var target = id && document.getElementById(id);
    var cell = target && target.closest(".compare-cell");
    var row = cell && cell.closest(".compare-row");
    if (!row) return;
    var lang = /\bcell-(\w+)\b/.exec(cell.className);
    var radio = lang && row.querySelector(".switch-" + lang[1]);
    if (radio) radio.checked = true;
  };
  showTarget();
  window.addEventListener("hashchange", showTarget);

  // A paragraph link (#p3-9f2c1a) whose paragraph moved since (paragraphs were added or
  // removed before it): find the paragraph by its hash, else by its position.
  var anchor = /^#p(\d+)-([0-9a-f]+)$/.exec(location.hash);
  if (anchor && !document.getElementById(location.hash.slice(1))) {
    var found =
      document.querySelector('.summary [id$="-' + anchor[2] + '"]') ||
      document.querySelector('.summary [id^="p' + anchor[1] + '-"]');
    if (found) {
      found.scrollIntoView();
      found.classList.add("moved-target");
    }
  }
})();
