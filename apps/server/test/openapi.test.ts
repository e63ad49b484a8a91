import { join } from 'node:path';
import { createApiTaskRouter } from '@botgate/api-task';
import { createLocalApiRouter } from '@botgate/local-api';
import { createProcessApiRouter } from '@botgate/process-api';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { makeCatalog, newDatabaseEnv, observe, startServer, useWorkspace } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route a router mounts, read from express's own route table. */
const mountedRoutes = (router: Router): string[] =>
  (router.stack as Layer[]).flatMap((layer) =>
    layer.route === undefined
      ? []
      : Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${(layer.route as { path: string }).path.replace(/[:*]([A-Za-z_]\w*)/g, '{$1}')}`),
  );

const documentedRoutes = (document: { paths: Record<string, Record<string, unknown>> }): string[] =>
  Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));

describe('OpenAPI documents and /docs', () => {
  it('serves a valid OpenAPI 3.1 document per adapter that lists every route its router mounts', async () => {
    const env = { BOTGATE_DATA_DIR: join(root, 'data'), BOTGATE_CATALOG: catalog, ...(await newDatabaseEnv()) };
    const server = await startServer(env);
    const core = await observe(join(root, 'data'), catalog, env);
    try {
      const routers: Record<string, Router> = {
        'local-api': createLocalApiRouter(core),
        'process-api': createProcessApiRouter(core),
        'api-task': createApiTaskRouter(core),
      };
      for (const [adapter, router] of Object.entries(routers)) {
        const answer = await fetch(`${server.url}/openapi/${adapter}.json`);
        expect(answer.status).toBe(200);
        const document = (await answer.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
        expect(document.openapi).toBe('3.1.0');
        const validation = await new Validator().validate(document as never);
        expect(validation, `${adapter}: ${JSON.stringify(validation.errors)}`).toMatchObject({ valid: true });
        const mounted = mountedRoutes(router);
        expect(mounted.length).toBeGreaterThan(0);
        expect(documentedRoutes(document).sort()).toEqual([...new Set(mounted)].sort());
      }
      expect((await fetch(`${server.url}/openapi/nothing.json`)).status).toBe(404);

      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toMatch(/https?:\/\//); // everything from this server, no CDN
      for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect((await fetch(`${server.url}${asset[1]}`)).status, asset[1]).toBe(200);
      expect(await (await fetch(`${server.url}/docs/init.js`)).text()).toContain('/openapi/process-api.json');
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});
