import { readFileSync } from 'node:fs';

// 76131 answers California / San Jose as in Automation Anywhere's own API Task example.
const table = JSON.parse(readFileSync(new URL('./zip-codes.json', import.meta.url), 'utf8'));

export default async function lookUp({ iStrZipCode }) {
  const zip = String(iStrZipCode).trim();
  if (!/^\d{5}$/.test(zip)) throw new Error(`"${zip}" is not a five-digit zip code`);
  const entry = table[zip];
  if (!entry) throw new Error(`zip code ${zip} is not in the table`);
  return { State: entry.State, Place: entry.Place };
}
