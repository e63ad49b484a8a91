import { parse as parseQueryString } from 'node:querystring';
import type { UserDirectory } from '@botgate/http';
import { HttpError, parseInput } from '@botgate/http';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Apps } from '../apps.js';
import { UipathError } from '../errors.js';
import type { Tokens } from '../tokens.js';

const credentials = z.object(
  {
    tenancyname: z.string().optional(),
    usernameoremailaddress: z
      .string({ error: 'usernameOrEmailAddress is required' })
      .min(1, 'usernameOrEmailAddress is required'),
    password: z.string({ error: 'password is required' }).min(1, 'password is required'),
  },
  { error: 'send { "tenancyName", "usernameOrEmailAddress", "password" }' },
);

/** Orchestrator reads its sign-in's fields whatever their case: clients send `TenancyName` and `tenancyName`. */
const lowerKeys = (body: unknown): unknown =>
  typeof body === 'object' && body !== null && !Array.isArray(body)
    ? Object.fromEntries(Object.entries(body).map(([key, value]) => [key.toLowerCase(), value]))
    : body;

/** `POST /api/Account` and `/api/Account/Authenticate`: a botgate user's password, for a bearer token. */
export const authenticate =
  (tokens: Tokens, directory: () => UserDirectory | undefined, options: { tenancyName: string; lifetimeMs: number }) =>
  async (req: Request, res: Response): Promise<void> => {
    const given = parseInput(credentials, lowerKeys(req.body), 'body');
    const users = directory();
    if (!users)
      throw new UipathError(
        'BAD_REQUEST',
        'this server signs no users in; use an external application (client credentials)',
      );
    if (given.tenancyname !== undefined && given.tenancyname.toLowerCase() !== options.tenancyName.toLowerCase())
      throw new UipathError('BAD_REQUEST', 'Invalid credentials, failed to login.');
    let user;
    try {
      user = await users.signIn(given.usernameoremailaddress, given.password, req.ip);
    } catch (error) {
      // Orchestrator answers wrong credentials 400 (errorCode 1000), not 401: a 401 would make the client sign in again.
      if (error instanceof HttpError && error.code === 'UNAUTHORIZED')
        throw new UipathError('BAD_REQUEST', 'Invalid credentials, failed to login.');
      throw error;
    }
    const token = await tokens.forUser(user, options.lifetimeMs);
    res.json({
      result: token,
      targetUrl: null,
      success: true,
      error: null,
      unAuthorizedRequest: false,
      __abp: true,
      // Orchestrator 2018.1 and later; UiPath's client reads `result || Result`.
      Result: token,
    });
  };

const oauthError = (res: Response, error: string, description: string, status = 400): void => {
  res.status(status).json({ error, error_description: description });
};

/**
 * `POST /identity_/connect/token`, grant `client_credentials`: an external application's id and
 * secret (form fields, or HTTP Basic as OAuth 2 allows), for an access token. OAuth's own error
 * shape (`{ error, error_description }`), as UiPath's identity server answers.
 */
export const clientCredentials =
  (apps: Apps, tokens: Tokens, options: { lifetimeMs: number }) =>
  async (req: Request, res: Response): Promise<void> => {
    if (!req.is('application/x-www-form-urlencoded') || typeof req.body !== 'string')
      return oauthError(res, 'invalid_request', 'send the form application/x-www-form-urlencoded');
    const form = parseQueryString(req.body, '&', '=', { maxKeys: 100 });
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? form[name] : undefined);
    if (field('grant_type') !== 'client_credentials')
      return oauthError(res, 'unsupported_grant_type', 'grant_type must be client_credentials');
    let clientId = field('client_id');
    let clientSecret = field('client_secret');
    const basic = /^basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (basic) {
      const [id, ...secret] = Buffer.from(basic[1] as string, 'base64')
        .toString()
        .split(':');
      try {
        clientId = decodeURIComponent(id ?? '');
        clientSecret = decodeURIComponent(secret.join(':'));
      } catch {
        return oauthError(res, 'invalid_client', 'the Basic credentials are not valid percent-encoding');
      }
    }
    if (!clientId || !clientSecret)
      return oauthError(res, 'invalid_request', 'client_id and client_secret are required');
    const app = await apps.verify(clientId, clientSecret);
    if (!app) return oauthError(res, 'invalid_client', 'unknown client or wrong secret');
    const allowed = new Set(app.scope.split(/\s+/).filter(Boolean));
    const asked = (field('scope') ?? '').split(/\s+/).filter(Boolean);
    const refused = asked.filter((scope) => !allowed.has(scope));
    if (refused.length > 0)
      return oauthError(res, 'invalid_scope', `not granted to this application: ${refused.join(' ')}`);
    const granted = asked.length > 0 ? asked : [...allowed];
    const token = await tokens.forApp(app, granted, options.lifetimeMs);
    res.set('cache-control', 'no-store');
    res.json({
      access_token: token,
      expires_in: Math.floor(options.lifetimeMs / 1000),
      token_type: 'Bearer',
      scope: granted.join(' '),
    });
  };
