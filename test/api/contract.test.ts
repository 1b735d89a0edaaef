import { spec, specOperations } from '../helpers/contract';
import { startTestContext, type TestContext } from '../helpers/test-context';
import type { RouteDefinition } from '../../src/http/route-table';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

describe('openapi.yaml and the mounted routes', () => {
  it('lists exactly the routes the app mounts', () => {
    const mounted = (context.app.locals.routes as RouteDefinition[]).map((route) => `${route.method.toUpperCase()} ${route.path}`).sort();
    const documented = specOperations().map((operation) => `${operation.method.toUpperCase()} ${operation.path}`).sort();
    expect(mounted).toEqual(documented);
  });
});

describe('openapi.yaml documentation', () => {
  const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'patch', 'delete', 'put'].includes(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${template}`, operation: operation as DocumentedOperation })),
  );

  it.each(operations)('$name has a summary, documented errors and an example', ({ name, operation }) => {
    expect(operation.summary).toBeTruthy();
    const statuses = Object.keys(operation.responses);
    if (name.includes('/v1/')) expect(statuses.some((status) => status.startsWith('4'))).toBe(true);
    const hasExample = Object.values(operation.responses).some((response) => {
      const resolved = response.$ref ? spec.components.responses[response.$ref.split('/').pop()!]! : response;
      return Object.values(resolved.content ?? {}).some((media) => 'example' in media || 'examples' in media);
    });
    expect(hasExample).toBe(true);
  });
});

interface DocumentedOperation {
  summary?: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { example?: unknown; examples?: unknown }> }>;
}
