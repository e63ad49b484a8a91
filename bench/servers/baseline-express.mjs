// The ceiling: a bare express 5 app with the same routes as botgate's, answering the same bytes
// (given in BENCH_ANSWERS) with no work. Prints its port as a JSON line when it listens.
import express from 'express';

const answers = JSON.parse(process.env.BENCH_ANSWERS ?? '{}');
const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.get('/api', (_req, res) => res.json(answers.trigger ?? {}));
app.get('/api/job', (_req, res) => res.json(answers.status ?? {}));
app.post('/workspace-v1/workspaces/:workspaceId/processes/:processId/runs', (_req, res) => res.json(answers.run ?? {}));
app.get('/workspace-v1/workspaces/:workspaceId/processes/:processId/runs/:runId', (_req, res) =>
  res.json(answers.runStatus ?? {}),
);
app.post('/execute', (_req, res) => res.json(answers.execute ?? {}));
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
