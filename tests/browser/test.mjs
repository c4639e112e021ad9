// Real-browser test of the skillsearch page: Debian's chromium driven by playwright-core.
// Env: BASE_URL (server root, e.g. http://127.0.0.1:8080), ARTIFACTS (screenshot dir),
//      CHROMIUM (browser binary, default /usr/bin/chromium).
// Prints 'ok NAME' / 'FAIL NAME' per check, then 'N passed, N failed'; exits 1 on any failure.
// The last checks run the page in French and Dutch (language menu, message tables, results).
// axe-core (@axe-core/playwright) checks the home, search, occupation (both groupings), skill, match and fit pages: every
// violation is printed as '# axe PAGE: id impact nodes'; a serious or critical one fails the check.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const ARTIFACTS = process.env.ARTIFACTS || 'tests/artifacts';
const OCCUPATION = 'microsystem engineering technician';
// A skill of OCCUPATION whose broader chain holds a broader skill (linked) above ESCO skill groups (not linked).
const CHAINED_SKILL = 'package microelectromechanical systems';
// Non-ASCII text (2-, 3- and 4-byte UTF-8, 𝔸 is a surrogate pair) before the skills, so wrong byte->index conversion shows as misplaced marks.
const JOB_AD = 'Über uns – wir sind ein Hersteller von Mikrosystemen (≈ 120 Mitarbeitende), Team 𝔸\n\n' +
  'We are hiring a technician for our cleanroom. You will do wire bonding, assemble ' +
  'microelectromechanical systems, operate soldering equipment and calibrate test equipment. ' +
  'Teamwork and good communication are essential. Café & parking on site.';
// A CV for "Compare your profile": multi-byte text before and between the skills.
const CV = 'Électronicien (3 ans) – Dresden ≈ 𝔸 team\n' +
  'I did wire bonding and soldering on MEMS sensors, followed microsystem test procedures, ' +
  'and liked the teamwork in our cleanroom. Café ☕ lover.';
const TIMEOUT = 15000;

mkdirSync(ARTIFACTS, { recursive: true });

let passed = 0, failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log('ok ' + name);
  } catch (e) {
    failed++;
    console.log('FAIL ' + name + ': ' + String(e && e.message ? e.message : e).split('\n')[0]);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

// Runs axe-core on the page as it is; prints every violation, fails on serious or critical ones.
const axeSeen = [];
async function axe(page, name) {
  const res = await new AxeBuilder({ page }).analyze();
  for (const v of res.violations) {
    console.log(`# axe ${name}: ${v.id} ${v.impact} ${v.nodes.length} node(s): ${v.help}`);
    axeSeen.push(v.id);
  }
  if (!res.violations.length) console.log(`# axe ${name}: no violations (${res.passes.length} rules passed)`);
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(!bad.length, bad.map((v) => v.id + ' (' + v.impact + ') ' + v.nodes[0].target.join(' ')).join(', '));
}

// The text each profile skill's byte span points at.
function spanTexts(text, profile) {
  const bytes = Buffer.from(text, 'utf8');
  return profile.filter((p) => p.how === 'text').map((p) => bytes.subarray(p.start, p.end).toString('utf8'));
}

// Fails when the page scrolls sideways; saves a screenshot either way.
async function noOverflow(page, what, shot, fullPage) {
  const o = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: join(ARTIFACTS, shot), fullPage });
  assert(o <= 0, what + ' is ' + o + 'px wider than the screen');
}

// Pastes the CV into the profile form, submits and waits for sel.
async function submitCV(page, sel) {
  await page.fill('#profile-text', CV);
  await page.click('#profile-form button[type="submit"]');
  await page.waitForSelector(sel);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--no-first-run'],
});

const pageErrors = [];
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  await check('home page loads with attribution', async () => {
    const res = await page.goto(BASE + '/');
    assert(res && res.ok(), 'GET / answered ' + (res && res.status()));
    await page.waitForSelector('#q');
    const footer = await page.textContent('.site-footer');
    assert(footer.includes('This service uses the ESCO classification of the European Commission.'),
      'attribution footer missing');
  });

  await check('axe: home page', async () => { await axe(page, 'home'); });

  await check('byte offsets map to string indices', async () => {
    const got = await page.evaluate(() => {
      const s = 'aé€😀b';
      const m = window.SkillSearch.byteToIndexMap(s);
      // bytes: a=0, é=1..2, €=3..5, 😀=6..9, b=10, end=11
      return [m[0], m[1], m[3], m[6], m[10], m[11], m.length];
    });
    assert(JSON.stringify(got) === JSON.stringify([0, 1, 2, 3, 5, 6, 12]), 'map was ' + JSON.stringify(got));
  });

  // Suggestions must show up while typing; the full phrase may legitimately have none,
  // so the list is awaited after the first word and navigated there.
  await check('suggestions appear while typing', async () => {
    await page.click('#q');
    await page.keyboard.type('wire', { delay: 120 });
    await page.waitForSelector('#suggest-list [role="option"]', { state: 'visible' });
    assert(await page.getAttribute('#q', 'aria-expanded') === 'true', 'combobox not expanded');
    const n = await page.locator('#suggest-list [role="option"]').count();
    assert(n >= 1 && n <= 10, n + ' suggestions');
  });

  await check('keyboard navigation in suggestions', async () => {
    await page.keyboard.press('ArrowDown');
    const first = await page.getAttribute('#q', 'aria-activedescendant');
    assert(first, 'no active descendant after ArrowDown');
    assert(await page.getAttribute('#' + first, 'aria-selected') === 'true', 'active option not selected');
    await page.keyboard.press('ArrowUp');
    const wrapped = await page.getAttribute('#q', 'aria-activedescendant');
    const n = await page.locator('#suggest-list [role="option"]').count();
    assert(n === 1 ? wrapped === first : wrapped && wrapped !== first, 'ArrowUp did not move');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#suggest-list', { state: 'hidden' });
    assert(await page.getAttribute('#q', 'aria-expanded') === 'false', 'still expanded after Escape');
    assert(await page.inputValue('#q') === 'wire', 'navigation changed the input');
  });

  await check('typing the rest of the query keeps the combobox consistent', async () => {
    await page.keyboard.type(' bonding', { delay: 120 });
    await page.waitForTimeout(400);
    const expanded = await page.getAttribute('#q', 'aria-expanded');
    const visible = await page.isVisible('#suggest-list');
    assert((expanded === 'true') === visible, 'aria-expanded ' + expanded + ' but list visible ' + visible);
    assert(!(await page.getAttribute('#q', 'aria-activedescendant')), 'an option is active without navigation');
  });

  let occHref = null, searchTitles = [];
  await check('search lists ' + OCCUPATION, async () => {
    await page.keyboard.press('Enter');
    await page.waitForSelector('.results .result');
    await page.screenshot({ path: join(ARTIFACTS, 'search.png'), fullPage: true });
    assert(page.url().includes('#/search?'), 'url is ' + page.url());
    const titles = await page.locator('.result-title a').allTextContents();
    searchTitles = titles;
    const i = titles.findIndex((t) => t.trim().toLowerCase() === OCCUPATION);
    assert(i >= 0, 'not in results: ' + titles.join(' | '));
    occHref = await page.locator('.result-title a').nth(i).getAttribute('href');
    assert(/^#\/occupation\/[^/]+$/.test(occHref), 'bad link ' + occHref);
  });

  await check('results show count, ISCO group and highlighted terms', async () => {
    const count = await page.textContent('.results-count');
    assert(/\d/.test(count), 'no total: ' + count);
    const isco = await page.locator('.result .isco-code').count();
    assert(isco > 0, 'no ISCO code shown');
    // Terms are marked where they occur: in the label, or in the reasons when the label lacks them.
    const marks = await page.locator('.result mark').allTextContents();
    assert(marks.some((m) => /^(wire|bond)/i.test(m)), 'no highlighted terms: ' + JSON.stringify(marks));
  });

  await check('axe: search page', async () => { await axe(page, 'search'); });

  await check('ISCO facet filters results', async () => {
    const facet = page.locator('a.facet').first();
    if (await facet.count() === 0) throw new Error('no ISCO facets');
    const code = (await facet.locator('.facet-code').textContent()).trim();
    await facet.click();
    await page.waitForFunction((c) => location.hash.includes('isco=' + c), code);
    await page.waitForSelector('.results .result, .notice');
    const codes = await page.locator('.result .isco-code').allTextContents();
    assert(codes.every((c) => c.replace('ISCO ', '').startsWith(code)), 'filter leaked: ' + codes.join(','));
    await page.goBack();
    await page.waitForFunction(() => !location.hash.includes('isco='));
    await page.waitForSelector('.results .result');
  });

  await check('occupation page groups skills and totals add up', async () => {
    if (occHref) {
      await page.click(`.result-title a[href="${occHref}"]`);
    } else {
      // Search ranked it off the first page (reported above); reach it by id so the page checks still run.
      occHref = await page.evaluate(async (label) => {
        const r = await (await fetch('/search?q=' + encodeURIComponent(label) + '&type=occupation')).json();
        const hit = r.results.find((h) => h.label.toLowerCase() === label);
        return hit ? '#/occupation/' + encodeURIComponent(hit.id) : null;
      }, OCCUPATION);
      assert(occHref, OCCUPATION + ' not found by its own label');
      await page.evaluate((h) => { location.hash = h; }, occHref);
    }
    await page.waitForSelector('.skill-section');
    await page.screenshot({ path: join(ARTIFACTS, 'occupation.png'), fullPage: true });
    const h1 = (await page.textContent('h1')).trim().toLowerCase();
    assert(h1 === OCCUPATION, 'h1 is ' + h1);
    const titles = (await page.locator('.skill-section > h3').allTextContents()).map((t) => t.replace(/\d+$/, '').trim());
    const order = ['Essential knowledge', 'Essential skills and competences', 'Optional knowledge', 'Optional skills and competences'];
    let last = -1;
    for (const t of titles) {
      const k = order.indexOf(t);
      assert(k > last, 'unexpected or misordered section ' + t);
      last = k;
    }
    assert(titles.length >= 2, 'only ' + titles.length + ' sections');
    const levels = await page.locator('.reuse-title').count();
    assert(levels >= titles.length, 'skills not grouped by reuse level');
    const totals = await page.textContent('.totals');
    const m = totals.match(/(\d+) skills? and knowledge: (\d+) essential, (\d+) optional/);
    assert(m, 'totals text: ' + totals);
    const all = await page.locator('.skill-section .skill-item').count();
    const ess = await page.locator('.skill-section[data-relation="essential"] .skill-item').count();
    const opt = await page.locator('.skill-section[data-relation="optional"] .skill-item').count();
    assert(+m[1] === all, `total ${m[1]} but ${all} listed`);
    assert(+m[2] === ess, `essential ${m[2]} but ${ess} listed`);
    assert(+m[3] === opt, `optional ${m[3]} but ${opt} listed`);
  });

  await check('occupation skill lists filter by type and reuse level, in place', async () => {
    const api = async (qs) => page.evaluate(async (q) => {
      const id = decodeURIComponent(location.hash.split('/')[2].split('?')[0]);
      return (await fetch('/occupations/' + encodeURIComponent(id) + q)).json();
    }, qs);
    const before = await page.locator('.skill-section .skill-item').count();
    const sel = page.locator('#filter-skilltype');
    await sel.focus();
    await sel.selectOption('knowledge');
    await page.waitForFunction(() => location.hash.includes('skilltype=knowledge'));
    const want = (await api('?skilltype=knowledge')).counts.total;
    await page.waitForFunction((n) => document.querySelectorAll('.skill-section .skill-item').length === n, want);
    const titles = await page.locator('.skill-section > h3').allTextContents();
    assert(titles.every((t) => /knowledge/i.test(t)), 'non-knowledge section: ' + titles.join(' | '));
    assert(await page.evaluate(() => document.activeElement && document.activeElement.id === 'filter-skilltype'),
      'focus left the filter');
    await page.selectOption('#filter-reuse', 'cross-sector');
    const both = (await api('?skilltype=knowledge&reuse=cross-sector')).counts.total;
    await page.waitForFunction((n) => document.querySelectorAll('.skill-section .skill-item').length === n, both);
    const levels = await page.locator('.reuse-group').evaluateAll((g) => g.map((x) => x.dataset.reuse));
    assert(levels.every((l) => l === 'cross-sector'), 'levels shown: ' + levels.join(','));
    if (both === 0) assert(await page.locator('.skill-lists .muted').count() === 1, 'no "none" notice');
    await page.selectOption('#filter-reuse', '');
    await page.selectOption('#filter-skilltype', '');
    await page.waitForFunction((n) => document.querySelectorAll('.skill-section .skill-item').length === n, before);
    assert(!/skilltype=|reuse=/.test(await page.evaluate(() => location.hash)), 'filters left in the URL');
  });

  await check('occupation skill lists group by ESCO skill group, from the keyboard', async () => {
    const want = await page.evaluate(async () => {
      const id = decodeURIComponent(location.hash.split('/')[2].split('?')[0]);
      return (await fetch('/occupations/' + encodeURIComponent(id) + '?group=skillgroup')).json();
    });
    assert(await page.textContent('label[for="filter-group"]') === 'Group by', 'select not labelled');
    assert(await page.inputValue('#filter-group') === '', 'not grouped by relation by default');
    await page.focus('#filter-group');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => location.hash.includes('group=skillgroup'));
    await page.waitForSelector('.skill-lists[data-grouping="skillgroup"] .skill-group');
    assert(await page.evaluate(() => document.activeElement && document.activeElement.id === 'filter-group'),
      'focus left the grouping control');
    await page.screenshot({ path: join(ARTIFACTS, 'occupation-groups.png'), fullPage: true });
    // Groups in the API's order, "other" (no group) in the page's words; each with its skills under it.
    const shown = await page.locator('.skill-group').evaluateAll((gs) => gs.map((g) => ({
      code: g.querySelector('h3 .crumb-code') ? g.querySelector('h3 .crumb-code').textContent : '',
      title: g.querySelector('h3').textContent.replace(/\d+$/, ''),
      skills: [...g.querySelectorAll('.skill-link')].map((a) => a.textContent),
      badges: [...g.querySelectorAll('.skill-row .badge')].map((b) => b.textContent),
    })));
    assert(shown.length === want.skill_groups.length && shown.length >= 2, `${shown.length} groups shown, API has ${want.skill_groups.length}`);
    want.skill_groups.forEach((g, i) => {
      const title = (g.group.code ? g.group.code + ' ' : '') + (g.group.uri ? g.group.label : 'In no skill group');
      assert(shown[i].title === title && shown[i].code === g.group.code, `group ${i} is ${shown[i].title}, want ${title}`);
      const labels = g.skills.map((k) => k.label);
      assert(shown[i].skills.join('|') === labels.join('|'), `${title}: ${shown[i].skills} vs ${labels}`);
      assert(shown[i].badges.join('|') === g.skills.map((k) => k.relation === 'essential' ? 'Essential' : 'Optional').join('|'),
        title + ': relation badges ' + shown[i].badges);
    });
    const assembling = shown.find((g) => g.title.includes('assembling electrical and electronic products'));
    assert(assembling && assembling.skills.includes('perform wire bonding') && assembling.skills.includes(CHAINED_SKILL),
      'assembling group: ' + JSON.stringify(assembling));
    const total = await page.locator('.skill-group .skill-item').count();
    assert(total === want.counts.total, `${total} skills listed, ${want.counts.total} in the totals`);
    await axe(page, 'occupation grouped by skill group');
    // The grouping survives a reload (it is in the URL) and combines with the filters.
    await page.reload();
    await page.waitForSelector('.skill-group');
    assert(await page.inputValue('#filter-group') === 'skillgroup', 'grouping lost on reload');
    await page.selectOption('#filter-skilltype', 'knowledge');
    await page.waitForFunction(() => /skilltype=knowledge/.test(location.hash) && /group=skillgroup/.test(location.hash));
    const know = (await page.evaluate(async () => {
      const id = decodeURIComponent(location.hash.split('/')[2].split('?')[0]);
      return (await fetch('/occupations/' + encodeURIComponent(id) + '?group=skillgroup&skilltype=knowledge')).json();
    })).skill_groups.length;
    await page.waitForFunction((n) => document.querySelectorAll('.skill-group').length === n &&
      document.querySelectorAll('.skill-group .skill-item').length >= n, know);
    await page.selectOption('#filter-skilltype', '');
    await page.selectOption('#filter-group', '');
    await page.waitForSelector('.skill-lists[data-grouping="relation"] .skill-section[data-relation]');
    assert(!/group=|skilltype=/.test(await page.evaluate(() => location.hash)), 'grouping left in the URL');
    assert(await page.locator('.skill-group').count() === 0, 'skill groups left after going back to relations');
  });

  await check('skill descriptions collapse and expand', async () => {
    const toggle = page.locator('.skill-section .toggle').first();
    const id = await toggle.getAttribute('aria-controls');
    assert(!(await page.isVisible('#' + id)), 'description open before click');
    await toggle.click();
    assert(await page.isVisible('#' + id), 'description did not open');
    assert(await toggle.getAttribute('aria-expanded') === 'true', 'aria-expanded not updated');
  });

  await check('skill page opens from the occupation page', async () => {
    await page.locator('.skill-section .skill-link').first().click();
    await page.waitForSelector('.kicker');
    await page.waitForFunction(() => location.hash.startsWith('#/skill/'));
    await page.waitForSelector('h1');
    assert(await page.locator('text=Occupations that need this skill').count() === 1, 'no occupations section');
    const links = await page.locator('a[href^="#/occupation/"]').count();
    assert(links >= 1, 'no occupation links on the skill page');
    await page.screenshot({ path: join(ARTIFACTS, 'skill.png'), fullPage: false });
    await page.goBack();
    await page.waitForSelector('.skill-section');
  });

  await check('skill page shows its broader chain, broader skills linked', async () => {
    await page.locator('.skill-section .skill-link', { hasText: CHAINED_SKILL }).click();
    await page.waitForSelector('nav.hierarchy');
    const id = decodeURIComponent(await page.evaluate(() => location.hash.split('/')[2]));
    const api = async (sid) => page.evaluate(async (x) => (await fetch('/skills/' + encodeURIComponent(x))).json(), sid);
    const want = await api(id);
    assert((await page.textContent('h1')).trim() === CHAINED_SKILL, 'h1');
    assert(await page.getAttribute('nav.hierarchy', 'aria-label') === 'Place in the ESCO skills hierarchy', 'nav label');
    const items = await page.locator('nav.hierarchy li').evaluateAll((ls) => ls.map((l) => ({
      text: l.textContent, kind: l.dataset.kind, href: l.querySelector('a') && l.querySelector('a').getAttribute('href'),
      current: l.getAttribute('aria-current'),
    })));
    assert(want.broader.length >= 2 && items.length === want.broader.length + 1, `${items.length} crumbs for ${want.broader.length} broader`);
    assert(want.broader.some((b) => b.kind === 'skill') && want.broader.some((b) => b.kind === 'group'),
      'sample chain lacks a broader skill or a group');
    want.broader.forEach((b, i) => {
      const text = (b.code ? b.code + ' ' : '') + b.label;
      assert(items[i].text === text, `crumb ${i} is ${items[i].text}, want ${text}`);
      assert(items[i].href === (b.kind === 'skill' ? '#/skill/' + encodeURIComponent(b.id) : null), `crumb ${i} link ${items[i].href}`);
    });
    const last = items[items.length - 1];
    assert(last.text === CHAINED_SKILL && last.current === 'page' && !last.href, 'last crumb ' + JSON.stringify(last));
    // Every linked crumb opens a page (no 404s).
    for (const it of items.filter((x) => x.href)) {
      const ok = await page.evaluate(async (h) => (await fetch('/skills/' + h.split('/')[2])).ok, it.href);
      assert(ok, it.href + ' is not a skill the API knows');
    }
    await page.screenshot({ path: join(ARTIFACTS, 'skill-hierarchy.png'), fullPage: false });
    await axe(page, 'skill page with its hierarchy');
    // Up one step: the broader skill's own page, with its chain of groups.
    const up = want.broader.filter((b) => b.kind === 'skill').pop();
    await page.locator('nav.hierarchy a').last().press('Enter');
    await page.waitForFunction((l) => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === l, up.label);
    await page.waitForSelector('nav.hierarchy');
    const upWant = await api(up.id);
    const upItems = await page.locator('nav.hierarchy li').allTextContents();
    assert(upItems.join('|') === upWant.broader.map((b) => (b.code ? b.code + ' ' : '') + b.label).concat(up.label).join('|'),
      'broader skill chain ' + upItems.join(' > '));
    await page.goBack();
    await page.waitForFunction((l) => document.querySelector('h1') && document.querySelector('h1').textContent.trim() === l, CHAINED_SKILL);
    await page.goBack();
    await page.waitForSelector('.skill-section');
  });

  await check('back returns to the results', async () => {
    await page.goBack();
    await page.waitForSelector('.results .result');
    assert(page.url().includes('#/search?'), 'url is ' + page.url());
    const titles = await page.locator('.result-title a').allTextContents();
    assert(titles.length && titles.join('|') === searchTitles.join('|'), 'results changed after back');
  });

  await check('job ad match highlights skills and lists occupations', async () => {
    await page.click('a[data-nav="match"]');
    await page.waitForSelector('#ad-text');
    await page.fill('#ad-text', JOB_AD);
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/match(\?|$)/.test(r.url()) && r.request().method() === 'POST'),
      page.click('#match-form button[type="submit"]'),
    ]);
    assert(res.ok(), 'POST /match answered ' + res.status());
    const data = await res.json();
    await page.waitForSelector('.match-output .match-layout');
    await page.screenshot({ path: join(ARTIFACTS, 'match.png'), fullPage: true });
    const occ = await page.locator('.match-occupations .result').count();
    assert(occ > 0, 'no occupations listed');
    const skills = Array.isArray(data.skills) ? data.skills : [];
    const marks = await page.locator('.ad-text mark').allTextContents();
    if (skills.length) {
      assert(marks.length > 0, 'server returned ' + skills.length + ' skills but nothing is highlighted');
      // Each mark must show exactly the bytes the server pointed at.
      const bytes = Buffer.from(JOB_AD, 'utf8');
      const expected = skills.map((s) => bytes.subarray(s.start, s.end).toString('utf8'));
      for (const m of marks) assert(expected.includes(m), 'mark "' + m + '" is not a returned span');
      const shown = await page.textContent('.ad-text');
      assert(shown === JOB_AD, 'ad text altered by highlighting');
    } else {
      assert(marks.length === 0, 'marks without skills');
      console.log('# server returned no skills for the ad: highlight check skipped');
    }
  });

  await check('match: the threshold and the reading re-run the match', async () => {
    assert(await page.inputValue('#min-confidence') === '0.5', 'default threshold');
    // this ad opens with a company blurb of 14 words, no title: read as untitled
    assert((await page.textContent('.read-as-note')).includes('without a title'), 'untitled note');
    const before = await page.locator('.match-text .chips li').count();
    const conf = async (v) => {
      const [res] = await Promise.all([
        page.waitForResponse((r) => /\/match(\?|$)/.test(r.url()) && r.request().method() === 'POST'),
        page.locator('#min-confidence').evaluate((e, x) => {
          e.value = x; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change'));
        }, v),
      ]);
      assert(JSON.parse(res.request().postData()).min_confidence === +v, 'min_confidence not sent');
      const d = await res.json();
      await page.waitForSelector('.match-output .match-layout');
      assert((d.skills || []).every((s) => s.confidence >= +v - 1e-9), 'a skill under ' + v);
      assert(await page.textContent('#min-confidence-value') === Math.round(v * 100) + '%', 'output');
      return d;
    };
    const high = await conf('1');
    const nHigh = await page.locator('.match-text .chips li').count();
    assert(nHigh <= before, `threshold 1 lists ${nHigh} skills, 0.5 listed ${before}`);
    assert(nHigh === new Set((high.skills || []).map((s) => s.id)).size, 'chips vs answer');
    await conf('0');
    const nLow = await page.locator('.match-text .chips li').count();
    assert(nLow >= before, `threshold 0 lists ${nLow} skills, 0.5 listed ${before}`);
    await conf('0.5');
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/match(\?|$)/.test(r.url()) && r.request().method() === 'POST'),
      page.selectOption('#read-as', 'titled'),
    ]);
    const forced = await res.json();
    assert(forced.read_as === 'titled', 'read_as not forced');
    await page.waitForSelector('.match-output .match-layout');
    // the note names the title read, where the answer says it was
    assert(forced.title && (await page.textContent('.read-as-note')).includes(`“${forced.title.text}” as the job title`),
      'titled note: ' + await page.textContent('.read-as-note'));
    await page.selectOption('#read-as', 'auto');
  });

  await check('axe: match page', async () => { await axe(page, 'match'); });

  let similarData = null;
  await check('occupation page lists similar roles with what to learn', async () => {
    assert(occHref, 'no occupation link from the search');
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/occupations\/[^/]+\/similar\?/.test(r.url())),
      page.evaluate((h) => { location.hash = h; }, occHref),
    ]);
    assert(res.ok(), 'similar answered ' + res.status());
    similarData = await res.json();
    await page.waitForSelector('.similar-item');
    const titles = await page.locator('.similar-title a').allTextContents();
    assert(titles.length === similarData.results.length && titles.length > 0, 'shown ' + titles.length);
    assert(titles[0] === similarData.results[0].label, 'first is ' + titles[0]);
    assert(titles.includes('microsystem engineer'), 'microsystem engineer missing: ' + titles.join(' | '));
    const first = page.locator('.similar-item').first();
    const learn = await first.locator('.to-learn .chips li:visible a').allTextContents();
    const want = similarData.results[0].to_learn.map((s) => s.label);
    assert(learn.length === Math.min(4, want.length) && learn.every((l, i) => l === want[i]),
      'to learn ' + JSON.stringify(learn) + ' vs ' + JSON.stringify(want));
    assert((await first.textContent()).includes('To move here, learn'), 'no "to move here" text');
    const shared = first.locator('details.shared');
    await shared.locator('summary').click();
    const n = await shared.locator('li').count();
    assert(n === similarData.results[0].shared.length, 'shared ' + n);
  });

  await check('a similar role opens its own page', async () => {
    const link = page.locator('.similar-title a').first();
    const label = (await link.textContent()).trim();
    await link.click();
    await page.waitForFunction((l) => document.querySelector('h1') &&
      document.querySelector('h1').textContent.trim() === l, label);
    await page.waitForSelector('.similar-item, .similar .muted');
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('h1') &&
      document.querySelector('h1').textContent.trim().toLowerCase() === 'microsystem engineering technician');
    await page.waitForSelector('#profile-text');
  });

  await check('compare your profile: a pasted CV gives coverage, has and lacks, and evidence', async () => {
    await page.click('button:has-text("Compare your profile")');
    assert(await page.evaluate(() => document.activeElement.id) === 'profile-text', 'jump did not focus the textarea');
    await page.fill('#profile-text', CV);
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/fit(\?|$)/.test(r.url()) && r.request().method() === 'POST'),
      page.keyboard.press('Control+Enter'),
    ]);
    assert(res.ok(), 'POST /fit answered ' + res.status());
    const body = JSON.parse(res.request().postData());
    assert(body.occupation && body.text === CV, 'request ' + JSON.stringify(body).slice(0, 120));
    const data = await res.json();
    await page.waitForSelector('.fit-result');
    await page.screenshot({ path: join(ARTIFACTS, 'compare.png'), fullPage: true });
    const r = data.results[0];
    const meter = page.locator('.fit-result meter');
    assert(+(await meter.getAttribute('value')) === Math.round(r.coverage * 100), 'meter value');
    assert(await meter.getAttribute('aria-labelledby'), 'meter has no label');
    assert((await page.textContent('.fit-result .coverage-value')).trim() === Math.round(r.coverage * 100) + '%',
      'coverage not shown as text');
    const has = await page.locator('.fit-has .fit-skill > a').allTextContents();
    const lacks = await page.locator('.fit-lacks .fit-skill > a').allTextContents();
    assert(has.includes('perform wire bonding'), 'has: ' + has.join(' | '));
    assert(lacks.includes('wear cleanroom suit'), 'lacks: ' + lacks.join(' | '));
    for (const col of ['.fit-has', '.fit-lacks']) {
      const rel = await page.locator(col + ' .fit-skill').evaluateAll((ls) => ls.map((l) => l.dataset.relation));
      assert(rel.join(',') === rel.slice().sort().join(','), col + ': optional before essential ' + rel);
    }
    const spans = spanTexts(CV, data.profile);
    assert(spans.length >= 3, 'only ' + spans.length + ' skills found in the CV');
    const marks = await page.locator('.fit-result .cv-text mark').allTextContents();
    assert(marks.length === spans.length && marks.every((m) => spans.includes(m)),
      'marks ' + JSON.stringify(marks) + ' vs spans ' + JSON.stringify(spans));
    assert(await page.textContent('.fit-result .cv-text') === CV, 'CV altered by highlighting');
    const quotes = await page.locator('.fit-has .evidence-note q').allTextContents();
    assert(quotes.length && quotes.every((q) => spans.includes(q)), 'evidence quotes ' + JSON.stringify(quotes));
  });

  await check('compare your profile: a skill picked through suggestions, partial via the hierarchy', async () => {
    await page.click('#profile-form button:has-text("Clear")');
    assert(await page.inputValue('#profile-text') === '', 'not cleared');
    assert(await page.evaluate(() => document.activeElement.id) === 'profile-text', 'Clear did not focus the text');
    await page.keyboard.press('Tab');
    assert(await page.evaluate(() => document.activeElement.id) === 'skill-pick', 'Tab does not reach the picker');
    await page.keyboard.type('packag', { delay: 80 });
    await page.waitForSelector('#skill-pick-list [role="option"]', { state: 'visible' });
    const types = await page.locator('#skill-pick-list .badge').allTextContents();
    assert(types.every((t) => t.trim() === 'Skill'), 'not only skills: ' + types.join(','));
    assert(await page.getAttribute('#skill-pick', 'aria-expanded') === 'true', 'picker not expanded');
    await page.keyboard.press('ArrowDown');
    const active = await page.getAttribute('#skill-pick', 'aria-activedescendant');
    assert(active && await page.getAttribute('#' + active, 'aria-selected') === 'true', 'no active option');
    const label = (await page.locator('#' + active + ' .suggest-label').textContent()).trim();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chip-removable');
    assert(await page.inputValue('#skill-pick') === '', 'picker not emptied');
    assert(await page.getAttribute('#skill-pick', 'aria-expanded') === 'false', 'picker still expanded');
    const chips = await page.locator('.chip-removable > span:first-child').allTextContents();
    assert(chips.length === 1 && chips[0] === label, 'chips ' + JSON.stringify(chips));
    assert(!page.url().includes('#/fit'), 'Enter in the picker navigated');
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/fit(\?|$)/.test(r.url())),
      page.click('#profile-form button[type="submit"]'),
    ]);
    const body = JSON.parse(res.request().postData());
    assert(body.skills.length === 1 && body.text === '', 'request ' + JSON.stringify(body));
    await page.waitForSelector('.fit-result');
    const partial = await page.locator('.fit-partial .fit-skill').allTextContents();
    assert(partial.some((t) => t.includes('assemble microelectromechanical systems') && /Partial/i.test(t) &&
      t.includes('narrower')), 'partial: ' + JSON.stringify(partial));
    const picked = await page.locator('.fit-has .evidence-note').allTextContents();
    assert(picked.includes('picked'), 'picked skill not marked: ' + JSON.stringify(picked));
    // Remove the chip from the keyboard; focus falls back to the picker.
    await page.focus('.chip-remove');
    await page.keyboard.press('Enter');
    assert(await page.locator('.chip-removable').count() === 0, 'chip not removed');
    assert(await page.evaluate(() => document.activeElement.id) === 'skill-pick', 'focus lost after removing');
  });

  await check('compare your profile: API errors are shown in a live region', async () => {
    await page.fill('#profile-text', 'I enjoy long walks.');
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/fit(\?|$)/.test(r.url())),
      page.click('#profile-form button[type="submit"]'),
    ]);
    assert(res.status() === 400, 'status ' + res.status());
    const live = page.locator('#profile-form .form-msg[aria-live]');
    await live.locator('.notice-error').waitFor();
    assert(/empty profile/i.test(await live.textContent()), 'message: ' + await live.textContent());
    await page.fill('#profile-text', 'wire bonding '.repeat(90000));
    const [big] = await Promise.all([
      page.waitForResponse((r) => /\/fit(\?|$)/.test(r.url())),
      page.click('#profile-form button[type="submit"]'),
    ]);
    assert(big.status() === 413, 'status ' + big.status());
    await page.waitForFunction(() => /too (large|long)|larger than/i.test(
      document.querySelector('#profile-form .form-msg').textContent));
    await page.fill('#profile-text', CV);
    await Promise.all([
      page.waitForResponse((r) => /\/fit(\?|$)/.test(r.url()) && r.ok()),
      page.click('#profile-form button[type="submit"]'),
    ]);
    await page.waitForSelector('.fit-result');
    assert(await live.textContent() === '', 'old error left: ' + await live.textContent());
  });

  await check('keyboard focus is visible', async () => {
    await page.focus('#profile-text');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const style = await page.evaluate(() => {
      const e = document.activeElement, cs = getComputedStyle(e);
      return [e.tagName, cs.outlineStyle, cs.outlineWidth, cs.boxShadow];
    });
    assert(style[1] !== 'none' || style[3] !== 'none', 'no focus indicator on ' + style.join(' '));
  });

  await check('axe: occupation page with similar roles and a fit', async () => { await axe(page, 'occupation'); });

  let fitData = null;
  await check('fit view ranks roles for the profile', async () => {
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/fit(\?|$)/.test(r.url()) && r.request().method() === 'POST'),
      page.click('.fit-more a'),
    ]);
    assert(page.url().endsWith('#/fit'), 'url ' + page.url());
    assert(await page.getAttribute('a[data-nav="fit"]', 'aria-current') === 'page', 'nav not current');
    assert(!JSON.parse(res.request().postData()).occupation, 'fit view sent an occupation');
    fitData = await res.json();
    await page.waitForSelector('.fit-role');
    await page.screenshot({ path: join(ARTIFACTS, 'fit.png'), fullPage: true });
    assert(await page.inputValue('#profile-text') === CV, 'profile not kept');
    const titles = await page.locator('.fit-role .result-title a').allTextContents();
    assert(titles.length === fitData.results.length && titles[0] === fitData.results[0].label, 'titles ' + titles);
    assert(titles[0] === 'microsystem engineering technician', 'best fit is ' + titles[0]);
    const meters = await page.locator('.fit-role meter').evaluateAll((ms) => ms.map((m) => +m.value));
    assert(meters.every((v, i) => v === Math.round(fitData.results[i].coverage * 100)), 'meters ' + meters);
    const gaps = await page.locator('.gaps li a').allTextContents();
    assert(gaps.length === fitData.gaps.length && gaps[0] === fitData.gaps[0].label, 'gaps ' + gaps);
    const marks = await page.locator('.fit-side .cv-text mark').allTextContents();
    const spans = spanTexts(CV, fitData.profile);
    assert(marks.length && marks.every((m) => spans.includes(m)), 'marks ' + JSON.stringify(marks));
    const fold = page.locator('.fit-role .to-learn button[aria-expanded]').first();
    if (await fold.count()) {
      const ul = page.locator('#' + await fold.getAttribute('aria-controls'));
      const before = await ul.locator('li:visible').count();
      await fold.press('Enter');
      assert(await fold.getAttribute('aria-expanded') === 'true', 'fold button not expanded');
      assert(await ul.locator('li:visible').count() > before, 'rest not shown');
    }
  });

  await check('axe: fit page', async () => { await axe(page, 'fit'); });

  await check('skill search facets count and filter by type and reuse level', async () => {
    await page.evaluate(() => { location.hash = '#/search?q=systems&type=skill'; });
    await page.waitForSelector('.results .result');
    const lists = page.locator('.facets ul.facet-list');
    assert(await lists.count() === 2, 'expected skill type and reuse level facets');
    const reuse = lists.nth(1).locator('a.facet').first();
    const count = +(await reuse.locator('.facet-count').textContent());
    await reuse.click();
    await page.waitForFunction(() => /[?&]reuse=/.test(location.hash));
    await page.waitForSelector('.results .result, .notice');
    const shown = await page.locator('.results .result').count();
    assert(shown === Math.min(count, 10), `facet said ${count}, page shows ${shown}`);
    const level = decodeURIComponent(await page.evaluate(() => location.hash.match(/reuse=([^&]+)/)[1]));
    const levels = await page.evaluate(async () => {
      const ids = [...document.querySelectorAll('.results .result-title a')].map((a) =>
        decodeURIComponent(a.getAttribute('href').split('/').pop()));
      return Promise.all(ids.map(async (id) => (await (await fetch('/skills/' + encodeURIComponent(id))).json()).reuse_level));
    });
    assert(levels.every((l) => l === level), 'levels: ' + levels.join(','));
    await axe(page, 'skill search with a filter');
    await page.locator('a.clear-filter').click();
    await page.waitForFunction(() => !/[?&]reuse=/.test(location.hash));
  });

  await check('API text is not interpreted as HTML', async () => {
    await page.evaluate(() => { location.hash = '#/search?q=' + encodeURIComponent('<img src=x onerror=window.__xss=1>'); });
    await page.waitForSelector('.results-title, .notice');
    await page.waitForTimeout(300);
    assert(await page.evaluate(() => window.__xss === undefined), 'markup executed');
    assert(await page.locator('.view img').count() === 0, 'markup inserted');
  });

  await check('no script errors', async () => {
    const real = pageErrors.filter((e) => !/status of 404|Failed to load resource/.test(e));
    assert(real.length === 0, real.join(' | '));
  });

  await ctx.close();

  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const ppage = await phone.newPage();
  ppage.setDefaultTimeout(TIMEOUT);
  await check('phone width layout', async () => {
    await ppage.goto(BASE + '/#/search?q=' + encodeURIComponent('wire bonding') + '&type=occupation');
    await ppage.waitForSelector('.results .result');
    await noOverflow(ppage, 'search page', 'phone.png', false);
    if (occHref) {
      await ppage.goto(BASE + '/' + occHref);
      await ppage.waitForSelector('.skill-section');
      await ppage.waitForSelector('.similar-item');
      await submitCV(ppage, '.fit-result');
      await noOverflow(ppage, 'occupation page', 'phone-occupation.png', true);
    }
  });
  await check('phone width: skill groups and the skill hierarchy', async () => {
    assert(occHref, 'no occupation link from the search');
    await ppage.goto(BASE + '/' + occHref + '?group=skillgroup');
    await ppage.waitForSelector('.skill-group');
    await noOverflow(ppage, 'occupation page by skill group', 'phone-groups.png', true);
    await ppage.locator('.skill-group .skill-link', { hasText: CHAINED_SKILL }).click();
    await ppage.waitForSelector('nav.hierarchy');
    await noOverflow(ppage, 'skill page with its hierarchy', 'phone-skill.png', true);
  });
  await check('phone width: fit page reached by URL', async () => {
    await ppage.goto(BASE + '/#/fit');
    await submitCV(ppage, '.fit-role');
    await noOverflow(ppage, 'fit page', 'phone-fit.png', true);
  });
  await phone.close();

  // The page in the languages the server serves (run.sh adds French and Dutch sample indexes).
  const intl = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const ipage = await intl.newPage();
  ipage.setDefaultTimeout(TIMEOUT);
  const intlErrors = [];
  ipage.on('pageerror', (e) => intlErrors.push(e.message));
  const apiLangs = [];
  ipage.on('request', (r) => {
    const u = new URL(r.url());
    if (/^\/(search|suggest|occupations|skills|match|fit)/.test(u.pathname)) apiLangs.push(u.pathname + ' ' + u.searchParams.get('lang'));
  });

  await check('every message table has every key of the English one', async () => {
    await ipage.goto(BASE + '/');
    await ipage.waitForSelector('#lang-select option', { state: 'attached' });
    const diff = await ipage.evaluate(() => {
      const M = window.SS_MESSAGES, en = Object.keys(M.en).sort().join();
      return Object.keys(M).filter((l) => Object.keys(M[l]).sort().join() !== en);
    });
    assert(diff.length === 0, 'tables differ from en: ' + diff);
  });

  await check('language menu lists the served languages in their own names', async () => {
    assert(await ipage.isVisible('#lang-select'), 'menu hidden');
    const opts = await ipage.locator('#lang-select option').evaluateAll((os) => os.map((o) => o.value + ':' + o.textContent));
    assert(opts.join() === 'en:English,fr:Français,nl:Nederlands', 'options ' + opts);
    assert(await ipage.inputValue('#lang-select') === 'en', 'en-GB browser did not get English');
    assert(await ipage.getAttribute('html', 'lang') === 'en', 'html lang');
  });

  await check('a French search: page words, suggestions, results and occupation page in French', async () => {
    await ipage.selectOption('#lang-select', 'fr');
    await ipage.waitForFunction(() => document.documentElement.lang === 'fr');
    assert((await ipage.textContent('a[data-nav="search"]')).trim() === 'Recherche', 'nav not French');
    assert((await ipage.textContent('.hero h1')).includes('métier'), 'home heading not French');
    assert(/[?&]lang=fr/.test(ipage.url()), 'URL lacks lang=fr: ' + ipage.url());
    await ipage.fill('#q', '');
    await ipage.click('#q');
    await ipage.keyboard.type('boul', { delay: 100 });
    await ipage.waitForSelector('#suggest-list [role="option"]', { state: 'visible' });
    const sug = await ipage.locator('#suggest-list .suggest-label').allTextContents();
    assert(sug.some((x) => x.startsWith('boulanger')), 'suggestions ' + sug);
    assert((await ipage.textContent('#suggest-list .badge')).trim() === 'Métier', 'badge not French');
    await ipage.keyboard.press('Escape');
    await ipage.fill('#q', 'boulanger');
    await ipage.press('#q', 'Enter');
    await ipage.waitForSelector('.results .result');
    const first = (await ipage.textContent('.results .result-title a')).trim();
    assert(first === 'boulanger/boulangère', 'first result ' + first);
    assert((await ipage.textContent('.results-title')).startsWith('Métiers pour'), 'results heading');
    assert((await ipage.textContent('.results-count')).startsWith('Résultats'), 'count line');
    assert(apiLangs.some((x) => x === '/search fr'), 'search not asked in French: ' + apiLangs);
    await axe(ipage, 'French search');
    await ipage.click('.results .result-title a');
    await ipage.waitForSelector('.page-head h1');
    assert((await ipage.textContent('.page-head h1')).trim() === 'boulanger/boulangère', 'occupation h1');
    assert((await ipage.textContent('.kicker')).startsWith('Métier'), 'kicker');
    // the French sample has no skills: the English ones are shown, and the page says so
    await ipage.waitForSelector('.skill-section');
    assert((await ipage.textContent('.skills-overview .lang-note')).includes('anglais'), 'no note on the skills language');
    assert(apiLangs.some((x) => /^\/occupations\/[^/]+ en$/.test(x)), 'skills not fetched from en: ' + apiLangs);
    await ipage.waitForSelector('.similar-item, .similar-body .muted');
    await ipage.screenshot({ path: join(ARTIFACTS, 'occupation-fr.png'), fullPage: false });
    await axe(ipage, 'French occupation page');
  });

  await check('the chosen language survives a reload', async () => {
    await ipage.reload();
    await ipage.waitForSelector('.page-head h1');
    assert(await ipage.inputValue('#lang-select') === 'fr', 'menu');
    assert((await ipage.textContent('.page-head h1')).trim() === 'boulanger/boulangère', 'h1 after reload');
  });

  await check('a Dutch search from a link with ?lang=nl', async () => {
    await ipage.goto(BASE + '/?lang=nl#/search?q=bakker&type=occupation');
    await ipage.waitForSelector('.results .result');
    assert(await ipage.getAttribute('html', 'lang') === 'nl', 'html lang');
    assert(await ipage.inputValue('#lang-select') === 'nl', 'menu');
    assert((await ipage.textContent('a[data-nav="match"]')).trim() === 'Vacature analyseren', 'nav not Dutch');
    assert((await ipage.textContent('.results .result-title a')).trim() === 'bakker', 'first result');
    assert((await ipage.textContent('.results-title')).startsWith('Beroepen voor'), 'results heading');
    assert((await ipage.getAttribute('#q', 'placeholder')).startsWith('Beroep'), 'placeholder');
    await ipage.screenshot({ path: join(ARTIFACTS, 'search-nl.png') });
    await axe(ipage, 'Dutch search');
    await ipage.selectOption('#lang-select', 'en');
    await ipage.waitForSelector('.results .result');
    await ipage.waitForFunction(() => document.querySelector('.results-title').textContent.startsWith('Occupations for'));
    const first = (await ipage.textContent('.results .result-title a')).trim();
    assert(first === 'baker', 'English result after switching back: ' + first);
  });

  await check('no script errors in other languages', async () => {
    assert(intlErrors.length === 0, intlErrors.join(' | '));
  });
  await intl.close();
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
