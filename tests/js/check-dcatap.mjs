// check-dcatap.mjs — checks of odcat's DCAT-AP catalog.ttl / catalog.jsonld.
//
//   node check-dcatap.mjs ttl FILE.ttl          parses with n3
//   node check-dcatap.mjs jsonld FILE.jsonld    expands to N-Quads with jsonld.js
//                                               (a document loader that refuses
//                                               every URL: the context is inline)
//   node check-dcatap.mjs same FILE.ttl FILE.jsonld
//                                               both hold the same triples
//   node check-dcatap.mjs shacl FILE.ttl SHAPES.ttl...
//                                               no sh:Violation; warnings and
//                                               infos are printed as "info:" lines
//
// Exits 0 when the check passes, 1 with the details on stderr when not.
import fs from 'node:fs';
import N3 from 'n3';
import jsonld from 'jsonld';
import SHACLValidator from 'rdf-validate-shacl';
import datasetFactory from '@rdfjs/dataset';

const SH = 'http://www.w3.org/ns/shacl#';

function fail(msg) {
	process.stderr.write(msg.endsWith('\n') ? msg : msg + '\n');
	process.exit(1);
}

function parseTurtle(file) {
	const text = fs.readFileSync(file, 'utf8');
	return new N3.Parser({ format: 'text/turtle', baseIRI: 'urn:x-odcat-test:' }).parse(text);
}

async function jsonldQuads(file) {
	const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
	const documentLoader = async (url) => {
		throw new Error(`network access refused: ${url}`);
	};
	const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader, safe: true });
	return new N3.Parser({ format: 'application/n-quads' }).parse(nquads);
}

// Sorted, distinct N-Triples lines (the graph has no blank nodes).
function ntriples(quads) {
	const w = new N3.Writer({ format: 'application/n-triples' });
	const lines = quads.map((q) => w.quadToString(q.subject, q.predicate, q.object).trim());
	return [...new Set(lines)].sort();
}

async function main() {
	const [mode, ...args] = process.argv.slice(2);
	if (mode === 'ttl') {
		let quads;
		try {
			quads = parseTurtle(args[0]);
		} catch (e) {
			fail(`n3 cannot parse ${args[0]}: ${e.message}`);
		}
		if (!quads.length) fail(`${args[0]}: no triples`);
		console.log(`${quads.length} triples`);
	} else if (mode === 'jsonld') {
		let quads;
		try {
			quads = await jsonldQuads(args[0]);
		} catch (e) {
			fail(`jsonld.js cannot read ${args[0]}: ${e.message}${e.details ? ' ' + JSON.stringify(e.details).slice(0, 2000) : ''}`);
		}
		if (!quads.length) fail(`${args[0]}: no triples`);
		console.log(`${quads.length} triples`);
	} else if (mode === 'same') {
		const a = ntriples(parseTurtle(args[0]));
		const b = ntriples(await jsonldQuads(args[1]));
		const sa = new Set(a), sb = new Set(b);
		const onlyA = a.filter((l) => !sb.has(l)), onlyB = b.filter((l) => !sa.has(l));
		if (onlyA.length || onlyB.length || !a.length)
			fail(`graphs differ (${a.length} vs ${b.length} triples)\n` +
				onlyA.slice(0, 20).map((l) => `only in Turtle:  ${l}`).join('\n') + '\n' +
				onlyB.slice(0, 20).map((l) => `only in JSON-LD: ${l}`).join('\n'));
		console.log(`${a.length} triples in both`);
	} else if (mode === 'shacl') {
		const [dataFile, ...shapeFiles] = args;
		const shapes = datasetFactory.dataset();
		for (const f of shapeFiles) for (const q of parseTurtle(f)) shapes.add(q);
		const data = datasetFactory.dataset(parseTurtle(dataFile));
		const validator = new SHACLValidator(shapes);
		const report = await validator.validate(data);
		const bySeverity = new Map();
		for (const r of report.results) {
			const sev = r.severity ? r.severity.value.replace(SH, '') : 'Violation';
			if (!bySeverity.has(sev)) bySeverity.set(sev, []);
			bySeverity.get(sev).push(r);
		}
		const describe = (r) => {
			const msg = r.message.map((m) => m.value).join(' / ') || r.sourceConstraintComponent?.value;
			return `${r.path ? r.path.value : '-'}: ${msg}`;
		};
		for (const sev of ['Warning', 'Info']) {
			const rs = bySeverity.get(sev) || [];
			const distinct = [...new Set(rs.map(describe))].sort();
			console.log(`info: ${rs.length} SHACL ${sev.toLowerCase()}s, ${distinct.length} distinct`);
			for (const d of distinct) console.log(`info:   ${sev}: ${d}`);
		}
		const v = bySeverity.get('Violation') || [];
		if (v.length)
			fail(`${v.length} SHACL violations:\n` +
				v.slice(0, 40).map((r) => `  ${r.focusNode.value} ${describe(r)}` +
					(r.value ? ` (value ${r.value.value})` : '')).join('\n'));
	} else {
		fail('usage: check-dcatap.mjs ttl|jsonld|same|shacl FILE...');
	}
}

main().catch((e) => fail(`check-dcatap: ${e.stack || e}`));
