/* <policy-search>: the policysearch box for intranet portals.

     <script src="http://search.example:8080/widget.js" defer></script>
     <policy-search service="http://search.example:8080"></policy-search>

   Attributes:
     service      the policysearch service's URL (default: where this script came from)
     dept         only clauses this department answers for, e.g. 市科协 or 市科协（南昌）
     doc          only clauses of these documents (ids, comma-separated alternatives)
     issuer       only clauses of documents these bodies issued (comma-separated alternatives)
     year         only clauses of documents of these years, e.g. 2024 or 2023,2024
     size         hits shown, 1–20 (default 5)
     placeholder  the search box's hint
     target       where clause links open (default _blank)
     q            a query to run when the element appears

   The portal's origin must be in the service's --cors-origins allowlist, or the
   browser keeps the answers from the widget. Everything lives in a shadow root
   and the host resets inherited styles, so the portal's CSS and the widget's do
   not touch. Theme with custom properties on the element: --policy-search-accent,
   --policy-search-mark, --policy-search-font.

   Safety: the API's highlights are HTML it escaped itself, with matches in
   <mark>; they are parsed inertly and only text and <mark> are kept. Every
   other string is inserted as text. */
(() => {
  'use strict';

  if (customElements.get('policy-search')) return;

  // Where this script came from is the service's address unless told otherwise;
  // currentScript is only set while the script first runs.
  const scriptBase = document.currentScript && document.currentScript.src
    ? new URL('./', document.currentScript.src).href
    : new URL('./', location.href).href;

  const css = `
:host { all: initial; display: block; contain: content;
  font-family: var(--policy-search-font, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "Noto Sans CJK SC", "Source Han Sans SC", sans-serif);
  font-size: 15px; line-height: 1.6; color: #1f2328; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.box { border: 1px solid #dfe3e8; border-radius: 8px; padding: 12px; background: #fff; }
.bar { display: flex; gap: 8px; margin: 0; }
input { flex: 1; min-width: 0; font: inherit; font-size: 15px; padding: 7px 10px; color: inherit; background: #fff;
  border: 1px solid #b8c0ca; border-radius: 6px; margin: 0; }
input:focus { outline: none; border-color: var(--policy-search-accent, #a61b1b);
  box-shadow: 0 0 0 3px rgba(166, 27, 27, .15); }
button { font: inherit; padding: 0 16px; border: 0; border-radius: 6px; cursor: pointer; color: #fff;
  background: var(--policy-search-accent, #a61b1b); margin: 0; }
.status { margin: 8px 0 0; color: #5b6470; font-size: 13px; }
.status:empty { display: none; }
.box[data-state="error"] .status { color: #a61b1b; }
.hits { list-style: none; margin: 0; padding: 0; }
.hit { padding: 10px 0; border-bottom: 1px solid #eef1f5; }
.hit:last-child { border-bottom: 0; }
.title { color: #0b4fa8; text-decoration: none; font-weight: 600; }
.title:hover { text-decoration: underline; }
.num { color: var(--policy-search-accent, #a61b1b); }
.cite { display: block; color: #5b6470; font-size: 12px; }
.hl { margin: 4px 0 0; font-size: 14px; white-space: pre-line; overflow-wrap: anywhere; }
mark { background: var(--policy-search-mark, #ffe58a); color: inherit; padding: 0 1px; border-radius: 2px; }
.more { margin: 6px 0 0; font-size: 13px; }
.note { margin: 4px 0 0; color: #5b6470; font-size: 13px; }
.note:empty { display: none; }
.note button { border: 0; background: none; padding: 0; color: #0b57d0; font: inherit; cursor: pointer; text-decoration: underline; }
.more:empty { display: none; }
.more a { color: #0b4fa8; text-decoration: none; }
`;

  let sheet = null;
  function adoptStyles(shadow) {
    // A constructed sheet is shared by every instance and needs no <style>
    // element, which a portal's Content-Security-Policy might refuse.
    if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
      }
      shadow.adoptedStyleSheets = [sheet];
      return;
    }
    const style = document.createElement('style');
    style.textContent = css;
    shadow.append(style);
  }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

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

  const kindLabel = { notice: '印发通知', preamble: '前言', paragraph: '段落' };

  // The filters the attributes give, as the API and the search page take them:
  // dept holds one department; doc, issuer and year hold alternatives, split
  // at commas.
  function filters(host) {
    const out = [];
    const dept = (host.getAttribute('dept') || '').trim();
    if (dept) out.push(['dept', dept]);
    for (const name of ['doc', 'issuer', 'year']) {
      for (const v of (host.getAttribute(name) || '').split(/[,，]/)) {
        if (v.trim()) out.push([name, v.trim()]);
      }
    }
    return out;
  }

  class PolicySearch extends HTMLElement {
    constructor() {
      super();
      const shadow = this.attachShadow({ mode: 'open' });
      adoptStyles(shadow);
      this.input = el('input', {
        type: 'search', part: 'input', autocomplete: 'off', maxlength: '256', enterkeyhint: 'search',
        'aria-label': '检索政策条款',
      });
      this.form = el('form', { class: 'bar', role: 'search', part: 'form' },
        this.input, el('button', { type: 'submit', part: 'button' }, '检索'));
      this.status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
      this.note = el('p', { class: 'note', part: 'note' });
      this.list = el('ol', { class: 'hits' });
      this.more = el('p', { class: 'more' });
      this.box = el('div', { class: 'box', 'data-state': 'idle' }, this.form, this.status, this.note, this.list, this.more);
      shadow.append(this.box);
      this.pending = null;
      this.form.addEventListener('submit', e => {
        e.preventDefault();
        this.search(this.input.value);
      });
      this.input.addEventListener('keydown', e => {
        if (e.key === 'Escape' && !e.isComposing) {
          this.input.value = '';
          this.clear();
        }
      });
    }

    connectedCallback() {
      this.input.placeholder = this.getAttribute('placeholder') || '检索政策条款，如：全国科普日';
      const q = this.getAttribute('q');
      if (q && this.box.dataset.state === 'idle') {
        this.input.value = q;
        this.search(q);
      }
    }

    // service is the policysearch root as a URL ending in '/', so API paths resolve under it.
    get service() {
      let s = this.getAttribute('service') || scriptBase;
      if (!s.endsWith('/')) s += '/';
      return new URL(s, location.href);
    }

    get size() {
      const n = parseInt(this.getAttribute('size'), 10);
      return n >= 1 && n <= 20 ? n : 5;
    }

    clear() {
      if (this.pending) this.pending.abort();
      this.pending = null;
      this.list.replaceChildren();
      this.status.textContent = '';
      this.note.replaceChildren();
      this.more.replaceChildren();
      this.box.dataset.state = 'idle';
    }

    fail(message) {
      this.list.replaceChildren();
      this.note.replaceChildren();
      this.more.replaceChildren();
      this.status.textContent = message;
      this.box.dataset.state = 'error';
    }

    async search(raw) {
      const q = String(raw || '').trim();
      if (this.pending) this.pending.abort();
      if (!q) {
        this.clear();
        return;
      }
      const ctl = this.pending = new AbortController();
      const url = new URL('api/v1/search', this.service);
      url.searchParams.set('q', q);
      url.searchParams.set('size', String(this.size));
      for (const [k, v] of filters(this)) url.searchParams.append(k, v);
      this.box.dataset.state = 'loading';
      this.status.textContent = '正在检索…';
      let res;
      let body = null;
      try {
        // No custom headers and no credentials: a simple request, so the
        // allowlist is checked without a preflight and no cookies travel.
        res = await fetch(url, { signal: ctl.signal, mode: 'cors', credentials: 'omit' });
        body = await res.json();
      } catch {
        if (ctl !== this.pending) return;
        this.fail('无法连接检索服务。如果本站尚未获准使用检索服务，请联系其管理员。');
        return;
      }
      if (ctl !== this.pending) return;
      this.pending = null;
      if (!res.ok) {
        const msg = body && body.error && body.error.message;
        this.fail(res.status === 400 && msg ? '检索词有误：' + msg : '检索服务暂时不可用，请稍后再试。');
        return;
      }
      this.render(q, body);
    }

    render(q, body) {
      const target = this.getAttribute('target') || '_blank';
      const hits = body.hits || [];
      this.list.replaceChildren(...hits.map(h => {
        const href = new URL('clauses/' + encodeURIComponent(h.id).replace(/%3A/gi, ':'), this.service);
        href.searchParams.set('q', q);
        return el('li', { class: 'hit', part: 'hit', 'data-id': h.id },
          el('a', { class: 'title', href: href.href, target, rel: target === '_blank' ? 'noopener' : null },
            h.kind === 'item' ? [el('span', { class: 'num' }, `第${h.number}项`), ' ', h.title || ''] : (kindLabel[h.kind] || h.citation)),
          el('span', { class: 'cite' }, h.citation, h.departments && h.departments.length ? ' · ' + h.departments.join('、') : ''),
          (h.highlights || []).slice(0, 2).map(html => el('p', { class: 'hl' }, fragment(html))));
      }));
      this.status.textContent = body.total ? `共 ${body.total} 条相关条款` : `没有找到与“${q}”匹配的条款`;
      // What the query was read as; the nearest queries with hits and the
      // searches of equivalent names, each searched here when chosen.
      const again = (text, label, cls) => {
        const b = el('button', { type: 'button', class: cls, part: 'query' }, label);
        b.addEventListener('click', () => {
          this.input.value = text;
          this.search(text);
        });
        return b;
      };
      const list = (items, cls, label) => items.flatMap((x, i) => [i ? '、' : '', again(x.query, label(x), cls)]);
      this.note.replaceChildren(
        body.interpreted ? el('span', { class: 'interpreted' }, `已按“${body.interpreted.query}”搜索 `) : '',
        (body.suggestions || []).length ? el('span', {}, '您是不是要找：', ...list(body.suggestions.map(s => ({ query: s })), 'suggested-query', x => x.query), ' ') : '',
        (body.related || []).length ? el('span', {}, '相关：', ...list(body.related, 'related-query', r => `${r.query}（${r.total}条）`)) : '');
      this.more.replaceChildren();
      if (body.total > hits.length) {
        const all = new URL('./', this.service);
        all.searchParams.set('q', q);
        for (const [k, v] of filters(this)) all.searchParams.append(k, v);
        this.more.append(el('a', { href: all.href, target, rel: target === '_blank' ? 'noopener' : null }, `在检索页查看全部 ${body.total} 条 →`));
      }
      this.box.dataset.state = body.total ? 'ready' : 'empty';
    }
  }

  customElements.define('policy-search', PolicySearch);
})();
