// A throwaway PostgreSQL database per measurement on the server BOTGATE_TEST_POSTGRES names.
import pg from 'pg';

export const postgresUrl = process.env.BOTGATE_TEST_POSTGRES;

const admin = async (sql) => {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** Creates a database, passes its URL to `use`, and drops it afterwards. */
export const withDatabase = async (use) => {
  const name = `botgate_bench_${process.pid}_${Date.now()}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  try {
    return await use(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
};
