// hostile.mjs — opens every page of a built site in headless Chromium and
// checks that nothing a dataset injected runs or exists, and that the
// injected text is shown as text.
//
//   node hostile.mjs SITE-DIR EXPECT.json
//
// EXPECT.json: {"visible": {"<page path>": ["literal text", ...]},
//               "jsonld": {"<page path>": {"name": "<exact value>"}}}
// "visible": each literal must be part of the page's rendered text
// (document.body.innerText), i.e. shown escaped, character for character.
// "jsonld": the page's JSON-LD <script> parses and its top-level keys have
// exactly these values (the text round-trips through the script block).
//
// For every *.html file under SITE-DIR (served over http on 127.0.0.1;
// requests to any other host are blocked), after load and a pause for
// image error handlers:
//   - no dialog (alert/confirm/prompt) opened;
//   - window.__pwned is undefined (the payloads set it);
//   - no element #pwned, <pwn>, <iframe>, <object>, <embed>, <math>,
//     <base>, <meta http-equiv> (the theme's own search form is allowed);
//   - no attribute named on* on any element;
//   - every <script> is type application/ld+json and its text is JSON;
//   - no <a>, <area>, <img>, <link> or <iframe> URL whose protocol is
//     javascript:, vbscript: or data: (as the browser resolved it);
//   - no request left for a URL holding "pwned".
// Prints "PASS <check>" or "FAIL <check>: <why>" per check (tests/e2e/hostile.sh
// counts them) and exits 1 when any failed.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, extname, relative } from 'node:path';

const [site, expectFile] = process.argv.slice(2);
const expect = expectFile ? JSON.parse(readFileSync(expectFile, 'utf8')) : {};
let failed = 0;
const pass = (n) => console.log(`PASS ${n}`);
const fail = (n, why) => { failed++; console.log(`FAIL ${n}: ${why}`); };

function pages(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pages(p));
    else if (name.endsWith('.html')) out.push(relative(site, p));
  }
  return out.sort();
}

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.json': 'application/json',
  '.jsonld': 'application/ld+json', '.csv': 'text/csv', '.js': 'text/javascript' };
const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (path.endsWith('/')) path += 'index.html';
  const file = join(site, path);
  if (!file.startsWith(site)) { res.writeHead(403); res.end(); return; }
  try {
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(body);
  } catch { res.writeHead(404); res.end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const all = pages(site);
if (all.length === 0) fail('site has pages', `no .html under ${site}`);
try {
  for (const p of all) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const dialogs = [];
    const pwnedRequests = [];
    page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (/pwned/i.test(u) && !route.request().isNavigationRequest()) pwnedRequests.push(u);
      if (u.startsWith(origin)) route.continue(); else route.abort();
    });
    const url = `${origin}/${p.split('/').map(encodeURIComponent).join('/')}`;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(150);
    const r = await page.evaluate(() => {
      const bad = [];
      if (typeof window.__pwned !== 'undefined') bad.push(`window.__pwned = ${window.__pwned}`);
      for (const sel of ['#pwned', 'pwn', 'iframe', 'object', 'embed', 'math', 'base',
        'meta[http-equiv]']) {
        const n = document.querySelectorAll(sel).length;
        if (n) bad.push(`${n} × ${sel}`);
      }
      for (const el of document.querySelectorAll('*'))
        for (const a of el.attributes)
          if (/^on/i.test(a.name)) bad.push(`<${el.localName} ${a.name}="${a.value.slice(0, 40)}">`);
      const scripts = [];
      for (const s of document.querySelectorAll('script')) {
        // The theme's own scripts: same origin, no inline code.
        if (s.src && new URL(s.src).origin === location.origin && !s.textContent.trim()) continue;
        if (s.type !== 'application/ld+json') { bad.push(`script type "${s.type}": ${s.textContent.slice(0, 60)}`); continue; }
        try { scripts.push(JSON.parse(s.textContent)); } catch (e) { bad.push(`JSON-LD does not parse: ${e.message}`); }
      }
      for (const el of document.querySelectorAll('a[href], area[href], img[src], link[href], iframe[src]')) {
        const u = el.href || el.src;
        try {
          const proto = new URL(u, document.baseURI).protocol;
          if (['javascript:', 'vbscript:', 'data:'].includes(proto)) bad.push(`<${el.localName}> to ${u.slice(0, 60)}`);
        } catch { /* not a URL at all: inert */ }
      }
      return { bad, text: document.body ? document.body.innerText : '', scripts };
    });
    if (dialogs.length) fail(`${p}: no dialog`, dialogs.join('; ')); else pass(`${p}: no dialog`);
    if (r.bad.length) fail(`${p}: nothing injected`, r.bad.slice(0, 5).join('; ')); else pass(`${p}: nothing injected`);
    if (pwnedRequests.length) fail(`${p}: no request from injected markup`, pwnedRequests.join(' '));
    else pass(`${p}: no request from injected markup`);
    for (const want of (expect.visible || {})[p] || []) {
      if (r.text.includes(want)) pass(`${p}: shows ${JSON.stringify(want.slice(0, 50))}`);
      else fail(`${p}: shows ${JSON.stringify(want.slice(0, 50))}`, 'not in the rendered text');
    }
    for (const [k, v] of Object.entries((expect.jsonld || {})[p] || {})) {
      const got = r.scripts.map((s) => s[k]).find((x) => x !== undefined);
      if (got === v) pass(`${p}: JSON-LD ${k} round-trips`);
      else fail(`${p}: JSON-LD ${k} round-trips`, `got ${JSON.stringify(got)?.slice(0, 80)}`);
    }
    await ctx.close();
  }
} finally {
  await browser.close();
  server.close();
}
for (const p of Object.keys(expect.visible || {}))
  if (!all.includes(p)) fail(`expected page ${p}`, 'not built');
process.exit(failed ? 1 : 0);
