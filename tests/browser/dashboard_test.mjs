// Browser test of the parcours dashboard (adapters/http/dashboard) against a
// running `parcours serve` loaded with `parcours demo` (see run.sh).
//
//   PARCOURS_URL=http://127.0.0.1:18080 ADMIN_TOKEN=... ARTIFACTS=/tmp/shots \
//     node tests/browser/dashboard_test.mjs
//
// Env: PARCOURS_URL, ADMIN_TOKEN (an administrator's bearer token), ARTIFACTS
// (a directory for screenshots, created if missing), CHROMIUM (the browser
// executable, default /usr/bin/chromium). Plain Node, no test runner: each
// step prints what it checks and the first failure exits 1 with its message.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.PARCOURS_URL || '').replace(/\/$/, '');
const TOKEN = process.env.ADMIN_TOKEN || '';
const ARTIFACTS = process.env.ARTIFACTS || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SUD = 'parcours-sud-2020';
const LTI = 'label-territoire-innovant-2020';
const T = 10_000; // every wait: the dashboard refreshes within ~0.5 s

for (const [name, value] of [['PARCOURS_URL', BASE], ['ADMIN_TOKEN', TOKEN], ['ARTIFACTS', ARTIFACTS]]) {
  if (!value) { console.error(`dashboard_test: set ${name}`); process.exit(2); }
}
fs.mkdirSync(ARTIFACTS, { recursive: true });

// ------------------------------------------------------------------ helpers

// The same API the page uses, from Node: the expected values come from it.
async function api(method, urlPath, body) {
  const res = await fetch(BASE + urlPath, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath} -> ${res.status}: ${text}`);
  return JSON.parse(text);
}
const get = (p) => api('GET', p);

let step = 0;
async function check(what, fn) {
  step += 1;
  process.stdout.write(`[${step}] ${what} ... `);
  await fn();
  console.log('ok');
}

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const sel = (id) => `[data-testid="${id}"]`;
const rowIds = (page) => page.$$eval(sel('dossier-row'), (rows) => rows.map((r) => r.dataset.dossierId));

// Waits until the listed row ids equal `ids` (the first page the API gives
// for the same filters), then returns them.
async function waitForRows(page, ids, why) {
  try {
    await page.waitForFunction((want) => {
      const got = [...document.querySelectorAll('[data-testid="dossier-row"]')].map((r) => r.dataset.dossierId);
      return got.length === want.length && got.every((id, i) => id === want[i]);
    }, ids, { timeout: T });
  } catch {
    assert.deepEqual(await rowIds(page), ids, `the list should show ${why}`);
  }
}

const listQuery = (q) => `/v1/dossiers?${new URLSearchParams({ limit: '25', ...q })}`;
const normalise = (s) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

// ------------------------------------------------------------------ the run

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'], // CI runs as root, in a container
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
// Every URL the page asks for: a token must never be in one (logs and
// histories keep URLs); the event stream goes by fetch() with a header.
const requestedUrls = [];
page.on('request', (r) => requestedUrls.push(r.url()));
// Console errors help when a step fails; failed requests are left out (the
// 401 and 404 steps make some on purpose, and the steps report the others).
page.on('console', (m) => {
  if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) console.log(`\n  [browser console] ${m.text()}`);
});

try {
  await check('the dashboard loads in French and asks for a token', async () => {
    await page.goto(`${BASE}/`);
    await page.waitForSelector(sel('signin-form'), { state: 'visible', timeout: T });
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await page.textContent('label[for="token"]'), 'Jeton d’accès (bearer)');
  });

  await check('an unknown token is refused and the sign-in stays', async () => {
    await page.fill(sel('signin-token'), 'not-a-token');
    await page.click(sel('signin-submit'));
    await page.waitForSelector('#error:not([hidden])', { timeout: T });
    await page.waitForSelector(sel('signin-form'), { state: 'visible', timeout: T });
  });

  await check('sign in with the admin token', async () => {
    await page.fill(sel('signin-token'), TOKEN);
    await page.click(sel('signin-submit'));
    await page.waitForSelector(sel('campaign-card'), { timeout: T });
    assert.equal(await page.isVisible(sel('signin-form')), false, 'the sign-in form should be hidden');
  });

  await check('the live indicator says connected', async () => {
    await page.waitForSelector(`${sel('live-status')}[data-state="connected"]`, { timeout: T });
    assert.equal(await page.getAttribute(sel('live-status'), 'aria-live'), 'polite');
  });

  await check('the overview shows both demo campaigns with name, organiser and budget', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="campaign-card"]').length >= 2, null, { timeout: T });
    const ids = await page.$$eval(sel('campaign-card'), (cs) => cs.map((c) => c.dataset.campaignId));
    assert.ok(ids.includes(SUD) && ids.includes(LTI), `campaign cards: ${ids.join(', ')}`);
    const sud = normalise(await page.textContent(`${sel('campaign-card')}[data-campaign-id="${SUD}"]`));
    const c = await get(`/v1/campaigns/${SUD}`);
    assert.ok(sud.includes(c.name) && sud.includes(c.organiser), `Sud card: ${sud}`);
    const budget = await get(`/v1/campaigns/${SUD}/budget`);
    const fmt = (cents) => normalise(new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(Number(cents) / 100));
    const want = `${fmt(budget.grantedCents)} / ${fmt(budget.envelopeCents)}`;
    const got = normalise(await page.textContent(`[data-campaign-id="${SUD}"] ${sel('campaign-budget')}`));
    assert.equal(got, want);
    // Per-state counts: every state the stats give appears with its count.
    const stats = await get(`/v1/campaigns/${SUD}/stats`);
    for (const { key, count } of stats.byStatus) {
      if (Number(count) === 0) continue;
      const li = normalise(await page.textContent(`[data-campaign-id="${SUD}"] li[data-state="${key}"]`));
      assert.ok(li.endsWith(String(count)), `state ${key}: "${li}" should end with ${count}`);
    }
    await shot(page, '1-overview');
  });

  await check('each campaign card lists the assumptions its definition made, as the rules say', async () => {
    const rules = await get(`/v1/campaigns/${SUD}/rules`);
    const assumptions = rules.rules.assumptions ?? [];
    assert.ok(assumptions.length > 0, 'the Sud definition declares its assumptions');
    const box = `[data-campaign-id="${SUD}"] ${sel('campaign-assumptions')}`;
    await page.click(`${box} summary`);
    const text = normalise(await page.textContent(box));
    assert.ok(text.includes(`(${assumptions.length})`), `summary counts them: ${text}`);
    for (const a of assumptions) {
      assert.ok(text.includes(normalise(a.what)), `missing assumption: ${a.what}`);
    }
  });

  await check(`filtering by campaign shows ${SUD}'s dossiers only`, async () => {
    await page.selectOption(sel('filter-campaign'), SUD);
    const want = (await get(listQuery({ campaign: SUD }))).dossiers.map((d) => d.dossierId);
    assert.ok(want.length > 0);
    await waitForRows(page, want, `the first page of ${SUD}`);
    const camps = await page.$$eval(sel('dossier-row'), (rs) => [...new Set(rs.map((r) => r.dataset.campaignId))]);
    assert.deepEqual(camps, [SUD]);
  });

  await check('"more" appends the next page (nextCursor)', async () => {
    const first = await get(listQuery({ campaign: SUD }));
    assert.ok(first.nextCursor, `${SUD} should hold more than one page of 25`);
    const second = await get(listQuery({ campaign: SUD, after: first.nextCursor }));
    await page.click('#more');
    await waitForRows(page, [...first.dossiers, ...second.dossiers].map((d) => d.dossierId), 'two pages');
    assert.equal(await page.isVisible('#more'), Boolean(second.nextCursor));
  });

  await check('filtering by state shows labelled dossiers only', async () => {
    await page.selectOption(sel('filter-status'), 'labelled');
    const want = (await get(listQuery({ campaign: SUD, status: 'labelled' }))).dossiers.map((d) => d.dossierId);
    assert.ok(want.length > 0);
    await waitForRows(page, want, `${SUD}'s labelled dossiers`);
    const states = await page.$$eval(sel('dossier-row'), (rs) => [...new Set(rs.map((r) => r.dataset.status))]);
    assert.deepEqual(states, ['labelled']);
    assert.ok((await page.textContent(sel('dossier-row'))).includes('labellisé'), 'the state is shown in French');
  });

  let searched;
  await check('searching text keeps the matching dossiers', async () => {
    await page.selectOption(sel('filter-status'), '');
    // A word of a real title, so the test follows the demo's data.
    const first = (await get(listQuery({ campaign: SUD, limit: '1' }))).dossiers[0];
    searched = first.title.split(/\s+/).find((w) => w.length >= 6) || first.title;
    await page.fill(sel('filter-search'), searched);
    const want = (await get(listQuery({ campaign: SUD, q: searched }))).dossiers;
    assert.ok(want.length > 0);
    await waitForRows(page, want.map((d) => d.dossierId), `the dossiers matching "${searched}"`);
    for (const d of want) {
      const hay = `${d.dossierId} ${d.title} ${d.applicantName}`.toLowerCase();
      assert.ok(hay.includes(searched.toLowerCase()), `${d.dossierId} should match "${searched}"`);
    }
    await shot(page, '2-filtered-list');
  });

  let opened;
  await check('a dossier page shows its details, timeline and audit trail', async () => {
    opened = (await rowIds(page))[0];
    await page.click(`${sel('dossier-row')}[data-dossier-id="${opened}"] a`);
    await page.waitForSelector(sel('dossier-page'), { state: 'visible', timeout: T });
    assert.equal(new URL(page.url()).hash, `#/dossiers/${opened}`);
    const timeline = (await get(`/v1/dossiers/${opened}/timeline`)).entries;
    const audit = (await get(`/v1/dossiers/${opened}/audit`)).entries;
    assert.ok(timeline.length > 0 && audit.length > 0);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="timeline"] li').length === n, timeline.length, { timeout: T });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit-trail"] tbody tr').length === n, audit.length, { timeout: T });
    const tl = normalise(await page.textContent(sel('timeline')));
    assert.ok(tl.includes(timeline[0].eventType) && tl.includes(timeline[0].actor), 'the first timeline entry');
    assert.ok((await page.textContent('#d-title')).includes(opened));
    // The form's answers, under the form's section titles and field labels.
    const answers = (await get(`/v1/dossiers/${opened}/answers`)).answers;
    if (Object.keys(answers).length > 0) {
      await page.waitForSelector(`${sel('answers')}:not([hidden]) section h4`, { timeout: T });
      const shown = normalise(await page.textContent(sel('answers')));
      const rules = (await get(`/v1/campaigns/${(await get(`/v1/dossiers/${opened}`)).campaignId}/rules`)).rules;
      const first = rules.form.sections[0];
      assert.ok(shown.includes(normalise(first.title)), `section title in: ${shown.slice(0, 200)}`);
      const answered = first.fields.find((f) => f.id in answers && f.type !== 'group');
      assert.ok(shown.includes(normalise(answered.label)), `label ${answered.label}`);
    }
    await shot(page, '3-dossier-page');
  });

  await check('an API error shows its problem detail', async () => {
    const missing = `no-such-dossier-${Date.now()}`;
    const res = await fetch(`${BASE}/v1/dossiers/${missing}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') || '', /application\/problem\+json/);
    const { detail } = await res.json();
    await page.goto(`${BASE}/#/dossiers/${missing}`);
    await page.waitForFunction((d) => document.querySelector('#error')?.textContent === d, detail, { timeout: T });
  });

  // The live part: a new campaign and a new dossier, written through the API
  // while the page stays open, must appear without any reload. The demo's
  // campaigns are past their deadlines, so a fresh campaign takes the
  // submission.
  const campaignId = `browser-test-${Date.now()}`;
  const dossierId = `bt-${Date.now()}`;
  await check(`a campaign opened through the API (${campaignId}) appears without reload`, async () => {
    await page.click('a[href="#/"]');
    await page.waitForSelector(sel('dossier-list'), { state: 'visible', timeout: T });
    await page.evaluate(() => { window.__sameDocument = true; });
    const def = JSON.parse(fs.readFileSync(path.join(REPO, 'workflows/campaigns/label-territoire-innovant-2020.json'), 'utf8'));
    def.id = campaignId;
    def.name = `Browser test ${campaignId}`;
    def.deadline = { local: '2099-12-31T23:59:59', time_zone: 'Europe/Paris' };
    await api('POST', `/v1/campaigns/${campaignId}`, { reason: 'browser test', definition: def });
    await page.waitForSelector(`${sel('campaign-card')}[data-campaign-id="${campaignId}"]`, { timeout: T });
    await page.waitForSelector(`${sel('filter-campaign')} option[value="${campaignId}"]`, { state: 'attached', timeout: T });
    await page.fill(sel('filter-search'), '');
    await page.selectOption(sel('filter-campaign'), campaignId);
    await page.waitForSelector('#list-empty:not([hidden])', { timeout: T });
  });

  await check(`a dossier submitted through the API (${dossierId}) appears in the open list without reload`, async () => {
    await api('POST', `/v1/dossiers/${dossierId}/submit`, {
      reason: 'browser test',
      campaignId,
      application: {
        applicantName: 'Commune de Testville-sur-Fiction',
        applicantKind: 'commune',
        title: 'Navigateur de démonstration',
        summary: 'Dossier fictif déposé par le test du tableau de bord.',
        strands: [],
        requestedCents: '0',
        contact: { name: 'Camille Exemple', email: 'camille@example.org', phone: '' },
        // The label's form (docs/forms.md): its required answers.
        answers: {
          description: 'Un navigateur qui vérifie le tableau de bord.',
          mise_en_oeuvre: 'realise',
          innovation: 'Réponse', usagers: 'Réponse', reproductibilite: 'Réponse',
          mutualisation: 'Réponse', sobriete: 'Réponse',
          disponible_audition: false,
        },
      },
    });
    await page.waitForSelector(`${sel('dossier-row')}[data-dossier-id="${dossierId}"]`, { timeout: T });
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page must not have reloaded');
    assert.equal(await page.getAttribute(`[data-dossier-id="${dossierId}"]`, 'data-status'), 'submitted');
    // The campaign's card counts it too, and says who must act next.
    await page.waitForSelector(`[data-campaign-id="${campaignId}"] li[data-state="submitted"]`, { timeout: T });
    const pending = normalise(await page.textContent(`[data-campaign-id="${campaignId}"] ${sel('campaign-pending')}`));
    assert.ok(pending.includes('instructeurs'), `pending: ${pending}`);
    await shot(page, '4-after-live-update');
  });

  await check('the language switch turns the page to English', async () => {
    await page.click(sel('lang-switch'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('label[for="f-status"]'), 'State');
    assert.equal(normalise(await page.textContent(`[data-dossier-id="${dossierId}"] .badge`)), 'submitted');
    const options = await page.$$eval(`${sel('filter-status')} option`, (os) => os.map((o) => o.textContent));
    assert.ok(options.includes('below threshold'), `state options: ${options.join(', ')}`);
    assert.equal(await page.textContent(sel('lang-switch')), 'Français');
  });

  await check('the keyboard reaches the search field and a dossier', async () => {
    await page.selectOption(sel('filter-campaign'), '');
    await page.waitForSelector(`${sel('dossier-row')}[data-campaign-id="${LTI}"]`, { timeout: T });
    // From the top of the document, Tab until the search field has focus.
    await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    let reached = false;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.dataset.testid === 'filter-search');
    }
    assert.ok(reached, 'Tab never reached the search field');
    await page.keyboard.type(dossierId);
    await waitForRows(page, [dossierId], `only ${dossierId}`);
    // The next Tab stop is the row's link; Enter opens the dossier page.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), dossierId);
    await page.keyboard.press('Enter');
    await page.waitForSelector(sel('dossier-page'), { state: 'visible', timeout: T });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] li').length === 1, null, { timeout: T });
    // Its answers in English: the choice's and the yes/no's words, not their values.
    await page.waitForSelector(`${sel('answers')}:not([hidden]) section h4`, { timeout: T });
    const answers = normalise(await page.textContent(sel('answers')));
    assert.ok(answers.includes('Where does the project stand?') && answers.includes('Done'), answers);
    assert.ok(answers.includes('The audition') && answers.includes('No'), answers);
  });

  await check('no request carries the token in its URL; the event stream sends it as a header', async () => {
    assert.ok(requestedUrls.some((u) => u.includes('/v1/events/stream')), 'the stream was opened');
    const leaking = requestedUrls.filter((u) => u.includes(TOKEN) || u.includes('access_token'));
    assert.deepEqual(leaking, []);
  });

  await check('no uncaught error in the page', async () => {
    assert.deepEqual(pageErrors, []);
  });
  console.log(`dashboard_test: all ${step} checks passed; screenshots in ${ARTIFACTS}`);
} catch (err) {
  console.log('FAILED');
  console.error(`dashboard_test: step ${step} failed: ${err.message}`);
  if (pageErrors.length) console.error(`page errors: ${pageErrors.join(' | ')}`);
  // The page's error box holds the API's problem detail, often the cause.
  const shown = await page.$eval('#error', (e) => (e.hidden ? '' : e.textContent)).catch(() => '');
  if (shown) console.error(`the page shows the error: ${shown}`);
  await shot(page, 'failure').catch(() => {});
  await browser.close();
  process.exit(1);
}
await browser.close();
