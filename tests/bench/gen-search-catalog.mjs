// gen-search-catalog.mjs — a synthetic catalogue for the search benchmark.
//
//   node gen-search-catalog.mjs DIR COUNT
//
// Writes DIR/odcat.json and DIR/datasets/d00001 ... with COUNT datasets
// whose titles, descriptions, keywords, column names and READMEs look like
// a Japanese city's (wards, topics, suffixes drawn by a seeded generator,
// so the same COUNT gives the same files), each with a two-line CSV. Also
// writes DIR/truth.json: for each benchmark query, the slugs whose
// Japanese title holds the query's topic (the right answers).
import fs from 'node:fs';
import path from 'node:path';

const [dir, countArg] = process.argv.slice(2);
const COUNT = Number(countArg || 10000);

let seed = 20250401;
function rnd(n) { // xorshift32
	seed ^= seed << 13; seed >>>= 0;
	seed ^= seed >>> 17;
	seed ^= seed << 5; seed >>>= 0;
	return seed % n;
}
const pick = (a) => a[rnd(a.length)];

const WARDS = ['川崎区', '幸区', '中原区', '高津区', '宮前区', '多摩区', '麻生区'];
// [ja, reading (hiragana), en]
const TOPICS = [
	['避難所', 'ひなんじょ', 'evacuation shelters'], ['公園', 'こうえん', 'parks'],
	['保育所', 'ほいくしょ', 'nurseries'], ['図書館', 'としょかん', 'libraries'],
	['人口', 'じんこう', 'population'], ['温泉', 'おんせん', 'hot springs'],
	['駐輪場', 'ちゅうりんじょう', 'bicycle parking'], ['消火栓', 'しょうかせん', 'fire hydrants'],
	['公衆トイレ', 'こうしゅうといれ', 'public toilets'], ['AED', 'えーいーでぃー', 'AEDs'],
	['医療機関', 'いりょうきかん', 'medical institutions'], ['介護施設', 'かいごしせつ', 'care homes'],
	['小学校', 'しょうがっこう', 'elementary schools'], ['中学校', 'ちゅうがっこう', 'junior high schools'],
	['市民館', 'しみんかん', 'civic halls'], ['観光施設', 'かんこうしせつ', 'tourist sites'],
	['無料Wi-Fi', 'むりょうわいふぁい', 'free Wi-Fi'], ['ごみ収集', 'ごみしゅうしゅう', 'waste collection'],
	['大気測定', 'たいきそくてい', 'air monitoring'], ['道路工事', 'どうろこうじ', 'road works'],
	['交通事故', 'こうつうじこ', 'traffic accidents'], ['バス停', 'ばすてい', 'bus stops'],
	['投票所', 'とうひょうじょ', 'polling stations'], ['体育館', 'たいいくかん', 'gymnasiums'],
	['児童館', 'じどうかん', "children's halls"], ['商店街', 'しょうてんがい', 'shopping streets'],
	['文化財', 'ぶんかざい', 'cultural properties'], ['農地', 'のうち', 'farmland'],
	['河川水位', 'かせんすいい', 'river levels'], ['救急出動', 'きゅうきゅうしゅつどう', 'ambulance calls'],
];
const SUFFIX = [['一覧', 'list'], ['統計', 'statistics'], ['位置情報', 'locations'],
	['利用状況', 'usage'], ['年報', 'annual report'], ['月報', 'monthly report']];
const COLS = ['名称', '名称_カナ', '住所', '緯度', '経度', '電話番号', '区名', '開設日', '定員',
	'利用時間', '備考', '面積', '件数', '年度', '種別', 'URL', '設置者', 'バリアフリー対応'];
const PUBS = ['kiki-kanri', 'somu-kikaku', 'shimin-bunka', 'keizai-rodo', 'kenko-fukushi',
	'kodomo-mirai', 'kankyo', 'kensetsu-ryokusei', 'kyoiku', 'shobo', 'kotsu', 'ueki'];
const PUB_JA = ['危機管理本部', '総務企画局', '市民文化局', '経済労働局', '健康福祉局', 'こども未来局',
	'環境局', '建設緑政局', '教育委員会事務局', '消防局', '交通局', '上下水道局'];
const THEMES = ['SOCI', 'GOVE', 'HEAL', 'ENVI', 'EDUC', 'TRAN', 'ECON', 'REGI'];
const FILLER = ['市内の', '各区の', '最新の', '市が管理する', '民間の', '指定された', '主要な'];
const SENT = ['データは毎年更新します。', '位置は世界測地系で記載しています。',
	'詳しくは担当課にお問い合わせください。', '利用にあたっては出典を明記してください。',
	'一部の施設は休館日があります。', '集計方法は年度により異なります。',
	'地図アプリで利用しやすい形式です。', '災害時の参考情報として活用できます。'];

fs.mkdirSync(path.join(dir, 'datasets'), { recursive: true });
const publishers = {};
PUBS.forEach((p, i) => { publishers[p] = { name: { ja: PUB_JA[i], en: `Bureau ${i + 1}` }, email: `${p}@example.jp` }; });
fs.writeFileSync(path.join(dir, 'odcat.json'), JSON.stringify({
	title: { ja: 'ベンチマーク市オープンデータ', en: 'Benchmark City Open Data' },
	description: { ja: '検索の性能測定用の架空のカタログです。', en: 'A synthetic catalogue for the search benchmark.' },
	base_url: 'https://bench.example.jp/', languages: ['ja', 'en'],
	publisher: { name: { ja: 'ベンチマーク市', en: 'Benchmark City' } }, publishers,
	license: 'CC-BY-4.0', contactPoint: { name: '窓口', email: 'desk@example.jp' },
}, null, 1));

const truth = {};
for (let i = 1; i <= COUNT; i++) {
	const slug = 'd' + String(i).padStart(5, '0');
	const ward = pick(WARDS), topic = pick(TOPICS), suf = pick(SUFFIX), year = 2015 + rnd(11);
	const other = pick(TOPICS);
	const title = `${ward}の${topic[0]}${suf[0]}（${year}年度）`;
	const cols = Array.from({ length: 6 + rnd(6) }, () => pick(COLS)).filter((c, k, a) => a.indexOf(c) === k);
	const d = path.join(dir, 'datasets', slug);
	fs.mkdirSync(d, { recursive: true });
	fs.writeFileSync(path.join(d, 'datapackage.json'), JSON.stringify({
		name: slug,
		title: { ja: title, en: `${topic[2]} ${suf[1]}, ${ward.replace('区', '')} ward (FY${year})` },
		description: {
			ja: `${pick(FILLER)}${topic[0]}に関する${suf[0]}です。${pick(SENT)}${other[0]}の情報とあわせてご利用ください。対象は${ward}の全域です。`,
			en: `The ${suf[1]} of ${topic[2]} in ${ward}. Use it together with the data on ${other[2]}.`,
		},
		keywords: { ja: [topic[0], ward, suf[0], pick(TOPICS)[0]], en: [topic[2], suf[1]] },
		publisher: pick(PUBS),
		theme: [pick(THEMES)],
		modified: `${year}-04-01`,
		resources: [{
			name: 'data', path: 'data.csv', format: 'csv', encoding: 'utf-8',
			schema: { fields: cols.map((c) => ({ name: c, type: 'string' })) },
		}],
	}));
	fs.writeFileSync(path.join(d, 'data.csv'), cols.join(',') + '\n' + cols.map(() => 'x').join(',') + '\n');
	fs.writeFileSync(path.join(d, 'README.md'),
		`# ${title}\n\n${ward}における${topic[0]}の${suf[0]}です。` +
		Array.from({ length: 3 + rnd(4) }, () => pick(SENT)).join('') +
		`\n\n## 項目\n\n${cols.map((c) => `- ${c}`).join('\n')}\n`);
	(truth[topic[0]] ||= []).push(slug);
}
const queries = [];
for (const t of TOPICS) if (truth[t[0]]) queries.push({ q: t[0], kind: 'kanji', expect: truth[t[0]] }, { q: t[1], kind: 'kana', expect: truth[t[0]] });
fs.writeFileSync(path.join(dir, 'truth.json'), JSON.stringify({ count: COUNT, queries }));
