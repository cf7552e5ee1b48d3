// search-browser.mjs — the search client in headless Chromium against a built site.
//
//   node search-browser.mjs SITE [HOSTILE-SITE]
//
// Serves SITE on 127.0.0.1 (a free port), opens datasets/ and types each
// query of QUERIES into the header search box, then checks that the
// expected datasets are among the first results (or that nothing is found).
// The expectations were picked by hand from datasets/*/datapackage.json.
// Also: the URL carries ?q= and filters, the back button restores a
// search, filters narrow the results, the status is an aria-live region,
// arrow keys reach the results, the English page shows English titles,
// and without JavaScript the page still lists every dataset. HOSTILE-SITE
// (optional) holds a dataset whose title and description are markup: it
// must show as text.
//
// Prints "ok NAME" / "FAIL NAME: why" per check and "N passed, N failed".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

// [query, expected slugs (in order: within the first `top` results), top]
// An empty expectation means the query must find nothing.
const QUERIES = [
	['避難', ['evacuation-sites'], 1],
	['ひなんじょ', ['evacuation-sites'], 1], // 避難所 by its reading (rendaku ジョ)
	['ヒナンジョ', ['evacuation-sites'], 1],
	['ＡＥＤ', ['aed-locations'], 1],
	['aed', ['aed-locations'], 1],
	['AED', ['aed-locations'], 1],
	['トイレ', ['public-toilets'], 1],
	['ﾄｲﾚ', ['public-toilets'], 1], // half-width katakana
	['人口 中原区', ['population-by-ward-age'], 1],
	['wifi', ['wifi-spots'], 1],
	['Wi-Fi', ['wifi-spots'], 1],
	['ＷｉＦｉ', ['wifi-spots'], 1],
	['wi fi', ['wifi-spots'], 1],
	['SSID', ['wifi-spots'], 1], // a column name
	['名称_カナ', ['aed-locations', 'parks', 'public-facilities'], 6], // a column name
	['危機管理本部', ['evacuation-sites'], 1], // a publisher name
	['Health and Welfare', ['aed-locations'], 1], // a publisher name in English
	['園', ['parks', 'childcare-facilities'], 3], // one kanji
	['館', ['public-facilities'], 3], // one kanji
	['toilets', ['public-toilets'], 1], // English title word
	['park', ['parks'], 1], // a prefix of "parks"
	['evacuation', ['evacuation-sites'], 1],
	['nursery', ['childcare-facilities'], 1],
	['ごみ', ['garbage-collection'], 1],
	['recycling', ['garbage-collection'], 1],
	['空き缶', ['garbage-collection'], 1],
	['保育', ['childcare-facilities'], 1],
	['ほいくしょ', ['childcare-facilities'], 1], // 保育所 by its reading
	['こうえん', ['parks'], 1], // 公園 by its reading
	['がっこう', ['schools'], 1],
	['ちゅうがっこう', ['schools'], 1],
	['たいき', ['air-quality'], 1], // 大気: reading, ranked by the title reading
	['PM2.5', ['air-quality'], 1],
	['大気', ['air-quality'], 1],
	['観光', ['tourism-spots'], 1],
	['イベント', ['city-events'], 1],
	['図書館', ['public-facilities'], 1],
	['バリアフリー', ['public-toilets', 'public-facilities'], 3],
	['温泉', [], 0],
	['おんせん', [], 0],
	['xyzzy', [], 0],
	['避難 wifi', [], 0], // every part must match
	['事故', [], 0],
	['<img src=x onerror=alert(1)>', [], 0],
];

let passed = 0, failed = 0;
function ok(name) { passed++; if (process.env.TH_VERBOSE) console.log(`ok ${name}`); }
function fail(name, why) { failed++; console.log(`FAIL search-browser: ${name}: ${why}`); }
function check(name, cond, why) { cond ? ok(name) : fail(name, why); }

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
	'.css': 'text/css' };

function serve(root) {
	const bytes = { n: 0, files: [] };
	const server = http.createServer((req, res) => {
		let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
		if (p.endsWith('/')) p += 'index.html';
		const file = path.join(root, path.normalize(p));
		if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
			res.writeHead(404);
			res.end('not found');
			return;
		}
		const body = fs.readFileSync(file);
		bytes.n += body.length;
		bytes.files.push(p);
		res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
		res.end(body);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, bytes })));
}

async function hits(page) {
	return page.$$eval('#search-hits li[data-slug]', (els) => els.map((e) => e.getAttribute('data-slug')));
}

// Types q into the header box (replacing what is there) and waits until
// the results region shows exactly that query.
async function search(page, q, { typeIt = false } = {}) {
	const box = page.locator('#site-search-q');
	await box.fill('');
	if (typeIt) await box.pressSequentially(q, { delay: 5 });
	else await box.fill(q);
	await page.waitForFunction((want) => {
		const r = document.getElementById('search-results');
		return r && r.getAttribute('data-done') === want;
	}, JSON.stringify([q, {}]), { timeout: 10000 });
	return hits(page);
}

async function main() {
	const root = path.resolve(process.argv[2]);
	const hostile = process.argv[3] ? path.resolve(process.argv[3]) : null;
	const { server } = await serve(root);
	const base = `http://127.0.0.1:${server.address().port}/`;
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
	try {
		const page = await browser.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		page.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
		await page.goto(base + 'datasets/');
		await page.waitForFunction(() => document.documentElement.getAttribute('data-search') === 'ready');

		for (const [i, [q, want, top]] of QUERIES.entries()) {
			const got = await search(page, q, { typeIt: i % 5 === 0 });
			const name = `query ${JSON.stringify(q)}`;
			if (!want.length) {
				check(name + ' finds nothing', got.length === 0, `got ${got.join(' ')}`);
				const status = await page.textContent('#search-status');
				check(name + ' says so', /該当するデータセットはありません/.test(status), `status "${status}"`);
				continue;
			}
			const first = got.slice(0, top);
			check(name, want.every((w) => first.includes(w)),
				`want ${want.join(' ')} in the first ${top}, got ${got.join(' ') || 'nothing'}`);
		}

		// The URL carries the query; the status is a live region.
		await search(page, '避難');
		check('URL carries ?q=', new URL(page.url()).searchParams.get('q') === '避難', page.url());
		const live = await page.getAttribute('#search-status', 'aria-live');
		check('status is aria-live', live === 'polite', `aria-live=${live}`);
		check('status counts the results', /1 件見つかりました/.test(await page.textContent('#search-status')),
			await page.textContent('#search-status'));
		const mark = await page.$$eval('#search-hits mark', (m) => m.map((x) => x.textContent));
		check('matches are highlighted', mark.includes('避難'), JSON.stringify(mark));
		check('static list hidden while searching', await page.locator('#dataset-list').isHidden(), 'visible');

		// Keyboard: ArrowDown from the box reaches the first result, Escape goes back.
		await page.locator('#site-search-q').focus();
		await page.keyboard.press('ArrowDown');
		const focused = await page.evaluate(() => document.activeElement && document.activeElement.closest('#search-hits') !== null);
		check('ArrowDown moves to the results', focused, 'focus stayed');
		await page.keyboard.press('Escape');

		// Submit pushes history: back returns to the previous search.
		const submit = async (q) => {
			await page.locator('#site-search-q').fill(q);
			await page.locator('#site-search-q').press('Enter');
			await page.waitForFunction((want) => document.getElementById('search-results').getAttribute('data-done') === want,
				JSON.stringify([q, {}]));
		};
		await submit('aed');
		await submit('トイレ');
		await page.goBack();
		await page.waitForFunction(() => document.getElementById('search-results').getAttribute('data-done') === JSON.stringify(['aed', {}]));
		check('back button restores the search', (await page.inputValue('#site-search-q')) === 'aed' &&
			(await hits(page))[0] === 'aed-locations', `box "${await page.inputValue('#site-search-q')}"`);

		// Filters combine with the query and go into the URL.
		await search(page, 'park');
		const before = await hits(page);
		await page.selectOption('#search-filter-publisher', 'kensetsu-ryokusei');
		await page.waitForFunction(() => (document.getElementById('search-results').getAttribute('data-done') || '').includes('kensetsu-ryokusei'));
		const after = await hits(page);
		check('filter narrows the results', before.length > after.length && after.includes('parks') &&
			after.every((s) => ['parks', 'public-toilets'].includes(s)), `${before} -> ${after}`);
		check('filter is in the URL', new URL(page.url()).searchParams.get('publisher') === 'kensetsu-ryokusei', page.url());
		await page.goto(base + 'datasets/?format=geojson');
		await page.waitForFunction(() => document.getElementById('search-results')?.getAttribute('data-done'));
		check('a filter alone lists its datasets', JSON.stringify(await hits(page)) === '["schools"]', String(await hits(page)));
		check('the filter control shows the URL value', (await page.inputValue('#search-filter-format')) === 'geojson', 'not selected');

		// A shared link opens with the results.
		await page.goto(base + 'datasets/?q=' + encodeURIComponent('ひなんじょ'));
		await page.waitForFunction(() => document.getElementById('search-results')?.getAttribute('data-done'));
		check('?q= in a link is searched', (await hits(page))[0] === 'evacuation-sites', String(await hits(page)));
		const href = await page.getAttribute('#search-hits li a', 'href');
		check('result links to the dataset page', href === 'evacuation-sites/', href);

		// English page: English titles, English status.
		await page.goto(base + 'en/datasets/?q=toilet');
		await page.waitForFunction(() => document.getElementById('search-results')?.getAttribute('data-done'));
		const title = await page.textContent('#search-hits li .card-title');
		check('English page shows English titles', title.trim() === 'Public toilets', title);
		check('English status', /datasets found/.test(await page.textContent('#search-status')), 'not English');

		// On another page, the first results appear under the box as one types.
		await page.goto(base + 'datasets/parks/');
		await page.locator('#site-search-q').pressSequentially('ひなんじょ', { delay: 5 });
		await page.waitForFunction(() => document.getElementById('search-quick')?.getAttribute('data-done') === JSON.stringify(['ひなんじょ', {}]));
		const quick = await page.$$eval('#search-quick-hits li', (l) => l.map((e) => e.getAttribute('data-slug')));
		check('results under the box on a dataset page', quick[0] === 'evacuation-sites', String(quick));
		check('they are announced', /1 件見つかりました/.test(await page.textContent('#search-quick-status')), 'no status');
		await page.keyboard.press('ArrowDown');
		const qhref = await page.evaluate(() => document.activeElement.getAttribute('href'));
		check('ArrowDown reaches the first one, linking the dataset page', new URL(qhref).pathname === '/datasets/evacuation-sites/', qhref);
		await page.keyboard.press('Escape');
		check('Escape closes them', await page.locator('#search-quick').isHidden(), 'still shown');
		const all = await page.getAttribute('#search-quick .search-quick-all', 'href');
		check('a link to all results', all === '/datasets/?q=' + encodeURIComponent('ひなんじょ'), all);

		// The search box on another page goes to the results page.
		await page.goto(base);
		await page.locator('#site-search-q').fill('aed');
		await Promise.all([page.waitForURL(/datasets\/\?q=aed/), page.locator('#site-search-q').press('Enter')]);
		await page.waitForFunction(() => document.getElementById('search-results')?.getAttribute('data-done'));
		check('search from the home page lands on results', (await hits(page))[0] === 'aed-locations', page.url());

		check('no script errors or dialogs', errors.length === 0, errors.join('; '));

		// Without JavaScript: the target page lists every dataset.
		const nojs = await browser.newContext({ javaScriptEnabled: false });
		const p2 = await nojs.newPage();
		await p2.goto(base + 'datasets/?q=aed');
		const n = await p2.$$eval('#dataset-list > li', (l) => l.length);
		const count = fs.readdirSync(path.join(root, 'search/d')).length;
		check('without JavaScript all datasets are listed', n === count && n > 0, `${n} of ${count}`);
		await nojs.close();
	} finally {
		await browser.close();
		server.close();
	}

	if (hostile) {
		const { server: s2 } = await serve(hostile);
		const b2 = await chromium.launch({ executablePath: '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
		try {
			const page = await b2.newPage();
			const errors = [];
			page.on('dialog', (d) => { errors.push(d.message()); d.dismiss(); });
			await page.goto(`http://127.0.0.1:${s2.address().port}/datasets/`);
			await page.waitForFunction(() => document.documentElement.getAttribute('data-search') === 'ready');
			const got = await search(page, '避難');
			check('hostile dataset is found', got.length === 1, String(got));
			const t = await page.textContent('#search-hits li .card-title');
			check('markup in a title is shown as text', t.includes('<img src=x onerror=alert(1)>'), t);
			const inj = await page.$$eval('#search-hits img, #search-hits script, #search-hits b', (x) => x.length);
			check('no element from the data in the results', inj === 0, `${inj} elements`);
			await page.waitForTimeout(200);
			check('no script from the data ran', errors.length === 0, errors.join('; '));
		} finally {
			await b2.close();
			s2.close();
		}
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL search-browser: crashed: ${e.stack || e}`);
	console.log(`${passed} passed, ${failed + 1} failed`);
	process.exit(1);
});
