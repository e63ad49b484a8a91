// A webhook or callback receiver for a benchmark: answers 200 to anything and counts what it got.
import { createServer } from 'node:http';

/** Resolves with `{ url, received(), close() }` once it listens on a free port. */
export const startCountingReceiver = async (path = '/') => {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${path}`,
    received: () => received,
    close: () => server.close(),
  };
};
