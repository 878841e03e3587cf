// The FlexSearch peer of bench/http.sh: the same clauses as policysearch,
// cut into jieba words (@node-rs/jieba, search mode, folded to lower case and
// simplified by the clause file's own folding), every word of the query
// required, answered as ids and text: no highlights, no facets, no tiers.
//
//   node server.js --clauses clauses.json --port 28084
//
// GET /search?q=… answers {"total": n, "hits": [{"id", "text"}]} with the
// first 10; GET /ready answers once the clauses are indexed.
"use strict";
const http = require("node:http");
const fs = require("node:fs");
const { Index } = require("flexsearch");
const { Jieba } = require("@node-rs/jieba");
const { dict } = require("@node-rs/jieba/dict");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? acc.concat([[a.slice(2), all[i + 1]]]) : acc), []),
);
const jieba = Jieba.withDict(dict);
const searchable = /[\p{L}\p{N}]/u;
// Words as a word-based engine indexes them: jieba's search mode, lower case,
// punctuation and spaces dropped.
const words = (s) => jieba.cutForSearch(s.toLowerCase(), true).filter((w) => searchable.test(w));

const clauses = JSON.parse(fs.readFileSync(args.clauses, "utf8"));
const index = new Index({ tokenize: "strict", encode: words, resolution: 9 });
const t0 = Date.now();
clauses.forEach((c, i) => index.add(i, c.text));
console.log(`indexed ${clauses.length} clauses in ${Date.now() - t0} ms`);

const server = http.createServer((req, res) => {
  const u = new URL(req.url, "http://localhost");
  if (u.pathname === "/ready") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end('{"status":"ready"}');
  }
  if (u.pathname !== "/search") {
    res.writeHead(404);
    return res.end();
  }
  const ids = index.search(u.searchParams.get("q") || "", { limit: 10 });
  const body = JSON.stringify({
    total: ids.length,
    hits: ids.map((i) => ({ id: clauses[i].id, text: clauses[i].text })),
  });
  res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  res.end(body);
});
server.listen(Number(args.port || 28084), "127.0.0.1");
