// Real-browser test of the skillsearch page: Debian's chromium driven by playwright-core.
// Env: BASE_URL (server root, e.g. http://127.0.0.1:8080), ARTIFACTS (screenshot dir),
//      CHROMIUM (browser binary, default /usr/bin/chromium).
// Prints 'ok NAME' / 'FAIL NAME' per check, then 'N passed, N failed'; exits 1 on any failure.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const ARTIFACTS = process.env.ARTIFACTS || 'tests/artifacts';
const OCCUPATION = 'microsystem engineering technician';
// Non-ASCII text (2-, 3- and 4-byte UTF-8, 𝔸 is a surrogate pair) before the skills, so wrong byte->index conversion shows as misplaced marks.
const JOB_AD = 'Über uns – wir sind ein Hersteller von Mikrosystemen (≈ 120 Mitarbeitende), Team 𝔸\n\n' +
  'We are hiring a technician for our cleanroom. You will do wire bonding, assemble ' +
  'microelectromechanical systems, operate soldering equipment and calibrate test equipment. ' +
  'Teamwork and good communication are essential. Café & parking on site.';
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
      page.waitForResponse((r) => r.url().endsWith('/match') && r.request().method() === 'POST'),
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

  const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const ppage = await phone.newPage();
  ppage.setDefaultTimeout(TIMEOUT);
  await check('phone width layout', async () => {
    await ppage.goto(BASE + '/#/search?q=' + encodeURIComponent('wire bonding') + '&type=occupation');
    await ppage.waitForSelector('.results .result');
    const overflow = await ppage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, 'page is ' + overflow + 'px wider than the screen');
    await ppage.screenshot({ path: join(ARTIFACTS, 'phone.png') });
    if (occHref) {
      await ppage.goto(BASE + '/' + occHref);
      await ppage.waitForSelector('.skill-section');
      const o2 = await ppage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(o2 <= 0, 'occupation page is ' + o2 + 'px wider than the screen');
      await ppage.screenshot({ path: join(ARTIFACTS, 'phone-occupation.png') });
    }
  });
  await phone.close();
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
