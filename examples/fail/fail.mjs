import { readFileSync } from 'node:fs';

const { message } = JSON.parse(readFileSync(process.env.BOTGATE_INPUT, 'utf8'));
console.error(message);
process.exit(1);
