/* SkillSearch front end: plain DOM, no framework.
 * Every string from the API goes through textContent (via el()), never innerHTML,
 * so data can't inject markup. Views are routed on location.hash so back/forward work. */
'use strict';

(function () {
  var PAGE_SIZE = 10;
  var SUGGEST_DELAY_MS = 80;
  var MAX_REASONS = 4;
  var MAX_REASON_CHARS = 90;

  /* title: a key of the message table (web/messages.js). */
  var RELATIONS = [
    { relation: 'essential', knowledge: true, title: 'sec_essential_knowledge' },
    { relation: 'essential', knowledge: false, title: 'sec_essential_skills' },
    { relation: 'optional', knowledge: true, title: 'sec_optional_knowledge' },
    { relation: 'optional', knowledge: false, title: 'sec_optional_skills' }
  ];
  /* The API's skilltype= / reuse= values and what the page calls them. */
  var SKILL_TYPE_FILTERS = [
    { value: 'knowledge', key: 'knowledge', title: 'type_knowledge' },
    { value: 'skill', key: 'skill/competence', title: 'type_skill' }
  ];
  var REUSE_LEVELS = ['occupation-specific', 'sector-specific', 'cross-sector', 'transversal', ''];
  function reuseTitle(level) {
    return REUSE_LEVELS.indexOf(level) >= 0 ? t('reuse_' + (level || 'other').replace(/-/g, '_')) : level;
  }

  /* ---------- languages: the page's words, and which index answers ---------- */

  var MESSAGES = window.SS_MESSAGES || { en: {} };
  var LANG_KEY = 'skillsearch.lang';
  /* The served languages from /health: [{lang, skills, default}], in
   * --index order; empty when the server did not say (one language). */
  var served = [];
  /* The chosen language: results, suggestions and the page's words follow it. */
  var pageLang = 'en';

  function msgLang() { return MESSAGES[pageLang] ? pageLang : 'en'; }

  /* The message KEY with {name} filled from vars. A value that is a DOM
   * node makes the result an array (for el()); a plural entry is chosen
   * by vars.n. */
  function t(key, vars) {
    var table = MESSAGES[msgLang()] || {};
    var m = key in table ? table[key] : (MESSAGES.en || {})[key];
    if (m === undefined) return key;
    if (typeof m === 'object') m = m[new Intl.PluralRules(msgLang()).select(vars ? vars.n : 0)] || m.other;
    if (!vars) return m;
    var nodes = false;
    var parts = m.split(/(\{\w+\})/).map(function (part) {
      var k = /^\{(\w+)\}$/.exec(part);
      if (!k || !(k[1] in vars)) return part;
      var v = vars[k[1]];
      if (v && typeof v === 'object' && v.nodeType) { nodes = true; return v; }
      return typeof v === 'number' ? v.toLocaleString(msgLang()) : String(v);
    });
    return nodes ? parts.filter(function (x) { return x !== ''; }) : parts.join('');
  }

  /* The name of language CODE in the page's language ("French", "anglais"). */
  function langName(code) {
    try {
      return new Intl.DisplayNames([msgLang()], { type: 'language' }).of(code) || code;
    } catch (e) { return code; }
  }

  function servedInfo(code) {
    for (var i = 0; i < served.length; i++) if (served[i].lang === code) return served[i];
    return null;
  }

  /* The language that answers skill questions: the chosen one when its
   * data has skills (ESCO's French download has none), else the first
   * served language that has them. */
  function skillLang() {
    var me = servedInfo(pageLang);
    if (!me || me.skills > 0) return pageLang;
    var other = served.filter(function (l) { return l.skills > 0; })[0];
    return other ? other.lang : pageLang;
  }

  /* A note when skills are shown in another language than the page's. */
  function skillLangNote() {
    var sl = skillLang();
    if (sl === pageLang) return null;
    return el('p', { class: 'notice lang-note' }, t('skills_elsewhere', { lang: langName(sl), here: langName(pageLang) }));
  }

  /* An occupation's label in the page's language when the answer came from
   * another one (the API's labels=). */
  function ownLabel(hit) {
    return hit.labels && hit.labels[pageLang] ? hit.labels[pageLang] : hit.label;
  }

  /* The page's fixed words (data-i18n*) in the chosen language. */
  function applyWords() {
    document.documentElement.lang = pageLang;
    document.querySelectorAll('[data-i18n]').forEach(function (n) { n.textContent = t(n.getAttribute('data-i18n')); });
    ['placeholder', 'aria-label'].forEach(function (attr) {
      document.querySelectorAll('[data-i18n-' + attr + ']').forEach(function (n) {
        n.setAttribute(attr, t(n.getAttribute('data-i18n-' + attr)));
      });
    });
  }

  /* The first of: ?lang= in the page's URL, the last choice, the
   * browser's languages, the server's default. */
  function initialLang() {
    var codes = served.map(function (l) { return l.lang; });
    var want = [new URLSearchParams(location.search).get('lang')];
    try { want.push(localStorage.getItem(LANG_KEY)); } catch (e) { /* storage off */ }
    (navigator.languages || [navigator.language]).forEach(function (l) { want.push(String(l || '').slice(0, 2).toLowerCase()); });
    for (var i = 0; i < want.length; i++) if (want[i] && codes.indexOf(want[i]) >= 0) return want[i];
    return codes.length ? codes[0] : 'en';
  }

  function setLang(code) {
    pageLang = code;
    try { localStorage.setItem(LANG_KEY, code); } catch (e) { /* storage off */ }
    var u = new URL(location.href);
    u.searchParams.set('lang', code);
    history.replaceState(null, '', u.pathname + u.search + u.hash);
    langSelect.value = code;
    applyWords();
  }

  var langMenu = document.getElementById('lang-menu');
  var langSelect = document.getElementById('lang-select');
  langSelect.addEventListener('change', function () {
    setLang(langSelect.value);
    lastMatch = null;
    route();
    announce(t('language') + ': ' + t('lang_name'));
  });

  /* The menu lists the served languages, each in its own name. */
  function fillLangMenu() {
    clear(langSelect);
    served.forEach(function (l) {
      var own = MESSAGES[l.lang] && MESSAGES[l.lang].lang_name;
      if (!own) {
        try { own = new Intl.DisplayNames([l.lang], { type: 'language' }).of(l.lang); } catch (e) { own = l.lang; }
      }
      langSelect.appendChild(el('option', { value: l.lang, lang: l.lang }, own));
    });
    langMenu.hidden = served.length < 2;
  }

  var view = document.getElementById('view');
  var statusBox = document.getElementById('status');
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var list = document.getElementById('suggest-list');

  /* Last job-ad match, so coming back to #/match shows it again without re-posting. */
  var lastMatch = null;
  /* The match options chosen on the page (the API's read_as, min_confidence). */
  var matchOpts = { read_as: 'auto', min_confidence: 0.5 };
  /* Bumped on each route render, so a slow response for an old route is dropped. */
  var renderSeq = 0;

  /* ---------- DOM helpers ---------- */

  /* el('a', {href: '#'}, 'text', child...): attributes are set with setAttribute,
   * strings become text nodes; null/undefined/false children are skipped. */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') node.className = v;
        else if (k.slice(0, 2) === 'on' && typeof v === 'function') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'string' || typeof child === 'number'
      ? document.createTextNode(String(child)) : child);
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function announce(msg) {
    statusBox.textContent = '';
    setTimeout(function () { statusBox.textContent = msg; }, 30);
  }

  function idHref(kind, id) { return '#/' + kind + '/' + encodeURIComponent(id); }

  /* ---------- API ---------- */

  function ApiError(status, code, message) {
    this.status = status; this.code = code; this.message = message;
  }

  /* lang: the language that answers (default: the page's); sent only
   * when the server serves several. */
  function api(path, opts, lang) {
    if (served.length > 1) path += (path.indexOf('?') >= 0 ? '&' : '?') + 'lang=' + encodeURIComponent(lang || pageLang);
    return fetch(path, opts).then(function (res) {
      return res.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = data && data.error ? data.error : {};
          throw new ApiError(res.status, err.code || 'http_' + res.status,
            err.message || t('err_status', { status: String(res.status) }));
        }
        if (data === null) throw new ApiError(res.status, 'bad_json', t('err_json'));
        return data;
      });
    });
  }

  function query(params) {
    return Object.keys(params).filter(function (k) {
      return params[k] !== '' && params[k] !== null && params[k] !== undefined;
    }).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
  }

  /* inLive: shown inside an aria-live region, which announces it: no role=alert. */
  function errorBox(err, inLive) {
    if (!(err instanceof ApiError) && window.console) console.error(err);
    var msg = err instanceof ApiError ? err.message : t('err_network');
    var title = err instanceof ApiError && err.status === 404 ? t('err_not_found') : t('err_title');
    return el('div', { class: 'notice notice-error', role: inLive ? null : 'alert' },
      el('strong', null, title), el('p', null, msg));
  }

  function loading(text) {
    return el('p', { class: 'loading', 'aria-busy': 'true' }, text || t('loading'));
  }

  /* ---------- text helpers ---------- */

  /* Lower-case and strip accents, so "Café" highlights for the term "cafe". */
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  /* Label with every word that starts with a matched term wrapped in <mark>.
   * Prefix match because the server may report stems ("bond" for "bonding"). */
  function highlightTerms(label, terms) {
    var folded = (terms || []).map(function (t) { return fold(String(t)); })
      .filter(function (t) { return t.length > 0; });
    if (!folded.length) return [label];
    var out = [];
    var re = /[\p{L}\p{N}]+/gu;
    var last = 0, m;
    while ((m = re.exec(label)) !== null) {
      var w = fold(m[0]);
      var hit = folded.some(function (t) { return w.indexOf(t) === 0; });
      if (!hit) continue;
      if (m.index > last) out.push(label.slice(last, m.index));
      out.push(el('mark', null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < label.length) out.push(label.slice(last));
    return out;
  }

  /* Map each UTF-8 byte offset that starts a code point to its UTF-16 index.
   * Offsets inside a code point resolve to the start of that code point. */
  function byteToIndexMap(text) {
    var enc = new TextEncoder();
    var map = new Int32Array(enc.encode(text).length + 1);
    var byte = 0, idx = 0;
    for (var ch of text) {
      var n = enc.encode(ch).length;
      for (var k = 0; k < n; k++) map[byte + k] = idx;
      byte += n;
      idx += ch.length;
    }
    map[byte] = idx;
    return map;
  }

  /* Text with the recognised skill spans (byte offsets) marked; overlapping spans are skipped.
   * A label named wins over a sentence linked by meaning (how: "sentence"), which is marked
   * as a whole sentence in its own style. */
  function highlightSpans(text, skills) {
    var map = byteToIndexMap(text);
    var maxByte = map.length - 1;
    var valid = (skills || []).filter(function (s) {
      return Number.isInteger(s.start) && Number.isInteger(s.end) &&
        s.start >= 0 && s.end > s.start && s.end <= maxByte;
    });
    var named = valid.filter(function (s) { return s.how !== 'sentence'; });
    var spans = named.concat(valid.filter(function (s) {
      return s.how === 'sentence' && !named.some(function (l) { return l.start < s.end && s.start < l.end; });
    })).sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var out = [], pos = 0;
    spans.forEach(function (s) {
      var a = map[s.start], b = map[s.end];
      if (a < pos || b <= a) return;
      if (a > pos) out.push(text.slice(pos, a));
      var tip = typeof s.confidence === 'number'
        ? t('confidence', { label: s.label, pct: Math.round(s.confidence * 100) }) : s.label;
      if (s.how === 'sentence') tip += ' · ' + t('by_meaning');
      out.push(el('mark', { class: 'skill-mark' + (s.how === 'sentence' ? ' sentence-mark' : ''), title: tip },
        el('a', { href: idHref('skill', s.id) }, text.slice(a, b))));
      pos = b;
    });
    if (pos < text.length) out.push(text.slice(pos));
    return out;
  }

  /* ---------- suggestions (ARIA combobox) ---------- */

  /* Wires input (role=combobox) to list (role=listbox): suggestions from
   * GET /suggest while typing, arrow keys move, Enter picks, Escape closes.
   * opts: params (extra /suggest parameters), lang() (the language asked,
   * default the page's), choose(item) when one is picked,
   * pickFirst (Enter with no active option picks the first one and never
   * submits the form). Returns { close, cancel }. */
  function combobox(input, list, opts) {
    var st = { timer: 0, seq: 0, items: [], active: -1, ctrl: null };
    var prefix = list.id + '-';

    function close() {
      st.items = [];
      st.active = -1;
      clear(list);
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    function setActive(i) {
      var nodes = list.querySelectorAll('[role="option"]');
      nodes.forEach(function (o, k) { o.setAttribute('aria-selected', k === i ? 'true' : 'false'); });
      st.active = i;
      if (i >= 0 && nodes[i]) {
        input.setAttribute('aria-activedescendant', nodes[i].id);
        nodes[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function render(items, q) {
      clear(list);
      st.items = items;
      st.active = -1;
      input.removeAttribute('aria-activedescendant');
      if (!items.length) { close(); return; }
      var terms = q.split(/\s+/);
      items.forEach(function (s, i) {
        list.appendChild(el('li', {
          id: prefix + i, role: 'option', 'aria-selected': 'false', class: 'suggest-item',
          onmousedown: function (ev) { ev.preventDefault(); choose(i); },
          onmousemove: function () { if (st.active !== i) setActive(i); }
        },
          el('span', { class: 'suggest-text' },
            el('span', { class: 'suggest-label' }, highlightTerms(s.label, terms)),
            s.preferred && s.preferred !== s.label ? el('span', { class: 'suggest-pref' }, s.preferred) : null),
          el('span', { class: 'badge badge-' + (s.type === 'skill' ? 'skill' : 'occ') },
            s.type === 'skill' ? t('badge_skill') : t('badge_occupation'))));
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function request() {
      var q = input.value.trim();
      clearTimeout(st.timer);
      if (q.length < 2) { close(); return; }
      st.timer = setTimeout(function () {
        var seq = ++st.seq;
        if (st.ctrl) st.ctrl.abort();
        st.ctrl = typeof AbortController === 'function' ? new AbortController() : null;
        api('/suggest?' + query(Object.assign({ q: q }, opts.params)), st.ctrl ? { signal: st.ctrl.signal } : undefined,
          opts.lang ? opts.lang() : undefined)
          .then(function (data) {
            if (seq !== st.seq || document.activeElement !== input) return;
            render(Array.isArray(data.suggestions) ? data.suggestions : [], q);
          })
          .catch(function () { if (seq === st.seq) close(); });
      }, SUGGEST_DELAY_MS);
    }

    function cancel() {
      clearTimeout(st.timer);
      st.seq++;
      close();
    }

    function choose(i) {
      var s = st.items[i];
      if (!s) return;
      cancel();
      opts.choose(s);
    }

    input.addEventListener('input', request);
    input.addEventListener('blur', function () { setTimeout(close, 100); });
    input.addEventListener('keydown', function (ev) {
      var open = !list.hidden && st.items.length > 0;
      var n = st.items.length;
      if (ev.key === 'ArrowDown') {
        ev.preventDefault();
        if (!open) { request(); return; }
        setActive(st.active + 1 >= n ? 0 : st.active + 1);
      } else if (ev.key === 'ArrowUp') {
        if (!open) return;
        ev.preventDefault();
        setActive(st.active <= 0 ? n - 1 : st.active - 1);
      } else if (ev.key === 'Enter') {
        if (open && st.active >= 0) { ev.preventDefault(); choose(st.active); }
        else if (opts.pickFirst) { ev.preventDefault(); if (open) choose(0); }
      } else if (ev.key === 'Escape') {
        if (open) { ev.preventDefault(); cancel(); }
      }
    });
    return { close: close, cancel: cancel };
  }

  var searchCombo = combobox(input, list, {
    params: {},
    choose: function (s) {
      input.value = s.preferred || s.label;
      location.hash = idHref(s.type === 'skill' ? 'skill' : 'occupation', s.id);
    }
  });

  function currentType() {
    var r = form.querySelector('input[name="type"]:checked');
    return r ? r.value : 'occupation';
  }

  function setType(t) {
    var r = form.querySelector('input[name="type"][value="' + (t === 'skill' ? 'skill' : 'occupation') + '"]');
    if (r) r.checked = true;
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    searchCombo.cancel();
    var q = input.value.trim();
    if (!q) { input.focus(); return; }
    go(searchHash({ q: q, type: currentType() }));
  });

  /* Switching the toggle re-runs the current search in the other index. */
  form.addEventListener('change', function (ev) {
    if (ev.target.name !== 'type') return;
    var q = input.value.trim();
    if (q) go(searchHash({ q: q, type: currentType() }));
  });

  /* ---------- routing ---------- */

  function searchHash(p) {
    return '#/search?' + query({
      q: p.q, type: p.type === 'skill' ? 'skill' : 'occupation',
      isco: p.isco || '', skilltype: p.type === 'skill' ? p.skilltype || '' : '',
      reuse: p.type === 'skill' ? p.reuse || '' : '', offset: p.offset ? p.offset : ''
    });
  }

  /* Setting the same hash fires no hashchange, so re-render by hand then. */
  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  function parseHash() {
    var h = location.hash.replace(/^#\/?/, '');
    var qi = h.indexOf('?');
    var path = qi >= 0 ? h.slice(0, qi) : h;
    var params = {};
    if (qi >= 0) {
      new URLSearchParams(h.slice(qi + 1)).forEach(function (v, k) { params[k] = v; });
    }
    var parts = path.split('/').filter(Boolean).map(function (p) {
      try { return decodeURIComponent(p); } catch (e) { return p; }
    });
    return { parts: parts, params: params };
  }

  function setNav(which) {
    document.querySelectorAll('[data-nav]').forEach(function (a) {
      if (a.getAttribute('data-nav') === which) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }

  function show(nodes, focusHeading) {
    clear(view);
    append(view, nodes);
    if (focusHeading) {
      var h = view.querySelector('h1');
      if (h) { h.setAttribute('tabindex', '-1'); h.focus({ preventScroll: true }); }
      window.scrollTo(0, 0);
    }
  }

  function route() {
    var r = parseHash();
    var seq = ++renderSeq;
    searchCombo.close();
    var head = r.parts[0] || '';
    if (head === 'search' && r.params.q) {
      setNav('search');
      renderSearch(r.params, seq);
    } else if (head === 'occupation' && r.parts[1]) {
      setNav('');
      renderOccupation(r.parts[1], seq, r.params);
    } else if (head === 'skill' && r.parts[1]) {
      setNav('');
      renderSkill(r.parts[1], seq);
    } else if (head === 'match') {
      setNav('match');
      renderMatch();
    } else if (head === 'fit') {
      setNav('fit');
      renderFit();
    } else {
      setNav('search');
      renderHome();
    }
  }

  window.addEventListener('hashchange', route);

  /* ---------- shared result rendering ---------- */

  function majorLabel(facets, code) {
    var isco = facets && Array.isArray(facets.isco) ? facets.isco : [];
    var major = String(code || '').charAt(0);
    for (var i = 0; i < isco.length; i++) if (String(isco[i].key) === major) return isco[i].label;
    /* ISCO-08 major groups from the message table when a response (e.g. /match) carries no facets */
    return /^[0-9]$/.test(major) ? t('isco_' + major) : '';
  }

  /* highlight: a search result (terms marked, title an h2 under the page's h1);
   * else a match result under the view's h2. */
  function resultCard(hit, facets, highlight) {
    var isSkill = hit.type === 'skill';
    var href = idHref(isSkill ? 'skill' : 'occupation', hit.id);
    var meta = [];
    if (isSkill) {
      meta.push(el('span', { class: 'badge badge-skill' }, t('badge_skill')));
    } else {
      if (hit.isco) {
        var ml = majorLabel(facets, hit.isco);
        meta.push(el('span', { class: 'isco' },
          el('span', { class: 'isco-code' }, 'ISCO ' + hit.isco), ml ? ' · ' + ml : ''));
      }
    }
    var reasons = Array.isArray(hit.reasons) ? hit.reasons.slice(0, MAX_REASONS) : [];
    return el('li', { class: 'result card' },
      el(highlight ? 'h2' : 'h3', { class: 'result-title' },
        el('a', { href: href }, highlight ? highlightTerms(hit.label, hit.matched) : hit.label)),
      el('p', { class: 'result-meta' }, meta),
      reasons.length ? el('ul', { class: 'reasons', 'aria-label': t('why_matches') },
        reasons.map(function (r) { return reasonItem(String(r), hit.matched); })) : null);
  }

  /* "kind: text" -> muted kind, text clipped, matched terms in bold.
   * Clipped because a reason may quote a whole job ad. */
  function reasonItem(r, matched) {
    var colon = r.indexOf(': ');
    var kind = colon > 0 && colon < 40 ? r.slice(0, colon) : '';
    var text = kind ? r.slice(colon + 2) : r;
    if (text.length > MAX_REASON_CHARS) text = text.slice(0, MAX_REASON_CHARS).replace(/\s+\S*$/, '') + '…';
    return el('li', { title: r.length > MAX_REASON_CHARS ? r.slice(0, 500) : null },
      kind ? el('span', { class: 'reason-kind' }, kind + ': ') : null,
      highlightTerms(text, matched));
  }

  /* ---------- home ---------- */

  function renderHome() {
    document.title = t('site_title');
    show([
      el('section', { class: 'hero' },
        el('h1', null, t('home_h1')),
        el('p', { class: 'lead' }, t('home_lead'))),
      el('div', { class: 'home-grid' },
        el('a', { class: 'card tile', href: searchHash({ q: t('home_search_q'), type: 'occupation' }) },
          el('h2', null, t('home_search_h')),
          el('p', null, t('home_search_p', { q: t('home_search_q') }))),
        el('a', { class: 'card tile', href: searchHash({ q: t('home_skills_q'), type: 'skill' }) },
          el('h2', null, t('home_skills_h')),
          el('p', null, t('home_skills_p'))),
        el('a', { class: 'card tile', href: '#/match' },
          el('h2', null, t('home_match_h')),
          el('p', null, t('home_match_p'))),
        el('a', { class: 'card tile', href: '#/fit' },
          el('h2', null, t('home_fit_h')),
          el('p', null, t('home_fit_p'))))
    ], false);
  }

  /* ---------- search ---------- */

  function renderSearch(p, seq) {
    var type = p.type === 'skill' ? 'skill' : 'occupation';
    var offset = Math.max(0, parseInt(p.offset, 10) || 0);
    var isco = p.isco || '';
    var skilltype = type === 'skill' ? p.skilltype || '' : '';
    var reuse = type === 'skill' ? p.reuse || '' : '';
    if (document.activeElement !== input) input.value = p.q;
    setType(type);
    document.title = t('page_title', { title: p.q });
    show(loading(t('searching')), false);
    api('/search?' + query({ q: p.q, type: type, limit: PAGE_SIZE, offset: offset, isco: isco,
      skilltype: skilltype, reuse: reuse }), undefined, type === 'skill' ? skillLang() : pageLang)
      .then(function (data) {
        if (seq !== renderSeq) return;
        show(searchResults(data, { q: p.q, type: type, offset: offset, isco: isco,
          skilltype: skilltype, reuse: reuse }), false);
        announce(resultSummary(data, offset));
      })
      .catch(function (err) { if (seq === renderSeq) show(errorBox(err), false); });
  }

  function resultSummary(data, offset) {
    var n = Array.isArray(data.results) ? data.results.length : 0;
    var total = Math.max(data.total_estimate || 0, offset + n);
    if (!n) return t('no_results');
    return t(total > offset + n ? 'showing_about' : 'showing', { from: offset + 1, to: offset + n, total: total });
  }

  function searchResults(data, p) {
    var results = Array.isArray(data.results) ? data.results : [];
    var facets = data.facets || {};
    var isOcc = p.type === 'occupation';
    var nodes = [];

    var header = el('div', { class: 'results-header' },
      el('h1', { class: 'results-title' },
        t(isOcc ? 'results_occupations' : 'results_skills', { q: el('q', null, p.q) })),
      el('p', { class: 'results-count' }, resultSummary(data, p.offset)));
    nodes.push(header);
    if (!isOcc) nodes.push(skillLangNote());

    if (data.suggestion) {
      nodes.push(el('p', { class: 'did-you-mean' }, t('did_you_mean',
        { q: el('a', { href: searchHash({ q: data.suggestion, type: p.type }) }, data.suggestion) })));
    }

    var side = facetPanel(facets, p);
    var main = el('div', { class: 'results-main' });
    if (!results.length) {
      main.appendChild(el('div', { class: 'notice' },
        el('strong', null, t('no_results')),
        el('p', null, t(p.isco || p.skilltype || p.reuse ? 'try_no_filter' : isOcc ? 'try_skills' : 'try_occupations'))));
    } else {
      main.appendChild(el('ol', { class: 'results', start: p.offset + 1 },
        results.map(function (h) { return resultCard(h, facets, true); })));
      append(main, pager(data, p, results.length));
    }
    nodes.push(el('div', { class: 'results-layout' + (side ? '' : ' no-side') }, side, main));
    return nodes;
  }

  function facetLink(p, change, on, label, count) {
    return el('li', null, el('a', {
      class: 'facet' + (on ? ' is-active' : ''),
      href: searchHash(Object.assign({}, p, { offset: 0 }, change)),
      'aria-current': on ? 'true' : null
    }, el('span', { class: 'facet-label' }, label), el('span', { class: 'facet-count' }, String(count))));
  }

  function facetPanel(facets, p) {
    var isOcc = p.type === 'occupation';
    var groups = [];
    if (isOcc) {
      var isco = Array.isArray(facets.isco) ? facets.isco : [];
      if (isco.length || p.isco) {
        groups.push({ title: t('facet_isco'), rows: isco.map(function (f) {
          var on = String(f.key) === p.isco;
          return facetLink(p, { isco: on ? '' : f.key }, on,
            [el('span', { class: 'facet-code' }, String(f.key)), ' ', f.label], f.count);
        }) });
      }
    } else {
      var types = Array.isArray(facets.skill_type) ? facets.skill_type : [];
      var reuse = Array.isArray(facets.reuse) ? facets.reuse : [];
      var chosenType = SKILL_TYPE_FILTERS.filter(function (t) { return t.value === p.skilltype; })[0];
      if (types.length || p.skilltype) {
        groups.push({ title: t('facet_skill_type'), rows: types.map(function (f) {
          var t = SKILL_TYPE_FILTERS.filter(function (x) { return x.key === f.key; })[0];
          var on = !!chosenType && chosenType.key === f.key;
          return facetLink(p, { skilltype: on || !t ? '' : t.value }, on, typeName(f.key), f.count);
        }) });
      }
      if (reuse.length || p.reuse) {
        groups.push({ title: t('facet_reuse'), rows: reuse.map(function (f) {
          var on = f.key === p.reuse;
          return facetLink(p, { reuse: on ? '' : f.key }, on, reuseTitle(f.key), f.count);
        }) });
      }
    }
    if (!groups.length) return null;
    var active = p.isco || p.skilltype || p.reuse;
    /* Folded on narrow screens so the results stay in view; open when a filter is on. */
    var wide = !window.matchMedia || window.matchMedia('(min-width: 901px)').matches;
    return el('aside', { class: 'facets card', 'aria-label': t('filters') },
      el('details', { open: wide || !!active },
        el('summary', { class: 'facets-title' }, groups[0].title),
        active ? el('a', { class: 'clear-filter', href: searchHash({ q: p.q, type: p.type }) },
          t('clear_filters')) : null,
        groups.map(function (g, i) {
          return [i ? el('h2', { class: 'facets-title facets-sub' }, g.title) : null,
            el('ul', { class: 'facet-list', 'aria-label': g.title }, g.rows)];
        })));
  }

  function pager(data, p, n) {
    var total = data.total_estimate || 0;
    var hasPrev = p.offset > 0;
    var hasNext = p.offset + n < total && n >= PAGE_SIZE;
    if (!hasPrev && !hasNext) return null;
    var page = Math.floor(p.offset / PAGE_SIZE) + 1;
    var pages = Math.max(page, Math.ceil(total / PAGE_SIZE));
    return el('nav', { class: 'pager', 'aria-label': t('pagination') },
      hasPrev ? el('a', { class: 'btn', rel: 'prev',
        href: searchHash(Object.assign({}, p, { offset: Math.max(0, p.offset - PAGE_SIZE) })) },
      t('previous')) : el('span', { class: 'btn is-disabled', 'aria-disabled': 'true' }, t('previous')),
      el('span', { class: 'pager-info' }, t('page_of', { page: page, pages: pages })),
      hasNext ? el('a', { class: 'btn', rel: 'next',
        href: searchHash(Object.assign({}, p, { offset: p.offset + PAGE_SIZE })) },
      t('next')) : el('span', { class: 'btn is-disabled', 'aria-disabled': 'true' }, t('next')));
  }

  /* ---------- occupation page ---------- */

  /* f: the lists' filters and grouping; the API's own parameter names, so the
   * page's hash and the request share one query string. */
  function occupationPath(id, f) {
    var qs = query({ group: f.group === 'skillgroup' ? 'skillgroup' : '',
      skilltype: f.skilltype || '', reuse: f.reuse || '' });
    return encodeURIComponent(id) + (qs ? '?' + qs : '');
  }

  function renderOccupation(id, seq, params) {
    params = params || {};
    var f = { skilltype: params.skilltype || '', reuse: params.reuse || '',
      group: params.group === 'skillgroup' ? 'skillgroup' : '' };
    show(loading(t('loading_occupation')), false);
    api('/occupations/' + occupationPath(id, f))
      .then(function (o) {
        /* no skills in the page's language: its words, another's skills */
        var sl = skillLang();
        if (sl === pageLang || (o.counts && o.counts.total)) return [o, o];
        return api('/occupations/' + occupationPath(id, f), undefined, sl)
          .then(function (so) { return [o, so]; }, function () { return [o, o]; });
      })
      .then(function (both) {
        if (!both || seq !== renderSeq) return;
        document.title = t('page_title', { title: both[0].label });
        show(occupationPage(both[0], seq, f, both[1]), true);
      })
      .catch(function (err) { if (seq === renderSeq) show([backLink(), errorBox(err)], true); });
  }

  function backLink() {
    return el('p', { class: 'back' }, el('a', {
      href: '#/', onclick: function (ev) {
        if (history.length > 1) { ev.preventDefault(); history.back(); }
      }
    }, t('back')));
  }

  function altLabels(labels) {
    if (!Array.isArray(labels) || !labels.length) return null;
    return el('section', { class: 'alt-labels' },
      el('h2', { class: 'h-small' }, t('alt_labels')),
      cappedList(labels, 12, function (a) { return el('li', { class: 'chip' }, a); }, 'chips'));
  }

  /* o in the page's language; so the same occupation from the language
   * that has its skills (o itself when the page's has them). */
  function occupationPage(o, seq, filters, so) {
    var crumbs = Array.isArray(o.isco_path) ? o.isco_path : [];
    var f = filters || {};
    so = so || o;

    var head = el('header', { class: 'page-head' },
      backLink(),
      crumbs.length ? el('nav', { class: 'breadcrumbs', 'aria-label': t('isco_classification') },
        el('ol', null, crumbs.map(function (c, i) {
          return el('li', { 'aria-current': i === crumbs.length - 1 ? 'location' : null },
            el('span', { class: 'crumb-code' }, String(c.code)), ' ', c.label || '');
        }))) : null,
      el('p', { class: 'kicker' }, t('kicker_occupation'), o.code ? t('esco_code', { code: o.code }) : ''),
      el('h1', null, o.label),
      o.description ? el('p', { class: 'description' }, o.description) : null,
      el('p', { class: 'page-actions' },
        jumpButton(t('similar_roles'), 'similar-h'), jumpButton(t('compare_profile'), 'profile-text')));

    var overview = el('section', { class: 'skills-overview' },
      el('h2', null, t('skills_and_competences')), so !== o ? skillLangNote() : null, skillFilters(so, f),
      skillLists(so, f));
    return [head, altLabels(o.alt_labels), overview, similarSection(o, seq), compareSection(o)];
  }

  /* Type and reuse-level filters and the grouping of the skill lists: the
   * lists reload in place (focus stays on the control), the URL keeps the choice. */
  var listSeq = 0;
  function skillFilters(o, f) {
    function pick(name, label, options, value) {
      var id = 'filter-' + name;
      return el('span', { class: 'filter-field' },
        el('label', { for: id }, label),
        el('select', { id: id, name: name },
          el('option', { value: '' }, t('filter_all')),
          options.map(function (x) {
            return el('option', { value: x.value, selected: x.value === value ? 'selected' : null }, t(x.title));
          })));
    }
    var formEl = el('form', { class: 'skill-filters', 'aria-label': t('filter_lists') },
      pick('skilltype', t('filter_type'), SKILL_TYPE_FILTERS, f.skilltype),
      pick('reuse', t('facet_reuse'), REUSE_LEVELS.filter(Boolean).map(function (l) {
        return { value: l, title: 'reuse_' + l.replace(/-/g, '_') };
      }), f.reuse),
      el('span', { class: 'filter-field' },
        el('label', { for: 'filter-group' }, t('group_by')),
        el('select', { id: 'filter-group', name: 'group' },
          el('option', { value: '' }, t('group_relation')),
          el('option', { value: 'skillgroup', selected: f.group === 'skillgroup' ? 'selected' : null },
            t('group_skillgroup')))));
    formEl.addEventListener('submit', function (ev) { ev.preventDefault(); });
    formEl.addEventListener('change', function () {
      var els = formEl.elements;
      var nf = { skilltype: els.skilltype.value, reuse: els.reuse.value, group: els.group.value };
      /* arrowing through a select fires a change per option: only the last answer counts */
      var seq = renderSeq, mine = ++listSeq;
      history.replaceState(null, '', '#/occupation/' + occupationPath(o.id, nf));
      api('/occupations/' + occupationPath(o.id, nf), undefined, skillLang())
        .then(function (fresh) {
          if (seq !== renderSeq || mine !== listSeq) return;
          var old = formEl.parentNode.querySelector('.skill-lists');
          if (old) old.parentNode.replaceChild(skillLists(fresh, nf), old);
          var c = fresh.counts || {};
          var n = Array.isArray(fresh.skill_groups) ? fresh.skill_groups.length : 0;
          announce(t('skills_shown', { n: c.total || 0 }) +
            (nf.group === 'skillgroup' && c.total ? ' · ' + t('groups_shown', { n: n }) : ''));
        })
        .catch(function (err) { announce(err.message || t('filter_failed')); });
    });
    return formEl;
  }

  /* f: the filters and grouping the lists were asked with (occupationPath's). */
  function skillLists(o, f) {
    var filtered = !!(f.skilltype || f.reuse);
    var byGroup = f.group === 'skillgroup';
    var groups = Array.isArray(o.skill_groups) ? o.skill_groups : [];
    var counts = o.counts || {};
    var listed = groups.reduce(function (n, g) { return n + (g.skills ? g.skills.length : 0); }, 0);
    var total = typeof counts.total === 'number' ? counts.total : listed;
    var summary = el('p', { class: 'totals', 'data-total': total,
      'data-essential': counts.essential || 0, 'data-optional': counts.optional || 0 },
    el('strong', null, t('skills_knowledge', { n: total })),
    t('essential_optional', { essential: counts.essential || 0, optional: counts.optional || 0 }));

    var sections = byGroup ? groups.map(groupSection).filter(Boolean) : RELATIONS.map(function (sec) {
      var mine = groups.filter(function (g) {
        return g.relation === sec.relation && (g.skill_type === 'knowledge') === sec.knowledge;
      });
      return skillSection(sec, mine);
    }).filter(Boolean);

    return el('div', { class: 'skill-lists' + (byGroup ? ' by-group' : ''), 'data-grouping': byGroup ? 'skillgroup' : 'relation' },
      summary,
      !sections.length ? el('p', { class: 'muted' }, t(filtered ? 'no_skills_filtered' : 'no_skills'))
        : byGroup ? el('div', { class: 'group-grid' }, sections) : sections);
  }

  /* One ESCO skill group (the API's group=skillgroup): each skill says its own relation. */
  function groupSection(g, i) {
    var skills = Array.isArray(g.skills) ? g.skills : [];
    if (!skills.length) return null;
    var info = g.group || {};
    var slug = 'skill-group-' + i;
    return el('section', { class: 'skill-section skill-group card', id: slug, 'data-group': info.uri || 'other',
      'data-count': skills.length, 'aria-labelledby': slug + '-h' },
    el('h3', { id: slug + '-h' },
      info.code ? [el('span', { class: 'crumb-code' }, info.code), ' '] : null,
      /* skills in no group come last, under "other" from the API: the page's own word */
      info.uri ? info.label : t('group_other'),
      el('span', { class: 'count' }, String(skills.length))),
    el('ul', { class: 'skill-list' }, skills.map(function (s) { return skillItem(s, true); })));
  }

  /* A button, not an in-page link: "#id" hrefs would be taken for routes. */
  function jumpButton(text, targetId) {
    return el('button', { type: 'button', class: 'btn btn-small', onclick: function () {
      var t = document.getElementById(targetId);
      if (!t) return;
      if (!t.matches('input, textarea, button, a')) t.setAttribute('tabindex', '-1');
      t.scrollIntoView({ block: 'center' });
      t.focus({ preventScroll: true });
    } }, text);
  }

  function skillSection(sec, groups) {
    var n = groups.reduce(function (k, g) { return k + (g.skills ? g.skills.length : 0); }, 0);
    if (!n) return null;
    var slug = sec.relation + '-' + (sec.knowledge ? 'knowledge' : 'skills');
    var byLevel = REUSE_LEVELS.map(function (lvl) {
      var skills = [];
      groups.forEach(function (g) {
        if ((REUSE_LEVELS.indexOf(g.reuse_level) >= 0 ? g.reuse_level : '') === lvl) skills = skills.concat(g.skills || []);
      });
      if (!skills.length) return null;
      return el('div', { class: 'reuse-group', 'data-reuse': lvl || 'other' },
        el('h4', { class: 'reuse-title' }, reuseTitle(lvl), el('span', { class: 'count' }, String(skills.length))),
        el('ul', { class: 'skill-list' }, skills.map(function (s) { return skillItem(s, false); })));
    }).filter(Boolean);
    return el('section', { class: 'skill-section card', id: slug, 'data-relation': sec.relation,
      'data-count': n, 'aria-labelledby': slug + '-h' },
    el('h3', { id: slug + '-h' }, t(sec.title), el('span', { class: 'count' }, String(n))),
    byLevel);
  }

  var descSeq = 0;
  /* withRelation: show the essential/optional badge (lists not split by relation). */
  function skillItem(s, withRelation) {
    var descId = 'desc-' + (++descSeq);
    var desc = s.description ? el('p', { class: 'skill-desc', id: descId, hidden: true }, s.description) : null;
    var toggle = s.description ? el('button', {
      type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-controls': descId,
      'aria-label': t('show_description', { label: s.label }),
      onclick: function () {
        var open = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
        toggle.setAttribute('aria-label', t(open ? 'show_description' : 'hide_description', { label: s.label }));
        desc.hidden = open;
      }
    }, el('span', { class: 'chev', 'aria-hidden': 'true' })) : null;
    return el('li', { class: 'skill-item' },
      el('div', { class: 'skill-row' },
        el('a', { href: idHref('skill', s.id), class: 'skill-link' }, s.label),
        withRelation && s.relation ? relationBadge(s) : null, toggle),
      desc);
  }

  /* ---------- similar roles ---------- */

  var SIMILAR_LIMIT = 6;
  var TO_LEARN_SHOWN = 4;

  /* A list with the first cap items shown and a button that shows or hides the rest. */
  var foldSeq = 0;
  function foldedList(items, cap, render, cls) {
    var id = 'fold-' + (++foldSeq);
    var ul = el('ul', { class: cls, id: id }, items.map(function (it, i) {
      var li = render(it);
      if (i >= cap) li.hidden = true;
      return li;
    }));
    if (items.length <= cap) return ul;
    var more = items.length - cap;
    var btn = el('button', { type: 'button', class: 'btn btn-small btn-link', 'aria-expanded': 'false', 'aria-controls': id,
      onclick: function () {
        var open = btn.getAttribute('aria-expanded') === 'true';
        Array.prototype.forEach.call(ul.children, function (li, i) { if (i >= cap) li.hidden = open; });
        btn.setAttribute('aria-expanded', open ? 'false' : 'true');
        btn.textContent = open ? t('show_more', { n: more }) : t('show_fewer');
      } }, t('show_more', { n: more }));
    return [ul, btn];
  }

  function skillChip(s) {
    return el('li', null, el('a', { class: 'chip chip-link', href: idHref('skill', s.id) }, s.label));
  }

  function similarSection(o, seq) {
    var body = el('div', { class: 'similar-body' }, loading(t('finding_similar')));
    var sl = skillLang();
    api('/occupations/' + encodeURIComponent(o.id) + '/similar?' +
      query({ limit: SIMILAR_LIMIT, labels: sl !== pageLang ? pageLang : '' }), undefined, sl)
      .then(function (data) {
        if (seq !== renderSeq) return;
        clear(body);
        append(body, similarList(o, Array.isArray(data.results) ? data.results : []));
      })
      .catch(function (err) { if (seq === renderSeq) { clear(body); body.appendChild(errorBox(err)); } });
    return el('section', { class: 'card similar', 'aria-labelledby': 'similar-h' },
      el('h2', { id: 'similar-h' }, t('similar_roles')),
      el('p', { class: 'hint' }, t('similar_hint', { label: o.label })),
      body);
  }

  function similarList(o, results) {
    if (!results.length) return el('p', { class: 'muted' }, t('no_similar'));
    return el('ol', { class: 'similar-list' }, results.map(function (r) {
      var shared = Array.isArray(r.shared) ? r.shared : [];
      var learn = Array.isArray(r.to_learn) ? r.to_learn : [];
      return el('li', { class: 'similar-item', 'data-id': r.id },
        el('h3', { class: 'similar-title' }, el('a', { href: idHref('occupation', r.id) }, ownLabel(r))),
        el('p', { class: 'result-meta' },
          r.isco ? el('span', { class: 'isco-code' }, 'ISCO ' + r.isco) : null,
          el('span', null, t('shares', { n: shared.length }))),
        learn.length ? el('div', { class: 'to-learn' },
          el('p', { class: 'to-learn-h' }, t('to_move')),
          foldedList(learn, TO_LEARN_SHOWN, skillChip, 'chips'))
          : el('p', { class: 'to-learn-h' }, t('nothing_to_learn')),
        shared.length ? el('details', { class: 'shared' },
          el('summary', null, t('in_common', { n: shared.length })),
          el('ul', { class: 'chips' }, shared.map(skillChip))) : null);
    }));
  }

  /* ---------- profile: paste a CV or pick skills, then POST /fit ---------- */

  /* Kept while the page is open, so the profile follows the user between the
   * occupation pages and the fit view. skills: [{id, label}] picked by hand. */
  var profile = { text: '', skills: [] };
  var lastFit = null; /* {key, data} of the last best-fit answer */

  function profileKey() {
    return JSON.stringify([profile.text, profile.skills.map(function (s) { return s.id; })]);
  }

  function profileEmpty() { return !profile.text.trim() && !profile.skills.length; }

  /* The form shared by the occupation page and the fit view. submitText names the
   * button; onSubmit(done) posts and calls done() when the answer is in. */
  function profileForm(submitText, onSubmit) {
    var ta = el('textarea', { id: 'profile-text', name: 'text', rows: 7, 'aria-describedby': 'profile-text-hint',
      placeholder: t('cv_placeholder'),
      oninput: function () { profile.text = ta.value; } });
    ta.value = profile.text;
    var pick = el('input', { id: 'skill-pick', type: 'text', role: 'combobox', 'aria-autocomplete': 'list',
      'aria-expanded': 'false', 'aria-controls': 'skill-pick-list', 'aria-haspopup': 'listbox',
      'aria-describedby': 'skill-pick-hint', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' });
    var pickList = el('ul', { id: 'skill-pick-list', class: 'suggest-list', role: 'listbox', 'aria-label': t('skills_list'), hidden: true });
    var chips = el('ul', { class: 'chips picked', 'aria-label': t('picked_skills') });
    var msg = el('div', { class: 'form-msg', 'aria-live': 'polite' });
    var submit = el('button', { type: 'submit', class: 'btn btn-primary' }, submitText);

    function renderChips() {
      clear(chips);
      chips.hidden = !profile.skills.length;
      profile.skills.forEach(function (s, i) {
        chips.appendChild(el('li', { class: 'chip chip-removable', 'data-id': s.id },
          el('span', null, s.label),
          el('button', { type: 'button', class: 'chip-remove', 'aria-label': t('remove_skill', { label: s.label }),
            onclick: function () {
              profile.skills.splice(i, 1);
              renderChips();
              var next = chips.querySelectorAll('.chip-remove')[Math.min(i, profile.skills.length - 1)];
              (next || pick).focus();
              announce(t('removed', { label: s.label }) + ' ' + t('picked', { n: profile.skills.length }));
            } }, el('span', { 'aria-hidden': 'true' }, '×'))));
      });
    }

    combobox(pick, pickList, {
      params: { type: 'skill' },
      lang: skillLang,
      pickFirst: true,
      choose: function (s) {
        pick.value = '';
        var known = profile.skills.some(function (k) { return k.id === s.id; });
        if (!known) profile.skills.push({ id: s.id, label: s.preferred || s.label });
        renderChips();
        announce(known ? t('already_picked', { label: s.preferred || s.label })
          : t('added', { label: s.preferred || s.label }) + ' ' + t('picked', { n: profile.skills.length }));
      }
    });
    renderChips();

    var busy = false;
    var f = el('form', { class: 'profile-form', id: 'profile-form', novalidate: true },
      el('div', { class: 'field' },
        el('label', { for: 'profile-text', class: 'field-label' }, t('paste_cv')),
        el('p', { class: 'hint', id: 'profile-text-hint' }, t('paste_cv_hint')),
        ta),
      el('div', { class: 'field' },
        el('label', { for: 'skill-pick', class: 'field-label' }, t('add_one')),
        el('p', { class: 'hint', id: 'skill-pick-hint' }, t('add_one_hint')),
        el('div', { class: 'combo combo-field' }, pick, pickList),
        chips),
      el('div', { class: 'form-actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: function () {
          ta.value = profile.text = t('example_cv');
          ta.focus();
        } }, t('use_example')),
        el('button', { type: 'button', class: 'btn', onclick: function () {
          ta.value = profile.text = '';
          profile.skills = [];
          renderChips();
          clear(msg);
          ta.focus();
          announce(t('profile_cleared'));
        } }, t('clear'))),
      msg);
    ta.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(submit); }
    });
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (busy) return;
      clear(msg);
      if (profileEmpty()) {
        msg.appendChild(el('p', { class: 'notice notice-error' }, t('profile_empty')));
        ta.focus();
        return;
      }
      busy = true;
      f.setAttribute('aria-busy', 'true');
      onSubmit(function (err) {
        busy = false;
        f.removeAttribute('aria-busy');
        if (err) msg.appendChild(errorBox(err, true));
      });
    });
    return f;
  }

  function fitRequest(extra) {
    var body = Object.assign({ text: profile.text, skills: profile.skills.map(function (s) { return s.id; }) }, extra);
    var sl = skillLang();
    return api('/fit' + (sl !== pageLang ? '?' + query({ labels: pageLang }) : ''),
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, sl)
      .catch(function (err) {
        if (err instanceof ApiError && err.status === 413) {
          throw new ApiError(413, err.code, t('too_long', { why: err.message }));
        }
        throw err;
      });
  }

  /* Coverage as a <meter> (read as a value by screen readers) with the number shown. */
  var meterSeq = 0;
  function coverageMeter(coverage, label) {
    var pct = Math.round(Math.max(0, Math.min(1, coverage || 0)) * 100);
    var id = 'meter-' + (++meterSeq);
    return el('div', { class: 'coverage' },
      el('span', { class: 'coverage-label', id: id }, label),
      el('meter', { class: 'coverage-bar', min: 0, max: 100, value: pct,
        'aria-labelledby': id, 'aria-valuetext': pct + '%' }, pct + '%'),
      el('strong', { class: 'coverage-value' }, pct + '%'));
  }

  function countsLine(r) {
    function part(name, c) {
      if (!c) return null;
      var n = (c.has || 0) + (c.partial || 0) + (c.lacks || 0);
      if (!n) return null;
      return t('counts_part', { name: name, has: c.has || 0, n: n }) + (c.partial ? t('counts_partly', { n: c.partial }) : '');
    }
    return [part(t('essential'), r.essential), part(t('optional'), r.optional)].filter(Boolean).join(' · ');
  }

  /* Where each profile skill came from: {id: {how, quote}}; quote is the text the
   * API's byte span points at, cut from the UTF-16 string through the offset map. */
  function evidenceOf(text, prof) {
    var map = byteToIndexMap(text);
    var out = {};
    prof.forEach(function (p) {
      if (out[p.id] && out[p.id].quote) return;
      var quote = p.how === 'text' && Number.isInteger(p.start) && Number.isInteger(p.end) &&
        p.start >= 0 && p.end > p.start && p.end < map.length ? text.slice(map[p.start], map[p.end]) : '';
      out[p.id] = { how: p.how, quote: quote };
    });
    return out;
  }

  function evidenceNote(ev) {
    if (!ev) return null;
    if (ev.quote) return el('span', { class: 'evidence-note' }, t('found_as', { quote: el('q', null, ev.quote) }));
    return el('span', { class: 'evidence-note' }, t('picked_by_hand'));
  }

  function relationBadge(s) {
    return el('span', { class: 'badge ' + (s.relation === 'essential' ? 'badge-essential' : 'badge-neutral') },
      t(s.relation === 'essential' ? 'essential' : 'optional'));
  }

  function fitSkillItem(s, evidence) {
    var via = s.via;
    return el('li', { class: 'fit-skill', 'data-status': s.status, 'data-relation': s.relation },
      el('a', { href: idHref('skill', s.id) }, s.label), ' ', relationBadge(s),
      s.status === 'partial' && via ? el('span', { class: 'partial-note' },
        el('span', { class: 'badge badge-partial' }, t('partial')),
        t(via.how === 'broader' ? 'you_have_broader' : 'you_have_narrower',
          { skill: el('a', { href: idHref('skill', via.id) }, via.label) }),
        evidence[via.id] && evidence[via.id].quote ? evidenceNote(evidence[via.id]) : null) : null,
      s.status === 'has' ? evidenceNote(evidence[s.id]) : null);
  }

  function fitColumn(cls, title, skills, evidence, empty) {
    /* The API lists essential skills first; keep that order. */
    return el('div', { class: 'fit-col ' + cls },
      el('h4', null, title, el('span', { class: 'count' }, String(skills.length))),
      skills.length ? el('ul', { class: 'fit-skills' }, skills.map(function (s) { return fitSkillItem(s, evidence); }))
        : el('p', { class: 'muted small' }, empty));
  }

  /* The recognised skills of the pasted text, each span highlighted. */
  function evidenceBlock(text, prof, heading) {
    var spans = prof.filter(function (p) { return p.how === 'text'; });
    if (!text.trim()) return null;
    return el('div', { class: 'evidence' },
      el(heading, null, t('found_in_text'), el('span', { class: 'count' }, String(spans.length))),
      spans.length ? el('div', { class: 'ad-text cv-text' }, highlightSpans(text, spans))
        : el('p', { class: 'muted small' }, t('none_recognised')));
  }

  function compareSection(o) {
    var out = el('div', { class: 'fit-output' });
    function run(done) {
      var text = profile.text;
      fitRequest({ occupation: o.id }).then(function (data) {
        clear(out);
        append(out, fitResult(o, text, data));
        var r = data.results && data.results[0];
        announce(r ? t('coverage_for', { pct: Math.round((r.coverage || 0) * 100), label: o.label }) + ' ' + countsLine(r) : t('no_result'));
        done();
      }, function (err) { clear(out); done(err); });
    }
    var f = profileForm(t('compare'), run);
    /* A profile entered elsewhere is compared at once. */
    if (!profileEmpty()) setTimeout(function () { f.requestSubmit(); }, 0);
    return el('section', { class: 'card compare', 'aria-labelledby': 'compare-h' },
      el('h2', { id: 'compare-h' }, t('compare_profile')),
      el('p', { class: 'hint' }, t('compare_hint', { label: o.label })),
      f, out);
  }

  function fitResult(o, text, data) {
    var r = data.results && data.results[0];
    var prof = Array.isArray(data.profile) ? data.profile : [];
    if (!r) return el('p', { class: 'muted' }, t('no_result'));
    var skills = Array.isArray(r.skills) ? r.skills : [];
    var evidence = evidenceOf(text, prof);
    function by(st) { return skills.filter(function (s) { return s.status === st; }); }
    var needed = {};
    skills.forEach(function (s) { needed[s.id] = true; if (s.via) needed[s.via.id] = true; });
    var other = prof.filter(function (p) { return !needed[p.id]; });
    return el('section', { class: 'fit-result', 'aria-labelledby': 'fit-result-h' },
      el('h3', { id: 'fit-result-h' }, t('your_fit')),
      coverageMeter(r.coverage, t('coverage_of', { label: o.label })),
      el('p', { class: 'fit-counts' }, countsLine(r)),
      el('div', { class: 'fit-cols' },
        fitColumn('fit-has', t('you_have'), by('has'), evidence, t('none_yet')),
        by('partial').length ? fitColumn('fit-partial', t('partly_covered'), by('partial'), evidence, '') : null,
        fitColumn('fit-lacks', t('to_learn'), by('lacks'), evidence, t('nothing_lacking'))),
      other.length ? el('div', { class: 'fit-other' },
        el('h4', null, t('other_skills'), el('span', { class: 'count' }, String(other.length))),
        el('p', { class: 'muted small' }, t('not_listed')),
        el('ul', { class: 'chips' }, other.map(skillChip))) : null,
      evidenceBlock(text, prof, 'h4'),
      el('p', { class: 'fit-more' }, el('a', { href: '#/fit' }, t('which_fit'))));
  }

  /* ---------- fit view: the best-fitting roles for a profile ---------- */

  var FIT_LIMIT = 10;

  function renderFit() {
    document.title = t('page_title', { title: t('fit_title') });
    var out = el('div', { class: 'fit-output' });
    function run(done) {
      var text = profile.text, key = profileKey();
      fitRequest({ limit: FIT_LIMIT }).then(function (data) {
        lastFit = { key: key, text: text, data: data };
        clear(out);
        append(out, bestFit(text, data));
        var n = Array.isArray(data.results) ? data.results.length : 0;
        announce(t('roles_fit', { n: n }));
        done();
      }, function (err) { clear(out); done(err); });
    }
    var f = profileForm(t('find_roles'), run);
    show([el('header', { class: 'page-head' },
      el('h1', null, t('fit_title')),
      el('p', { class: 'lead' }, t('fit_lead')), skillLangNote()),
    el('section', { class: 'card', 'aria-label': t('your_profile') }, f), out], false);
    if (lastFit && lastFit.key === profileKey()) append(out, bestFit(lastFit.text, lastFit.data));
    else if (!profileEmpty()) f.requestSubmit();
  }

  function bestFit(text, data) {
    var results = Array.isArray(data.results) ? data.results : [];
    var prof = Array.isArray(data.profile) ? data.profile : [];
    var gaps = Array.isArray(data.gaps) ? data.gaps : [];
    return el('div', { class: 'fit-layout' },
      el('section', { class: 'fit-roles', 'aria-labelledby': 'fit-roles-h' },
        el('h2', { id: 'fit-roles-h' }, t('fit_best')),
        results.length ? el('ol', { class: 'results' }, results.map(function (r) {
          var lacks = (Array.isArray(r.skills) ? r.skills : []).filter(function (s) {
            return s.status === 'lacks' && s.relation === 'essential';
          });
          return el('li', { class: 'result card fit-role' },
            el('h3', { class: 'result-title' }, el('a', { href: idHref('occupation', r.id) }, ownLabel(r))),
            el('p', { class: 'result-meta' }, r.isco ? el('span', { class: 'isco-code' }, 'ISCO ' + r.isco) : null,
              el('span', null, countsLine(r))),
            coverageMeter(r.coverage, t('coverage')),
            lacks.length ? el('div', { class: 'to-learn' },
              el('p', { class: 'to-learn-h' }, t('essential_to_learn')),
              foldedList(lacks, TO_LEARN_SHOWN, skillChip, 'chips')) : null);
        })) : el('p', { class: 'muted' }, t('no_occupation_needs'))),
      el('aside', { class: 'fit-side' },
        gaps.length ? el('section', { class: 'card gaps', 'aria-labelledby': 'gaps-h' },
          el('h2', { id: 'gaps-h' }, t('learn_next')),
          el('p', { class: 'muted small' }, t('learn_next_hint')),
          el('ol', { class: 'link-list' }, gaps.map(function (g) {
            return el('li', null, el('a', { href: idHref('skill', g.id) }, g.label),
              el('span', { class: 'muted small' }, t('needed_by', { n: g.needed_by || 0 })));
          }))) : null,
        el('section', { class: 'card', 'aria-labelledby': 'profile-h' },
          el('h2', { id: 'profile-h' }, t('your_skills'), el('span', { class: 'count' }, String(prof.length))),
          el('ul', { class: 'chips' }, prof.map(skillChip)),
          evidenceBlock(text, prof, 'h3'))));
  }

  /* ---------- skill page ---------- */

  function renderSkill(id, seq) {
    show(loading(t('loading_skill')), false);
    var sl = skillLang();
    api('/skills/' + encodeURIComponent(id) + (sl !== pageLang ? '?' + query({ labels: pageLang }) : ''), undefined, sl)
      .then(function (s) {
        if (seq !== renderSeq) return;
        document.title = t('page_title', { title: s.label });
        show(skillPage(s), true);
      })
      .catch(function (err) { if (seq === renderSeq) show([backLink(), errorBox(err)], true); });
  }

  function typeName(type) {
    var f = SKILL_TYPE_FILTERS.filter(function (x) { return x.key === type; })[0];
    return f ? t(f.title) : type || t('type_unspecified');
  }

  /* Long lists (a transversal skill is needed by hundreds of jobs) start folded. */
  function cappedList(items, cap, render, cls) {
    var ul = el('ul', { class: cls }, items.slice(0, cap).map(render));
    if (items.length <= cap) return ul;
    var more = el('button', { type: 'button', class: 'btn btn-small', onclick: function () {
      append(ul, items.slice(cap).map(render));
      more.remove();
    } }, t('show_all', { n: items.length }));
    return [ul, more];
  }

  function skillPage(s) {
    var occ = s.occupations || {};
    var ess = Array.isArray(occ.essential) ? occ.essential : [];
    var opt = Array.isArray(occ.optional) ? occ.optional : [];
    var related = Array.isArray(s.related) ? s.related : [];
    function occItem(o) {
      return el('li', null, el('a', { href: idHref('occupation', o.id) }, ownLabel(o)),
        o.isco ? el('span', { class: 'muted small' }, ' ISCO ' + o.isco) : null);
    }
    function occBlock(title, items) {
      return el('div', { class: 'occ-block' },
        el('h3', null, title, el('span', { class: 'count' }, String(items.length))),
        items.length ? cappedList(items, 25, occItem, 'link-list') : el('p', { class: 'muted' }, t('none')));
    }
    return [
      el('header', { class: 'page-head' },
        backLink(),
        skillHierarchy(s),
        el('p', { class: 'kicker' }, t('kicker_skill')),
        el('h1', null, s.label),
        el('p', { class: 'tags' },
          el('span', { class: 'badge badge-skill' }, typeName(s.skill_type)),
          s.reuse_level ? el('span', { class: 'badge badge-neutral' }, reuseTitle(s.reuse_level)) : null),
        s.description ? el('p', { class: 'description' }, s.description) : null, skillLangNote()),
      altLabels(s.alt_labels),
      el('section', { class: 'card' },
        el('h2', null, t('occupations_need')),
        el('div', { class: 'two-col' }, occBlock(t('essential'), ess), occBlock(t('optional'), opt))),
      related.length ? el('section', { class: 'card' },
        el('h2', null, t('related_skills')),
        cappedList(related, 40, function (r) {
          return el('li', null, el('a', { href: idHref('skill', r.id) }, r.label),
            r.relation ? el('span', { class: 'muted small' }, ' ' + r.relation) : null);
        }, 'link-list')) : null
    ];
  }

  /* The skill's broader chain (the API's broader, top first) as a breadcrumb.
   * Only broader skills link: skill groups have no page (/skills/{id} is a 404). */
  function skillHierarchy(s) {
    var chain = Array.isArray(s.broader) ? s.broader : [];
    if (!chain.length) return null;
    return el('nav', { class: 'breadcrumbs hierarchy', 'aria-label': t('skill_hierarchy') },
      el('ol', null, chain.map(function (b) {
        var label = [b.code ? [el('span', { class: 'crumb-code' }, b.code), ' '] : null, b.label || ''];
        return el('li', { 'data-kind': b.kind },
          b.kind === 'skill' && b.id ? el('a', { href: idHref('skill', b.id) }, label) : label);
      }), el('li', { 'aria-current': 'page' }, s.label)));
  }

  /* ---------- job-ad match ---------- */

  function renderMatch() {
    document.title = t('page_title', { title: t('match_title') });
    var ta = el('textarea', { id: 'ad-text', name: 'text', rows: 9, required: true,
      placeholder: t('ad_placeholder') });
    var out = el('div', { class: 'match-output', 'aria-live': 'polite' });
    var submit = el('button', { type: 'submit', class: 'btn btn-primary' }, t('find_matching'));
    var readAs = el('select', { id: 'read-as', name: 'read_as' },
      ['auto', 'titled', 'untitled'].map(function (v) {
        return el('option', { value: v, selected: v === matchOpts.read_as ? 'selected' : null }, t('read_' + v));
      }));
    var conf = el('input', { id: 'min-confidence', name: 'min_confidence', type: 'range', min: 0, max: 1,
      step: 0.05, value: matchOpts.min_confidence, 'aria-describedby': 'min-confidence-value' });
    var confOut = el('output', { id: 'min-confidence-value', for: 'min-confidence', class: 'conf-value' },
      Math.round(matchOpts.min_confidence * 100) + '%');
    var f = el('form', { class: 'match-form card', id: 'match-form' },
      el('label', { for: 'ad-text', class: 'field-label' }, t('paste_ad')),
      el('p', { class: 'hint', id: 'ad-hint' }, t('ad_hint')),
      ta,
      el('div', { class: 'match-options' },
        el('span', { class: 'filter-field' }, el('label', { for: 'read-as' }, t('read_as_label')), readAs),
        el('span', { class: 'filter-field' }, el('label', { for: 'min-confidence' }, t('min_conf_label')), conf, confOut)),
      el('div', { class: 'form-actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: function () { ta.value = t('example_ad'); ta.focus(); } },
          t('use_example'))));
    ta.setAttribute('aria-describedby', 'ad-hint');
    ta.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(submit); }
    });
    /* a new threshold or reading re-runs a match already shown */
    conf.addEventListener('input', function () {
      confOut.textContent = Math.round(+conf.value * 100) + '%';
    });
    [conf, readAs].forEach(function (c) {
      c.addEventListener('change', function () {
        matchOpts = { read_as: readAs.value, min_confidence: +conf.value };
        if (lastMatch && ta.value.trim()) f.requestSubmit(submit);
      });
    });
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = ta.value;
      if (!text.trim()) { ta.focus(); return; }
      matchOpts = { read_as: readAs.value, min_confidence: +conf.value };
      submit.disabled = true;
      clear(out);
      out.appendChild(loading(t('analysing')));
      api('/match', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: text, read_as: matchOpts.read_as, min_confidence: matchOpts.min_confidence }) })
        .then(function (data) {
          lastMatch = { text: text, data: data };
          clear(out);
          append(out, matchResults(text, data));
          var n = Array.isArray(data.results) ? data.results.length : 0;
          announce(t('matching_n', { n: n }));
        })
        .catch(function (err) { clear(out); out.appendChild(errorBox(err)); })
        .then(function () { submit.disabled = false; });
    });
    if (lastMatch) {
      ta.value = lastMatch.text;
      append(out, matchResults(lastMatch.text, lastMatch.data));
    }
    show([el('header', { class: 'page-head' },
      el('h1', null, t('match_title')),
      el('p', { class: 'lead' }, t('match_lead'))),
    f, out], false);
  }

  function matchResults(text, data) {
    var skills = Array.isArray(data.skills) ? data.skills : [];
    var results = Array.isArray(data.results) ? data.results : [];
    var seen = {};
    var unique = skills.filter(function (s) {
      if (seen[s.id]) return false;
      seen[s.id] = true;
      return true;
    });
    var readNote = data.read_as ? el('p', { class: 'muted small read-as-note' },
      data.read_as === 'untitled' ? t('read_untitled_note')
        : t('read_titled_note', { title: data.title ? data.title.text : text.split('\n')[0].trim() })) : null;
    return el('div', { class: 'match-layout' + (skills.length ? '' : ' no-skills') },
      skills.length ? el('section', { class: 'card match-text' },
        el('h2', null, t('recognised_skills'),
          el('span', { class: 'count' }, String(unique.length))),
        readNote,
        el('ul', { class: 'chips' }, unique.map(function (s) {
          return el('li', null, el('a', { class: 'chip chip-link', href: idHref('skill', s.id),
            title: typeof s.confidence === 'number' ? t('confidence', { label: s.label, pct: Math.round(s.confidence * 100) }) : null },
          s.label, typeof s.confidence === 'number'
            ? el('span', { class: 'chip-conf' }, ' ' + Math.round(s.confidence * 100) + '%') : null));
        })),
        el('h3', { class: 'h-small' }, t('your_ad')),
        el('div', { class: 'ad-text' }, highlightSpans(text, skills)))
        : el('div', { class: 'notice' }, el('strong', null, t('no_skills_recognised')),
          el('p', null, t('ranked_by_words')), readNote),
      el('section', { class: 'match-occupations' },
        el('h2', null, t('matching_occupations')),
        results.length ? el('ol', { class: 'results' }, results.map(function (h) { return resultCard(h, null, false); }))
          : el('p', { class: 'muted' }, t('no_occupation_matched'))));
  }

  /* Exposed for the browser test's byte-offset and message-table checks. */
  window.SkillSearch = { byteToIndexMap: byteToIndexMap, lang: function () { return pageLang; } };

  /* The served languages first, so the first render is in the right one;
   * without an answer the page runs in English against the default. */
  fetch('/health').then(function (res) { return res.json(); }).then(function (h) {
    served = (Array.isArray(h.languages) ? h.languages : []).filter(function (l) { return l && l.lang; });
  }).catch(function () { served = []; }).then(function () {
    fillLangMenu();
    setLang(initialLang());
    route();
  });
})();
