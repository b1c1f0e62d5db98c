/* <iapb-search>: an embeddable search box over the IAPB progress reports.
 *
 * One dependency-free file, no build step.  A custom element renders into its own
 * Shadow DOM (the host page's CSS cannot reach in, ours cannot leak out) and talks only
 * to the public JSON API, GET <endpoint>/api/search.  Reference: /widget on the service.
 *
 *   <script src="https://SERVICE/widget.js" defer></script>
 *   <iapb-search lang="be">
 *     <form action="https://SERVICE/"> ... </form>   (shown only without JavaScript)
 *   </iapb-search>
 *
 * Colours follow the host page's color-scheme (theme="auto"), or theme="light"/"dark".
 */
(() => {
  "use strict";
  if (!window.customElements || customElements.get("iapb-search")) return;

  // The service base is where this script came from; currentScript is only set now.
  const SCRIPT = document.currentScript;
  const BASE = new URL("./", (SCRIPT && SCRIPT.src) || location.href).href;

  // UI strings per language; "results" holds the plural forms (see PLURAL).
  const STRINGS = {
    en: {
      label: "Search the IAPB progress reports",
      placeholder: "Search the reports…",
      results: ["{n} result", "{n} results"],
      none: "No report matches “{q}”.",
      excluded: "No report matches “{q}” with the selected filters; {n} without them.",
      clear: "Clear filters",
      versions: "Every language version",
      error: "The search service cannot be reached. Please try again later.",
      more: "See all results",
      filters: "Filters",
      year: "Year",
      topic: "Topic",
      lang: "Language",
      list: "Search results",
      also: "Also in:",
      unofficial: "unofficial translation",
      page: "p. {n}",
      layout: "Your query looks as if it was typed with the wrong keyboard layout.",
      showing: "Showing results for {to}.",
      instead: "Search instead for {from}",
      suggest: "Did you mean: {s}?",
      ignored: "Left out of the search: {p}. A prefix needs at least 2 letters before the *.",
      missing: "Missing:",
      dates: "Reports covering {d}.",
      anyYear: "{m} (any year)",
    },
    be: {
      label: "Пошук па справаздачах IAPB",
      placeholder: "Шукаць у справаздачах…",
      results: ["{n} вынік", "{n} вынікі", "{n} вынікаў"],
      none: "Няма справаздач па запыце «{q}».",
      excluded: "З абранымі фільтрамі па запыце «{q}» нічога няма; без іх: {n}.",
      clear: "Скінуць фільтры",
      versions: "Усе моўныя версіі",
      error: "Сэрвіс пошуку зараз недаступны. Паспрабуйце пазней.",
      more: "Усе вынікі",
      filters: "Фільтры",
      year: "Год",
      topic: "Тэма",
      lang: "Мова",
      list: "Вынікі пошуку",
      also: "Іншыя мовы:",
      unofficial: "неафіцыйны пераклад",
      page: "с. {n}",
      layout: "Падобна, запыт набраны ў іншай раскладцы клавіятуры.",
      showing: "Паказаны вынікі па запыце {to}.",
      instead: "Шукаць замест гэтага {from}",
      suggest: "Магчыма, вы мелі на ўвазе: {s}?",
      ignored: "Не шукалася: {p}. Перад * трэба не менш за 2 літары.",
      missing: "Адсутнічаюць:",
      dates: "Справаздачы за {d}.",
      anyYear: "{m} (любога года)",
    },
    ru: {
      label: "Поиск по отчётам IAPB",
      placeholder: "Искать в отчётах…",
      results: ["{n} результат", "{n} результата", "{n} результатов"],
      none: "Нет отчётов по запросу «{q}».",
      excluded: "С выбранными фильтрами по запросу «{q}» ничего нет; без них: {n}.",
      clear: "Сбросить фильтры",
      versions: "Все языковые версии",
      error: "Сервис поиска сейчас недоступен. Попробуйте позже.",
      more: "Все результаты",
      filters: "Фильтры",
      year: "Год",
      topic: "Тема",
      lang: "Язык",
      list: "Результаты поиска",
      also: "Другие языки:",
      unofficial: "неофициальный перевод",
      page: "с. {n}",
      layout: "Похоже, запрос набран в другой раскладке клавиатуры.",
      showing: "Показаны результаты по запросу {to}.",
      instead: "Искать вместо этого {from}",
      suggest: "Возможно, вы имели в виду: {s}?",
      ignored: "Не искалось: {p}. Перед * нужно не меньше 2 букв.",
      missing: "Отсутствуют:",
      dates: "Отчёты за {d}.",
      anyYear: "{m} (любого года)",
    },
  };
  // East Slavic plurals: 1, 21 вынік; 2-4, 22 вынікі; 5-20, 11-14 вынікаў.
  const slavic = (n) =>
    n % 10 === 1 && n % 100 !== 11
      ? 0
      : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20)
        ? 1
        : 2;
  const PLURAL = { en: (n) => (n === 1 ? 0 : 1), be: slavic, ru: slavic };
  const LANG_NAMES = { en: "English", be: "Беларуская", ru: "Русский" };
  // For browsers without Belarusian locale data (Intl would fall back to English).
  const BE_MONTHS = ("студзеня лютага сакавіка красавіка мая чэрвеня ліпеня жніўня верасня " +
    "кастрычніка лістапада снежня").split(" ");
  const FACETS = ["year", "topic", "lang"];
  const DEBOUNCE_MS = 250;

  const CSS = `
:host{display:block;
--_font:var(--iapb-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
--_size:var(--iapb-font-size,1rem);--_text:var(--iapb-text,#1f1f24);
--_muted:var(--iapb-muted,#595963);--_bg:var(--iapb-bg,#fff);
--_surface:var(--iapb-surface,#f0f0f4);--_border:var(--iapb-border,#c5c5ce);
--_accent:var(--iapb-accent,#0b57d0);--_on-accent:var(--iapb-on-accent,#fff);
--_mark-bg:var(--iapb-mark-bg,#ffe482);--_mark:var(--iapb-mark-text,#1f1f24);
--_focus:var(--iapb-focus,#0b57d0);--_error:var(--iapb-error,#b3261e);
--_radius:var(--iapb-radius,.375rem);--_space:var(--iapb-space,.5rem)}
@supports (color:light-dark(#000,#fff)){:host{
--_text:var(--iapb-text,light-dark(#1f1f24,#e6e6ec));--_muted:var(--iapb-muted,light-dark(#595963,#a9a9b4));
--_bg:var(--iapb-bg,light-dark(#fff,#18181c));--_surface:var(--iapb-surface,light-dark(#f0f0f4,#2a2a31));
--_border:var(--iapb-border,light-dark(#c5c5ce,#4a4a55));--_accent:var(--iapb-accent,light-dark(#0b57d0,#8ab4f8));
--_on-accent:var(--iapb-on-accent,light-dark(#fff,#10131a));--_mark-bg:var(--iapb-mark-bg,light-dark(#ffe482,#6b5a00));
--_mark:var(--iapb-mark-text,light-dark(#1f1f24,#fff));--_focus:var(--iapb-focus,light-dark(#0b57d0,#8ab4f8));
--_error:var(--iapb-error,light-dark(#b3261e,#f2b8b5))}}
@supports not (color:light-dark(#000,#fff)){:host([theme=dark]){--_text:var(--iapb-text,#e6e6ec);
--_muted:var(--iapb-muted,#a9a9b4);--_bg:var(--iapb-bg,#18181c);
--_surface:var(--iapb-surface,#2a2a31);--_border:var(--iapb-border,#4a4a55);
--_accent:var(--iapb-accent,#8ab4f8);--_on-accent:var(--iapb-on-accent,#10131a);
--_mark-bg:var(--iapb-mark-bg,#6b5a00);--_mark:var(--iapb-mark-text,#fff);
--_focus:var(--iapb-focus,#8ab4f8);--_error:var(--iapb-error,#f2b8b5)}}
:host([hidden]),[hidden]{display:none!important}
[part~=container]{all:initial;display:block;box-sizing:border-box;color-scheme:inherit;
font-family:var(--_font);font-size:var(--_size);line-height:1.45;color:var(--_text);
background:var(--_bg);padding:var(--_space);border-radius:var(--_radius);text-align:start}
:host([theme=light]) [part~=container]{color-scheme:light}
:host([theme=dark]) [part~=container]{color-scheme:dark}
*,*::before,*::after{box-sizing:border-box}
form{margin:0}
input{display:block;width:100%;margin:0;font:inherit;color:inherit;background:var(--_bg);
border:1px solid var(--_border);border-radius:var(--_radius);padding:calc(var(--_space)*1.2)}
input::placeholder{color:var(--_muted);opacity:1}
:focus-visible{outline:3px solid var(--_focus);outline-offset:2px}
[part~=facets]{display:flex;flex-direction:column;gap:calc(var(--_space)/2);margin-top:var(--_space)}
[part~=facet-group]{display:flex;flex-wrap:wrap;align-items:center;gap:calc(var(--_space)/2)}
[part~=facet-label]{color:var(--_muted);font-size:.85em;min-width:5em}
button{font:inherit;font-size:.85em;line-height:1.3;margin:0;color:var(--_text);
background:var(--_surface);border:1px solid var(--_border);border-radius:999px;
padding:.2em .75em;cursor:pointer;transition:background-color .15s,color .15s}
button[aria-pressed=true]{background:var(--_accent);color:var(--_on-accent);border-color:var(--_accent)}
[part~=count]{margin-inline-start:.4em;opacity:.8;font-variant-numeric:tabular-nums}
[part~=bar]{display:flex;flex-wrap:wrap;align-items:center;gap:calc(var(--_space)/2) var(--_space);margin:var(--_space) 0}
[part~=status]{flex:1 1 12em;margin:0;color:var(--_muted);font-size:.9em}
[part~=facets]:not([hidden]){margin:0 0 var(--_space);padding:var(--_space);border:1px solid var(--_border);border-radius:var(--_radius)}
[part~=filters-toggle][aria-expanded=true]{border-color:var(--_accent)}
[part~=error]{color:var(--_error)}
ul{list-style:none;margin:0;padding:0;transition:opacity .2s}
[aria-busy=true] ul{opacity:.55}
li{padding:var(--_space) 0;border-top:1px solid var(--_border)}
a{color:var(--_accent)}
[part~=title]{font-weight:600;font-size:1.05em}
[part~=meta],[part~=languages]{margin:.15em 0;color:var(--_muted);font-size:.85em}
[part~=snippet]{margin:.25em 0}
[part~=passage]{margin:.2em 0 .2em .6em;font-size:.92em}
[part~=missing]{margin:.2em 0;font-size:.92em;opacity:.8}
mark{background:var(--_mark-bg);color:var(--_mark);border-radius:2px;padding:0 .1em}
[part~=more]{display:inline-block;margin-top:var(--_space)}
[part~=corrected]{margin:0 0 var(--_space);font-size:.9em}
[part~=correction]{font-size:1em;padding:0;border:0;background:none;color:var(--_accent);
text-decoration:underline;border-radius:0}
[part~=answer]{margin:0 0 var(--_space);padding:var(--_space);border:2px solid var(--_accent);border-radius:var(--_radius)}
[part~=answer-value]{font-size:1.4em;font-weight:700;margin:0}
[part~=answer] p{margin:.2em 0}
[part~=answer-quote]{margin:.3em 0;padding-inline-start:.6em;border-inline-start:3px solid var(--_border)}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}`;

  // One constructed sheet shared by every instance: adopted sheets are not inline
  // <style>, so a host page's CSP style-src needs no 'unsafe-inline' for them.
  let sheet = null;
  try {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  } catch (e) {
    sheet = null;
  }
  // Only DOM text ever comes out of this inert document: no script runs, nothing loads.
  const PARSER = new DOMParser();

  const h = (tag, part, props, kids) => {
    const el = document.createElement(tag);
    if (part) el.setAttribute("part", part);
    for (const [k, v] of Object.entries(props || {})) {
      if (/^(aria-|data-|role$)/.test(k)) el.setAttribute(k, v);
      else el[k] = v;
    }
    if (kids) el.append(...kids);
    return el;
  };

  // The snippet is HTML in which only <mark> is markup: rebuild it from text nodes.
  const snippet = (html) => {
    const body = PARSER.parseFromString(String(html || ""), "text/html").body;
    return [...body.childNodes].map((node) =>
      node.nodeName === "MARK"
        ? h("mark", "mark", { textContent: node.textContent })
        : document.createTextNode(node.nodeType === 8 ? "" : node.textContent),
    );
  };

  // Attributes limiting every search to a span of publication years or dates, with the
  // API parameter each sets and the form of a valid value (others are ignored).
  const SPAN = {
    "year-from": ["year_from", /^\d{4}$/],
    "year-to": ["year_to", /^\d{4}$/],
    "date-from": ["date_from", /^\d{4}-\d{2}-\d{2}$/],
    "date-to": ["date_to", /^\d{4}-\d{2}-\d{2}$/],
  };

  // The answer card's strings (see _renderAnswer), per language.
  const ANSWER = {
    en: { asOf: "By {date}, report {n}", trend: "Trend: {t}", figure: "This figure over time" },
    be: {
      asOf: "Па стане на {date}, справаздача {n}",
      trend: "Дынаміка: {t}",
      figure: "Гэтая лічба ў часе",
    },
    ru: {
      asOf: "По состоянию на {date}, отчёт {n}",
      trend: "Динамика: {t}",
      figure: "Эта цифра во времени",
    },
  };

  class IapbSearch extends HTMLElement {
    static get observedAttributes() {
      return ["lang", "endpoint", "per-page", "facets", "placeholder", "theme", ...Object.keys(SPAN)];
    }

    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this._seq = 0;
      this._filters = null;
    }

    get _lang() {
      const owner = this.closest("[lang]");
      const code = ((owner && owner.lang) || "en").slice(0, 2).toLowerCase();
      return STRINGS[code] ? code : "en";
    }

    get _base() {
      const given = (this.getAttribute("endpoint") || "").trim();
      return new URL(given ? given.replace(/\/?$/, "/") : BASE, location.href);
    }

    get _facetNames() {
      const given = this.getAttribute("facets");
      const names = given === null ? FACETS : given.toLowerCase().split(/[\s,]+/);
      return names.filter((f, i) => FACETS.includes(f) && names.indexOf(f) === i);
    }

    // The host's span as [parameter, value] pairs.
    get _span() {
      const pairs = [];
      for (const [attr, [param, form]] of Object.entries(SPAN)) {
        const value = (this.getAttribute(attr) || "").trim();
        if (form.test(value)) pairs.push([param, value]);
      }
      return pairs;
    }

    // Whether a year chip lies within the host's year span (other years would match nothing).
    _inSpan(year) {
      const first = parseInt(this.getAttribute("year-from") || "", 10);
      const last = parseInt(this.getAttribute("year-to") || "", 10);
      return !(Number(year) < first) && !(Number(year) > last);
    }

    get _perPage() {
      const n = parseInt(this.getAttribute("per-page") || "", 10);
      return n >= 1 ? Math.min(n, 50) : 5;
    }

    connectedCallback() {
      if (!this._wrap) this._build();
      this._texts();
    }

    disconnectedCallback() {
      clearTimeout(this._timer);
      if (this._ctl) this._ctl.abort();
    }

    attributeChangedCallback(name, old, value) {
      if (!this._wrap || old === value) return;
      this._texts();
      if (this._input.value.trim()) this._search();
    }

    _build() {
      const root = this.shadowRoot;
      if (sheet && "adoptedStyleSheets" in root) root.adoptedStyleSheets = [sheet];
      else root.append(h("style", null, { textContent: CSS }));
      // No language filter at first: every report, shown in the reader's language.
      this._filters = { year: new Set(), topic: new Set(), lang: new Set() };
      this._every = false;
      this._verbatim = false;
      this._input = h("input", "input", {
        type: "search",
        autocomplete: "off",
        spellcheck: false,
        enterKeyHint: "search",
        "aria-controls": "results",
      });
      this._form = h("form", "form", { role: "search" }, [this._input]);
      // Count first, then the compact controls; the filters open below them on demand.
      this._status = h("p", "status", { role: "status" });
      this._toggle = h("button", "filters-toggle", {
        type: "button",
        hidden: true,
        "aria-expanded": "false",
        "aria-controls": "facets",
      });
      this._versions = h("button", "versions", { type: "button", hidden: true, "aria-pressed": "false" });
      this._clearButton = h("button", "clear", { type: "button", hidden: true });
      this._facets = h("div", "facets", { role: "group", id: "facets", hidden: true });
      // What the service searched instead of the words typed, or offers instead.
      this._note = h("p", "corrected", { hidden: true });
      // The figure the query asks for ("how many interviews"), above the hits.
      this._answer = h("section", "answer", { hidden: true });
      this._list = h("ul", "results", { id: "results", hidden: true });
      this._more = h("a", "more", { hidden: true });
      this._wrap = h("div", "container", {}, [
        this._form,
        h("div", "bar", {}, [this._status, this._clearButton, this._toggle, this._versions]),
        this._facets,
        this._note,
        this._answer,
        this._list,
        this._more,
      ]);
      root.append(this._wrap);

      this._input.addEventListener("input", () => {
        this._verbatim = false;
        clearTimeout(this._timer);
        this._timer = setTimeout(() => this._search(), DEBOUNCE_MS);
      });
      this._form.addEventListener("submit", (e) => {
        e.preventDefault();
        this._search();
      });
      this._input.addEventListener("keydown", (e) => {
        if (e.key === "ArrowDown" && this._list.firstChild) {
          e.preventDefault();
          this._focusResult(0);
        } else if (e.key === "Escape") {
          e.preventDefault();
          this._clear();
        }
      });
      this._list.addEventListener("keydown", (e) => this._onListKey(e));
      this._note.addEventListener("click", (e) => {
        const button = e.target.closest("button");
        if (!button) return;
        // "Search instead" searches the words exactly as typed; a suggestion replaces them.
        if (button.dataset.verbatim) this._verbatim = true;
        else {
          this._input.value = button.dataset.q;
          this._verbatim = false;
        }
        this._search();
        this._input.focus();
      });
      this._toggle.addEventListener("click", () => {
        const open = this._facets.hidden;
        this._facets.hidden = !open;
        this._toggle.setAttribute("aria-expanded", String(open));
      });
      this._versions.addEventListener("click", () => {
        this._every = !this._every;
        this._search();
      });
      this._clearButton.addEventListener("click", () => {
        for (const f of FACETS) this._filters[f].clear();
        this._search();
        this._input.focus();
      });
      this._facets.addEventListener("click", (e) => {
        const chip = e.target.closest("button");
        if (!chip) return;
        const values = this._filters[chip.dataset.f];
        const v = chip.dataset.v;
        if (!values.delete(v)) values.add(v);
        this._search();
      });
    }

    get _t() {
      return STRINGS[this._lang];
    }

    _texts() {
      const t = this._t;
      this._wrap.lang = this._lang;
      this._form.setAttribute("aria-label", t.label);
      this._input.setAttribute("aria-label", t.label);
      this._input.placeholder = this.getAttribute("placeholder") || t.placeholder;
      this._facets.setAttribute("aria-label", t.filters);
      this._list.setAttribute("aria-label", t.list);
      this._more.textContent = t.more;
      this._versions.textContent = t.versions;
      this._clearButton.textContent = t.clear;
      this._toggleLabel();
    }

    get _chosen() {
      return FACETS.reduce((n, f) => n + this._filters[f].size, 0);
    }

    _toggleLabel() {
      const n = this._chosen;
      this._toggle.replaceChildren(this._t.filters, n ? h("span", "count", { textContent: `(${n})` }) : "");
    }

    _focusResult(i) {
      const item = this._list.children[i];
      if (item) item.querySelector("a").focus();
    }

    _onListKey(e) {
      const item = e.target.closest("li");
      const i = [...this._list.children].indexOf(item);
      const last = this._list.children.length - 1;
      const onTitle = e.target.getAttribute("part") === "title";
      if (e.key === "ArrowDown") this._focusResult(Math.min(i + 1, last));
      else if (e.key === "ArrowUp") {
        if (!onTitle) this._focusResult(i);
        else if (i > 0) this._focusResult(i - 1);
        else this._input.focus();
      } else if (e.key === "Home") this._focusResult(0);
      else if (e.key === "End") this._focusResult(last);
      else if (e.key === "Escape") {
        this._clear();
        this._input.focus();
      } else return;
      e.preventDefault();
    }

    _clear() {
      this._input.value = "";
      this._search();
    }

    _params(q, api, filtered = true) {
      const p = new URLSearchParams({ q, hl: this._lang });
      if (this._verbatim) p.set("verbatim", "1");
      if (api) {
        p.set("per_page", this._perPage);
        if (!this._every) p.set("collapse", "report");
      } else if (this._every) p.set("collapse", "none");
      for (const [param, value] of this._span) p.set(param, value);
      if (filtered) for (const f of FACETS) for (const v of this._filters[f]) p.append(f, v);
      return p;
    }

    _link(url) {
      try {
        const u = new URL(url, this._base);
        return /^https?:$/.test(u.protocol) ? u.href : "#";
      } catch (e) {
        return "#";
      }
    }

    async _search() {
      clearTimeout(this._timer);
      if (this._ctl) this._ctl.abort();
      // Only the newest request may paint: older answers are aborted or ignored.
      const seq = ++this._seq;
      const q = this._input.value.trim();
      if (!q) return this._show(null, q);
      const ctl = (this._ctl = new AbortController());
      this._wrap.setAttribute("aria-busy", "true");
      let data = null;
      try {
        const url = new URL("api/search?" + this._params(q, true), this._base);
        const res = await fetch(url, {
          signal: ctl.signal,
          credentials: "omit",
          headers: { Accept: "application/json" },
        });
        if (!res.ok) throw new Error("HTTP " + res.status);
        data = await res.json();
        if (!Number(data.total) && this._chosen) {
          // Nothing with the filters: would the query alone find something?
          const all = new URL("api/search?" + this._params(q, true, false), this._base);
          const again = await fetch(all, { signal: ctl.signal, credentials: "omit" });
          if (again.ok) data.unfiltered = Number((await again.json()).total) || 0;
        }
      } catch (e) {
        if (seq !== this._seq) return;
      }
      if (seq !== this._seq) return;
      this._show(data, q, true);
    }

    _show(data, q, searched) {
      const t = this._t;
      const lang = this._lang;
      const num = new Intl.NumberFormat(lang);
      const failed = searched && !(data && Array.isArray(data.results));
      const total = failed || !data ? 0 : Number(data.total) || 0;
      this._wrap.removeAttribute("aria-busy");
      const excluded = !failed && data && !total && Number(data.unfiltered) > 0;
      // After a correction ("torure" searched as "torture") the status names what was searched.
      const fixed = data && data.corrected && typeof data.corrected.to === "string";
      const said = fixed ? data.corrected.to : q;
      let status = "";
      if (failed) status = t.error;
      else if (excluded) status = t.excluded.replace("{q}", said).replace("{n}", num.format(data.unfiltered));
      else if (searched && !total) status = t.none.replace("{q}", said);
      else if (searched) status = t.results[PLURAL[lang](total)].replace("{n}", num.format(total));
      this._status.textContent = status;
      this._status.setAttribute("part", failed ? "status error" : "status");
      this._clearButton.hidden = !(searched && this._chosen && !total && !failed);
      this._versions.hidden = !total;
      this._versions.setAttribute("aria-pressed", String(this._every));
      this._renderFacets(failed || !data ? {} : data.facets || {}, num);
      this._toggleLabel();
      this._toggle.hidden = !this._facets.childElementCount;
      if (this._toggle.hidden) {
        this._facets.hidden = true;
        this._toggle.setAttribute("aria-expanded", "false");
      }
      this._renderNote(failed || !data ? {} : data, t);
      this._renderAnswer(failed || !data ? null : data.answer);
      this._renderResults(failed || !data ? [] : data.results, t);
      this._more.hidden = !total;
      this._more.href = this._link("./?" + this._params(q, false));
    }

    // "Showing results for X. Search instead for Y", or "Did you mean: X?" (buttons), and
    // the prefixes left out.
    _renderNote(data, t) {
      const fill = (text, key, node) => {
        const [before, after] = text.split(key);
        return [before, node, after || ""];
      };
      const button = (text, dataset, tag) =>
        h("button", "correction", { type: "button", ...dataset }, [h(tag, null, { textContent: text })]);
      const c = data.corrected;
      let parts = [];
      if (c && typeof c.to === "string" && typeof c.from === "string") {
        if (c.reason === "layout") parts.push(t.layout, " ");
        parts.push(...fill(t.showing, "{to}", h("strong", null, { textContent: c.to })), " ");
        parts.push(...fill(t.instead, "{from}", button(c.from, { "data-verbatim": "1" }, "em")));
      } else if (typeof data.suggestion === "string" && (!Number(data.total) || data.relaxed)) {
        // Partial matches never hide a suggestion.
        parts = fill(t.suggest, "{s}", button(data.suggestion, { "data-q": data.suggestion }, "span"));
      }
      // Prefixes too short to search ("a*"), which the service left out.
      const ignored = Array.isArray(data.ignored) ? data.ignored.map(String) : [];
      if (ignored.length) parts.push(parts.length ? " " : "", t.ignored.replace("{p}", ignored.join(", ")));
      // The dates the query was read as ("Reports covering October 2024").
      const dates = Array.isArray(data.dates) ? data.dates.map((d) => this._dateLabel(d, t)) : [];
      if (dates.length) parts.push(parts.length ? " " : "", t.dates.replace("{d}", dates.join(", ")));
      this._note.replaceChildren(...parts);
      this._note.hidden = !parts.length;
    }

    // A date of the answer ({from, to, text, month}) in the widget's language: a day, a
    // month, a span of months, or a month of any year; as typed where the browser has no
    // calendar data for the language.
    _dateLabel(d, t) {
      const lang = this._lang;
      const day = (iso) => new Date(String(iso) + "T00:00:00Z");
      const fmt = (opts) => new Intl.DateTimeFormat(lang, { timeZone: "UTC", ...opts });
      if (!fmt({}).resolvedOptions().locale.startsWith(lang)) return String(d.text);
      if (d.from === null || d.from === undefined) {
        const month = Number(d.month);
        if (!(month >= 1 && month <= 12)) return String(d.text);
        return t.anyYear.replace("{m}", fmt({ month: "long" }).format(new Date(Date.UTC(2000, month - 1, 1))));
      }
      const first = day(d.from);
      const last = day(d.to);
      if (isNaN(first) || isNaN(last)) return String(d.text);
      if (d.from === d.to) return fmt({ day: "numeric", month: "long", year: "numeric" }).format(first);
      const months = fmt({ month: "long", year: "numeric" });
      const sameMonth = first.getUTCFullYear() === last.getUTCFullYear() && first.getUTCMonth() === last.getUTCMonth();
      if (sameMonth) return months.format(first);
      return months.formatRange ? months.formatRange(first, last) : `${months.format(first)} – ${months.format(last)}`;
    }

    _renderFacets(facets, num) {
      const active = this.shadowRoot.activeElement;
      const key = active && active.dataset && active.dataset.f + " " + active.dataset.v;
      const groups = [];
      let refocus = null;
      for (const f of this._facetNames) {
        const counts = Array.isArray(facets[f]) ? facets[f] : [];
        const chosen = this._filters[f];
        const shown = new Set();
        const chips = [];
        const chip = (value, label, count) => {
          const v = String(value);
          const on = chosen.has(v);
          if (shown.has(v) || (!count && !on) || (f === "year" && !on && !this._inSpan(v))) return;
          shown.add(v);
          const b = h(
            "button",
            "chip",
            { type: "button", "aria-pressed": String(on), "data-f": f, "data-v": v },
            [
              f === "lang" ? h("span", null, { lang: v, textContent: String(label) }) : String(label),
              h("span", "count", { textContent: num.format(count) }),
            ],
          );
          if (on) b.part.add("chip-selected");
          if (key === f + " " + v) refocus = b;
          chips.push(b);
        };
        for (const c of counts) chip(c.value, f === "lang" ? LANG_NAMES[c.value] || c.label : c.label, Number(c.count) || 0);
        if (counts.length) for (const v of chosen) chip(v, LANG_NAMES[v] || v, 0);
        if (chips.length) {
          groups.push(
            h("div", "facet-group", { role: "group", "aria-label": this._t[f] }, [
              h("span", "facet-label", { textContent: this._t[f], "aria-hidden": "true" }),
              ...chips,
            ]),
          );
        }
      }
      this._facets.replaceChildren(...groups);
      if (refocus) refocus.focus();
    }

    // The answer card: the value, its date and report, the quotation (the number marked),
    // the trend, and links to the paragraph and to the figure's page.
    _renderAnswer(answer) {
      const t = ANSWER[this._lang] || ANSWER.en;
      const ok = answer && typeof answer === "object" && typeof answer.display === "string";
      this._answer.hidden = !ok;
      if (!ok) return this._answer.replaceChildren();
      const [year, month] = String(answer.as_of).split("-").map(Number);
      const day = new Date(Date.UTC(year, (month || 1) - 1, 1));
      const date = isNaN(day)
        ? String(answer.as_of)
        : new Intl.DateTimeFormat(this._lang, { month: "long", year: "numeric", timeZone: "UTC" }).format(day);
      const series = Array.isArray(answer.series) ? answer.series : [];
      const kids = [
        h("p", "meta", { textContent: String(answer.label) }),
        h("p", "answer-value", { textContent: `${answer.display} ${answer.unit || ""}`.trim() }),
        h("p", "meta", { textContent: t.asOf.replace("{date}", date).replace("{n}", String(answer.report)) }),
        h("blockquote", "answer-quote", { lang: String(answer.quote_lang) }, snippet(answer.quote)),
      ];
      if (series.length > 1) kids.push(h("p", "meta", { textContent: t.trend.replace("{t}", String(answer.trend)) }));
      kids.push(
        h("p", "answer-links", {}, [
          h("a", null, { href: this._link(answer.url), textContent: `${answer.display} →` }),
          " · ",
          h("a", null, { href: this._link(answer.figure_url), textContent: t.figure }),
        ]),
      );
      this._answer.replaceChildren(...kids);
    }

    _renderResults(hits, t) {
      const lang = this._lang;
      const intl = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" });
      const own = !intl.resolvedOptions().locale.startsWith(lang);
      const format = (day) =>
        own && lang === "be"
          ? `${day.getUTCDate()} ${BE_MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`
          : intl.format(day);
      const items = hits.map((hit) => {
        const hl = String(hit.lang);
        const day = new Date(hit.date + "T00:00:00Z");
        const meta = h("p", "meta", {}, [
          h("time", null, {
            dateTime: String(hit.date),
            textContent: isNaN(day) ? String(hit.date) : format(day),
          }),
          " · ",
          h("span", null, { lang: hl, textContent: LANG_NAMES[hl] || hl }),
        ]);
        if (hit.translated) meta.append(" · " + t.unofficial);
        const item = h("li", "result", {}, [
          h("a", "title", { href: this._link(hit.url), lang: hl, textContent: String(hit.title) }),
          meta,
          h("p", "snippet", { lang: hl }, snippet(hit.snippet)),
        ]);
        // A partial match (the answer's "relaxed"): the query's parts it lacks, struck.
        const missing = Array.isArray(hit.missing) ? hit.missing : [];
        if (missing.length) {
          const parts = missing.flatMap((w, i) => [i ? ", " : "", h("s", null, { textContent: String(w) })]);
          item.append(h("p", "missing", {}, [t.missing + " ", ...parts]));
        }
        // Best passages of the full report, each with its page ("p. 14") linking to it.
        for (const passage of Array.isArray(hit.passages) ? hit.passages : []) {
          const label = t.page.replace("{n}", String(passage.page));
          const link = h("a", "page", { href: this._link(passage.url), textContent: label });
          item.append(h("p", "passage", { lang: hl }, [link, " ", ...snippet(passage.snippet)]));
        }
        // "Also in": native names in one fixed order (en, be, ru), as on the pages.
        const order = Object.keys(LANG_NAMES);
        const rank = (o) => (order.indexOf(String(o.lang)) + order.length + 1) % (order.length + 1);
        const others = (Array.isArray(hit.other_languages) ? hit.other_languages : [])
          .slice()
          .sort((a, b) => rank(a) - rank(b));
        if (others.length) {
          const links = others.map((o) =>
            h("a", "language", {
              href: this._link(o.url),
              lang: String(o.lang),
              hreflang: String(o.lang),
              title: String(o.title),
              textContent: LANG_NAMES[o.lang] || String(o.lang),
            }),
          );
          const listed = links.flatMap((a, i) => (i ? [", ", a] : [" ", a]));
          item.append(h("p", "languages", {}, [t.also, ...listed]));
        }
        return item;
      });
      this._list.replaceChildren(...items);
      this._list.hidden = !items.length;
    }
  }

  customElements.define("iapb-search", IapbSearch);
})();
