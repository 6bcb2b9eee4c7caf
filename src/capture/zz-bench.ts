import { parse } from 'csv-parse';
import { readCsvLeads } from './csv-import.js';
const ROWS = 200_000;
async function* generated() {
  yield Buffer.from('email,firstName,lastName,interest,notes\n');
  for (let start = 0; start < ROWS; start += 500) {
    let text = '';
    for (let i = start; i < start + 500; i++) text += `lead${i}@example.org,Ada${i},"Lovelace, ${i}",Demo,${'n'.repeat(80)}\n`;
    yield Buffer.from(text);
  }
}
const fields = [{ name: 'email', label: 'E', type: 'email', required: true }, { name: 'notes', label: 'N', type: 'textarea', required: false }, { name: 'lastName', label: 'L', type: 'text', required: false }] as const;
for (let k = 0; k < 2; k++) {
let t = Date.now(); let n = 0;
const p2 = parse({ relax_column_count: true, bom: true });
const feed = (async () => { for await (const c of generated()) { if (!p2.write(c)) await new Promise(r => p2.once('drain', r)); } p2.end(); })();
for await (const _ of p2) n++;
console.log('plain', Date.now() - t, n);
t = Date.now(); n = 0;
for await (const _ of readCsvLeads(generated(), { fields })) n++;
console.log('readCsvLeads', Date.now() - t, n);
}
