/**
 * Item-level demand end to end: `processItems(Scan, client)` against dynalite
 * through the real @aws-sdk/client-dynamodb, with a per-item consumer that the
 * test releases one item at a time, so the Scan counts below do not depend on
 * how fast the machine is.
 */
import { concatMap, lastValueFrom, toArray } from 'rxjs';
import { DeleteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { items, paginate, processItems, resumeTokenOf, type ProcessItemsOptions } from '../../src';
import { Scan } from '../../src/services/generated/dynamodb';
import { createTable, putItems, startDynalite, type DynaliteServer } from '../support/startDynalite';

type Item = Record<string, AttributeValue>;
const N = 2000;
const PAGE_SIZE = 100;
const keyOf = (item: Item) => item['pk']!.S!;

describe('processItems against dynalite', () => {
  let ddb: DynaliteServer;
  let client: DynamoDBClient;
  let reading: Promise<unknown> | undefined;
  // The client as the pagination sees it, knowing whether a Scan is in flight.
  const watched = {
    send: (command: object, options?: { abortSignal?: AbortSignal }) => {
      const sent = client.send(command as never, options);
      reading = sent.finally(() => (reading = undefined));
      return sent;
    },
  } as unknown as DynamoDBClient;
  /** Until no Scan is in flight, one event-loop turn after the last answer. */
  const readsSettled = async () => {
    do {
      await reading?.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    } while (reading);
  };
  const scans = () => ddb.requestsFor('Scan').length;

  /** A consumer whose items end when the test releases them, oldest first. */
  function slowConsumer() {
    const waiting: Array<() => void> = [];
    const done: string[] = [];
    const work = (item: Item) =>
      new Promise<string>((resolve) =>
        waiting.push(() => {
          done.push(keyOf(item));
          resolve(keyOf(item));
        }),
      );
    const release = async (count: number) => {
      for (let i = 0; i < count; i++) {
        while (waiting.length === 0) await readsSettled();
        waiting.shift()!();
      }
      await readsSettled();
    };
    return { work, release, done };
  }

  beforeAll(async () => {
    ddb = await startDynalite();
    client = ddb.client();
    await createTable(client, 'Items', { waitForActive: true });
    await putItems(client, 'Items', N);
  }, 120_000);
  afterAll(() => ddb?.stop());

  test('items() then concatMap reads every page for the first items of a slow consumer (the problem)', async () => {
    const before = scans();
    const consumer = slowConsumer();
    const subscription = paginate(Scan, watched, { TableName: 'Items' }, { pageSize: PAGE_SIZE })
      .pipe(items(Scan), concatMap(consumer.work))
      .subscribe();
    await consumer.release(14);
    expect(scans() - before).toBe(N / PAGE_SIZE + 1);
    subscription.unsubscribe();
  });

  test.each([0, 1])('processItems reads a page when its items are needed (prefetch %i)', async (prefetch) => {
    const before = scans();
    const consumer = slowConsumer();
    const subscription = processItems(Scan, watched, { TableName: 'Items' }, consumer.work, {
      pageSize: PAGE_SIZE,
      prefetch,
    }).subscribe();
    await consumer.release(14);
    expect(scans() - before).toBe(1 + prefetch);
    await consumer.release(PAGE_SIZE);
    expect(scans() - before).toBe(2 + prefetch);
    subscription.unsubscribe();
  });

  test('an error at item 150 resumes at item 150, and every item is worked on exactly once', async () => {
    const seen: string[] = [];
    const failure = new Error('item 150');
    const work = (item: Item, { index }: { index: number }) =>
      index === 150 ? Promise.reject(failure) : Promise.resolve(seen.push(keyOf(item)));
    await expect(
      lastValueFrom(processItems(Scan, watched, { TableName: 'Items' }, work, { pageSize: PAGE_SIZE, concurrency: 4 })),
    ).rejects.toBe(failure);
    const token = resumeTokenOf(failure)!;
    // Items 151..153 were in flight and done: the checkpoint names them, past its watermark. That is
    // botocore's format: the page's ExclusiveStartKey, the page size it was read at, and the 50 items of it done.
    const checkpoint = JSON.parse(atob(token)) as { resume: string; done: string[] };
    expect(checkpoint.done).toHaveLength(3);
    expect(JSON.parse(atob(checkpoint.resume))).toEqual({
      ExclusiveStartKey: expect.any(Object),
      Limit: PAGE_SIZE,
      boto_truncate_amount: 50,
    });
    const rest = await lastValueFrom(
      processItems(Scan, watched, { TableName: 'Items' }, (item) => Promise.resolve(keyOf(item)), {
        pageSize: 30,
        startingToken: token,
      }).pipe(toArray()),
    );
    const all = [...seen, ...rest];
    expect(all).toHaveLength(N);
    expect(new Set(all).size).toBe(N);
  });

  test('with resumeAfter, a checkpoint is the last item done, by key: an item deleted before it loses nothing', async () => {
    const resumeAfter: ProcessItemsOptions<Item>['resumeAfter'] = (item) => ({ ExclusiveStartKey: { pk: item['pk']! } });
    const run = async (table: string, options: ProcessItemsOptions<Item>) => {
      await createTable(client, table, { waitForActive: true });
      await putItems(client, table, 300);
      const failure = new Error('item 150');
      const done: Item[] = [];
      await lastValueFrom(
        processItems(
          Scan,
          watched,
          { TableName: table },
          (item, { index }) => (index === 150 ? Promise.reject(failure) : Promise.resolve(done.push(item))),
          {
            pageSize: PAGE_SIZE,
            ...options,
          },
        ),
      ).catch(() => undefined);
      // The first item of the page the error came in is deleted before the resume.
      await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: done[PAGE_SIZE]!['pk']! } }));
      const rest = await lastValueFrom(
        processItems(Scan, watched, { TableName: table }, (item) => Promise.resolve(keyOf(item)), {
          pageSize: PAGE_SIZE,
          ...options,
          startingToken: resumeTokenOf(failure)!,
        }).pipe(toArray()),
      );
      return { token: JSON.parse(atob(resumeTokenOf(failure)!)) as Record<string, unknown>, all: [...done.map(keyOf), ...rest] };
    };
    // Counted: the resume skips 50 items of a page that has lost one of them, and so one item never done.
    const byCount = await run('ByCount', {});
    expect(byCount.token['boto_truncate_amount']).toBe(50);
    expect(new Set(byCount.all).size).toBe(299);
    // By key: the resume starts right after item 149, whatever was deleted before it.
    const byKey = await run('ByKey', { resumeAfter });
    expect(byKey.token).toEqual({ ExclusiveStartKey: { pk: { S: expect.any(String) } } });
    expect(byKey.all).toHaveLength(300);
    expect(new Set(byKey.all).size).toBe(300);
  });
});
