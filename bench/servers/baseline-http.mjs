// The floor under express: bare node:http answering the same bytes (a JSON body is read and
// parsed, as a real route would). Prints its port as a JSON line when it listens.
import { createServer } from 'node:http';

const answers = JSON.parse(process.env.BENCH_ANSWERS ?? '{}');
const send = (res, value) => {
  const body = JSON.stringify(value ?? {});
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'GET')
    return send(res, path === '/api' ? answers.trigger : path === '/api/job' ? answers.status : answers.runStatus);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString() || '{}');
    send(res, path === '/execute' ? answers.execute : answers.run);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
