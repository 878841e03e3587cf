// The search page and the clause permalink pages of policysearch, over the
// JSON API (/api/v1). Plain browser JavaScript: no build step.
//
// Everything the API returns goes into the page as text (el() appends strings
// as Text nodes). The one exception is a hit's highlights, which the API sends
// as HTML it escaped itself; fragment() parses that HTML inertly and keeps only
// its text and <mark> elements. No text is ever turned into HTML here.

import { el } from './dom.js';

const root = new URL(document.baseURI); // the service's root: <base href> of the page
const main = document.getElementById('main');
const side = document.getElementById('side');
const outlinePane = document.getElementById('outline');
const form = document.getElementById('search-form');
const input = document.getElementById('q');
const narrow = window.matchMedia('(max-width: 760px)');

const PAGE_SIZE = 10;
const MAX_RESULTS = 10000; // from+size limit of the API
const TOP_DEPARTMENTS = 12;
const TOP_VALUES = 8; // documents, issuers and years shown before the “more” fold
const SUGGEST_DELAY_MS = 150;

const kindLabel = { notice: '印发通知', preamble: '前言', paragraph: '段落' };
const matchLabel = { exact: '完整匹配', words: '词语匹配', path: '章节标题匹配', filter: '条件筛选' };
const suggestionKind = { campaign: '活动', department: '单位', title: '条款', term: '词语' };
const examples = ['全国科普日', '科普大篷车', '老年人', '应急科普', '“科技活动周”', '科普 -农村'];

// fragment turns one highlight from the API (escaped text with <mark>) into
// nodes. A <template> parses without running or loading anything, and only
// text and <mark> are carried over, so even a highlight that held other markup
// would show as text.
function fragment(html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const n of t.content.childNodes) {
    if (n.nodeName === 'MARK') out.append(el('mark', {}, n.textContent));
    else out.append(n.textContent);
  }
  return out;
}

// ApiError is a refusal or failure of the API, or status 0 when it could not be reached.
class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

async function api(path, params = {}, signal) {
  const url = new URL(path, root);
  for (const [k, v] of Object.entries(params)) {
    for (const x of [].concat(v)) {
      if (x !== undefined && x !== null && x !== '') url.searchParams.append(k, x);
    }
  }
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', '', '');
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: a proxy's error page. The status still says what happened.
  }
  const rid = res.headers.get('X-Request-Id') || '';
  if (!res.ok || !body) {
    const e = (body && body.error) || {};
    throw new ApiError(res.status, e.code || 'internal', e.message || res.statusText, e.request_id || rid);
  }
  return body;
}

function problem(err) {
  switch (err.status) {
    case 0: return ['无法连接检索服务', '请检查网络连接后重试。'];
    case 400: return ['检索条件有误', '请修改检索词或筛选条件。服务说明：' + err.message];
    case 404: return ['没有找到', err.message];
    case 429: return ['请求过于频繁', '请稍候片刻再试。'];
    case 503: return ['检索服务暂不可用', '索引正在准备，请稍后重试。'];
    default: return ['检索服务出错', '请稍后重试；如果问题持续，请把下面的请求编号告诉管理员。'];
  }
}

function errorBox(err, retry) {
  const [title, detail] = problem(err);
  return el('div', { class: 'state error', role: 'alert' },
    el('h2', {}, title),
    el('p', {}, detail),
    err.requestId ? el('p', { class: 'rid' }, '请求编号：', el('code', {}, err.requestId)) : null,
    retry ? el('button', { type: 'button', class: 'retry', onclick: retry }, '重试') : null);
}

// ----- search state in the URL -----
// ?q=&doc=&issuer=&year=&dept=&section=&sort=&from=&outline=: repeated doc,
// issuer and year values are alternatives, repeated dept values must all hold
// (as in the API); outline is the document shown in the outline panel.

function readState(url) {
  const p = url.searchParams;
  const all = name => [...new Set(p.getAll(name).filter(Boolean))];
  return {
    q: p.get('q') || '',
    doc: all('doc'),
    issuer: all('issuer'),
    year: all('year'),
    dept: all('dept'),
    section: p.get('section') || '',
    sort: p.get('sort') === 'order' ? 'order' : '',
    from: Math.max(0, parseInt(p.get('from'), 10) || 0),
    outline: p.get('outline') || '',
  };
}

const blank = { q: '', doc: [], issuer: [], year: [], dept: [], section: '', sort: '', from: 0, outline: '' };

// stateHref is a link to the search page in that state, relative to the root.
function stateHref(st) {
  const p = new URLSearchParams();
  if (st.q) p.set('q', st.q);
  for (const k of ['doc', 'issuer', 'year', 'dept']) {
    for (const v of st[k] || []) p.append(k, v);
  }
  if (st.section) p.set('section', st.section);
  if (st.sort) p.set('sort', st.sort);
  if (st.from) p.set('from', String(st.from));
  if (st.outline) p.set('outline', st.outline);
  const s = p.toString();
  return s ? './?' + s : './';
}

// Changing a filter or the query starts again at the first page, with the
// outline following the new results.
const change = (st, diff) => ({ ...st, from: 0, outline: '', ...diff });
const hasFilter = st => st.doc.length + st.issuer.length + st.year.length + st.dept.length > 0 || st.section !== '';
const hasQuery = st => st.q.trim() !== '' || hasFilter(st);
// toggle adds v to a list of alternatives, or takes it out.
const toggle = (list, v) => (list.includes(v) ? list.filter(x => x !== v) : [...list, v]);

// Clause ids (doc:5) are safe in a path; ':' is kept as is for readable permalinks.
const clausePath = id => 'clauses/' + encodeURIComponent(id).replace(/%3A/gi, ':');
const clauseHref = (id, q) => clausePath(id) + (q ? '?' + new URLSearchParams({ q }) : '');
const documentHref = id => 'documents/' + encodeURIComponent(id);
const compareHref = (from, to) => 'compare?' + new URLSearchParams({ from, to });

function clauseHeading(c) {
  if (c.kind === 'item') return [el('span', { class: 'num' }, `第${c.number}项`), ' ', c.title || ''];
  return kindLabel[c.kind] || c.citation;
}

// ----- documents, for outlines, names and breadcrumbs -----

const documents = new Map(); // id → Promise of the document with its outline
const summaries = new Map(); // id → the document without its outline

// docName is what a page calls a document: its 文号, else its plan's own name
// (the title without 关于印发…的通知), else its title or id.
const docName = d => (d ? d.number || d.plan || d.title || d.id : '');
const docYear = d => (d && d.year ? d.year + '年' : '');

// loadSummaries fetches the names of the documents not yet known, in one
// request per fifty, and resolves to the map of every known one.
async function loadSummaries(ids, signal) {
  const missing = [...new Set(ids)].filter(id => id && !summaries.has(id));
  for (let i = 0; i < missing.length; i += 50) {
    const res = await api('api/v1/documents', { id: missing.slice(i, i + 50), outline: 'false' }, signal);
    for (const d of res.documents || []) summaries.set(d.id, d);
  }
  return summaries;
}

function loadDocument(id) {
  if (!documents.has(id)) {
    const p = api('api/v1/documents/' + encodeURIComponent(id));
    p.catch(() => documents.delete(id)); // try again next time
    documents.set(id, p);
  }
  return documents.get(id);
}

let firstDocument = null;
function loadFirstDocumentId() {
  firstDocument ??= api('api/v1/documents').then(r => (r.documents[0] ? r.documents[0].id : null));
  firstDocument.catch(() => { firstDocument = null; });
  return firstDocument;
}

function sectionHeading(doc, number) {
  const walk = list => {
    for (const s of list || []) {
      if (s.number === number) return s.heading;
      const h = walk(s.subsections);
      if (h) return h;
    }
    return '';
  };
  return doc ? walk(doc.outline) : '';
}

// folded lists the first n nodes, the rest behind a “more” fold, open when
// it holds a chosen one.
function folded(nodes, n, more, open) {
  const rest = nodes.slice(n);
  return [
    el('ul', {}, nodes.slice(0, n)),
    rest.length ? el('details', { class: 'more', open }, el('summary', {}, `${more}（${rest.length}）`), el('ul', {}, rest)) : null,
  ];
}

// panel is a collapsible box: open on a wide screen, closed on a phone so the
// results come first.
function panel(title, cls, ...body) {
  return el('details', { class: 'panel ' + cls, open: !narrow.matches },
    el('summary', {}, title), ...body);
}

// outlineView is a document's outline; hits are marked, current is this page's
// clause. With the documents that have hits (st, counts), it leads with a
// control that shows another of them.
function outlineView(doc, { hits = new Set(), current = '', q = '', st = null, withHits = [] } = {}) {
  const item = it => el('li', { class: hits.has(it.id) ? 'in-results' : null },
    el('a', { href: clauseHref(it.id, q), title: it.title, 'aria-current': it.id === current ? 'page' : null },
      el('span', { class: 'num' }, it.number + '.'), ' ', it.title));
  const section = s => el('li', { class: 'sec' },
    el('a', { class: 'sec-head', href: stateHref(change(blank, { q, doc: [doc.id], section: s.number })), title: '只看本节：' + s.heading }, s.heading),
    s.items && s.items.length ? el('ol', { class: 'items' }, s.items.map(item)) : null,
    s.subsections && s.subsections.length ? el('ol', { class: 'subs' }, s.subsections.map(section)) : null);
  const switcher = st && withHits.length > 1
    ? el('nav', { class: 'outline-docs', 'aria-label': '命中的文件' },
      el('p', { class: 'label' }, `命中的 ${withHits.length} 份文件：`),
      folded(withHits.map(f => {
        const d = summaries.get(f.value);
        const on = f.value === doc.id;
        return el('li', {}, el('a', {
          class: 'facet' + (on ? ' on' : ''), href: stateHref({ ...st, outline: f.value }),
          'data-doc': f.value, 'aria-current': on ? 'true' : null, title: d ? d.title : f.value,
        }, el('span', { class: 'name' }, docName(d) || f.value), el('span', { class: 'count' }, f.count)));
      }), TOP_VALUES, '更多文件', withHits.findIndex(f => f.value === doc.id) >= TOP_VALUES))
    : null;
  return panel('文件目录', 'toc-panel',
    switcher,
    el('p', { class: 'doc-title', 'data-doc': doc.id }, doc.title),
    el('p', { class: 'doc-meta' }, [doc.number, doc.issuer, docYear(doc)].filter(Boolean).join(' · ')),
    el('ol', { class: 'toc' }, (doc.outline || []).map(section)));
}

function drawOutline(doc, opts) {
  outlinePane.replaceChildren(outlineView(doc, opts));
  outlinePane.dataset.doc = doc.id;
  // Where the outline scrolls on its own (beside the results on a wide
  // screen), bring this clause or the first hit into view.
  const target = outlinePane.querySelector('[aria-current="page"], .in-results a');
  outlinePane.scrollTop = 0;
  if (target && outlinePane.scrollHeight > outlinePane.clientHeight && target.offsetParent === outlinePane) {
    outlinePane.scrollTop = Math.max(0, target.offsetTop - outlinePane.clientHeight / 3);
  }
}

function clearOutline() {
  outlinePane.replaceChildren();
  delete outlinePane.dataset.doc;
}

async function showOutline(docId, opts) {
  try {
    const id = docId || (await loadFirstDocumentId());
    if (!id) return;
    drawOutline(await loadDocument(id), opts);
  } catch {
    // The outline is a help beside the results: without it the page still works.
    clearOutline();
  }
}

// ----- suggestions: a combobox over /api/v1/suggest -----

function suggestions(onChoose) {
  const list = document.getElementById('suggestions');
  let items = [];
  let active = -1;
  let timer = 0;
  let pending = null;
  let composing = false; // typing pinyin in an input method: not a query yet

  const isOpen = () => !list.hidden;
  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const cancel = () => {
    clearTimeout(timer);
    if (pending) pending.abort();
    pending = null;
  };
  const setActive = i => {
    active = i;
    list.querySelectorAll('[role=option]').forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    const li = list.children[i];
    if (li) {
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
  };
  const choose = i => {
    input.value = items[i].text;
    cancel();
    close();
    onChoose(items[i]);
  };
  const render = () => {
    list.replaceChildren(...items.map((s, i) => el('li', {
      id: 'suggestion-' + i, role: 'option', 'aria-selected': 'false', class: 'suggestion', 'data-kind': s.kind,
      onmousedown: e => { e.preventDefault(); choose(i); }, // before blur closes the list
    }, el('span', { class: 'text' }, s.text), el('span', { class: 'kind' }, suggestionKind[s.kind] || ''))));
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (items.length) {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    } else {
      close();
    }
  };
  const load = async () => {
    const text = input.value.trim();
    cancel();
    if (!text) {
      items = [];
      close();
      return;
    }
    const ctl = pending = new AbortController();
    try {
      const res = await api('api/v1/suggest', { q: text }, ctl.signal);
      if (ctl !== pending || document.activeElement !== input) return;
      items = res.suggestions || [];
      list.dataset.query = text; // what the list answers, as typing may have moved on
      render();
    } catch {
      // Suggestions are a convenience: when they fail the box still searches.
      if (ctl === pending) close();
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(load, SUGGEST_DELAY_MS);
  };

  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; schedule(); });
  input.addEventListener('input', () => { if (!composing) schedule(); });
  input.addEventListener('blur', () => { cancel(); close(); });
  input.addEventListener('keydown', e => {
    if (e.isComposing || e.keyCode === 229) return; // the key belongs to the input method
    const n = items.length;
    switch (e.key) {
      case 'ArrowDown':
        if (!n) return;
        e.preventDefault();
        if (!isOpen()) render();
        setActive(active < n - 1 ? active + 1 : 0);
        break;
      case 'ArrowUp':
        if (!n || !isOpen()) return;
        e.preventDefault();
        setActive(active > 0 ? active - 1 : n - 1);
        break;
      case 'Enter':
        if (isOpen() && active >= 0) {
          e.preventDefault();
          choose(active);
        }
        break;
      case 'Escape':
        e.preventDefault();
        if (isOpen()) close();
        else input.value = '';
        cancel();
        break;
      case 'Tab':
        close();
        break;
    }
  });
  return { close: () => { cancel(); close(); } };
}

// ----- the search page -----

let current = readState(new URL(location.href));
let inflight = null;
let shown = null; // the last results drawn: { st, res }

// sameSearch: two states that differ at most in the outline's document.
const sameSearch = (a, b) => stateHref({ ...a, outline: '' }) === stateHref({ ...b, outline: '' });

async function show(st, { push = false } = {}) {
  current = st;
  input.value = st.q;
  if (push) history.pushState(null, '', new URL(stateHref(st), root));
  if (inflight) inflight.abort();
  inflight = null;
  if (!hasQuery(st)) {
    shown = null;
    renderHome();
    return;
  }
  if (shown && sameSearch(shown.st, st)) {
    // Only the outline changes: the results drawn stay as they are.
    await renderResults(st, shown.res);
    return;
  }
  document.title = (st.q || '筛选') + ' - 政策文件检索';
  const ctl = inflight = new AbortController();
  main.dataset.state = 'loading';
  main.setAttribute('aria-busy', 'true');
  try {
    const res = await api('api/v1/search', {
      q: st.q, doc: st.doc, issuer: st.issuer, year: st.year, dept: st.dept,
      section: st.section, sort: st.sort, from: st.from, size: PAGE_SIZE,
    }, ctl.signal);
    if (ctl !== inflight) return;
    shown = { st, res };
    await renderResults(st, res);
  } catch (err) {
    if (ctl !== inflight) return;
    renderError(st, err);
  } finally {
    if (ctl === inflight) main.removeAttribute('aria-busy');
  }
}

// filterChips shows each filter of the state as a chip that removes it.
// sectionDoc, when the hits come from one document, names the section.
function filterChips(st, sectionDoc) {
  const chip = (kind, value, label, next, title) => el('a', {
    class: 'chip filter', 'data-filter': kind, 'data-value': value, href: stateHref(change(st, next)), title: title || '去掉此条件',
  }, label, el('span', { class: 'x', 'aria-hidden': 'true' }, '×'));
  const chips = [
    ...st.doc.map(id => {
      const d = summaries.get(id);
      return chip('doc', id, ['文件：', docName(d) || id], { doc: st.doc.filter(x => x !== id) }, d ? '去掉此条件：' + d.title : null);
    }),
    ...st.issuer.map(v => chip('issuer', v, ['发文机关：', v], { issuer: st.issuer.filter(x => x !== v) })),
    ...st.year.map(v => chip('year', v, ['年份：', v + '年'], { year: st.year.filter(x => x !== v) })),
    ...st.dept.map(v => chip('dept', v, ['责任单位：', v], { dept: st.dept.filter(x => x !== v) })),
  ];
  if (st.section) {
    const label = sectionHeading(sectionDoc, st.section) || st.section;
    chips.push(chip('section', st.section, ['章节：', label], { section: '' }));
  }
  if (!chips.length) return null;
  if (chips.length > 1) chips.push(el('a', { class: 'clear', href: stateHref(change(blank, { q: st.q })) }, '清除全部条件'));
  return el('div', { class: 'filters', 'aria-label': '已选条件' }, chips);
}

// hitView is one hit's card: the document it is from (a link that shows that
// document's outline beside the results), its section path, headline,
// highlights, citation and departments. deptNames are the department facet's
// values, which say where a name needs its region.
function hitView(h, st, deptNames, fresh) {
  const doc = summaries.get(h.doc_id);
  const fragments = (h.highlights || []).length
    ? h.highlights.map(html => el('p', { class: 'hl' }, fragment(html)))
    : [el('p', { class: 'hl' }, excerpt(h.text))];
  const shown = (st.outline || '') === h.doc_id;
  return el('li', { class: 'hit', 'data-id': h.id, 'data-doc': h.doc_id, 'data-match': h.match },
    el('p', { class: 'hit-doc' },
      el('a', {
        class: 'doc-link', href: stateHref({ ...st, outline: h.doc_id }), 'data-doc': h.doc_id,
        title: doc ? `${doc.title}（显示本文件目录）` : '显示本文件目录', 'aria-current': shown ? 'true' : null,
      }, el('span', { class: 'doc-name' }, docName(doc) || h.doc_id),
      docYear(doc) ? el('span', { class: 'doc-year' }, docYear(doc)) : null)),
    h.path && h.path.length
      ? el('nav', { class: 'crumbs', 'aria-label': '所在章节' }, el('ol', {}, h.path.map(p => el('li', { title: p }, p))))
      : null,
    el('h3', { class: 'hit-title' }, el('a', { href: clauseHref(h.id, st.q) }, clauseHeading(h))),
    el('div', { class: 'fragments' }, fragments),
    el('div', { class: 'chips' },
      el('span', { class: 'chip cite', title: '引用' }, h.citation),
      fresh.has(h.id) ? el('a', { class: 'chip new-item', href: compareHref(doc.series.previous, h.doc_id), title: '上一年的文件中没有对应的条款：查看与上一年的比较' }, '新增') : null,
      (h.departments || []).map(d => deptChip(st, d, doc && doc.region, deptNames)),
      h.match ? el('span', { class: 'match match-' + h.match }, matchLabel[h.match] || h.match) : null));
}

// deptChip filters by a hit's department with the value its facet has: the
// name alone, or with the document's region where two regions in the results
// share the name (市科协（南昌）), so the filter keeps to this document's body.
function deptChip(st, name, region, deptNames = new Set()) {
  const placed = region ? `${name}（${region}）` : '';
  const value = placed && deptNames.has(placed) ? placed : name;
  const on = st.dept.includes(value) || (placed !== '' && st.dept.includes(placed));
  const next = on ? st.dept.filter(x => x !== value && x !== placed) : [...st.dept, value];
  return el('a', {
    class: 'chip dept' + (on ? ' on' : ''), href: stateHref(change(st, { dept: next })), 'data-value': value,
    title: on ? '去掉条件：' + value : '只看' + value + '负责的条款', 'aria-current': on ? 'true' : null,
  }, name);
}

function excerpt(text) {
  const t = (text || '').replace(/\s+/g, ' ');
  return t.length > 120 ? t.slice(0, 120) + '…' : t;
}

function facetsView(st, facets, doc) {
  const depts = facets.departments || [];
  const sections = facets.sections || [];
  // A document, issuer or year facet toggles one alternative of its filter.
  const choice = (kind, label, title) => f => {
    const on = st[kind].includes(f.value);
    return el('li', {}, el('a', {
      class: 'facet' + (on ? ' on' : ''), href: stateHref(change(st, { [kind]: toggle(st[kind], f.value) })),
      'data-facet': kind, 'data-value': f.value, 'aria-current': on ? 'true' : null, title: title ? title(f) : label(f),
    }, el('span', { class: 'name' }, label(f)), el('span', { class: 'count' }, f.count)));
  };
  // Shown where they tell results apart, or hold a chosen value.
  const group = (kind, heading, link) => {
    let values = facets[kind === 'doc' ? 'documents' : kind === 'issuer' ? 'issuers' : 'years'] || [];
    if (values.length < 2 && !st[kind].length) return null;
    if (kind === 'year') values = [...values].sort((a, b) => (Number(b.value) || 0) - (Number(a.value) || 0)); // latest first
    const chosenLater = values.slice(TOP_VALUES).some(f => st[kind].includes(f.value));
    return el('section', { class: 'facet-group', 'data-group': kind }, el('h2', {}, heading),
      folded(values.map(link), TOP_VALUES, '更多', chosenLater));
  };
  const docLabel = f => docName(summaries.get(f.value)) || f.value;
  const docTitle = f => {
    const d = summaries.get(f.value);
    return d ? [d.title, docYear(d)].filter(Boolean).join(' · ') : f.value;
  };
  const deptLink = f => {
    const on = st.dept.includes(f.value);
    const next = on ? st.dept.filter(x => x !== f.value) : [...st.dept, f.value];
    return el('li', {}, el('a', {
      class: 'facet' + (on ? ' on' : ''), href: stateHref(change(st, { dept: next })),
      'data-facet': 'dept', 'data-value': f.value, 'aria-current': on ? 'true' : null,
    }, el('span', { class: 'name' }, f.value), el('span', { class: 'count' }, f.count)));
  };
  const sectionLink = f => {
    const on = st.section === f.value || sectionHeading(doc, st.section) === f.value;
    return el('li', {}, el('a', {
      class: 'facet' + (on ? ' on' : ''), href: stateHref(change(st, { section: on ? '' : f.value })),
      'data-facet': 'section', 'data-value': f.value, 'aria-current': on ? 'true' : null, title: f.value,
    }, el('span', { class: 'name' }, f.value), el('span', { class: 'count' }, f.count)));
  };
  const top = depts.slice(0, TOP_DEPARTMENTS);
  const rest = depts.slice(TOP_DEPARTMENTS);
  return panel('筛选', 'facets',
    group('doc', '文件', choice('doc', docLabel, docTitle)),
    group('issuer', '发文机关', choice('issuer', f => f.value)),
    group('year', '年份', choice('year', f => f.value + '年')),
    depts.length ? el('section', { class: 'facet-group' },
      el('h2', {}, '责任单位'),
      el('ul', {}, top.map(deptLink)),
      rest.length ? el('details', { class: 'more' }, el('summary', {}, `更多单位（${rest.length}）`), el('ul', {}, rest.map(deptLink))) : null) : null,
    sections.length ? el('section', { class: 'facet-group' },
      el('h2', {}, '章节'),
      el('ul', {}, sections.map(sectionLink))) : null,
    el('section', { class: 'facet-group' },
      el('h2', {}, '排序'),
      el('ul', { class: 'sort' },
        el('li', {}, el('a', { class: 'facet' + (st.sort ? '' : ' on'), href: stateHref(change(st, { sort: '' })), 'aria-current': st.sort ? null : 'true' }, '按相关度')),
        el('li', {}, el('a', { class: 'facet' + (st.sort ? ' on' : ''), href: stateHref(change(st, { sort: 'order' })), 'aria-current': st.sort ? 'true' : null }, '按文件顺序')))));
}

function pagerView(st, total) {
  const pages = Math.ceil(Math.min(total, MAX_RESULTS) / PAGE_SIZE);
  if (pages <= 1) return null;
  const cur = Math.min(Math.floor(st.from / PAGE_SIZE), pages - 1);
  const link = (p, label, extra = {}) => el('a', { class: 'page', href: stateHref({ ...st, from: p * PAGE_SIZE }), ...extra }, label);
  const parts = [];
  parts.push(cur > 0 ? link(cur - 1, '上一页', { rel: 'prev' }) : el('span', { class: 'page off' }, '上一页'));
  let last = -1;
  for (let p = 0; p < pages; p++) {
    if (p !== 0 && p !== pages - 1 && Math.abs(p - cur) > 2) continue;
    if (p - last > 1) parts.push(el('span', { class: 'gap' }, '…'));
    parts.push(p === cur ? el('span', { class: 'page current', 'aria-current': 'page' }, p + 1) : link(p, p + 1));
    last = p;
  }
  parts.push(cur < pages - 1 ? link(cur + 1, '下一页', { rel: 'next' }) : el('span', { class: 'page off' }, '下一页'));
  return el('nav', { class: 'pager', 'aria-label': '分页' }, parts);
}

// outlineFor is the document the outline shows: the one chosen (a hit's
// document or the switcher), else the one the search is limited to, else the
// first hit's.
function outlineFor(st, hits, withHits) {
  return st.outline || (st.doc.length === 1 ? st.doc[0] : '') ||
    (hits.length ? hits[0].doc_id : '') || (withHits.length ? withHits[0].value : '');
}

async function renderResults(st, res) {
  const hits = res.hits || [];
  const facets = res.facets || {};
  const withHits = facets.documents || [];
  // The documents' names are a help: without them the cards show their ids.
  await loadSummaries([...hits.map(h => h.doc_id), ...withHits.map(f => f.value), ...st.doc, st.outline]).catch(() => null);
  const outlineId = outlineFor(st, hits, withHits);
  let doc = outlineId ? await loadDocument(outlineId).catch(() => null) : null;
  if (!doc && st.outline) doc = await loadDocument(outlineFor({ ...st, outline: '' }, hits, withHits)).catch(() => null);
  const fresh = await newItems(hits);
  if (st !== current) return; // a newer search has started meanwhile
  // Section numbers and headings are one document's when the hits are.
  const only = withHits.length === 1 ? withHits[0].value : st.doc.length === 1 ? st.doc[0] : '';
  const sectionDoc = doc && doc.id === only ? doc : null;
  const shownFrom = hits.length ? st.from + 1 : 0;
  const summary = el('p', { id: 'summary', class: 'summary', role: 'status', tabindex: '-1' },
    st.q ? ['“', el('strong', {}, st.q), '”'] : '按条件',
    ' 共找到 ', el('strong', { class: 'total' }, res.total), ' 条相关条款',
    withHits.length > 1 ? `，来自 ${withHits.length} 份文件` : '',
    hits.length && res.total > hits.length ? `，第 ${shownFrom}–${st.from + hits.length} 条` : '',
    typeof res.took_ms === 'number' ? el('span', { class: 'took' }, `（用时 ${res.took_ms.toFixed(1)} 毫秒）`) : null);
  const deptNames = new Set((facets.departments || []).map(f => f.value));
  // What the query was read as, the searches of its equivalent names, and
  // the nearest queries with hits: each a link that searches it, filters kept.
  const queryLink = (q, label, cls) => el('a', { class: cls, href: stateHref(change(st, { q })), 'data-q': q }, label);
  const interpreted = res.interpreted ? el('p', { class: 'interpreted', 'data-query': res.interpreted.query },
    '已按“', el('strong', {}, res.interpreted.query), '”搜索',
    res.interpreted.pinyin ? `（拼音 ${res.interpreted.pinyin.map(s => s.pinyin).join(' ')}）` : '') : null;
  const related = (res.related || []).length ? el('p', { class: 'related' }, '相关：',
    res.related.map((r, i) => [i ? '、' : '', queryLink(r.query, `${r.query}（${r.total}条）`, 'related-query')])) : null;
  const suggested = (res.suggestions || []).length ? el('li', { class: 'did-you-mean' }, '您是不是要找：',
    res.suggestions.map((q, i) => [i ? '、' : '', queryLink(q, q, 'suggested-query')])) : null;
  let body;
  if (res.total === 0) {
    body = el('div', { class: 'state empty' },
      el('h2', {}, '没有找到匹配的条款'),
      el('ul', {},
        suggested,
        hasFilter(st) ? el('li', {}, '去掉筛选条件再试：', el('a', { href: stateHref(change(blank, { q: st.q })) }, '只按检索词查找')) : null,
        el('li', {}, '检查是否有错别字，或换一个更短、更常用的词。'),
        el('li', {}, '多个词用空格分开时，条款须包含每一个词；可以少写几个。')));
  } else if (!hits.length) {
    body = el('div', { class: 'state empty' },
      el('h2', {}, '这一页没有结果'),
      el('p', {}, el('a', { href: stateHref({ ...st, from: 0 }) }, '回到第一页')));
  } else {
    body = el('ol', { class: 'hits', start: st.from + 1 }, hits.map(h => hitView(h, st, deptNames, fresh)));
  }
  main.replaceChildren(summary, interpreted || '', related || '', filterChips(st, sectionDoc) || '', body, pagerView(st, res.total) || '');
  side.replaceChildren(facetsView(st, facets, sectionDoc));
  if (doc) drawOutline(doc, { hits: new Set(hits.map(h => h.id)), q: st.q, st, withHits });
  else clearOutline();
  main.dataset.total = String(res.total);
  main.dataset.state = res.total ? 'ready' : 'empty';
}

function renderError(st, err) {
  shown = null;
  main.replaceChildren(errorBox(err, () => show(current)));
  main.dataset.state = 'error';
  delete main.dataset.total;
  side.replaceChildren();
}

async function renderHome() {
  document.title = '政策文件检索';
  main.dataset.state = 'idle';
  delete main.dataset.total;
  const intro = el('section', { class: 'intro' },
    el('h1', {}, '检索政策文件条款'),
    el('p', {}, '按关键词查找通知、前言和每一项工作任务，命中的文字会标出。多个词用空格分开，表示条款须同时包含；在词前加“-”排除；加引号检索完整短语。'),
    el('p', { class: 'examples' }, '试试：', examples.map(q => el('a', { class: 'chip example', href: stateHref(change(blank, { q })) }, q))));
  const docsBox = el('section', { class: 'docs' }, el('h2', {}, '收录的文件'));
  main.replaceChildren(intro, docsBox);
  side.replaceChildren();
  showOutline(null, {});
  try {
    const [docs, depts] = await Promise.all([api('api/v1/documents', { outline: 'false' }), api('api/v1/departments')]);
    if (hasQuery(current)) return;
    for (const d of docs.documents) summaries.set(d.id, d);
    // Each document opens as a search limited to it, in document order.
    docsBox.append(el('ul', { class: 'doc-list' }, docs.documents.map(d => el('li', { 'data-doc': d.id },
      el('p', { class: 'doc-title' }, el('a', { href: stateHref(change(blank, { doc: [d.id], sort: 'order' })), title: '浏览本文件的全部条款' }, d.title)),
      el('p', { class: 'doc-meta' }, [d.number, d.issuer, d.date].filter(Boolean).join(' · '))))));
    side.replaceChildren(panel('按责任单位浏览', 'facets',
      el('section', { class: 'facet-group' }, el('ul', {}, depts.departments.slice(0, 20).map(d => el('li', {},
        el('a', { class: 'facet', href: stateHref(change(blank, { dept: [d.name] })), 'data-facet': 'dept', 'data-value': d.name, title: d.official || d.name },
          el('span', { class: 'name' }, d.name), el('span', { class: 'count' }, (d.items || []).length))))))));
  } catch (err) {
    if (!hasQuery(current)) docsBox.append(errorBox(err, () => show(current)));
  }
}

function searchPage() {
  const box = suggestions(() => submit());
  const submit = () => {
    box.close();
    show(change(current, { q: input.value.trim() }), { push: true });
  };
  form.addEventListener('submit', e => {
    e.preventDefault();
    submit();
  });
  // Facets, chips, pages and outline headings are plain links to ?… URLs, so
  // they can be opened in a new tab or bookmarked; here they search in place.
  document.addEventListener('click', e => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest('a[href]');
    if (!a || a.target) return;
    const url = new URL(a.href);
    if (url.origin !== root.origin || url.pathname !== root.pathname) return;
    e.preventDefault();
    const toOutline = a.classList.contains('doc-link') || !!a.closest('.outline-docs');
    const fromResults = !toOutline && (main.contains(a) || side.contains(a));
    show(readState(url), { push: true }).then(() => {
      const summary = document.getElementById('summary');
      if (fromResults && summary) summary.focus({ preventScroll: true });
      // A hit's document: where the outline is not beside the results, go to it.
      if (a.classList.contains('doc-link') && outlinePane.getBoundingClientRect().top > window.innerHeight) {
        outlinePane.scrollIntoView({ block: 'start' });
      }
    });
    if (a.classList.contains('page') || (outlinePane.contains(a) && !toOutline)) window.scrollTo(0, 0);
  });
  window.addEventListener('popstate', () => show(readState(new URL(location.href))));
  show(current);
}

// ----- a clause's permalink page -----

// pathId is the id in this page's path after prefix (clauses/, documents/).
function pathId(prefix) {
  const rest = location.pathname.slice(root.pathname.length).replace(prefix, '');
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

// outlineItems lists a document's items in the order of their numbers.
function outlineItems(doc) {
  const items = [];
  const walk = list => {
    for (const s of list || []) {
      items.push(...(s.items || []));
      walk(s.subsections);
    }
  };
  walk(doc && doc.outline);
  return items.sort((a, b) => a.number - b.number);
}

function neighbours(doc, id) {
  const items = outlineItems(doc);
  const i = items.findIndex(it => it.id === id);
  if (i < 0) return { prev: null, next: items[0] || null };
  return { prev: items[i - 1] || null, next: items[i + 1] || null };
}

function docInfo(doc) {
  const row = (k, v) => (v ? [el('dt', {}, k), el('dd', {}, v)] : null);
  return panel('文件信息', 'doc-info', el('dl', {},
    row('标题', el('a', { class: 'doc-page', href: documentHref(doc.id), title: '文件页：目录、系列、与上一年比较' }, doc.title)),
    row('文号', doc.number),
    row('发文机关', (doc.issuers && doc.issuers.length ? doc.issuers : [doc.issuer]).filter(Boolean).join('、')),
    row('成文日期', doc.date),
    row('年份', docYear(doc)),
    row('主送', (doc.recipients || []).join('；'))));
}

// searchFromHere makes the search box of a page other than the search page
// open the search page.
function searchFromHere(q) {
  input.value = q;
  const box = suggestions(() => submit());
  const submit = () => {
    box.close();
    location.assign(new URL(stateHref(change(blank, { q: input.value.trim() })), root));
  };
  form.addEventListener('submit', e => {
    e.preventDefault();
    submit();
  });
}

async function clausePage() {
  const id = pathId(/^clauses\//);
  const q = new URL(location.href).searchParams.get('q') || '';
  searchFromHere(q);
  main.dataset.state = 'loading';
  let c;
  try {
    c = await api('api/v1/clauses/' + encodeURIComponent(id).replace(/%3A/gi, ':'));
  } catch (err) {
    document.title = '没有找到条款 - 政策文件检索';
    main.replaceChildren(err.status === 404
      ? el('div', { class: 'state empty', role: 'alert' },
        el('h2', {}, '没有找到这一条款'),
        el('p', {}, '链接中的条款编号“', id, '”不存在，可能文件已更新。'),
        el('p', {}, el('a', { href: './' }, '回到检索页')))
      : errorBox(err, () => location.reload()));
    main.dataset.state = err.status === 404 ? 'empty' : 'error';
    showOutline(null, {});
    return;
  }
  const [doc, depts] = await Promise.all([
    loadDocument(c.doc_id).catch(() => null),
    api('api/v1/departments').catch(() => null),
  ]);
  // A department that several regions' documents list is named with this
  // document's region, so the search keeps to this body.
  const shared = new Set(((depts && depts.departments) || []).filter(d => (d.regions || []).length > 1).map(d => d.name));
  const deptValue = d => (doc && doc.region && shared.has(d) ? `${d}（${doc.region}）` : d);
  document.title = `${c.citation}${c.title ? ' ' + c.title : ''} - 政策文件检索`;
  const { prev, next } = neighbours(doc, c.id);
  const permalink = new URL(clausePath(c.id), root).href;
  main.replaceChildren(el('article', { class: 'clause', 'data-id': c.id },
    el('p', { class: 'back' }, el('a', { href: stateHref(change(blank, { q })) }, q ? ['← 返回“', q, '”的检索结果'] : '← 返回检索')),
    el('nav', { class: 'crumbs', 'aria-label': '位置' },
      el('ol', {}, [doc && doc.title, ...(c.path || [])].filter(Boolean).map(p => el('li', { title: p }, p)))),
    el('h1', {}, clauseHeading(c)),
    el('div', { class: 'chips' },
      el('span', { class: 'chip cite', title: '引用' }, c.citation),
      (c.departments || []).map(d => el('a', { class: 'chip dept', href: stateHref(change(blank, { dept: [deptValue(d)] })), 'data-value': deptValue(d), title: '查看' + deptValue(d) + '负责的全部条款' }, d))),
    el('div', { class: 'clause-text' }, (c.text || '').split('\n').map(p => el('p', {}, p))),
    el('p', { class: 'permalink' }, '本条链接：', el('a', { href: permalink }, permalink)),
    el('nav', { class: 'prevnext', 'aria-label': '上下条' },
      prev ? el('a', { class: 'prev', href: clauseHref(prev.id, q), rel: 'prev' }, `← 第${prev.number}项 `, prev.title) : el('span'),
      next ? el('a', { class: 'next', href: clauseHref(next.id, q), rel: 'next' }, `第${next.number}项 `, next.title, ' →') : el('span'))));
  main.dataset.state = 'ready';
  if (doc) {
    side.replaceChildren(docInfo(doc));
    showOutline(doc.id, { current: c.id, q });
  }
}

// ----- a document's page: metadata, warnings, series, outline -----

// documentSummary fetches one document through the list, which alone says
// where it stands in its series.
async function documentSummary(id) {
  const res = await api('api/v1/documents', { id });
  const doc = (res.documents || [])[0];
  if (!doc) throw new ApiError(404, 'not_found', `没有编号为“${id}”的文件，可能已被删除。`, '');
  return doc;
}

// outlineList is a document's outline with every item linked to its clause;
// mark(item) gives an item's class, status label and extra nodes, if any.
function outlineList(doc, mark = () => ({})) {
  const item = it => {
    const m = mark(it);
    return el('li', { class: ['item', m.cls].filter(Boolean).join(' '), id: m.anchor, 'data-id': it.id, 'data-status': m.status },
      el('a', { class: 'clause-link', href: clausePath(it.id) }, el('span', { class: 'num' }, it.number + '.'), ' ', it.title),
      m.extra || null);
  };
  const section = s => el('li', { class: 'sec' },
    el('p', { class: 'sec-head' }, s.heading),
    s.items && s.items.length ? el('ol', { class: 'items' }, s.items.map(item)) : null,
    s.subsections && s.subsections.length ? el('ol', { class: 'subs' }, s.subsections.map(section)) : null);
  return el('ol', { class: 'toc' }, (doc.outline || []).map(section));
}

function seriesView(doc) {
  const sr = doc.series;
  if (!sr) return null;
  return el('section', { class: 'series', 'aria-label': '同一系列' },
    el('h2', {}, '同一系列：', sr.name),
    el('ol', { class: 'series-years' }, sr.members.map(m => el('li', {},
      m.id === doc.id
        ? el('span', { 'aria-current': 'page' }, m.year + '年')
        : el('a', { href: documentHref(m.id), 'data-doc': m.id }, m.year + '年')))),
    el('p', { class: 'series-compare' },
      sr.previous ? el('a', { class: 'compare-previous', href: compareHref(sr.previous, doc.id) }, '与上一年比较') : '这是系列中最早的一年',
      sr.next ? ['　', el('a', { class: 'compare-next', href: compareHref(doc.id, sr.next) }, '与下一年比较')] : null));
}

async function documentPage() {
  const id = pathId(/^documents\//);
  searchFromHere('');
  main.dataset.state = 'loading';
  let doc;
  try {
    doc = await documentSummary(id);
  } catch (err) {
    document.title = '没有找到文件 - 政策文件检索';
    main.replaceChildren(errorBox(err, err.status === 404 ? null : () => location.reload()));
    main.dataset.state = err.status === 404 ? 'empty' : 'error';
    return;
  }
  document.title = `${doc.title} - 政策文件检索`;
  const warnings = doc.warnings || [];
  main.replaceChildren(el('article', { class: 'document', 'data-id': doc.id },
    el('h1', {}, doc.title),
    seriesView(doc),
    warnings.length ? el('section', { class: 'warnings', 'aria-label': '解析提示' },
      el('h2', {}, `解析提示（${warnings.length}）`),
      el('ul', {}, warnings.map(w => el('li', {}, `第 ${w.line} 行：`, w.message)))) : null,
    el('section', { class: 'doc-outline', 'aria-label': '目录' }, el('h2', {}, '目录'), outlineList(doc))));
  side.replaceChildren(docInfo(doc));
  main.dataset.state = 'ready';
}

// ----- comparing a document with another year's -----

const statusLabel = { same: '未改', changed: '有改动', moved: '移至其他部分', new: '新增', dropped: '已删除' };

// diffView renders a pair's runs as text in <del> and <ins>: the API sends no
// markup, and el() makes every run a text node.
function diffView(runs) {
  return el('p', { class: 'diff' }, runs.map(r => r.op === 'insert'
    ? el('ins', { class: 'run-insert' }, r.text)
    : r.op === 'delete' ? el('del', { class: 'run-delete' }, r.text) : el('span', { class: 'run-equal' }, r.text)));
}

async function comparePage() {
  const params = new URL(location.href).searchParams;
  const from = params.get('from') || '';
  const to = params.get('to') || '';
  searchFromHere('');
  main.dataset.state = 'loading';
  let res;
  try {
    res = await api('api/v1/compare', { from, to });
  } catch (err) {
    document.title = '无法比较 - 政策文件检索';
    main.replaceChildren(errorBox(err, err.status >= 500 || err.status === 0 ? () => location.reload() : null));
    main.dataset.state = 'error';
    return;
  }
  document.title = `比较 ${docName(res.from)} 与 ${docName(res.to)} - 政策文件检索`;
  const byFrom = new Map(res.pairs.map(p => [p.from, p]));
  const byTo = new Map(res.pairs.map(p => [p.to, p]));
  const status = p => (p.moved ? 'moved' : p.changed ? 'changed' : 'same');
  const label = s => el('span', { class: 'status status-' + s }, statusLabel[s]);
  // A bare #fragment would resolve against <base href>, the service's root.
  const anchor = a => location.pathname + location.search + '#' + a;
  const fromMark = it => {
    const p = byFrom.get(it.id);
    const s = p ? status(p) : 'dropped';
    return {
      cls: s, status: s, anchor: 'from-' + it.id,
      extra: [' ', label(s), p ? [' ', el('a', { class: 'pair-link', href: anchor('to-' + p.to) }, `→ 本年第${p.to_number}项`)] : null],
    };
  };
  const toMark = it => {
    const p = byTo.get(it.id);
    const s = p ? status(p) : 'new';
    let extra = [' ', label(s)];
    if (p) {
      extra.push(' ', el('a', { class: 'pair-link', href: anchor('from-' + p.from) }, `← 上一年第${p.from_number}项`));
      if (p.changed) {
        const box = el('div', { class: 'diff-box', hidden: true });
        const button = el('button', {
          type: 'button', class: 'show-diff', 'aria-expanded': 'false',
          title: `相似度 ${p.similarity.toFixed(2)}`,
          onclick: () => {
            const open = box.hidden;
            if (open && !box.firstChild) box.append(diffView(p.diff));
            box.hidden = !open;
            button.setAttribute('aria-expanded', String(open));
            button.textContent = open ? '收起改动' : '查看改动';
          },
        }, '查看改动');
        extra.push(' ', button, box);
      }
    }
    return { cls: s, status: s, anchor: 'to-' + it.id, extra };
  };
  const docHead = d => el('h2', {}, el('a', { href: documentHref(d.id), 'data-doc': d.id }, docYear(d) || docName(d)),
    el('span', { class: 'doc-meta' }, ' ', docName(d)));
  const changed = res.pairs.filter(p => p.changed).length;
  const moved = res.pairs.filter(p => p.moved).length;
  const ids = list => (list.length ? list.map((id, i) => [i ? '、' : '', el('a', { href: clausePath(id) }, id.slice(id.lastIndexOf(':') + 1))]) : '—');
  const depts = res.departments.filter(d => d.gained.length || d.lost.length);
  main.replaceChildren(el('article', { class: 'compare' },
    el('h1', {}, '与上一年比较'),
    el('p', { class: 'compare-summary', role: 'status' },
      `${res.pairs.length} 项为同一任务（${changed} 项有改动，${moved} 项移至其他部分），`,
      el('strong', {}, `新增 ${res.new.length} 项`), '，', el('strong', {}, `删除 ${res.dropped.length} 项`), '。'),
    el('div', { class: 'compare-cols' },
      el('section', { class: 'compare-from', 'aria-label': '上一年' }, docHead(res.from), outlineList(res.from, fromMark)),
      el('section', { class: 'compare-to', 'aria-label': '本年' }, docHead(res.to), outlineList(res.to, toMark))),
    el('section', { class: 'compare-depts', 'aria-label': '责任单位的变化' },
      el('h2', {}, '责任单位的变化'),
      depts.length ? el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, '单位'), el('th', {}, '增加的任务（本年）'), el('th', {}, '减少的任务（上一年）'), el('th', {}, '保留'))),
        el('tbody', {}, depts.map(d => el('tr', { 'data-dept': d.name },
          el('td', {}, d.name, d.formerly && d.formerly.length ? `（原${d.formerly.join('、')}）` : ''),
          el('td', {}, ids(d.gained)), el('td', {}, ids(d.lost)), el('td', {}, d.kept.length))))) : el('p', {}, '各单位的任务没有增减。')),
    el('section', { class: 'compare-campaigns', 'aria-label': '活动的变化' },
      el('h2', {}, '活动'),
      el('p', {}, '新提及：', res.campaigns.new.join('、') || '无'),
      el('p', {}, '不再提及：', res.campaigns.dropped.join('、') || '无'))));
  side.replaceChildren();
  main.dataset.state = 'ready';
}

// ----- “新增” on search hits -----

// comparisons holds, per document with a previous year, the promise of the
// ids of its items that year lacks.
const comparisons = new Map();

function newItemsOf(doc) {
  const prev = doc && doc.series && doc.series.previous;
  if (!prev) return Promise.resolve(new Set());
  if (!comparisons.has(doc.id)) {
    const p = api('api/v1/compare', { from: prev, to: doc.id }).then(r => new Set(r.new));
    p.catch(() => comparisons.delete(doc.id)); // try again next time
    comparisons.set(doc.id, p);
  }
  return comparisons.get(doc.id);
}

// newItems is the hits that have no counterpart in their document's previous
// year. The mark is a help: a comparison that fails leaves the hits unmarked.
async function newItems(hits) {
  const out = new Set();
  const docs = [...new Set(hits.map(h => h.doc_id))].map(id => summaries.get(id));
  await Promise.all(docs.map(d => newItemsOf(d).then(s => s.forEach(id => out.add(id))).catch(() => null)));
  return out;
}

const pages = { clause: clausePage, document: documentPage, compare: comparePage };
(pages[document.body.dataset.page] || searchPage)();
