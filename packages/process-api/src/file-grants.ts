import { randomBytes, randomUUID } from 'node:crypto';
import type { Core, StoreTransaction } from '@botgate/core';
import jwt from 'jsonwebtoken';
import { ProcessApiError } from './errors.js';

/** What a grant lets its bearer do, without a workspace key: upload one named file to a work item, or download one artifact. */
export type Grant =
  | { kind: 'upload'; workItemId: string; processId: string; fileName: string; fileSize: number }
  | { kind: 'download'; runId: string; processId: string; fileName: string };

type Signed = Grant & { jti: string; exp: number };

/** An upload grant as verified. */
export type UploadClaims = Extract<Signed, { kind: 'upload' }>;

/**
 * Signed, expiring grants: what Robocorp hands out as pre-signed S3 URLs and form fields. The
 * key is made once and kept in the database, so every node checks every node's grants; an
 * upload grant is used once (its id is kept until it expires).
 */
export const createFileGrants = (core: Core, { lifetimeMs = 600_000 } = {}) => {
  let key: Promise<Buffer> | undefined;
  const keyOf = () =>
    (key ??= (async () => {
      await core
        .store('process-api')
        .table('process_api_settings')
        .insert({ key: 'grant_key', value: randomBytes(32).toString('base64url') })
        .onConflict('key')
        .ignore();
      const row = (await core
        .store('process-api')
        .table('process_api_settings')
        .where({ key: 'grant_key' })
        .first()) as { value: string };
      return Buffer.from(row.value, 'base64url');
    })().catch((error: unknown) => {
      key = undefined;
      throw error;
    }));

  return {
    lifetimeMs,
    async sign(grant: Grant): Promise<string> {
      return jwt.sign({ ...grant, jti: randomUUID() }, await keyOf(), {
        algorithm: 'HS256',
        expiresIn: Math.round(lifetimeMs / 1000),
      });
    },
    /** The grant of this text, of this kind; FORBIDDEN when forged, expired or of another kind. */
    async verify<K extends Grant['kind']>(text: unknown, kind: K): Promise<Extract<Signed, { kind: K }>> {
      if (typeof text !== 'string' || text === '')
        throw new ProcessApiError('FORBIDDEN', 'no grant: post the fields the upload request answered, then the file');
      let claims: Signed;
      try {
        claims = jwt.verify(text, await keyOf(), { algorithms: ['HS256'] }) as Signed;
      } catch (error) {
        throw new ProcessApiError(
          'FORBIDDEN',
          error instanceof jwt.TokenExpiredError
            ? 'the grant has expired; ask for a new one'
            : 'the grant is not valid',
        );
      }
      if (claims.kind !== kind)
        throw new ProcessApiError(
          'FORBIDDEN',
          `this grant is not for ${kind === 'upload' ? 'an upload' : 'a download'}`,
        );
      return claims as Extract<Signed, { kind: K }>;
    },
    /** Marks an upload grant used, in the transaction that keeps its file; a second use is refused. */
    async useOnce(tx: StoreTransaction, claims: { jti: string; exp: number }): Promise<void> {
      await tx.table('process_api_used_grants').where('expires_at', '<', Date.now()).delete();
      const inserted = await tx
        .table('process_api_used_grants')
        .insert({ jti: claims.jti, expires_at: claims.exp * 1000 })
        .onConflict('jti')
        .ignore()
        .returning('jti');
      if (inserted.length === 0)
        throw new ProcessApiError('FORBIDDEN', 'this grant was used already; ask for a new one');
    },
  };
};

export type FileGrants = ReturnType<typeof createFileGrants>;
