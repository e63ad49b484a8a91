import { z } from 'zod';
import type { RouteDoc } from './route-table.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

type JsonObject = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonObject => {
  // Request schemas are documented as what a client may send, responses as what it gets.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
};

/** `/hotbot/:allocationId/execute` → `/hotbot/{allocationId}/execute`; `*name` → `{name}`. */
export const openApiPath = (expressPath: string): string =>
  // A backslash escapes a parenthesis in an express path (OData's `/Jobs(7)`), a plain one in the document.
  expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}').replace(/\\(.)/g, '$1');

const parameters = (where: 'path' | 'query' | 'header', shape: z.ZodObject | undefined): JsonObject[] => {
  if (shape === undefined) return [];
  const schema = jsonSchema(shape, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (schema.required ?? []).includes(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
};

const operationOf = (adapter: string, route: RouteDoc): JsonObject => ({
  operationId: `${adapter}.${route.method}.${route.operation}.${openApiPath(route.path)
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`,
  summary: route.summary,
  ...(route.description === undefined ? {} : { description: route.description }),
  tags: [adapter],
  ...(route.security === undefined ? {} : { security: route.security.map((name) => ({ [name]: [] })) }),
  parameters: [
    ...parameters('path', route.params),
    ...parameters('query', route.query),
    ...parameters('header', route.headers),
  ],
  ...(route.body === undefined
    ? {}
    : {
        requestBody: {
          required: route.body.required ?? true,
          content: Object.fromEntries(
            Object.entries(route.body.content).map(([type, schema]) => [type, { schema: jsonSchema(schema, 'input') }]),
          ),
        },
      }),
  responses: Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.headers === undefined
          ? {}
          : {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: 'string' } },
                ]),
              ),
            }),
        ...(response.schema === undefined && response.contentType === undefined
          ? {}
          : {
              content: {
                [response.contentType ?? 'application/json']:
                  response.schema === undefined ? {} : { schema: jsonSchema(response.schema, 'output') },
              },
            }),
      },
    ]),
  ),
});

/** An OpenAPI 3.1 document of a contract, made from the route table its router mounts. */
export const openApiDocument = (
  adapter: string,
  info: OpenApiInfo,
  routes: readonly RouteDoc[],
  securitySchemes: JsonObject = {},
): JsonObject => {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(adapter, route) };
  }
  return {
    openapi: '3.1.0',
    info,
    tags: [{ name: adapter, description: info.description }],
    paths,
    ...(Object.keys(securitySchemes).length === 0 ? {} : { components: { securitySchemes } }),
  };
};
