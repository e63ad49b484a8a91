import { createHash, timingSafeEqual } from 'node:crypto';
import { BotgateError } from '@botgate/core';
import type { RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { LocalApiError } from './errors.js';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * `Authorization: Bearer <token>` or `?token=`, compared in constant time. Hashing first makes
 * both sides one length, so the comparison leaks neither the token nor its length.
 */
export const requireToken = (token: string): RequestHandler => {
  const expected = digest(token);
  return (req, _res, next) => {
    const header = req.get('authorization');
    const query = req.query.token;
    const given = header?.match(/^Bearer\s+(.+)$/i)?.[1] ?? (typeof query === 'string' ? query : undefined);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      next(
        new LocalApiError(
          'UNAUTHORIZED',
          given === undefined ? 'this API needs a token: Authorization: Bearer <token>' : 'wrong token',
          { 'WWW-Authenticate': 'Bearer realm="botgate local-api"' },
        ),
      );
      return;
    }
    next();
  };
};

/** Parses CIDRs once; a bad one is a configuration error, thrown at start. */
export const parseAllowList = (cidrs: readonly string[]): Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> =>
  cidrs.map((cidr) => {
    try {
      return cidr.includes('/')
        ? ipaddr.parseCIDR(cidr)
        : ([ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128] as [
            ipaddr.IPv4 | ipaddr.IPv6,
            number,
          ]);
    } catch {
      throw new BotgateError('INVALID_CONFIG', `localApi.allow: "${cidr}" is not an IP address or CIDR range`);
    }
  });

/** Only callers whose address is in one of the ranges (IPv4-mapped IPv6 counts as IPv4). */
export const requireAllowedAddress = (cidrs: readonly string[]): RequestHandler => {
  const ranges = parseAllowList(cidrs);
  return (req, _res, next) => {
    const remote = req.socket.remoteAddress;
    let address: ipaddr.IPv4 | ipaddr.IPv6 | undefined;
    try {
      address = remote ? ipaddr.process(remote) : undefined;
    } catch {
      address = undefined;
    }
    const allowed =
      address !== undefined &&
      ranges.some(([range, bits]) => range.kind() === address.kind() && address.match([range, bits] as never));
    if (!allowed) next(new LocalApiError('FORBIDDEN', `address ${remote ?? 'unknown'} may not use this API`));
    else next();
  };
};
