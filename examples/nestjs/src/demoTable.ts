import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { bufferCount, concatMap, lastValueFrom, range } from 'rxjs';
import { waitFor, type WaitForOptions } from 'rxjs-aws';
import { TableExists } from 'rxjs-aws/dynamodb';

const ARTISTS = ['Nina Simone', 'Miles Davis', 'Björk', 'Fela Kuti', 'Kate Bush', 'Ryuichi Sakamoto'];

/** Demo item `i`: `{ pk: 'song-0001', artist, title, year }`, in DynamoDB's JSON. */
export function demoItem(i: number): Record<string, AttributeValue> {
  return {
    pk: { S: `song-${String(i).padStart(4, '0')}` },
    artist: { S: ARTISTS[i % ARTISTS.length]! },
    title: { S: `Track ${i}` },
    year: { N: String(1960 + (i % 60)) },
  };
}

/** Starts creating the table (hash key `pk`, on demand); `false` when it exists already. */
export async function createDemoTable(client: DynamoDBClient, TableName: string): Promise<boolean> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
}

/** Waits for the table with rxjs-aws, then writes `count` demo items, 25 per BatchWriteItem. */
export async function fillDemoTable(
  client: DynamoDBClient,
  TableName: string,
  count: number,
  wait: WaitForOptions,
): Promise<void> {
  await lastValueFrom(waitFor(TableExists, client, { TableName }, wait));
  await lastValueFrom(
    range(0, count).pipe(
      bufferCount(25),
      concatMap(async (batch) => {
        let pending: WriteRequest[] = batch.map((i) => ({ PutRequest: { Item: demoItem(i) } }));
        for (let round = 0; pending.length > 0; round++) {
          if (round === 10) throw new Error(`BatchWriteItem kept returning UnprocessedItems for ${TableName}`);
          const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: pending } }));
          pending = UnprocessedItems?.[TableName] ?? [];
        }
      }),
    ),
    { defaultValue: undefined },
  );
}
