import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const { seconds } = JSON.parse(readFileSync(process.env.BOTGATE_INPUT, 'utf8'));
const started = Date.now();
// SLEEP_LOG (optional) records when each job ran, so a test can check that limits held.
const log = process.env.SLEEP_LOG;
if (log)
  appendFileSync(
    log,
    `${JSON.stringify({ job: process.env.BOTGATE_JOB_ID, pid: process.pid, event: 'start', at: started })}\n`,
  );
console.log(`sleeping ${seconds} s as process ${process.pid}`);
setTimeout(
  () => {
    if (log)
      appendFileSync(
        log,
        `${JSON.stringify({ job: process.env.BOTGATE_JOB_ID, pid: process.pid, event: 'end', at: Date.now() })}\n`,
      );
    writeFileSync(process.env.BOTGATE_OUTPUT, JSON.stringify({ slept: seconds }));
  },
  Number(seconds) * 1000,
);
