import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import request, { type Response, type Test } from 'supertest';
import { parse } from 'yaml';

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseObject> };
}

export const spec = parse(readFileSync(path.resolve(__dirname, '..', '..', 'openapi.yaml'), 'utf8')) as OpenApiDocument;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(spec as object, 'openapi');

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function specOperations(): Array<{ method: string; path: string }> {
  return Object.entries(spec.paths).flatMap(([template, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => ({ method, path: template })),
  );
}

function findTemplate(method: string, url: string): string | undefined {
  const pathname = new URL(url, 'http://x').pathname;
  return Object.keys(spec.paths).find((template) => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(pathname) && spec.paths[template]?.[method] !== undefined;
  });
}

/** Fails unless the response's status is documented for the operation and its JSON body matches the documented schema. */
export function assertMatchesSpec(method: string, url: string, response: Response): void {
  const template = findTemplate(method, url);
  if (!template) throw new Error(`${method.toUpperCase()} ${url} is not in openapi.yaml`);
  const operation = spec.paths[template]![method]!;
  let documented = operation.responses[String(response.status)] ?? operation.responses.default;
  if (!documented) throw new Error(`${method.toUpperCase()} ${template} answered ${response.status}, which openapi.yaml does not document`);
  const refName = documented.$ref?.split('/').pop();
  if (refName) documented = spec.components.responses[refName]!;
  const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (!documented.content) {
    if (response.text) throw new Error(`${method.toUpperCase()} ${template} ${response.status} has a body but the spec documents none`);
    return;
  }
  const media = documented.content[contentType];
  if (!media) throw new Error(`${method.toUpperCase()} ${template} ${response.status} answered ${contentType}; documented: ${Object.keys(documented.content).join(', ')}`);
  if (!contentType.endsWith('json') || !media.schema) return;

  const pointer = refName ? `#/components/responses/${refName}/content/${contentType.replace('/', '~1')}/schema` : `#/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${response.status}/content/${contentType.replace('/', '~1')}/schema`;
  const validate = ajv.getSchema(`openapi${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  if (!validate(response.body)) {
    throw new Error(`${method.toUpperCase()} ${template} ${response.status} does not match openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body).slice(0, 500)}`);
  }
}

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';

/** supertest, but every response is checked against openapi.yaml when it arrives. */
export function api(app: Express): Record<Method, (url: string) => Test> {
  const agent = request(app);
  const wrap =
    (method: Method) =>
    (url: string): Test => {
      const test = agent[method](url);
      const originalThen = test.then.bind(test);
      test.then = ((onFulfilled, onRejected) =>
        originalThen((response: Response) => {
          assertMatchesSpec(method, url, response);
          return response;
        }).then(onFulfilled, onRejected)) as Test['then'];
      return test;
    };
  return { get: wrap('get'), post: wrap('post'), patch: wrap('patch'), delete: wrap('delete'), put: wrap('put') };
}
