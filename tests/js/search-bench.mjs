// search-bench.mjs — browser side of `make bench-search` (tests/bench/search.sh).
//
//   node search-bench.mjs SITE TRUTH.json [QUERIES]
//
// SITE is a built odcat site that also holds Pagefind's bundle in
// SITE/pagefind/. For QUERIES queries of TRUTH.json (default 16: kanji and
// their kana readings), each in a fresh browser context (cold cache):
//   odcat:    open datasets/?q=Q, wait for the results; bytes fetched from
//             assets/search.js and search/ (raw, and gzip-compressed as a
//             static host would send JSON); then the same query again with
//             everything loaded: milliseconds from submit to results shown
//   Pagefind: on a page with <html lang="ja">, import pagefind.js, search,
//             load the first 10 results' data; bytes fetched from pagefind/;
//             then the search again, timed
// and for both: precision of the first 10 results against TRUTH (the
// datasets whose Japanese title holds the topic). Prints one JSON object.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const root = path.resolve(process.argv[2]);
const truth = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const NQ = Number(process.argv[4] || 16);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
	'.css': 'text/css', '.wasm': 'application/wasm' };

let log = [];
const gz = new Map();
function gzipSize(file, body) {
	if (!gz.has(file)) gz.set(file, zlib.gzipSync(body, { level: 6 }).length);
	return gz.get(file);
}
const server = http.createServer((req, res) => {
	let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
	if (p === '/__pagefind.html') {
		res.writeHead(200, { 'content-type': TYPES['.html'] });
		res.end('<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>pf</title></head><body></body></html>');
		return;
	}
	if (p.endsWith('/')) p += 'index.html';
	const file = path.join(root, path.normalize(p));
	if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
		res.writeHead(404);
		res.end();
		return;
	}
	const body = fs.readFileSync(file);
	log.push({ p, raw: body.length, gz: /\.(json|js)$/.test(p) ? gzipSize(file, body) : body.length });
	res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
	res.end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
const slugOf = (u) => (u.match(/datasets\/(d\d+)\//) || [])[1];
function precision(got, expect) {
	const want = new Set(expect);
	const top = got.slice(0, 10);
	return top.length ? top.filter((s) => want.has(s)).length / top.length : 0;
}

const queries = truth.queries.slice(0, NQ);
const ours = [], pf = [];
for (const { q, kind, expect } of queries) {
	// odcat
	{
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		await page.goto(base + 'datasets/', { waitUntil: 'domcontentloaded' });
		await page.waitForFunction(() => document.documentElement.getAttribute('data-search') === 'ready', null, { timeout: 60000 });
		log = [];
		await page.evaluate((qq) => {
			const box = document.getElementById('site-search-q');
			box.value = qq;
			box.form.requestSubmit();
		}, q);
		await page.waitForFunction((want) => document.getElementById('search-results').getAttribute('data-done') === want,
			JSON.stringify([q, {}]), { timeout: 60000 });
		const fetched = log.filter((e) => e.p.startsWith('/search/') || e.p === '/assets/search.js');
		const got = await page.$$eval('#search-hits li[data-slug]', (l) => l.map((e) => e.getAttribute('data-slug')));
		const total = await page.textContent('#search-status');
		const ms = [];
		for (let k = 0; k < 5; k++) {
			ms.push(await page.evaluate(async (qq) => {
				const r = document.getElementById('search-results');
				const box = document.getElementById('site-search-q');
				const t0 = performance.now();
				box.value = qq;
				box.form.requestSubmit();
				await new Promise((resolve) => {
					const mo = new MutationObserver(() => {
						if (r.getAttribute('data-done')) { mo.disconnect(); resolve(); }
					});
					mo.observe(r, { attributes: true, attributeFilter: ['data-done'] });
				});
				return performance.now() - t0;
			}, q));
		}
		ours.push({ q, kind, raw: fetched.reduce((a, e) => a + e.raw, 0), gz: fetched.reduce((a, e) => a + e.gz, 0),
			files: fetched.length, ms: median(ms), p10: precision(got, expect), status: total });
		await ctx.close();
	}
	// Pagefind
	{
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		await page.goto(base + '__pagefind.html');
		log = [];
		const urls = await page.evaluate(async (qq) => {
			const p = await import('/pagefind/pagefind.js');
			await p.init();
			const r = await p.search(qq);
			const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
			return { urls: data.map((d) => d.url), n: r.results.length };
		}, q);
		const fetched = log.filter((e) => e.p.startsWith('/pagefind/'));
		const ms = [];
		for (let k = 0; k < 5; k++) {
			ms.push(await page.evaluate(async (qq) => {
				const p = await import('/pagefind/pagefind.js');
				const t0 = performance.now();
				const r = await p.search(qq);
				await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
				return performance.now() - t0;
			}, q));
		}
		pf.push({ q, kind, raw: fetched.reduce((a, e) => a + e.raw, 0), files: fetched.length, ms: median(ms),
			n: urls.n, p10: precision(urls.urls.map(slugOf).filter(Boolean), expect) });
		await ctx.close();
	}
}
await browser.close();
server.close();

function summary(rows) {
	const by = (k) => rows.filter((r) => r.kind === k);
	return {
		bytes_median: median(rows.map((r) => r.raw)), bytes_max: Math.max(...rows.map((r) => r.raw)),
		gzip_median: rows[0] && rows[0].gz !== undefined ? median(rows.map((r) => r.gz)) : null,
		ms_median: median(rows.map((r) => r.ms)),
		p10_kanji: by('kanji').reduce((a, r) => a + r.p10, 0) / Math.max(1, by('kanji').length),
		p10_kana: by('kana').reduce((a, r) => a + r.p10, 0) / Math.max(1, by('kana').length),
		found_kanji: by('kanji').filter((r) => r.p10 > 0).length + '/' + by('kanji').length,
		found_kana: by('kana').filter((r) => r.p10 > 0).length + '/' + by('kana').length,
	};
}
console.log(JSON.stringify({ queries: queries.length, odcat: summary(ours), pagefind: summary(pf), detail: { odcat: ours, pagefind: pf } }));
