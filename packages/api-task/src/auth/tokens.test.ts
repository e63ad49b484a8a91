import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokens } from './tokens.js';

const claims = { sub: '1', ver: 'stamp', alloc: 'a1', fileId: 7 };

describe('tokens', () => {
  it('refuses a token once it has expired, though it verified before', async () => {
    const tokens = createTokens({ key: randomBytes(32), userLifetimeMs: 1000, executionLifetimeMs: 1000 });
    const token = tokens.signExecution(claims);
    expect(tokens.verifyExecution(token, 'a1')).toMatchObject(claims);
    const { exp } = tokens.verifyExecution(token, 'a1');
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 20));
    expect(() => tokens.verifyExecution(token, 'a1')).toThrow('the token has expired; authenticate again');
  });

  it('refuses a token of another key, a changed claim and another allocation, however often the real one verified', () => {
    const key = randomBytes(32);
    const tokens = createTokens({ key, userLifetimeMs: 60_000, executionLifetimeMs: 60_000 });
    const token = tokens.signExecution(claims);
    for (let i = 0; i < 3; i++) expect(tokens.verifyExecution(token, 'a1').alloc).toBe('a1');
    const other = createTokens({ key: randomBytes(32), userLifetimeMs: 60_000, executionLifetimeMs: 60_000 });
    expect(() => other.verifyExecution(token, 'a1')).toThrow('the token is not valid');
    const [head, body, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), alloc: 'a2' }),
    );
    expect(() => tokens.verifyExecution(`${head}.${forged.toString('base64url')}.${signature}`, 'a2')).toThrow(
      'the token is not valid',
    );
    expect(() => tokens.verifyExecution(token, 'a2')).toThrow('this token is for another API Task');
    expect(() => tokens.verifyUser(token)).toThrow('an API Task execution token cannot be used here');
  });
});
