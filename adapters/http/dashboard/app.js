// parcours administrators' dashboard: campaigns overview, dossier list,
// dossier page, kept current by the server's event stream.
// Contract: docs/http-api.md. Vanilla JS on purpose: the server embeds three
// static files, there is no build step and no runtime dependency.

// ------------------------------------------------------------------ strings

// One dictionary per language. State and phase names mirror the server's
// keys (names.cc) so a new key shows raw rather than breaking the page.
const I18N = {
  fr: {
    appTitle: 'parcours — tableau de bord', skip: 'Aller au contenu',
    signInTitle: 'Connexion', tokenLabel: 'Jeton d’accès (bearer)', signIn: 'Se connecter',
    signOut: 'Se déconnecter', tokenHint: 'Le jeton reste dans cet onglet (sessionStorage).',
    badToken: 'Jeton refusé : connectez-vous à nouveau.',
    overview: 'Campagnes', dossiers: 'Dossiers', campaign: 'Campagne', status: 'État',
    search: 'Rechercher (n°, titre, porteur)', all: 'Toutes', allStates: 'Tous',
    colId: 'N°', colTitle: 'Titre', colApplicant: 'Porteur', colRequested: 'Demandé (€)',
    colUpdated: 'Mis à jour', noDossiers: 'Aucun dossier.', more: 'Afficher plus',
    listCaption: (n) => `${n} dossier(s) affiché(s)`,
    organiser: 'Organisateur', phase: 'Phase', deadline: 'Date limite', total: 'Dossiers',
    budget: 'Budget engagé', noBudget: 'sans financement', pending: 'En attente — pour qui',
    nothingPending: 'rien en attente', byStatus: 'Dossiers par état',
    assumptions: (n) => `Choix hors du texte de l’appel (${n})`, noAssumptions: 'aucun choix déclaré',
    back: '← Retour à la liste', timeline: 'Historique', audit: 'Piste d’audit',
    when: 'Quand', eventType: 'Événement', actor: 'Auteur', rulesVersion: 'Règles',
    reason: 'Motif', summary: 'Résumé', applicant: 'Porteur', kind: 'Nature',
    title: 'Titre', strands: 'Volets', requested: 'Montant demandé', granted: 'Montant accordé',
    audition: 'Audition', mean: 'Moyenne pondérée', label: 'Label', submittedAt: 'Déposé le',
    updatedAt: 'Mis à jour le', version: 'Version', none: '—',
    answers: 'Réponses au formulaire', yes: 'Oui', no: 'Non',
    live: 'En direct', reconnecting: 'Reconnexion…', offline: 'Hors ligne',
    lastEvent: (n) => `dernier événement n° ${n}`,
    langSwitch: 'English', langSwitchLabel: 'Switch to English',
    pendingFor: {
      submitted: 'instruction (éligibilité) — instructeurs',
      eligible: 'audition ou notation — instructeurs / jury',
      auditioned: 'notation — jury',
      scored: 'vote — instance de vote',
      voted: 'attribution — administrateurs',
    },
    states: {
      submitted: 'soumis', eligible: 'éligible', auditioned: 'auditionné', scored: 'noté',
      voted: 'voté', labelled: 'labellisé', ineligible: 'inéligible', not_selected: 'non retenu',
      no_show: 'absent à l’audition', below_threshold: 'sous le seuil', rejected: 'rejeté',
      withdrawn: 'retiré',
    },
    phases: {
      submissions: 'dépôt des candidatures', submissions_closed: 'dépôts clos',
      auditions: 'auditions', deliberation: 'délibération', closed: 'close',
    },
  },
  en: {
    appTitle: 'parcours — dashboard', skip: 'Skip to content',
    signInTitle: 'Sign in', tokenLabel: 'Access token (bearer)', signIn: 'Sign in',
    signOut: 'Sign out', tokenHint: 'The token stays in this tab (sessionStorage).',
    badToken: 'Token refused: please sign in again.',
    overview: 'Campaigns', dossiers: 'Dossiers', campaign: 'Campaign', status: 'State',
    search: 'Search (id, title, applicant)', all: 'All', allStates: 'All',
    colId: 'Id', colTitle: 'Title', colApplicant: 'Applicant', colRequested: 'Requested (€)',
    colUpdated: 'Updated', noDossiers: 'No dossiers.', more: 'Show more',
    listCaption: (n) => `${n} dossier(s) shown`,
    organiser: 'Organiser', phase: 'Phase', deadline: 'Deadline', total: 'Dossiers',
    budget: 'Budget used', noBudget: 'no funding', pending: 'Pending — for whom',
    nothingPending: 'nothing pending', byStatus: 'Dossiers per state',
    assumptions: (n) => `Choices beyond the call’s text (${n})`, noAssumptions: 'none declared',
    back: '← Back to the list', timeline: 'Timeline', audit: 'Audit trail',
    when: 'When', eventType: 'Event', actor: 'Actor', rulesVersion: 'Rules',
    reason: 'Reason', summary: 'Summary', applicant: 'Applicant', kind: 'Kind',
    title: 'Title', strands: 'Strands', requested: 'Requested', granted: 'Granted',
    audition: 'Audition', mean: 'Weighted mean', label: 'Label', submittedAt: 'Submitted',
    updatedAt: 'Updated', version: 'Version', none: '—',
    answers: 'Form answers', yes: 'Yes', no: 'No',
    live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline',
    lastEvent: (n) => `last event #${n}`,
    langSwitch: 'Français', langSwitchLabel: 'Passer en français',
    pendingFor: {
      submitted: 'instruction (eligibility) — instructors',
      eligible: 'audition or scoring — instructors / jury',
      auditioned: 'scoring — jury',
      scored: 'vote — voting body',
      voted: 'award — administrators',
    },
    states: {
      submitted: 'submitted', eligible: 'eligible', auditioned: 'auditioned', scored: 'scored',
      voted: 'voted', labelled: 'labelled', ineligible: 'ineligible', not_selected: 'not selected',
      no_show: 'no-show', below_threshold: 'below threshold', rejected: 'rejected',
      withdrawn: 'withdrawn',
    },
    phases: {
      submissions: 'open for submissions', submissions_closed: 'submissions closed',
      auditions: 'auditions', deliberation: 'deliberation', closed: 'closed',
    },
  },
};

// Workflow order: the order the server sorts states in, used for the
// status filter and the per-state counts.
const STATES = ['submitted', 'eligible', 'auditioned', 'scored', 'voted', 'labelled',
  'ineligible', 'not_selected', 'no_show', 'below_threshold', 'rejected', 'withdrawn'];

const PAGE = 25;

let lang = localStorage.getItem('parcours.lang') === 'en' ? 'en' : 'fr';
const t = (key, ...args) => {
  const v = I18N[lang][key] ?? I18N.fr[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
};
const stateName = (s) => I18N[lang].states[s] ?? s;
// Applicant kinds by their French names in both languages (the calls' own
// words), as `applicantKindLabel` in workflows/src/names.cc names them.
const KIND_NAMES = {
  commune: 'Commune', communaute_de_communes: 'Communauté de communes',
  communaute_d_agglomeration: 'Communauté d\'agglomération', communaute_urbaine: 'Communauté urbaine',
  metropole: 'Métropole', departement: 'Département', region: 'Région',
  association: 'Association', entreprise: 'Entreprise',
};
const kindName = (k) => KIND_NAMES[k] ?? k;
const phaseName = (p) => I18N[lang].phases[p] ?? I18N[lang].phases[camel(p)] ?? p;
const camel = (s) => String(s).replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// ------------------------------------------------------------------ helpers

const $ = (sel) => document.querySelector(sel);

// Builds elements with textContent only, never innerHTML: every value comes
// from applicants' free text.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// Money arrives as a string of cents (64-bit); Number is exact up to 2^53,
// far above the 10^15-cent limit of the definition files. Always fr-FR:
// the amounts are French public funding.
const euros = (cents) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })
  .format(Number(cents ?? 0) / 100);
const locale = () => (lang === 'fr' ? 'fr-FR' : 'en-GB');
function when(iso, timeZone) {
  if (!iso) return t('none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone })
      .format(d);
  } catch { // a zone this browser does not know: the text as sent
    return iso;
  }
}

// ------------------------------------------------------------------ API

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

let token = sessionStorage.getItem('parcours.token') || '';

// Every call goes through here: the bearer token, and problem+json errors
// turned into their `detail`. A 401 drops the token and shows the sign-in.
async function api(path, init = {}) {
  let res;
  try {
    res = await fetch(path, {
      ...init,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...init.headers },
    });
  } catch (e) {
    throw new ApiError(0, e.message);
  }
  if (res.ok) return res.json();
  let detail = `${res.status} ${res.statusText}`;
  try {
    const p = await res.json();
    detail = p.detail || p.title || detail;
  } catch { /* not JSON: keep the status line */ }
  if (res.status === 401) signOut(t('badToken'));
  throw new ApiError(res.status, detail);
}

function showError(err) {
  const box = $('#error');
  if (!err) { box.hidden = true; box.textContent = ''; return; }
  if (err.status === 401) return; // the sign-in form says it already
  box.textContent = err.message;
  box.hidden = false;
}

// Runs a view's loader, showing its error instead of an unhandled rejection.
const guard = (fn) => (...args) => fn(...args).catch(showError);

// ------------------------------------------------------------------ state

const view = {
  campaigns: [],   // [{campaign, stats, budget}]
  rows: [],        // dossiers listed so far
  cursor: '',      // nextCursor of the last page ('' : no more)
  dossier: null,   // {d, timeline, audit} of the open dossier page
};
const filters = { campaign: '', status: '', q: '' };
// Each loader bumps its generation so a slow, stale answer never overwrites
// a newer one (live refreshes and typing overlap).
const gen = { overview: 0, list: 0, dossier: 0 };

// ------------------------------------------------------------------ overview

async function loadOverview() {
  const g = ++gen.overview;
  const campaigns = (await api('/v1/campaigns')).campaigns ?? [];
  const full = await Promise.all(campaigns.map(async (c) => {
    const id = encodeURIComponent(c.campaignId);
    const [stats, budget, rules] = await Promise.all([
      api(`/v1/campaigns/${id}/stats`),
      api(`/v1/campaigns/${id}/budget`).catch(() => null),
      // Public to every role: what the definition chose where the call is silent.
      api(`/v1/campaigns/${id}/rules`).catch(() => null),
    ]);
    return { campaign: c, stats, budget, rules };
  }));
  if (g !== gen.overview) return;
  view.campaigns = full;
  renderOverview();
  renderCampaignFilter();
}

function renderOverview() {
  const cards = view.campaigns.map(({ campaign: c, stats, budget, rules }) => {
    const assumptions = rules?.rules?.assumptions ?? [];
    const counts = new Map((stats?.byStatus ?? []).map((e) => [e.key, Number(e.count)]));
    const envelope = Number(budget?.envelopeCents ?? c.envelopeCents ?? 0);
    const granted = budget?.grantedCents ?? c.grantedCents ?? 0;
    // "Pending — for whom": the non-terminal states that hold dossiers, each
    // with the next step and who must take it.
    const pending = Object.keys(I18N[lang].pendingFor).filter((s) => counts.get(s) > 0);
    return h('article', { class: 'card', 'data-testid': 'campaign-card', 'data-campaign-id': c.campaignId },
      h('h3', {}, c.name || c.campaignId),
      h('dl', { class: 'facts' },
        h('dt', {}, t('organiser')), h('dd', {}, c.organiser),
        h('dt', {}, t('phase')), h('dd', {}, phaseName(c.phase)),
        h('dt', {}, t('deadline')), h('dd', {}, when(c.deadline, c.timeZone || undefined)),
        h('dt', {}, t('total')), h('dd', {}, String(stats?.total ?? c.dossiers ?? 0)),
        h('dt', {}, t('budget')),
        h('dd', { 'data-testid': 'campaign-budget' },
          envelope > 0 ? `${euros(granted)} / ${euros(envelope)}` : t('noBudget'))),
      h('h4', {}, t('byStatus')),
      h('ul', { class: 'counts' }, STATES.filter((s) => counts.get(s) > 0).map((s) =>
        h('li', { 'data-state': s },
          h('a', { href: '#/', onclick: () => setFilters({ campaign: c.campaignId, status: s }) },
            h('span', { class: `badge st-${s}` }, stateName(s)), ' ', h('strong', {}, counts.get(s)))))),
      h('h4', {}, t('pending')),
      pending.length
        ? h('ul', { class: 'pending', 'data-testid': 'campaign-pending' }, pending.map((s) =>
          h('li', {}, h('strong', {}, counts.get(s)), ` ${stateName(s)} → ${I18N[lang].pendingFor[s]}`)))
        : h('p', { class: 'muted' }, t('nothingPending')),
      h('details', { 'data-testid': 'campaign-assumptions' },
        h('summary', {}, t('assumptions', assumptions.length)),
        assumptions.length
          ? h('dl', { class: 'assumptions' }, assumptions.flatMap((a) =>
            [h('dt', {}, a.what), h('dd', {}, a.why)]))
          : h('p', { class: 'muted' }, t('noAssumptions'))));
  });
  $('#campaigns').replaceChildren(...cards);
}

// ------------------------------------------------------------------ list

function renderCampaignFilter() {
  const sel = $('#f-campaign');
  sel.replaceChildren(h('option', { value: '' }, t('all')),
    ...view.campaigns.map(({ campaign: c }) => h('option', { value: c.campaignId }, c.name || c.campaignId)));
  sel.value = filters.campaign;
  // A filter on a campaign not (yet) listed still shows as selected.
  if (sel.value !== filters.campaign) {
    sel.append(h('option', { value: filters.campaign }, filters.campaign));
    sel.value = filters.campaign;
  }
}

function renderStatusFilter() {
  const sel = $('#f-status');
  sel.replaceChildren(h('option', { value: '' }, t('allStates')),
    ...STATES.map((s) => h('option', { value: s }, stateName(s))));
  sel.value = filters.status;
}

function listQuery(after, limit) {
  const p = new URLSearchParams();
  if (filters.campaign) p.set('campaign', filters.campaign);
  if (filters.status) p.set('status', filters.status);
  if (filters.q) p.set('q', filters.q);
  if (after) p.set('after', after);
  p.set('limit', String(limit));
  return `/v1/dossiers?${p}`;
}

// Reloads from the first page. A live refresh asks for as many rows as are
// shown so the "more" pages already opened stay open.
async function loadList({ keep = false } = {}) {
  const g = ++gen.list;
  const limit = keep ? Math.min(10000, Math.max(PAGE, view.rows.length)) : PAGE;
  const page = await api(listQuery('', limit));
  if (g !== gen.list) return;
  view.rows = page.dossiers ?? [];
  view.cursor = page.nextCursor || '';
  renderList();
}

async function loadMore() {
  const g = ++gen.list;
  const page = await api(listQuery(view.cursor, PAGE));
  if (g !== gen.list) return;
  view.rows = view.rows.concat(page.dossiers ?? []);
  view.cursor = page.nextCursor || '';
  renderList();
}

function campaignName(id) {
  return view.campaigns.find((x) => x.campaign.campaignId === id)?.campaign.name || id;
}

function renderList() {
  $('#rows').replaceChildren(...view.rows.map((d) =>
    h('tr', { 'data-testid': 'dossier-row', 'data-dossier-id': d.dossierId,
      'data-campaign-id': d.campaignId, 'data-status': d.status },
      h('th', { scope: 'row' }, h('a', { href: `#/dossiers/${encodeURIComponent(d.dossierId)}` }, d.dossierId)),
      h('td', {}, d.title),
      h('td', {}, d.applicantName),
      h('td', {}, campaignName(d.campaignId)),
      h('td', {}, h('span', { class: `badge st-${d.status}` }, stateName(d.status))),
      h('td', { class: 'num' }, euros(d.requestedCents)),
      h('td', { class: 'nowrap' }, when(d.updatedAt)))));
  $('#list-caption').textContent = t('listCaption', view.rows.length);
  $('#list-empty').hidden = view.rows.length > 0;
  $('#more').hidden = !view.cursor;
}

// The controls are the truth: every change reads all three, so a pending
// debounced search and a select change cannot undo each other.
let typing = null;
function applyFilters() {
  clearTimeout(typing);
  filters.campaign = $('#f-campaign').value;
  filters.status = $('#f-status').value;
  filters.q = $('#f-q').value.trim();
  guard(loadList)();
}

// From a count on a campaign card: that campaign, that state.
function setFilters({ campaign, status }) {
  filters.campaign = campaign;
  renderCampaignFilter();
  $('#f-status').value = status;
  applyFilters();
}

// ------------------------------------------------------------------ dossier page

// The form of a campaign's rules in force, by campaign (public to every
// role; docs/forms.md): its labels name the answers.
const forms = new Map();
async function formOf(campaignId) {
  if (!forms.has(campaignId)) {
    const r = await api(`/v1/campaigns/${encodeURIComponent(campaignId)}/rules`);
    forms.set(campaignId, r.rules?.form ?? null);
  }
  return forms.get(campaignId);
}

async function loadDossier(id) {
  const g = ++gen.dossier;
  const base = `/v1/dossiers/${encodeURIComponent(id)}`;
  const [d, timeline, audit, answers] = await Promise.all(
    [api(base), api(`${base}/timeline`), api(`${base}/audit`), api(`${base}/answers`)]);
  const form = Object.keys(answers.answers ?? {}).length ? await formOf(d.campaignId) : null;
  if (g !== gen.dossier) return;
  view.dossier = {
    d, timeline: timeline.entries ?? [], audit: audit.entries ?? [],
    answers: answers.answers ?? {}, form,
  };
  renderDossier();
}

// ------------------------------------------------------------------ answers

const inLang = (fr, en) => (lang === 'en' && en ? en : fr);

// One answer as people read it: yes/no, a choice's label, money in euros,
// a group's items as a list of their own answers.
function answerText(field, value) {
  switch (field?.type) {
    case 'yesNo': return value ? t('yes') : t('no');
    case 'choice': case 'choices': {
      const label = (v) => {
        const c = (field.choices ?? []).find((x) => x.value === v);
        return c ? inLang(c.label, c.labelEn) : v;
      };
      return Array.isArray(value) ? value.map(label).join(', ') : label(value);
    }
    case 'amount': return euros(value);
    case 'group':
      return h('ol', {}, (Array.isArray(value) ? value : []).map((item) =>
        h('li', {}, answerList(field.fields ?? [], item ?? {}))));
    default: return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

// The answered fields of `fields` as a definition list; an answer to a field
// the form in force no longer has (an amended form) is shown by its id.
function answerList(fields, answers) {
  const known = new Set(fields.map((f) => f.id));
  const rows = fields.filter((f) => f.id in answers)
    .map((f) => [inLang(f.label, f.labelEn), answerText(f, answers[f.id])]);
  for (const [id, v] of Object.entries(answers)) if (!known.has(id)) rows.push([id, answerText(null, v)]);
  return h('dl', { class: 'details' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function renderAnswers({ answers, form }) {
  const box = $('#answers');
  const shown = Object.keys(answers).length > 0;
  box.hidden = !shown;
  $('#answers-title').hidden = !shown;
  if (!shown) { box.replaceChildren(); return; }
  const sections = form?.sections ?? [];
  const parts = sections.filter((s) => (s.fields ?? []).some((f) => f.id in answers))
    .map((s) => h('section', { 'data-section': s.id },
      h('h4', {}, inLang(s.title, s.titleEn)),
      answerList(s.fields ?? [], Object.fromEntries(
        Object.entries(answers).filter(([id]) => (s.fields ?? []).some((f) => f.id === id))))));
  const inSections = new Set(sections.flatMap((s) => (s.fields ?? []).map((f) => f.id)));
  const rest = Object.fromEntries(Object.entries(answers).filter(([id]) => !inSections.has(id)));
  if (Object.keys(rest).length) parts.push(answerList([], rest));
  box.replaceChildren(...parts);
}

function renderDossier() {
  if (!view.dossier) return;
  const { d, timeline, audit } = view.dossier;
  $('#d-title').textContent = `${d.dossierId} — ${d.title || ''}`;
  const none = t('none');
  const facts = [
    ['status', h('span', { class: `badge st-${d.status}` }, stateName(d.status))],
    ['campaign', campaignName(d.campaignId)],
    ['applicant', d.applicantName || none], ['kind', d.applicantKind ? kindName(d.applicantKind) : none],
    ['summary', d.summary || none], ['strands', (d.strands ?? []).join(', ') || none],
    ['requested', euros(d.requestedCents)], ['granted', euros(d.grantedCents)],
    ['audition', d.auditionSlot ? when(d.auditionSlot) : none],
    // meanMilli is only meaningful once scoring closed (scored = true).
    ['mean', d.scored ? (Number(d.meanMilli) / 1000).toLocaleString(locale(), { minimumFractionDigits: 3 }) : none],
    ['label', d.labelName || none], ['submittedAt', when(d.submittedAt)],
    ['updatedAt', when(d.updatedAt)], ['version', String(d.version ?? none)],
  ];
  $('#d-details').replaceChildren(...facts.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
  renderAnswers(view.dossier);
  $('#timeline').replaceChildren(...timeline.map((e) =>
    h('li', { 'data-position': e.position, 'data-event-type': e.eventType },
      h('time', { datetime: e.recordedAt }, when(e.recordedAt)), ' ',
      h('strong', {}, e.eventType), ' · ', h('span', { class: 'actor' }, e.actor),
      h('div', {}, e.summary),
      e.reason ? h('div', { class: 'reason' }, `${t('reason')} : ${e.reason}`) : null)));
  $('#audit tbody').replaceChildren(...audit.map((e) =>
    h('tr', { 'data-position': e.position },
      h('td', {}, e.position), h('td', { class: 'nowrap' }, when(e.recordedAt)), h('td', {}, e.eventType),
      h('td', {}, e.actor), h('td', {}, e.rulesVersion), h('td', {}, e.reason || ''),
      h('td', {}, e.summary))));
}

// ------------------------------------------------------------------ routing

// Routes: "#/" (overview and list) and "#/dossiers/{id}". The hash keeps the
// back button and bookmarks working without any server-side routing.
function route() {
  const m = location.hash.match(/^#\/dossiers\/(.+)$/);
  return m ? { name: 'dossier', id: decodeURIComponent(m[1]) } : { name: 'home' };
}

function show(name) {
  for (const v of ['signin', 'home', 'dossier']) $(`#${v}-view`).hidden = v !== name;
  $('#signout').hidden = name === 'signin';
}

function onRoute() {
  if (!token) { show('signin'); $('#token').focus(); return; }
  showError(null);
  const r = route();
  if (r.name === 'dossier') {
    if (view.dossier?.d.dossierId !== r.id) {
      view.dossier = null;
      for (const s of ['#d-details', '#timeline', '#audit tbody', '#answers']) $(s).replaceChildren();
      $('#d-title').textContent = r.id;
    }
    show('dossier');
    guard(loadDossier)(r.id);
  } else {
    show('home');
    guard(loadOverview)();
    guard(loadList)({ keep: true });
  }
}

// ------------------------------------------------------------------ live

let source = null;
let nextFrom = null;        // the position to resume from (last event id + 1)
let lastEventId = null;     // shown in the live indicator's tooltip
let retryMs = 1000;
let retryTimer = null;
let liveState = 'offline';

function setLive(state) {
  liveState = state;
  const el = $('#live');
  el.dataset.state = state;
  // Only a change is written: rewriting the same text on every event would
  // make screen readers announce it again and again (aria-live).
  const text = t(state === 'connected' ? 'live' : state);
  if (el.textContent !== text) el.textContent = text;
  el.title = lastEventId ? t('lastEvent', lastEventId) : '';
}

// Events that arrive together (a vote closing writes several) cause one
// refresh of what is on screen, ~200 ms after the last of them.
let pendingStreams = new Set();
let refreshTimer = null;
function onEvent(msg) {
  let ev = {};
  try { ev = JSON.parse(msg.data); } catch { /* refresh anyway */ }
  const pos = Number(msg.lastEventId || ev.position);
  if (pos) {
    lastEventId = Math.max(lastEventId ?? 0, pos);
    nextFrom = lastEventId + 1;
  }
  setLive('connected');
  pendingStreams.add(ev.streamId || '*');
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 200);
}

function refresh() {
  const streams = pendingStreams;
  pendingStreams = new Set();
  const r = route();
  if (!token) return;
  if (r.name === 'home') {
    guard(loadOverview)();
    guard(loadList)({ keep: true });
  } else if (r.name === 'dossier'
      && (streams.has(`dossier-${r.id}`) || streams.has('*'))) {
    guard(loadDossier)(r.id);
  }
}

// Reads a Server-Sent Events stream (WHATWG's format: `id:`, `event:`,
// `data:` lines, a blank line ends an event) from a fetch() response, so
// the token travels in the Authorization header: EventSource cannot send
// headers, and a token in the URL ends up in logs and histories.
// Returns an object with close(); `handlers` has onopen, onevent, onerror.
function openEventStream(url, handlers) {
  const controller = new AbortController();
  let closed = false;
  const stream = {
    close() { closed = true; controller.abort(); },
  };
  (async () => {
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
      signal: controller.signal,
      cache: 'no-store',
    });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    handlers.onopen();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { type: 'message', data: [], lastEventId: '' };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (event.data.length) {
            handlers.onevent({ type: event.type, data: event.data.join('\n'),
              lastEventId: event.lastEventId });
          }
          event = { type: 'message', data: [], lastEventId: event.lastEventId };
          continue;
        }
        if (line.startsWith(':')) continue;  // a heartbeat
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'event') event.type = val;
        else if (field === 'data') event.data.push(val);
        else if (field === 'id') event.lastEventId = val;
      }
    }
    throw new Error('the stream ended');
  })().catch((e) => { if (!closed) handlers.onerror(e); });
  return stream;
}

// One stream at a time. The first connection starts just after the
// head (the last durable position) read *before* the page loads its data,
// so nothing written in between is missed, and the log is not replayed from
// 0. On error we close it ourselves and reopen with ?from=.
async function connect() {
  clearTimeout(retryTimer);
  if (source) { source.close(); source = null; }
  if (!token) { setLive('offline'); return; }
  try {
    // Also checks the token and the role before the stream is opened.
    const page = await api('/v1/events?limit=1');
    if (nextFrom === null) nextFrom = Number(page.head || 0) + 1;
  } catch (e) {
    if (e.status === 401) return;
    // A role that may not read the events gets a still page, not retries.
    if (e.status === 403) { setLive('offline'); return; }
    return scheduleReconnect();
  }
  const es = openEventStream(`/v1/events/stream?from=${nextFrom}`, {
    onopen: () => { retryMs = 1000; setLive('connected'); },
    onevent: onEvent,
    onerror: () => {
      if (source !== es) return;
      es.close();
      source = null;
      scheduleReconnect();
    },
  });
  source = es;
}

function scheduleReconnect() {
  setLive('reconnecting');
  retryTimer = setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, 30000);
}

// ------------------------------------------------------------------ language

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t('appTitle');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const sw = $('#lang');
  sw.textContent = t('langSwitch');
  sw.setAttribute('aria-label', t('langSwitchLabel'));
  sw.lang = lang === 'fr' ? 'en' : 'fr';
  setLive(liveState);
  renderStatusFilter();
  renderCampaignFilter();
  renderOverview();
  renderList();
  renderDossier();
}

// ------------------------------------------------------------------ sign-in

function signOut(message) {
  token = '';
  sessionStorage.removeItem('parcours.token');
  if (source) { source.close(); source = null; }
  clearTimeout(retryTimer);
  nextFrom = null;
  lastEventId = null;
  setLive('offline');
  show('signin');
  const box = $('#error');
  box.textContent = message || '';
  box.hidden = !message;
}

$('#signin').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('#token').value.trim();
  $('#token').value = '';
  sessionStorage.setItem('parcours.token', token);
  showError(null);
  start();
});

$('#signout').addEventListener('click', () => { signOut(''); $('#token').focus(); });

$('#lang').addEventListener('click', () => {
  lang = lang === 'fr' ? 'en' : 'fr';
  localStorage.setItem('parcours.lang', lang);
  applyLanguage();
});

// ------------------------------------------------------------------ filters

$('#filters').addEventListener('submit', (e) => e.preventDefault());
$('#f-campaign').addEventListener('change', applyFilters);
$('#f-status').addEventListener('change', applyFilters);
// Typing is debounced so one request goes out per pause, not per key.
$('#f-q').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(applyFilters, 250);
});
$('#more').addEventListener('click', guard(loadMore));

window.addEventListener('hashchange', () => {
  onRoute();
  // Move focus to the new content so keyboard and screen-reader users follow.
  $('#main').focus({ preventScroll: true });
});

// The stream's starting point is fixed first (connect reads the head), then
// the views load: any later event is then both newer and replayed.
function start() {
  connect().finally(onRoute);
}

applyLanguage();
start();
