import { createHmac } from 'node:crypto';

/** Robocorp's `x-rc-signature`: HMAC-SHA256 of the raw body with the shared secret, in hex. */
export const sign = (body: string, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');
