/**
 * A type test for TypeScript 5.6 and later, whose lib gives AsyncIterableIterator its second type argument (left out
 * of the TypeScript 5.4 run by scripts/typeTests.ts): the page iterator's declaration, which also compiles before 5.6,
 * is assignable to what 5.6+ calls it.
 */
import type { ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { paginateIterable } from '../../src';
import * as dynamodb from '../../src/services/generated/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

declare const dynamoClient: DynamoDBClient;

export const asLib: AsyncIterableIterator<ScanCommandOutput, undefined> = paginateIterable(dynamodb.Scan, dynamoClient, {
  TableName: 't',
});
