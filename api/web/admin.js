// The admin page of policysearch (/admin): log in with the admin token, upload
// documents' files (several at once, by drag-and-drop or the file picker, with
// progress per file), see every document with the parser's warnings, delete
// and reindex. Plain browser JavaScript: no build step.
//
// The token is kept in sessionStorage (this tab only) and sent as the bearer
// header, never in a URL. Everything the API returns goes into the page as
// text: el() appends strings as Text nodes, and no HTML is ever parsed here.

import { el } from './dom.js';

const root = new URL(document.baseURI);
const TOKEN_KEY = 'policysearch-admin-token';

const $ = (id) => document.getElementById(id);
const loginBox = $('login');
const manage = $('manage');
const loginForm = $('login-form');
const tokenInput = $('token');
const loginError = $('login-error');
const logout = $('logout');
const drop = $('drop');
const picker = $('files');
const uploads = $('uploads');
const tbody = document.querySelector('#docs tbody');
const count = $('count');
const statusLine = $('status');
const reindexButton = $('reindex');

const formatLabel = { pdf: 'PDF', docx: 'Word', html: '网页', ofd: 'OFD', text: '文本' };

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

// errorText is the API's refusal as a person reads it: the message, its code
// and the request id to quote.
function errorText(status, body) {
  const e = body && body.error;
  if (!e) return status === 0 ? '无法连接服务' : `服务返回 ${status}`;
  return `${e.message}（${status} ${e.code}${e.request_id ? '，请求号 ' + e.request_id : ''}）`;
}

// call sends an admin request with the bearer token and parses the JSON answer.
async function call(method, path, params) {
  const url = new URL(path, root);
  for (const [k, v] of Object.entries(params || {})) url.searchParams.append(k, v);
  let res;
  try {
    res = await fetch(url, { method, headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' } });
  } catch {
    return { status: 0, body: null };
  }
  let body = null;
  if (res.status !== 204) {
    try { body = await res.json(); } catch { body = null; }
  }
  if (res.status === 401) showLogin('令牌无效或已更换，请重新登录。');
  return { status: res.status, body };
}

function showLogin(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  manage.hidden = true;
  logout.hidden = true;
  loginBox.hidden = false;
  loginError.hidden = !message;
  loginError.textContent = message || '';
  tokenInput.focus();
}

async function showManage() {
  loginBox.hidden = true;
  manage.hidden = false;
  logout.hidden = false;
  await loadDocuments();
}

loginForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const t = tokenInput.value.trim();
  if (!t) return;
  sessionStorage.setItem(TOKEN_KEY, t);
  const { status, body } = await call('GET', 'api/v1/admin/token');
  if (status === 204) {
    tokenInput.value = '';
    loginError.hidden = true;
    await showManage();
    return;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  loginError.hidden = false;
  loginError.textContent = status === 401 ? '令牌不正确。' : errorText(status, body);
});

logout.addEventListener('click', () => showLogin(''));

// The document list.

function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', !!isError);
}

async function loadDocuments() {
  const { status, body } = await call('GET', 'api/v1/documents', { outline: 'false' });
  if (status !== 200) {
    if (status !== 401) setStatus('文件列表无法读取：' + errorText(status, body), true);
    return;
  }
  const docs = body.documents || [];
  count.textContent = `（${docs.length}）`;
  tbody.replaceChildren(...docs.map(row));
}

function searchLink(id, extra) {
  const u = new URL('./', root);
  u.searchParams.set('doc', id);
  for (const [k, v] of Object.entries(extra || {})) u.searchParams.set(k, v);
  return u.pathname + u.search;
}

function row(d) {
  const warnings = d.warnings || [];
  const textURL = `api/v1/documents/${encodeURIComponent(d.id)}/text`;
  const warningCell = warnings.length === 0
    ? el('span', { class: 'ok' }, '无')
    : el('details', {},
      el('summary', {}, `${warnings.length} 条`),
      el('ol', {}, warnings.map((w) => el('li', {}, `第 ${w.line} 行：${w.message}`))),
      el('a', { href: textURL, target: '_blank', rel: 'noopener' }, '查看解析所用文本'));
  const format = (formatLabel[d.format] || d.format || '—') + (d.pages ? ` · ${d.pages} 页` : '');
  const actions = el('td', { class: 'actions' },
    el('a', { href: searchLink(d.id, { sort: 'order' }) }, '查看'),
    el('a', { href: searchLink(d.id) }, '检索'),
    el('a', { href: `api/v1/documents/${encodeURIComponent(d.id)}/source` }, '原件'),
    d.built_in
      ? el('span', { class: 'builtin', title: '内置文件只读' }, '内置')
      : el('button', { type: 'button', class: 'danger', 'data-id': d.id, onclick: () => remove(d) }, '删除'));
  return el('tr', { 'data-id': d.id },
    el('td', {},
      el('a', { class: 'title', href: searchLink(d.id, { sort: 'order' }) }, d.title || d.plan || d.id),
      el('div', { class: 'id' }, d.id)),
    el('td', { class: 'num' }, d.number || '—'),
    el('td', { class: 'num' }, d.date || d.published || '—'),
    el('td', { class: 'num' }, format),
    el('td', { class: 'num' }, d.clause_count ?? '—'),
    el('td', {}, warningCell),
    actions);
}

async function remove(d) {
  if (!window.confirm(`删除「${d.title || d.id}」？删除后不可恢复。`)) return;
  setStatus(`正在删除 ${d.id}…`);
  const { status, body } = await call('DELETE', `api/v1/documents/${encodeURIComponent(d.id)}`);
  if (status === 204) {
    setStatus(`已删除 ${d.id}。`);
    await loadDocuments();
  } else if (status !== 401) {
    setStatus('删除失败：' + errorText(status, body), true);
  }
}

reindexButton.addEventListener('click', async () => {
  reindexButton.disabled = true;
  setStatus('正在重建索引…');
  const { status, body } = await call('POST', 'api/v1/reindex');
  reindexButton.disabled = false;
  if (status === 200) {
    setStatus(`索引已重建：${body.documents} 个文件，${body.clauses} 条。`);
    await loadDocuments();
  } else if (status !== 401) {
    setStatus('重建失败：' + errorText(status, body), true);
  }
});

// Uploads: one request per file, one after another (the service adds one
// document at a time), each with its own progress bar and answer.

let queue = Promise.resolve();

function enqueue(files) {
  for (const file of files) {
    const bar = el('progress', { max: '100', value: '0' });
    const result = el('div', { class: 'result' }, '等待上传');
    const item = el('li', { class: 'upload', 'data-state': 'waiting', 'data-name': file.name },
      el('span', { class: 'name', title: file.name }, file.name), bar, result);
    uploads.append(item);
    queue = queue.then(() => upload(file, item, bar, result));
  }
  queue = queue.then(loadDocuments);
}

function upload(file, item, bar, result) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.open('POST', new URL('api/v1/documents', root));
    xhr.setRequestHeader('Authorization', 'Bearer ' + token());
    xhr.setRequestHeader('Accept', 'application/json');
    item.dataset.state = 'uploading';
    result.textContent = '上传中…';
    xhr.upload.addEventListener('progress', (ev) => {
      if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
    });
    xhr.upload.addEventListener('load', () => {
      bar.value = 100;
      result.textContent = '已上传，正在解析和建立索引…';
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 201 || xhr.status === 200) {
        item.dataset.state = 'done';
        const w = body.warnings || [];
        result.replaceChildren(
          `已入库：${body.title || body.id}（${body.id}），${body.clauses} 条` + (w.length ? `，解析提示 ${w.length} 条` : ''),
          w.length ? el('ol', { class: 'warnings' }, w.map((x) => el('li', {}, `第 ${x.line} 行：${x.message}`))) : '');
      } else {
        item.dataset.state = 'failed';
        bar.value = 0;
        result.textContent = '未入库：' + errorText(xhr.status, body);
        if (xhr.status === 401) showLogin('令牌无效或已更换，请重新登录。');
      }
      resolve();
    });
    xhr.addEventListener('error', () => {
      item.dataset.state = 'failed';
      result.textContent = '未入库：无法连接服务';
      resolve();
    });
    xhr.send(form);
  });
}

picker.addEventListener('change', () => {
  enqueue([...picker.files]);
  picker.value = '';
});
for (const type of ['dragenter', 'dragover']) {
  drop.addEventListener(type, (ev) => {
    ev.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => {
  ev.preventDefault();
  drop.classList.remove('over');
  if (ev.dataTransfer && ev.dataTransfer.files.length) enqueue([...ev.dataTransfer.files]);
});
drop.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    picker.click();
  }
});

// A tab that logged in before goes straight to the list.
if (token()) {
  call('GET', 'api/v1/admin/token').then(({ status }) => (status === 204 ? showManage() : showLogin('')));
} else {
  showLogin('');
}
