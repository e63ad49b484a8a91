import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { AdapterDescriptor } from '@botgate/core';
import express, { Router } from 'express';

const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>botgate API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/** Where the API reference answers. */
export const apiDocsPaths = ['/openapi', '/docs'] as const;

/**
 * Each adapter's OpenAPI document at `/openapi/<adapter>.json`, and Swagger UI over all of them at
 * `/docs`, served from the installed package (no CDN: servers often have no way out).
 */
export const createApiDocsRouter = (adapters: ReadonlyArray<Pick<AdapterDescriptor, 'name' | 'openApi'>>): Router => {
  // Made at the first request, not at start: the three documents take ~80 ms of zod to JSON
  // Schema, which every start would pay (bench suite 7, cold start).
  const made = new Map<string, Record<string, unknown>>();
  const documentOf = (name: string): Record<string, unknown> | undefined => {
    const adapter = adapters.find((a) => a.name === name);
    if (adapter === undefined) return undefined;
    if (!made.has(name)) made.set(name, adapter.openApi());
    return made.get(name);
  };
  const config = {
    urls: adapters.map((adapter) => ({ name: adapter.name, url: `/openapi/${adapter.name}.json` })),
    dom_id: '#reference',
    deepLinking: true,
    layout: 'StandaloneLayout',
  };
  const init = `window.ui = SwaggerUIBundle(Object.assign(${JSON.stringify(config)}, { presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset] }));\n`;
  const router = Router();
  router.get('/openapi/:file', (req, res, next) => {
    const document = req.params.file.endsWith('.json')
      ? documentOf(req.params.file.slice(0, -'.json'.length))
      : undefined;
    if (document === undefined) return next();
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send(init);
  });
  router.use('/docs/assets', express.static(swaggerUiDir, { index: false, fallthrough: true, maxAge: '1h' }));
  return router;
};
