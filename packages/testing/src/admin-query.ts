import pg from 'pg';

/** One statement as the PostgreSQL test server's superuser (fault injection: a read-only database, ended sessions). */
export const adminQuery = async (text: string, params: unknown[] = []): Promise<void> => {
  const url = process.env.BOTGATE_TEST_DATABASE_URL;
  if (!url) throw new Error('adminQuery needs BOTGATE_TEST_DATABASE_URL');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
};
