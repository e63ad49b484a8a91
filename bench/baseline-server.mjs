// A bare express 5 app answering the same JSON as the execute endpoint, with no work: the floor
// any express route can reach on this machine. Prints its port when it listens.
import express from 'express';

const app = express();
app.use(express.json());
const answer = { hotBotResult: { botOutput: { State: { type: 'STRING', string: 'California' }, Place: { type: 'STRING', string: 'San Jose' } } } };
app.post('/execute', (_req, res) => res.json(answer));
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
