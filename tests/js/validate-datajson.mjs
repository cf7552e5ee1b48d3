// validate-datajson.mjs — validates a DCAT-US 1.1 data.json against the
// non-federal v1.1 JSON Schema (draft-04) with ajv.
//
//   node validate-datajson.mjs SCHEMA_DIR DATA_JSON
//
// SCHEMA_DIR holds catalog.json and dataset-non-federal.json (GSA's
// ckanext-datajson pod_schema/non-federal-v1.1). Only this set is loaded:
// the federal catalog.json carries the same id. The vcard hasEmail pattern
// is not valid under the RegExp `u` flag, hence unicodeRegExp: false.
// Prints every error (instancePath: message) and exits 1 when invalid,
// 2 on a usage, read or parse error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
	console.error('usage: node validate-datajson.mjs SCHEMA_DIR DATA_JSON');
	process.exit(2);
}

let catalog, dataset, data;
try {
	catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8'));
	dataset = JSON.parse(readFileSync(join(dir, 'dataset-non-federal.json'), 'utf8'));
} catch (e) {
	console.error(`${dir}: cannot load the schemas: ${e.message}`);
	process.exit(2);
}
try {
	data = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
	console.error(`${file}: not JSON: ${e.message}`);
	process.exit(2);
}

const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
ajv.addSchema(dataset);
const validate = ajv.compile(catalog);

if (validate(data)) {
	console.log(`${file}: valid DCAT-US 1.1 (non-federal), ${data.dataset.length} datasets`);
	process.exit(0);
}
for (const e of validate.errors) {
	const extra = e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
	console.log(`${file}: ${e.instancePath || '/'}: ${e.message}${extra} (${e.schemaPath})`);
}
console.log(`${file}: ${validate.errors.length} errors`);
process.exit(1);
