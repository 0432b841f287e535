import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import { fullResult, paginate, paginateIterable, waitFor, waitForAttempts, type SdkClient } from '../../src';
import * as dynamodb from '../../src/services/generated/dynamodb';
import * as ec2 from '../../src/services/generated/ec2';
import * as s3 from '../../src/services/generated/s3';

const config = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };

describe('a bound spec given client.send instead of the client', () => {
  const dynamo = new DynamoDBClient(config);
  afterAll(() => dynamo.destroy());

  it('is refused by the call, before anything is sent, saying to give the client itself', () => {
    const send = dynamo.send.bind(dynamo) as never;
    const expected = (what: string) =>
      new TypeError(
        `${what} is sent through the SDK client itself (a DynamoDBClient), as in paginate(Scan, client, input) or ` +
          'waitFor(TableExists, client, input), not through client.send or another function; to send with a function ' +
          "of your own, give the bound spec's .spec instead",
      );
    expect(() => paginate(dynamodb.Scan, send, { TableName: 't' })).toThrow(expected('the bound spec dynamodb.Scan'));
    expect(() => fullResult(dynamodb.Query, send, { TableName: 't' })).toThrow(expected('the bound spec dynamodb.Query'));
    expect(() => paginateIterable(dynamodb.Scan, send, { TableName: 't' })).toThrow(TypeError);
    expect(() => waitFor(dynamodb.TableExists, send, { TableName: 't' })).toThrow(
      expected('a spec bound to DescribeTableCommand'),
    );
    expect(() => waitForAttempts(dynamodb.TableNotExists, send, { TableName: 't' })).toThrow(TypeError);
  });
});

describe('a bound spec given the wrong client', () => {
  const dynamo = new DynamoDBClient(config);
  const ec2Client = new EC2Client(config);
  const s3Client = new S3Client(config);
  afterAll(() => [dynamo, ec2Client, s3Client].forEach((c) => c.destroy()));

  it('is refused by the call, before anything is sent, naming both services', () => {
    const wrong = (c: object) => c as never;
    expect(() => paginate(ec2.DescribeInstances, wrong(dynamo), {})).toThrow(
      new TypeError(
        'DescribeInstancesCommand is bound to EC2 (EC2Client from @aws-sdk/client-ec2), but the client given is for DynamoDB (DynamoDBClient)',
      ),
    );
    expect(() => waitFor(dynamodb.TableExists, wrong(ec2Client), { TableName: 't' })).toThrow(
      /DescribeTableCommand is bound to DynamoDB \(DynamoDBClient from @aws-sdk\/client-dynamodb\), but the client given is for EC2 \(EC2Client\)/,
    );
    expect(() => waitForAttempts(s3.BucketExists, wrong(dynamo), { Bucket: 'b' })).toThrow(/bound to S3 .* is for DynamoDB/);
    expect(() => fullResult(s3.ListObjectsV2, wrong(ec2Client), { Bucket: 'b' })).toThrow(/bound to S3 .* is for EC2/);
    expect(() => paginateIterable(dynamodb.Scan, wrong(s3Client), { TableName: 't' })).toThrow(/bound to DynamoDB .* is for S3/);
  });

  it('accepts the right client, and anything with a send that is no SDK client', () => {
    expect(() => paginate(ec2.DescribeInstances, ec2Client, {})).not.toThrow();
    const fake: SdkClient = { send: () => Promise.resolve({}) };
    expect(() => paginate(ec2.DescribeInstances, fake as EC2Client, {})).not.toThrow();
  });
});
