import { lastValueFrom, toArray } from 'rxjs';
import { fullResult, paginate, paginateIterable, type BoundPaginator, type SdkClient } from '../../src';
import { isBound } from '../../src/specs/bound';
import { resolveSend } from '../../src/transport/Send';

interface ScanInput {
  TableName: string;
  ExclusiveStartKey?: Record<string, unknown>;
}
interface ScanOutput {
  Items?: number[];
  LastEvaluatedKey?: Record<string, unknown>;
}

/** Stands in for an SDK v3 command: it keeps the input it was built with. */
class ScanCommand {
  constructor(readonly input: ScanInput) {}
}

const Scan: BoundPaginator<ScanInput, ScanOutput, number> = {
  spec: { input_token: 'ExclusiveStartKey', output_token: 'LastEvaluatedKey', result_key: 'Items' },
  command: ScanCommand,
};

/** A client answering Scan with pages 0..last, recording what it was sent. */
function fakeClient(last: number) {
  const sent: { command: object; options: { abortSignal?: AbortSignal } | undefined }[] = [];
  const client: SdkClient = {
    send(command, options) {
      sent.push({ command, options });
      const input = (command as ScanCommand).input;
      const n = input.ExclusiveStartKey === undefined ? 0 : Number((input.ExclusiveStartKey as { n: number }).n);
      return Promise.resolve({ Items: [n], ...(n < last && { LastEvaluatedKey: { n: n + 1 } }) });
    },
  };
  return { client, sent };
}

const signal = new AbortController().signal;

describe('resolveSend', () => {
  it('returns a send function as it is for a plain spec', () => {
    const send = () => Promise.resolve({});
    expect(resolveSend({ input_token: 'A', output_token: 'B' }, send)).toBe(send);
    expect(resolveSend(Scan.spec, send)).toBe(send);
  });

  it('refuses a function with a bound spec (client.send for the client), saying to give the client or the .spec', () => {
    // Sent on, client.send would get a request where it expects a command: "command.resolveMiddleware is not a function".
    const { client } = fakeClient(0);
    const message =
      'a spec bound to ScanCommand is sent through the SDK client itself (an AWS SDK v3 client), as in ' +
      'paginate(Scan, client, input) or waitFor(TableExists, client, input), not through client.send or another ' +
      "function; to send with a function of your own, give the bound spec's .spec instead";
    expect(() => resolveSend(Scan, client.send.bind(client))).toThrow(new TypeError(message));
    expect(() => resolveSend(Scan, () => Promise.resolve({}))).toThrow(new TypeError(message));
  });

  it('refuses what is neither a send function nor a client, saying which was expected', () => {
    for (const wrong of [undefined, null, 5, {}, { send: 'x' }]) {
      expect(() => resolveSend(Scan, wrong as never)).toThrow(TypeError);
      expect(() => resolveSend({ input_token: 'A', output_token: 'B' }, wrong as never)).toThrow(TypeError);
    }
    expect(() => resolveSend(Scan, undefined as never)).toThrow(
      new TypeError('expected the SDK client (an AWS SDK v3 client) for a spec bound to ScanCommand, got nothing'),
    );
    expect(() => resolveSend({ input_token: 'A', output_token: 'B' }, {} as never)).toThrow(
      new TypeError('expected a send function, (input, { abortSignal }) => response, got an object'),
    );
  });

  it('for a bound spec and a client, sends `new command(input)` with the abort signal', async () => {
    const { client, sent } = fakeClient(0);
    const send = resolveSend<ScanInput, ScanOutput>(Scan, client);
    const input = { TableName: 't' };
    await expect(send(input, { abortSignal: signal })).resolves.toEqual({ Items: [0] });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.command).toBeInstanceOf(ScanCommand);
    expect((sent[0]!.command as ScanCommand).input).toBe(input);
    expect(sent[0]!.options).toEqual({ abortSignal: signal });
    expect(sent[0]!.options!.abortSignal).toBe(signal);
  });

  it('passes only the abort signal on, not the rest of the context', async () => {
    const { client, sent } = fakeClient(0);
    const send = resolveSend<ScanInput, ScanOutput>(Scan, client);
    await send({ TableName: 't' }, Object.assign({ abortSignal: signal }, { extra: 1 }));
    expect(Object.keys(sent[0]!.options!)).toEqual(['abortSignal']);
  });

  it('reads the signal only when the request is sent', async () => {
    const { client, sent } = fakeClient(0);
    let reads = 0;
    const context = {
      get abortSignal() {
        reads++;
        return signal;
      },
    };
    const send = resolveSend<ScanInput, ScanOutput>(Scan, client);
    expect(reads).toBe(0);
    await send({ TableName: 't' }, context);
    expect(reads).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it('lets a client error through as the rejection', async () => {
    const boom = new Error('denied');
    const client: SdkClient = { send: () => Promise.reject(boom) };
    await expect(resolveSend(Scan, client)({ TableName: 't' }, { abortSignal: signal })).rejects.toBe(boom);
  });

  it('throws a TypeError for a client with a spec that is not bound', () => {
    const { client } = fakeClient(0);
    expect(() => resolveSend({ input_token: 'A', output_token: 'B' }, client)).toThrow(TypeError);
    expect(() => resolveSend({ input_token: 'A', output_token: 'B' }, client)).toThrow(
      'a client can only be given with a bound spec (such as dynamodb.Scan); pass a send function',
    );
    expect(() => resolveSend({ spec: Scan.spec, command: 'ScanCommand' }, client)).toThrow(TypeError);
    expect(() => resolveSend({ command: ScanCommand }, client)).toThrow(TypeError);
  });

  it('makes paginate, fullResult and paginateIterable throw that TypeError at call time', () => {
    const { client } = fakeClient(0);
    const spec = { input_token: 'A', output_token: 'B' };
    expect(() => paginate(spec, client as never, {})).toThrow(TypeError);
    expect(() => fullResult(spec, client as never, {})).toThrow(TypeError);
    expect(() => paginateIterable(spec, client as never, {})).toThrow(TypeError);
  });
});

describe('isBound', () => {
  it('is true for an object with a spec and a command class', () => {
    expect(isBound(Scan)).toBe(true);
    expect(isBound({ spec: undefined, command: ScanCommand })).toBe(true);
  });

  it('is false without a command function or without a spec', () => {
    expect(isBound({ input_token: 'A', output_token: 'B' })).toBe(false);
    expect(isBound({ spec: Scan.spec, command: {} })).toBe(false);
    expect(isBound({ command: ScanCommand })).toBe(false);
  });
});

describe('bound specs through the operators', () => {
  it('paginate sends one command per page, each with an abort signal', async () => {
    const { client, sent } = fakeClient(2);
    const pages = await lastValueFrom(paginate(Scan, client, { TableName: 't' }).pipe(toArray()));
    expect(pages.map((p) => p.Items)).toEqual([[0], [1], [2]]);
    expect(sent.map((s) => (s.command as ScanCommand).input)).toEqual([
      { TableName: 't' },
      { TableName: 't', ExclusiveStartKey: { n: 1 } },
      { TableName: 't', ExclusiveStartKey: { n: 2 } },
    ]);
    const signals = sent.map((s) => s.options!.abortSignal);
    expect(signals.every((s) => s instanceof AbortSignal && !s.aborted)).toBe(true);
    // A pagination's requests share one signal, as SDK v3's paginators share theirs (see RequestSignal).
    expect(new Set(signals).size).toBe(1);
  });

  it('unsubscribing aborts the signal the client was given', () => {
    const seen: AbortSignal[] = [];
    const client: SdkClient = {
      send: (_command, options) => {
        seen.push(options!.abortSignal!);
        return new Promise(() => {});
      },
    };
    const subscription = paginate(Scan, client, { TableName: 't' }).subscribe();
    expect(seen).toHaveLength(1);
    subscription.unsubscribe();
    expect(seen[0]!.aborted).toBe(true);
  });

  it('fullResult and paginateIterable take a client with a bound spec', async () => {
    const { client } = fakeClient(2);
    expect(await lastValueFrom(fullResult(Scan, client, { TableName: 't' }))).toEqual({ Items: [0, 1, 2] });
    const items: number[] = [];
    for await (const page of paginateIterable(Scan, client, { TableName: 't' })) items.push(...(page.Items ?? []));
    expect(items).toEqual([0, 1, 2]);
  });
});
