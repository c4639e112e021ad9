/* SkillSearch front end: plain DOM, no framework.
 * Every string from the API goes through textContent (via el()), never innerHTML,
 * so data can't inject markup. Views are routed on location.hash so back/forward work. */
'use strict';

(function () {
  var PAGE_SIZE = 10;
  var SUGGEST_DELAY_MS = 80;
  var MAX_REASONS = 4;
  var MAX_REASON_CHARS = 90;

  var RELATIONS = [
    { relation: 'essential', knowledge: true, title: 'Essential knowledge' },
    { relation: 'essential', knowledge: false, title: 'Essential skills and competences' },
    { relation: 'optional', knowledge: true, title: 'Optional knowledge' },
    { relation: 'optional', knowledge: false, title: 'Optional skills and competences' }
  ];
  /* The API's skilltype= / reuse= values and what the page calls them. */
  var SKILL_TYPE_FILTERS = [
    { value: 'knowledge', key: 'knowledge', title: 'Knowledge' },
    { value: 'skill', key: 'skill/competence', title: 'Skill / competence' }
  ];
  var REUSE_LEVELS = ['occupation-specific', 'sector-specific', 'cross-sector', 'transversal', ''];
  var REUSE_TITLES = {
    'occupation-specific': 'Occupation-specific',
    'sector-specific': 'Sector-specific',
    'cross-sector': 'Cross-sector',
    'transversal': 'Transversal',
    '': 'Other'
  };

  var view = document.getElementById('view');
  var statusBox = document.getElementById('status');
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var list = document.getElementById('suggest-list');

  /* Last job-ad match, so coming back to #/match shows it again without re-posting. */
  var lastMatch = null;
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

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  function idHref(kind, id) { return '#/' + kind + '/' + encodeURIComponent(id); }

  /* ---------- API ---------- */

  function ApiError(status, code, message) {
    this.status = status; this.code = code; this.message = message;
  }

  function api(path, opts) {
    return fetch(path, opts).then(function (res) {
      return res.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = data && data.error ? data.error : {};
          throw new ApiError(res.status, err.code || 'http_' + res.status,
            err.message || ('The server answered ' + res.status + '.'));
        }
        if (data === null) throw new ApiError(res.status, 'bad_json', 'The server sent an unreadable answer.');
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
    var msg = err instanceof ApiError ? err.message : 'The service could not be reached. Please try again.';
    var title = err instanceof ApiError && err.status === 404 ? 'Not found' : 'Something went wrong';
    return el('div', { class: 'notice notice-error', role: inLive ? null : 'alert' },
      el('strong', null, title), el('p', null, msg));
  }

  function loading(text) {
    return el('p', { class: 'loading', 'aria-busy': 'true' }, text || 'Loading…');
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

  /* Text with the recognised skill spans (byte offsets) marked; overlapping spans are skipped. */
  function highlightSpans(text, skills) {
    var map = byteToIndexMap(text);
    var maxByte = map.length - 1;
    var spans = (skills || []).filter(function (s) {
      return Number.isInteger(s.start) && Number.isInteger(s.end) &&
        s.start >= 0 && s.end > s.start && s.end <= maxByte;
    }).slice().sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var out = [], pos = 0;
    spans.forEach(function (s) {
      var a = map[s.start], b = map[s.end];
      if (a < pos || b <= a) return;
      if (a > pos) out.push(text.slice(pos, a));
      var tip = s.label + (typeof s.confidence === 'number'
        ? ' (' + Math.round(s.confidence * 100) + '% confidence)' : '');
      out.push(el('mark', { class: 'skill-mark', title: tip },
        el('a', { href: idHref('skill', s.id) }, text.slice(a, b))));
      pos = b;
    });
    if (pos < text.length) out.push(text.slice(pos));
    return out;
  }

  /* ---------- suggestions (ARIA combobox) ---------- */

  /* Wires input (role=combobox) to list (role=listbox): suggestions from
   * GET /suggest while typing, arrow keys move, Enter picks, Escape closes.
   * opts: params (extra /suggest parameters), choose(item) when one is picked,
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
            s.type === 'skill' ? 'Skill' : 'Occupation')));
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
        api('/suggest?' + query(Object.assign({ q: q }, opts.params)), st.ctrl ? { signal: st.ctrl.signal } : undefined)
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

  /* ISCO-08 major groups: fallback when a response (e.g. /match) carries no facets. */
  var ISCO_MAJOR = {
    '0': 'Armed forces occupations', '1': 'Managers', '2': 'Professionals',
    '3': 'Technicians and associate professionals', '4': 'Clerical support workers',
    '5': 'Service and sales workers', '6': 'Skilled agricultural, forestry and fishery workers',
    '7': 'Craft and related trades workers', '8': 'Plant and machine operators and assemblers',
    '9': 'Elementary occupations'
  };

  function majorLabel(facets, code) {
    var isco = facets && Array.isArray(facets.isco) ? facets.isco : [];
    var major = String(code || '').charAt(0);
    for (var i = 0; i < isco.length; i++) if (String(isco[i].key) === major) return isco[i].label;
    return ISCO_MAJOR[major] || '';
  }

  /* highlight: a search result (terms marked, title an h2 under the page's h1);
   * else a match result under the view's h2. */
  function resultCard(hit, facets, highlight) {
    var isSkill = hit.type === 'skill';
    var href = idHref(isSkill ? 'skill' : 'occupation', hit.id);
    var meta = [];
    if (isSkill) {
      meta.push(el('span', { class: 'badge badge-skill' }, 'Skill'));
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
      reasons.length ? el('ul', { class: 'reasons', 'aria-label': 'Why this matches' },
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
    document.title = 'SkillSearch – occupations and skills';
    show([
      el('section', { class: 'hero' },
        el('h1', null, 'Find the occupation that fits your skills'),
        el('p', { class: 'lead' },
          'Search more than 3,000 occupations and 13,000 skills, see which skills each job needs, ',
          'paste a job ad to find the occupations it describes, or compare your own skills with a role.')),
      el('div', { class: 'home-grid' },
        el('a', { class: 'card tile', href: searchHash({ q: 'wire bonding', type: 'occupation' }) },
          el('h2', null, 'Search occupations'),
          el('p', null, 'Type a job title or a skill: try “wire bonding”.')),
        el('a', { class: 'card tile', href: searchHash({ q: 'teamwork', type: 'skill' }) },
          el('h2', null, 'Explore skills'),
          el('p', null, 'See who needs a skill and which skills go with it.')),
        el('a', { class: 'card tile', href: '#/match' },
          el('h2', null, 'Match a job ad'),
          el('p', null, 'Paste the text of an ad: we highlight the skills and rank occupations.')),
        el('a', { class: 'card tile', href: '#/fit' },
          el('h2', null, 'Fit my profile'),
          el('p', null, 'Paste your CV or pick your skills: see the roles that fit and what to learn next.')))
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
    document.title = p.q + ' – SkillSearch';
    show(loading('Searching…'), false);
    api('/search?' + query({ q: p.q, type: type, limit: PAGE_SIZE, offset: offset, isco: isco,
      skilltype: skilltype, reuse: reuse }))
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
    if (!n) return 'No results';
    return 'Showing ' + (offset + 1) + '–' + (offset + n) + ' of ' +
      (total > offset + n ? 'about ' : '') + total.toLocaleString('en') + ' results';
  }

  function searchResults(data, p) {
    var results = Array.isArray(data.results) ? data.results : [];
    var facets = data.facets || {};
    var isOcc = p.type === 'occupation';
    var nodes = [];

    var header = el('div', { class: 'results-header' },
      el('h1', { class: 'results-title' },
        isOcc ? 'Occupations' : 'Skills', ' for ', el('q', null, p.q)),
      el('p', { class: 'results-count' }, resultSummary(data, p.offset)));
    nodes.push(header);

    if (data.suggestion) {
      nodes.push(el('p', { class: 'did-you-mean' }, 'Did you mean ',
        el('a', { href: searchHash({ q: data.suggestion, type: p.type }) }, data.suggestion), '?'));
    }

    var side = facetPanel(facets, p);
    var main = el('div', { class: 'results-main' });
    if (!results.length) {
      main.appendChild(el('div', { class: 'notice' },
        el('strong', null, 'No results'),
        el('p', null, p.isco || p.skilltype || p.reuse ? 'Nothing here: try removing the filter.' :
          'Try fewer or different words, or search ' + (isOcc ? 'skills' : 'occupations') + ' instead.')));
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
        groups.push({ title: 'ISCO major group', rows: isco.map(function (f) {
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
        groups.push({ title: 'Skill type', rows: types.map(function (f) {
          var t = SKILL_TYPE_FILTERS.filter(function (x) { return x.key === f.key; })[0];
          var on = !!chosenType && chosenType.key === f.key;
          return facetLink(p, { skilltype: on || !t ? '' : t.value }, on, typeName(f.key), f.count);
        }) });
      }
      if (reuse.length || p.reuse) {
        groups.push({ title: 'Reuse level', rows: reuse.map(function (f) {
          var on = f.key === p.reuse;
          return facetLink(p, { reuse: on ? '' : f.key }, on, REUSE_TITLES[f.key] || f.key, f.count);
        }) });
      }
    }
    if (!groups.length) return null;
    var active = p.isco || p.skilltype || p.reuse;
    /* Folded on narrow screens so the results stay in view; open when a filter is on. */
    var wide = !window.matchMedia || window.matchMedia('(min-width: 901px)').matches;
    return el('aside', { class: 'facets card', 'aria-label': 'Filters' },
      el('details', { open: wide || !!active },
        el('summary', { class: 'facets-title' }, groups[0].title),
        active ? el('a', { class: 'clear-filter', href: searchHash({ q: p.q, type: p.type }) },
          '× Clear filters') : null,
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
    return el('nav', { class: 'pager', 'aria-label': 'Pagination' },
      hasPrev ? el('a', { class: 'btn', rel: 'prev',
        href: searchHash(Object.assign({}, p, { offset: Math.max(0, p.offset - PAGE_SIZE) })) },
      '← Previous') : el('span', { class: 'btn is-disabled', 'aria-disabled': 'true' }, '← Previous'),
      el('span', { class: 'pager-info' }, 'Page ' + page + ' of ' + pages),
      hasNext ? el('a', { class: 'btn', rel: 'next',
        href: searchHash(Object.assign({}, p, { offset: p.offset + PAGE_SIZE })) },
      'Next →') : el('span', { class: 'btn is-disabled', 'aria-disabled': 'true' }, 'Next →'));
  }

  /* ---------- occupation page ---------- */

  function occupationPath(id, f) {
    var qs = query({ skilltype: f.skilltype || '', reuse: f.reuse || '' });
    return encodeURIComponent(id) + (qs ? '?' + qs : '');
  }

  function renderOccupation(id, seq, params) {
    var f = { skilltype: (params && params.skilltype) || '', reuse: (params && params.reuse) || '' };
    show(loading('Loading occupation…'), false);
    api('/occupations/' + occupationPath(id, f))
      .then(function (o) {
        if (seq !== renderSeq) return;
        document.title = o.label + ' – SkillSearch';
        show(occupationPage(o, seq, f), true);
      })
      .catch(function (err) { if (seq === renderSeq) show([backLink(), errorBox(err)], true); });
  }

  function backLink() {
    return el('p', { class: 'back' }, el('a', {
      href: '#/', onclick: function (ev) {
        if (history.length > 1) { ev.preventDefault(); history.back(); }
      }
    }, '← Back'));
  }

  function altLabels(labels) {
    if (!Array.isArray(labels) || !labels.length) return null;
    return el('section', { class: 'alt-labels' },
      el('h2', { class: 'h-small' }, 'Alternative labels'),
      cappedList(labels, 12, function (a) { return el('li', { class: 'chip' }, a); }, 'chips'));
  }

  function occupationPage(o, seq, filters) {
    var crumbs = Array.isArray(o.isco_path) ? o.isco_path : [];
    var f = filters || {};

    var head = el('header', { class: 'page-head' },
      backLink(),
      crumbs.length ? el('nav', { class: 'breadcrumbs', 'aria-label': 'ISCO classification' },
        el('ol', null, crumbs.map(function (c, i) {
          return el('li', { 'aria-current': i === crumbs.length - 1 ? 'location' : null },
            el('span', { class: 'crumb-code' }, String(c.code)), ' ', c.label || '');
        }))) : null,
      el('p', { class: 'kicker' }, 'Occupation', o.code ? ' · ESCO code ' + o.code : ''),
      el('h1', null, o.label),
      o.description ? el('p', { class: 'description' }, o.description) : null,
      el('p', { class: 'page-actions' },
        jumpButton('Similar roles', 'similar-h'), jumpButton('Compare your profile', 'profile-text')));

    var overview = el('section', { class: 'skills-overview' },
      el('h2', null, 'Skills and competences'), skillFilters(o, f),
      skillLists(o, !!(f.skilltype || f.reuse)));
    return [head, altLabels(o.alt_labels), overview, similarSection(o, seq), compareSection(o)];
  }

  /* Type and reuse-level filters of the skill lists: the lists reload in
   * place (focus stays on the control), the URL keeps the choice. */
  function skillFilters(o, f) {
    function pick(name, label, options, value) {
      var id = 'filter-' + name;
      return el('span', { class: 'filter-field' },
        el('label', { for: id }, label),
        el('select', { id: id, name: name },
          el('option', { value: '' }, 'All'),
          options.map(function (x) {
            return el('option', { value: x.value, selected: x.value === value ? 'selected' : null }, x.title);
          })));
    }
    var formEl = el('form', { class: 'skill-filters', 'aria-label': 'Filter the skill lists' },
      pick('skilltype', 'Type', SKILL_TYPE_FILTERS, f.skilltype),
      pick('reuse', 'Reuse level', REUSE_LEVELS.filter(Boolean).map(function (l) {
        return { value: l, title: REUSE_TITLES[l] };
      }), f.reuse));
    formEl.addEventListener('submit', function (ev) { ev.preventDefault(); });
    formEl.addEventListener('change', function () {
      var nf = { skilltype: formEl.elements.skilltype.value, reuse: formEl.elements.reuse.value };
      var seq = renderSeq;
      history.replaceState(null, '', '#/occupation/' + occupationPath(o.id, nf));
      api('/occupations/' + occupationPath(o.id, nf))
        .then(function (fresh) {
          if (seq !== renderSeq) return;
          var old = formEl.parentNode.querySelector('.skill-lists');
          if (old) old.parentNode.replaceChild(skillLists(fresh, !!(nf.skilltype || nf.reuse)), old);
          var c = fresh.counts || {};
          announce(plural(c.total || 0, 'skill', 'skills') + ' shown');
        })
        .catch(function (err) { announce(err.message || 'Could not filter the skills'); });
    });
    return formEl;
  }

  function skillLists(o, filtered) {
    var groups = Array.isArray(o.skill_groups) ? o.skill_groups : [];
    var counts = o.counts || {};
    var listed = groups.reduce(function (n, g) { return n + (g.skills ? g.skills.length : 0); }, 0);
    var total = typeof counts.total === 'number' ? counts.total : listed;
    var summary = el('p', { class: 'totals', 'data-total': total,
      'data-essential': counts.essential || 0, 'data-optional': counts.optional || 0 },
    el('strong', null, plural(total, 'skill and knowledge', 'skills and knowledge')),
    ': ' + (counts.essential || 0) + ' essential, ' + (counts.optional || 0) + ' optional');

    var sections = RELATIONS.map(function (sec) {
      var mine = groups.filter(function (g) {
        return g.relation === sec.relation && (g.skill_type === 'knowledge') === sec.knowledge;
      });
      return skillSection(sec, mine);
    }).filter(Boolean);

    return el('div', { class: 'skill-lists' }, summary,
      sections.length ? sections : el('p', { class: 'muted' }, filtered ?
        'No skills of this type and reuse level.' : 'No skills are recorded for this occupation.'));
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
        el('h4', { class: 'reuse-title' }, REUSE_TITLES[lvl], el('span', { class: 'count' }, String(skills.length))),
        el('ul', { class: 'skill-list' }, skills.map(skillItem)));
    }).filter(Boolean);
    return el('section', { class: 'skill-section card', id: slug, 'data-relation': sec.relation,
      'data-count': n, 'aria-labelledby': slug + '-h' },
    el('h3', { id: slug + '-h' }, sec.title, el('span', { class: 'count' }, String(n))),
    byLevel);
  }

  var descSeq = 0;
  function skillItem(s) {
    var descId = 'desc-' + (++descSeq);
    var desc = s.description ? el('p', { class: 'skill-desc', id: descId, hidden: true }, s.description) : null;
    var toggle = s.description ? el('button', {
      type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-controls': descId,
      'aria-label': 'Show description of ' + s.label,
      onclick: function () {
        var open = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', open ? 'false' : 'true');
        toggle.setAttribute('aria-label', (open ? 'Show' : 'Hide') + ' description of ' + s.label);
        desc.hidden = open;
      }
    }, el('span', { class: 'chev', 'aria-hidden': 'true' })) : null;
    return el('li', { class: 'skill-item' },
      el('div', { class: 'skill-row' },
        el('a', { href: idHref('skill', s.id), class: 'skill-link' }, s.label), toggle),
      desc);
  }

  /* ---------- similar roles ---------- */

  var SIMILAR_LIMIT = 6;
  var TO_LEARN_SHOWN = 4;

  /* A list with the first cap items shown and a button that shows or hides the rest. */
  var foldSeq = 0;
  function foldedList(items, cap, render, cls, noun) {
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
        btn.textContent = open ? 'Show ' + more + ' more ' + noun : 'Show fewer';
      } }, 'Show ' + more + ' more ' + noun);
    return [ul, btn];
  }

  function skillChip(s) {
    return el('li', null, el('a', { class: 'chip chip-link', href: idHref('skill', s.id) }, s.label));
  }

  function similarSection(o, seq) {
    var body = el('div', { class: 'similar-body' }, loading('Finding similar roles…'));
    api('/occupations/' + encodeURIComponent(o.id) + '/similar?' + query({ limit: SIMILAR_LIMIT }))
      .then(function (data) {
        if (seq !== renderSeq) return;
        clear(body);
        append(body, similarList(o, Array.isArray(data.results) ? data.results : []));
      })
      .catch(function (err) { if (seq === renderSeq) { clear(body); body.appendChild(errorBox(err)); } });
    return el('section', { class: 'card similar', 'aria-labelledby': 'similar-h' },
      el('h2', { id: 'similar-h' }, 'Similar roles'),
      el('p', { class: 'hint' }, 'Roles that need the same essential skills as ' + o.label +
        ' (rarer shared skills count more), and what you would still have to learn to move there.'),
      body);
  }

  function similarList(o, results) {
    if (!results.length) return el('p', { class: 'muted' }, 'No other role shares its essential skills.');
    return el('ol', { class: 'similar-list' }, results.map(function (r) {
      var shared = Array.isArray(r.shared) ? r.shared : [];
      var learn = Array.isArray(r.to_learn) ? r.to_learn : [];
      return el('li', { class: 'similar-item', 'data-id': r.id },
        el('h3', { class: 'similar-title' }, el('a', { href: idHref('occupation', r.id) }, r.label)),
        el('p', { class: 'result-meta' },
          r.isco ? el('span', { class: 'isco-code' }, 'ISCO ' + r.isco) : null,
          el('span', null, 'shares ' + plural(shared.length, 'essential skill', 'essential skills'))),
        learn.length ? el('div', { class: 'to-learn' },
          el('p', { class: 'to-learn-h' }, 'To move here, learn:'),
          foldedList(learn, TO_LEARN_SHOWN, skillChip, 'chips', 'to learn'))
          : el('p', { class: 'to-learn-h' }, 'Nothing new to learn: you would already have all its essential skills.'),
        shared.length ? el('details', { class: 'shared' },
          el('summary', null, 'Skills in common (' + shared.length + ')'),
          el('ul', { class: 'chips' }, shared.map(skillChip))) : null);
    }));
  }

  /* ---------- profile: paste a CV or pick skills, then POST /fit ---------- */

  /* Kept while the page is open, so the profile follows the user between the
   * occupation pages and the fit view. skills: [{id, label}] picked by hand. */
  var profile = { text: '', skills: [] };
  var lastFit = null; /* {key, data} of the last best-fit answer */

  var EXAMPLE_CV = 'Électronicien (3 ans) – Dresden. I did wire bonding and soldering on MEMS sensors, ' +
    'followed microsystem test procedures and liked the teamwork in our cleanroom. ' +
    'Bonus: espresso ☕ and 𝔸-grade coffee.';

  function profileKey() {
    return JSON.stringify([profile.text, profile.skills.map(function (s) { return s.id; })]);
  }

  function profileEmpty() { return !profile.text.trim() && !profile.skills.length; }

  /* The form shared by the occupation page and the fit view. submitText names the
   * button; onSubmit(done) posts and calls done() when the answer is in. */
  function profileForm(submitText, onSubmit) {
    var ta = el('textarea', { id: 'profile-text', name: 'text', rows: 7, 'aria-describedby': 'profile-text-hint',
      placeholder: 'e.g. “5 years of wire bonding and soldering, cleanroom work, teamwork…”',
      oninput: function () { profile.text = ta.value; } });
    ta.value = profile.text;
    var pick = el('input', { id: 'skill-pick', type: 'text', role: 'combobox', 'aria-autocomplete': 'list',
      'aria-expanded': 'false', 'aria-controls': 'skill-pick-list', 'aria-haspopup': 'listbox',
      'aria-describedby': 'skill-pick-hint', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off' });
    var pickList = el('ul', { id: 'skill-pick-list', class: 'suggest-list', role: 'listbox', 'aria-label': 'Skills', hidden: true });
    var chips = el('ul', { class: 'chips picked', 'aria-label': 'Picked skills' });
    var msg = el('div', { class: 'form-msg', 'aria-live': 'polite' });
    var submit = el('button', { type: 'submit', class: 'btn btn-primary' }, submitText);

    function renderChips() {
      clear(chips);
      chips.hidden = !profile.skills.length;
      profile.skills.forEach(function (s, i) {
        chips.appendChild(el('li', { class: 'chip chip-removable', 'data-id': s.id },
          el('span', null, s.label),
          el('button', { type: 'button', class: 'chip-remove', 'aria-label': 'Remove ' + s.label,
            onclick: function () {
              profile.skills.splice(i, 1);
              renderChips();
              var next = chips.querySelectorAll('.chip-remove')[Math.min(i, profile.skills.length - 1)];
              (next || pick).focus();
              announce('Removed ' + s.label + '. ' + plural(profile.skills.length, 'skill', 'skills') + ' picked.');
            } }, el('span', { 'aria-hidden': 'true' }, '×'))));
      });
    }

    combobox(pick, pickList, {
      params: { type: 'skill' },
      pickFirst: true,
      choose: function (s) {
        pick.value = '';
        var known = profile.skills.some(function (k) { return k.id === s.id; });
        if (!known) profile.skills.push({ id: s.id, label: s.preferred || s.label });
        renderChips();
        announce(known ? (s.preferred || s.label) + ' is already picked.'
          : 'Added ' + (s.preferred || s.label) + '. ' + plural(profile.skills.length, 'skill', 'skills') + ' picked.');
      }
    });
    renderChips();

    var busy = false;
    var f = el('form', { class: 'profile-form', id: 'profile-form', novalidate: true },
      el('div', { class: 'field' },
        el('label', { for: 'profile-text', class: 'field-label' }, 'Paste your CV or a list of skills'),
        el('p', { class: 'hint', id: 'profile-text-hint' },
          'We recognise the ESCO skills in the text and show where we found each one. Ctrl+Enter submits.'),
        ta),
      el('div', { class: 'field' },
        el('label', { for: 'skill-pick', class: 'field-label' }, 'Or add skills one by one'),
        el('p', { class: 'hint', id: 'skill-pick-hint' }, 'Type part of a skill, then choose it with the arrow keys and Enter.'),
        el('div', { class: 'combo combo-field' }, pick, pickList),
        chips),
      el('div', { class: 'form-actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: function () {
          ta.value = profile.text = EXAMPLE_CV;
          ta.focus();
        } }, 'Use an example'),
        el('button', { type: 'button', class: 'btn', onclick: function () {
          ta.value = profile.text = '';
          profile.skills = [];
          renderChips();
          clear(msg);
          ta.focus();
          announce('Profile cleared.');
        } }, 'Clear')),
      msg);
    ta.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(submit); }
    });
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (busy) return;
      clear(msg);
      if (profileEmpty()) {
        msg.appendChild(el('p', { class: 'notice notice-error' }, 'Paste some text or add at least one skill first.'));
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
    return api('/fit', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .catch(function (err) {
        if (err instanceof ApiError && err.status === 413) {
          throw new ApiError(413, err.code, 'Your text is too long for one comparison (' + err.message +
            '): paste the part that lists your skills.');
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
      return name + ': ' + (c.has || 0) + ' of ' + n + (c.partial ? ' (+' + c.partial + ' partly)' : '');
    }
    return [part('Essential', r.essential), part('Optional', r.optional)].filter(Boolean).join(' · ');
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
    if (ev.quote) return el('span', { class: 'evidence-note' }, 'found as ', el('q', null, ev.quote));
    return el('span', { class: 'evidence-note' }, 'picked');
  }

  function relationBadge(s) {
    return el('span', { class: 'badge ' + (s.relation === 'essential' ? 'badge-essential' : 'badge-neutral') },
      s.relation === 'essential' ? 'Essential' : 'Optional');
  }

  function fitSkillItem(s, evidence) {
    var via = s.via;
    return el('li', { class: 'fit-skill', 'data-status': s.status, 'data-relation': s.relation },
      el('a', { href: idHref('skill', s.id) }, s.label), ' ', relationBadge(s),
      s.status === 'partial' && via ? el('span', { class: 'partial-note' },
        el('span', { class: 'badge badge-partial' }, 'Partial'), ' you have ',
        el('a', { href: idHref('skill', via.id) }, via.label),
        ', a ' + (via.how === 'broader' ? 'broader' : 'narrower') + ' skill',
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
      el(heading, null, 'Found in your text', el('span', { class: 'count' }, String(spans.length))),
      spans.length ? el('div', { class: 'ad-text cv-text' }, highlightSpans(text, spans))
        : el('p', { class: 'muted small' }, 'No ESCO skill was recognised in the text.'));
  }

  function compareSection(o) {
    var out = el('div', { class: 'fit-output' });
    function run(done) {
      var text = profile.text;
      fitRequest({ occupation: o.id }).then(function (data) {
        clear(out);
        append(out, fitResult(o, text, data));
        var r = data.results && data.results[0];
        announce(r ? 'Coverage ' + Math.round((r.coverage || 0) * 100) + '% for ' + o.label + '. ' + countsLine(r) : 'No result.');
        done();
      }, function (err) { clear(out); done(err); });
    }
    var f = profileForm('Compare', run);
    /* A profile entered elsewhere is compared at once. */
    if (!profileEmpty()) setTimeout(function () { f.requestSubmit(); }, 0);
    return el('section', { class: 'card compare', 'aria-labelledby': 'compare-h' },
      el('h2', { id: 'compare-h' }, 'Compare your profile'),
      el('p', { class: 'hint' }, 'See which of the skills of ' + o.label + ' you have and which you lack. ',
        'Essential and rarer skills weigh more.'),
      f, out);
  }

  function fitResult(o, text, data) {
    var r = data.results && data.results[0];
    var prof = Array.isArray(data.profile) ? data.profile : [];
    if (!r) return el('p', { class: 'muted' }, 'No result.');
    var skills = Array.isArray(r.skills) ? r.skills : [];
    var evidence = evidenceOf(text, prof);
    function by(st) { return skills.filter(function (s) { return s.status === st; }); }
    var needed = {};
    skills.forEach(function (s) { needed[s.id] = true; if (s.via) needed[s.via.id] = true; });
    var other = prof.filter(function (p) { return !needed[p.id]; });
    return el('section', { class: 'fit-result', 'aria-labelledby': 'fit-result-h' },
      el('h3', { id: 'fit-result-h' }, 'Your fit'),
      coverageMeter(r.coverage, 'Coverage of the skills of ' + o.label),
      el('p', { class: 'fit-counts' }, countsLine(r)),
      el('div', { class: 'fit-cols' },
        fitColumn('fit-has', 'You have', by('has'), evidence, 'None yet.'),
        by('partial').length ? fitColumn('fit-partial', 'Partly covered', by('partial'), evidence, '') : null,
        fitColumn('fit-lacks', 'To learn', by('lacks'), evidence, 'Nothing: you have every skill.')),
      other.length ? el('div', { class: 'fit-other' },
        el('h4', null, 'Your other skills', el('span', { class: 'count' }, String(other.length))),
        el('p', { class: 'muted small' }, 'Not listed for this role.'),
        el('ul', { class: 'chips' }, other.map(skillChip))) : null,
      evidenceBlock(text, prof, 'h4'),
      el('p', { class: 'fit-more' }, el('a', { href: '#/fit' }, 'Which roles fit my profile best? →')));
  }

  /* ---------- fit view: the best-fitting roles for a profile ---------- */

  var FIT_LIMIT = 10;

  function renderFit() {
    document.title = 'Which roles fit my profile? – SkillSearch';
    var out = el('div', { class: 'fit-output' });
    function run(done) {
      var text = profile.text, key = profileKey();
      fitRequest({ limit: FIT_LIMIT }).then(function (data) {
        lastFit = { key: key, text: text, data: data };
        clear(out);
        append(out, bestFit(text, data));
        var n = Array.isArray(data.results) ? data.results.length : 0;
        announce(plural(n, 'role fits', 'roles fit') + ' your profile.');
        done();
      }, function (err) { clear(out); done(err); });
    }
    var f = profileForm('Find roles that fit', run);
    show([el('header', { class: 'page-head' },
      el('h1', null, 'Which roles fit my profile?'),
      el('p', { class: 'lead' }, 'Paste your CV or pick your skills. Roles are ranked by how much of their skills you have ',
        '(essential and rare ones weigh more) and by how much of your profile they use; then what to learn next.')),
    el('section', { class: 'card', 'aria-label': 'Your profile' }, f), out], false);
    if (lastFit && lastFit.key === profileKey()) append(out, bestFit(lastFit.text, lastFit.data));
    else if (!profileEmpty()) f.requestSubmit();
  }

  function bestFit(text, data) {
    var results = Array.isArray(data.results) ? data.results : [];
    var prof = Array.isArray(data.profile) ? data.profile : [];
    var gaps = Array.isArray(data.gaps) ? data.gaps : [];
    return el('div', { class: 'fit-layout' },
      el('section', { class: 'fit-roles', 'aria-labelledby': 'fit-roles-h' },
        el('h2', { id: 'fit-roles-h' }, 'Roles that fit best'),
        results.length ? el('ol', { class: 'results' }, results.map(function (r) {
          var lacks = (Array.isArray(r.skills) ? r.skills : []).filter(function (s) {
            return s.status === 'lacks' && s.relation === 'essential';
          });
          return el('li', { class: 'result card fit-role' },
            el('h3', { class: 'result-title' }, el('a', { href: idHref('occupation', r.id) }, r.label)),
            el('p', { class: 'result-meta' }, r.isco ? el('span', { class: 'isco-code' }, 'ISCO ' + r.isco) : null,
              el('span', null, countsLine(r))),
            coverageMeter(r.coverage, 'Coverage'),
            lacks.length ? el('div', { class: 'to-learn' },
              el('p', { class: 'to-learn-h' }, 'Essential skills to learn:'),
              foldedList(lacks, TO_LEARN_SHOWN, skillChip, 'chips', 'to learn')) : null);
        })) : el('p', { class: 'muted' }, 'No occupation needs these skills.')),
      el('aside', { class: 'fit-side' },
        gaps.length ? el('section', { class: 'card gaps', 'aria-labelledby': 'gaps-h' },
          el('h2', { id: 'gaps-h' }, 'Skills to learn next'),
          el('p', { class: 'muted small' }, 'Essential skills you lack, by how many of these roles need them.'),
          el('ol', { class: 'link-list' }, gaps.map(function (g) {
            return el('li', null, el('a', { href: idHref('skill', g.id) }, g.label),
              el('span', { class: 'muted small' }, ' needed by ' + plural(g.needed_by || 0, 'role', 'roles')));
          }))) : null,
        el('section', { class: 'card', 'aria-labelledby': 'profile-h' },
          el('h2', { id: 'profile-h' }, 'Your skills', el('span', { class: 'count' }, String(prof.length))),
          el('ul', { class: 'chips' }, prof.map(skillChip)),
          evidenceBlock(text, prof, 'h3'))));
  }

  /* ---------- skill page ---------- */

  function renderSkill(id, seq) {
    show(loading('Loading skill…'), false);
    api('/skills/' + encodeURIComponent(id))
      .then(function (s) {
        if (seq !== renderSeq) return;
        document.title = s.label + ' – SkillSearch';
        show(skillPage(s), true);
      })
      .catch(function (err) { if (seq === renderSeq) show([backLink(), errorBox(err)], true); });
  }

  function typeName(t) {
    if (t === 'knowledge') return 'Knowledge';
    if (t === 'skill/competence') return 'Skill / competence';
    return t ? t : 'Unspecified type';
  }

  /* Long lists (a transversal skill is needed by hundreds of jobs) start folded. */
  function cappedList(items, cap, render, cls) {
    var ul = el('ul', { class: cls }, items.slice(0, cap).map(render));
    if (items.length <= cap) return ul;
    var more = el('button', { type: 'button', class: 'btn btn-small', onclick: function () {
      append(ul, items.slice(cap).map(render));
      more.remove();
    } }, 'Show all ' + items.length);
    return [ul, more];
  }

  function skillPage(s) {
    var occ = s.occupations || {};
    var ess = Array.isArray(occ.essential) ? occ.essential : [];
    var opt = Array.isArray(occ.optional) ? occ.optional : [];
    var related = Array.isArray(s.related) ? s.related : [];
    function occItem(o) {
      return el('li', null, el('a', { href: idHref('occupation', o.id) }, o.label),
        o.isco ? el('span', { class: 'muted small' }, ' ISCO ' + o.isco) : null);
    }
    function occBlock(title, items) {
      return el('div', { class: 'occ-block' },
        el('h3', null, title, el('span', { class: 'count' }, String(items.length))),
        items.length ? cappedList(items, 25, occItem, 'link-list') : el('p', { class: 'muted' }, 'None.'));
    }
    return [
      el('header', { class: 'page-head' },
        backLink(),
        el('p', { class: 'kicker' }, 'Skill'),
        el('h1', null, s.label),
        el('p', { class: 'tags' },
          el('span', { class: 'badge badge-skill' }, typeName(s.skill_type)),
          s.reuse_level ? el('span', { class: 'badge badge-neutral' }, REUSE_TITLES[s.reuse_level] || s.reuse_level) : null),
        s.description ? el('p', { class: 'description' }, s.description) : null),
      altLabels(s.alt_labels),
      el('section', { class: 'card' },
        el('h2', null, 'Occupations that need this skill'),
        el('div', { class: 'two-col' }, occBlock('Essential', ess), occBlock('Optional', opt))),
      related.length ? el('section', { class: 'card' },
        el('h2', null, 'Related skills'),
        cappedList(related, 40, function (r) {
          return el('li', null, el('a', { href: idHref('skill', r.id) }, r.label),
            r.relation ? el('span', { class: 'muted small' }, ' ' + r.relation) : null);
        }, 'link-list')) : null
    ];
  }

  /* ---------- job-ad match ---------- */

  var EXAMPLE_AD = 'We are looking for a technician for our cleanroom in Dresden. ' +
    'You will perform wire bonding and assemble microelectromechanical systems, ' +
    'operate soldering equipment and maintain test equipment. ' +
    'Good communication skills, teamwork and attention to detail are essential. Gehalt nach Vereinbarung – ab 3.500 €.';

  function renderMatch() {
    document.title = 'Match a job ad – SkillSearch';
    var ta = el('textarea', { id: 'ad-text', name: 'text', rows: 9, required: true,
      placeholder: 'Paste the full text of a job ad here…' });
    var out = el('div', { class: 'match-output', 'aria-live': 'polite' });
    var submit = el('button', { type: 'submit', class: 'btn btn-primary' }, 'Find matching occupations');
    var f = el('form', { class: 'match-form card', id: 'match-form' },
      el('label', { for: 'ad-text', class: 'field-label' }, 'Paste a job ad'),
      el('p', { class: 'hint', id: 'ad-hint' },
        'We recognise the ESCO skills in the text and rank the occupations that need them. Ctrl+Enter submits.'),
      ta,
      el('div', { class: 'form-actions' }, submit,
        el('button', { type: 'button', class: 'btn', onclick: function () { ta.value = EXAMPLE_AD; ta.focus(); } },
          'Use an example')));
    ta.setAttribute('aria-describedby', 'ad-hint');
    ta.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); f.requestSubmit(submit); }
    });
    f.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = ta.value;
      if (!text.trim()) { ta.focus(); return; }
      submit.disabled = true;
      clear(out);
      out.appendChild(loading('Analysing the ad…'));
      api('/match', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: text }) })
        .then(function (data) {
          lastMatch = { text: text, data: data };
          clear(out);
          append(out, matchResults(text, data));
          var n = Array.isArray(data.results) ? data.results.length : 0;
          announce(n + ' matching occupations');
        })
        .catch(function (err) { clear(out); out.appendChild(errorBox(err)); })
        .then(function () { submit.disabled = false; });
    });
    if (lastMatch) {
      ta.value = lastMatch.text;
      append(out, matchResults(lastMatch.text, lastMatch.data));
    }
    show([el('header', { class: 'page-head' },
      el('h1', null, 'Match a job ad'),
      el('p', { class: 'lead' }, 'Find the occupations a job ad describes, and see which skills it asks for.')),
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
    return el('div', { class: 'match-layout' + (skills.length ? '' : ' no-skills') },
      skills.length ? el('section', { class: 'card match-text' },
        el('h2', null, 'Recognised skills',
          el('span', { class: 'count' }, String(unique.length))),
        el('ul', { class: 'chips' }, unique.map(function (s) {
          return el('li', null, el('a', { class: 'chip chip-link', href: idHref('skill', s.id) }, s.label));
        })),
        el('h3', { class: 'h-small' }, 'Your ad'),
        el('div', { class: 'ad-text' }, highlightSpans(text, skills)))
        : el('div', { class: 'notice' }, el('strong', null, 'No ESCO skills recognised'),
          el('p', null, 'The occupations below are ranked by the words of the ad.')),
      el('section', { class: 'match-occupations' },
        el('h2', null, 'Matching occupations'),
        results.length ? el('ol', { class: 'results' }, results.map(function (h) { return resultCard(h, null, false); }))
          : el('p', { class: 'muted' }, 'No occupation matched.')));
  }

  /* Exposed for the browser test's byte-offset check. */
  window.SkillSearch = { byteToIndexMap: byteToIndexMap };

  route();
})();
