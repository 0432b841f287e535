/**
 * `rxjs-aws/opentelemetry`: a span per request, recorded by the OpenTelemetry
 * SDK's own in-memory exporter, against dynalite; and nothing of it loaded
 * or bundled by an app that does not import it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { build } from 'esbuild';
import { lastValueFrom, toArray } from 'rxjs';
import { paginate, waitFor } from '../../src';
import { tracing } from '../../src/opentelemetry';
import { Scan, TableExists } from '../../src/services/generated/dynamodb';
import { expectRejected } from '../support/specErrors';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';

const ROOT = join(__dirname, '..', '..');
let ddb: DynaliteServer;
const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');

beforeAll(async () => {
  ddb = await startDynalite();
  const setup = ddb.client();
  await createTable(setup, 'music');
  await putItems(setup, 'music', 25);
});

afterEach(() => exporter.reset());
afterAll(() => ddb.stop());

describe('tracing()', () => {
  it('makes a span per request, named for the operation, with its page and try', async () => {
    await lastValueFrom(
      paginate(Scan, ddb.client(), { TableName: 'music' }, { pageSize: 10, progress: tracing({ tracer }) }).pipe(toArray()),
    );
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['DynamoDB.Scan', 'DynamoDB.Scan', 'DynamoDB.Scan']);
    expect(spans.map((span) => span.attributes['rxjs_aws.page'])).toEqual([1, 2, 3]);
    expect(spans[0]!.kind).toBe(SpanKind.CLIENT);
    expect(spans[0]!.attributes).toEqual({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'Scan',
      'rxjs_aws.page': 1,
      'rxjs_aws.retry': 0,
      'rxjs_aws.queued': 0,
      'aws.dynamodb.table_names': ['music'],
    });
    expect(spans.every((span) => span.status.code === SpanStatusCode.UNSET)).toBe(true);
  });

  it("records a failed request's error on its span, and a wait's attempt", async () => {
    const waited = waitFor(
      TableExists,
      ddb.client(),
      { TableName: 'missing' },
      { maxAttempts: 2, delay: 0, progress: tracing({ tracer }) },
    );
    await expect(lastValueFrom(waited)).rejects.toMatchObject({ name: 'WaiterError' });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => [span.name, span.attributes['rxjs_aws.attempt']])).toEqual([
      ['DynamoDB.DescribeTable', 1],
      ['DynamoDB.DescribeTable', 2],
    ]);
    const [first] = spans;
    expect(first!.status).toMatchObject({
      code: SpanStatusCode.ERROR,
      message: expect.stringMatching(/^ResourceNotFoundException: /),
    });
    expect(first!.attributes).toMatchObject({
      'rxjs_aws.throttled': false,
      'http.response.status_code': 400,
      'aws.request_id': expect.any(String),
    });
    expect(first!.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('ends the span of a request cancelled by an unsubscription', async () => {
    ddb.setResponseDelay((operation) => (operation === 'Scan' ? 60_000 : 0));
    try {
      const subscription = paginate(Scan, ddb.client(), { TableName: 'music' }, { progress: tracing({ tracer }) }).subscribe();
      while (ddb.requestsFor('Scan').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      subscription.unsubscribe();
      const [span] = exporter.getFinishedSpans();
      expect(span!.attributes['rxjs_aws.cancelled']).toBe(true);
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    } finally {
      ddb.setResponseDelay(undefined);
      ddb.clearRequests();
    }
  });

  it('uses the global tracer provider without options, and checks the ones it is given', () => {
    expect(typeof tracing()).toBe('function');
    expectRejected(
      tracing as (spec: never) => unknown,
      { tracer: {} },
      'options.tracer',
      /an OpenTelemetry Tracer.*no startSpan method/,
    );
    expectRejected(tracing as (spec: never) => unknown, { tracr: tracer }, 'options.tracr', /did you mean tracer\?/);
  });
});

describe('nothing of it is loaded or bundled when unused', () => {
  const loadedBy = (entry: string): string[] => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      `require('./${entry}');`,
      "process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((p) => p.includes('@opentelemetry'))));",
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
    });
    return JSON.parse(output) as string[];
  };

  it('the root entry does not load @opentelemetry/api; rxjs-aws/opentelemetry does', () => {
    expect(loadedBy('src')).toEqual([]);
    expect(loadedBy('src/opentelemetry').some((path) => path.includes('@opentelemetry/api'))).toBe(true);
  });

  /** The src files esbuild put in the bundle of an app made of `contents`. */
  const bundled = async (contents: string): Promise<string[]> => {
    const result = await build({
      stdin: { contents, resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['rxjs', 'rxjs/*', '@aws-sdk/*', '@opentelemetry/*'],
    });
    const [output] = Object.values(result.metafile.outputs);
    return Object.entries(output!.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input);
  };

  it('an app that paginates bundles no governor; one that makes a governor bundles no tracing', async () => {
    const paginating = await bundled("import { paginate } from './src'; console.log(paginate);");
    expect(paginating.filter((input) => /src\/governor\/(Lane|RateControl|ReadBudget|createGovernor)\.ts/.test(input))).toEqual(
      [],
    );
    const governed = await bundled("import { paginate, createGovernor } from './src'; console.log(paginate, createGovernor);");
    expect(governed).toContain('src/governor/Lane.ts');
    expect(governed.filter((input) => input.includes('opentelemetry'))).toEqual([]);
  });
});
