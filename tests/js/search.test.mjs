// search.test.mjs — the browser client's tokeniser against the shared
// vectors (tests/search/vectors.json, also checked by tests/unit/test_search.c)
// and its index reading against hand-made postings.
//   node --test tests/js/search.test.mjs
// With SEARCH_SITE=<built site>, also reads that site's index from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const top = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
const s = require(path.join(top, 'themes/default/assets/search.js'));
const vectors = JSON.parse(fs.readFileSync(path.join(top, 'tests/search/vectors.json'), 'utf8'));

for (const [i, v] of vectors.normalize.entries()) {
	test(`normalize ${i}: ${JSON.stringify(v.in)}`, () => {
		assert.equal(s.normalize(v.in), v.out);
	});
}

for (const [i, v] of vectors.tokens.entries()) {
	test(`tokens ${i}: ${JSON.stringify(v.in)}`, () => {
		assert.deepEqual(s.tokenize(v.in), v.tokens);
	});
}

test('lone surrogates are separators', () => {
	assert.deepEqual(s.tokenize('ab\uD800cd'), ['ab', 'cd']);
});

test('a query: CJK runs need all their bigrams, joined words are one word', () => {
	assert.deepEqual(s.parseQuery('ひなんじょ Wi-Fi 区'), [
		{ kind: 'cjk', terms: ['ヒナ', 'ナン', 'ンジ', 'ジョ'], text: 'ヒナンジョ' },
		{ kind: 'word', terms: ['wifi'], text: 'wifi', prefix: true },
		{ kind: 'cjk', terms: ['区'], text: '区' },
	]);
	assert.equal(s.parseQuery('a')[0].prefix, false);
});

test('postings: base64 VLQ doc deltas and scores', () => {
	// doc 0 score 5, doc 3 score 40 (delta 3), doc 40 score 1 (delta 37)
	// 5 = "F"; 3 = "D"; 40 = 8 + 1*32 -> "o" (8|32 = 40 -> 'o'), then 1 -> "B"
	// 37 = 5 + 1*32 -> "l" (5|32 = 37 -> 'l'), "B"; 1 = "B"
	const m = s.decodePostings('AFDoBlBB');
	assert.deepEqual([...m], [[0, 5], [3, 40], [40, 1]]);
});

test('terms compare in code point order (the index sorts UTF-8 bytes)', () => {
	assert.equal(s.cmpCP('\uFA0E', '\u{20BB7}'), -1); // UTF-16 order would say 1
	assert.equal(s.cmpCP('ab', 'abc'), -1);
	assert.equal(s.cmpCP('b', 'abc'), 1);
	assert.equal(s.cmpCP('x', 'x'), 0);
});

test('highlight ranges map back through normalisation', () => {
	const t = 'ＡＥＤ設置場所 aed';
	assert.deepEqual(s.matchRanges(t, ['aed']), [[0, 3], [8, 11]]);
	assert.deepEqual(s.matchRanges('ひなん所', ['ヒナン']), [[0, 3]]);
});

test('an index read through Index: shards, AND, filters', async () => {
	const files = {
		'manifest.json': { format: 1, docs: 3, langs: ['ja', 'en'], shards: ['!p:a', 'ナン'], facets: {} },
		// !p:a -> docs 0, 2; ヒナ -> docs 0 (9), 1 (4)
		's/0.json': { '!p:a': 'AACA', 'wifi': 'CK', 'wind': 'BE' },
		// ナン -> doc 1 (2) only; ヒナ sorts after ナン (U+30D2 > U+30CA)
		's/1.json': { 'ナン': 'BC', 'ヒナ': 'AJBE' },
	};
	const idx = new s.Index('', async (u) => files[u]);
	await idx.load();
	assert.deepEqual(idx.shardsFor('ヒナ', false), [1]);
	assert.deepEqual(idx.shardsFor('wi', true), [0]);
	assert.deepEqual(idx.shardsFor('!', true), [0]);
	assert.deepEqual(idx.shardsFor('ナン', false), [1]);
	let r = await idx.search('ひな');
	assert.deepEqual(r.hits.map((h) => h.doc), [0, 1]);
	r = await idx.search('ひなん');
	assert.deepEqual(r.hits, [{ doc: 1, score: 6 }]);
	r = await idx.search('ひな', { publisher: 'a' });
	assert.deepEqual(r.hits.map((h) => h.doc), [0]);
	r = await idx.search('wi');
	// wifi (doc 2, 10) and wind (doc 1, 4) by prefix, at 60 %
	assert.deepEqual(r.hits.map((h) => [h.doc, h.score]), [[2, 6], [1, 2.4]]);
	r = await idx.search('wifi');
	assert.deepEqual(r.hits.map((h) => [h.doc, h.score]), [[2, 10]]);
	r = await idx.search('');
	assert.equal(r.hits, null);
});

// Cross-check on a real index built by odcat (tests/e2e/search.sh sets
// SEARCH_SITE): every token the client makes of a document's title,
// keywords and column names is a term of the C-built index, and its
// postings hold that document.
test('the C-built index holds the client\'s tokens of every record', { skip: !process.env.SEARCH_SITE }, async () => {
	const site = process.env.SEARCH_SITE;
	const idx = new s.Index(path.join(site, 'search') + '/', async (u) => JSON.parse(fs.readFileSync(u, 'utf8')));
	const m = await idx.load();
	let checked = 0;
	for (let n = 0; n < m.docs; n++) {
		const rec = await idx.doc(n);
		const texts = [...rec.title, ...rec.kw[0], ...rec.kw[1], ...rec.cols];
		for (const t of texts) {
			for (const tok of s.tokenize(t)) {
				const p = await idx.postings(tok, false);
				assert.ok(p.has(n), `doc ${n} (${rec.slug}): token ${JSON.stringify(tok)} of ${JSON.stringify(t)}`);
				checked++;
			}
		}
	}
	assert.ok(checked > 100, `only ${checked} tokens checked`);
});
