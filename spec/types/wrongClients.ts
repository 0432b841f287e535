/**
 * Type tests beside clientPairs.ts (which pairs every installed client with paginate and waitFor): every operator
 * that takes a client refuses a wrong one, and so do the stand-in client types the repository type-checks with when
 * a client package is not installed (src/services/generated/sdkStubs.d.ts). Nothing here runs.
 */
import type { ACMPCAClient } from '@aws-sdk/client-acm-pca';
import type { AmpClient } from '@aws-sdk/client-amp';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { IAMClient } from '@aws-sdk/client-iam';
import { fullResult, paginate, paginateIterable, processItems, processPages, waitFor, waitForAttempts } from '../../src';
import * as acmPca from '../../src/services/generated/acm-pca';
import * as amp from '../../src/services/generated/amp';
import * as cloudformation from '../../src/services/generated/cloudformation';
import * as dynamodbStreams from '../../src/services/generated/dynamodb-streams';
import * as iam from '../../src/services/generated/iam';

declare const acmPcaClient: ACMPCAClient;
declare const ampClient: AmpClient;
declare const cloudformationClient: CloudFormationClient;
declare const dynamoClient: DynamoDBClient;
declare const streamsClient: DynamoDBStreamsClient;
declare const iamClient: IAMClient;
declare const input: never;
const work = () => Promise.resolve(1);

export function rightClients(): unknown[] {
  return [
    paginate(iam.ListUsers, iamClient, input),
    fullResult(iam.ListUsers, iamClient, input),
    paginateIterable(iam.ListUsers, iamClient, input),
    processPages(iam.ListUsers, iamClient, input, work),
    processItems(iam.ListUsers, iamClient, input, work),
    processPages(dynamodbStreams.DescribeStream, streamsClient, input, work),
    waitFor(iam.UserExists, iamClient, input),
    waitForAttempts(iam.UserExists, iamClient, input),
    paginate(acmPca.ListCertificateAuthorities, acmPcaClient, input),
    waitFor(amp.WorkspaceActive, ampClient, input),
  ];
}

export function wrongClients(): unknown[] {
  return [
    // @ts-expect-error an IAM paginator with a DynamoDB client
    paginate(iam.ListUsers, dynamoClient, input),
    // @ts-expect-error an IAM paginator with a CloudFormation client
    fullResult(iam.ListUsers, cloudformationClient, input),
    // @ts-expect-error a CloudFormation paginator with an IAM client
    paginateIterable(cloudformation.DescribeStacks, iamClient, input),
    // @ts-expect-error an IAM paginator with a DynamoDB client
    processPages(iam.ListUsers, dynamoClient, input, work),
    // @ts-expect-error a CloudFormation paginator with an IAM client
    processPages(cloudformation.DescribeStacks, iamClient, input, work),
    // @ts-expect-error an IAM paginator with a DynamoDB client
    processItems(iam.ListUsers, dynamoClient, input, work),
    // @ts-expect-error a DynamoDB Streams paginator with a DynamoDB client
    processItems(dynamodbStreams.ListStreams, dynamoClient, input, work),
    // @ts-expect-error a DynamoDB Streams paginator with a DynamoDB client
    paginate(dynamodbStreams.DescribeStream, dynamoClient, input),
    // @ts-expect-error a DynamoDB Streams waiter with an IAM client
    waitFor(dynamodbStreams.StreamEnabled, iamClient, input),
    // @ts-expect-error an IAM waiter with a CloudFormation client
    waitForAttempts(iam.UserExists, cloudformationClient, input),
    // @ts-expect-error a stand-in's paginator with another stand-in's client
    paginate(acmPca.ListCertificateAuthorities, ampClient, input),
    // @ts-expect-error a stand-in's waiter with another stand-in's client
    waitFor(amp.WorkspaceActive, acmPcaClient, input),
    // @ts-expect-error a stand-in's paginator with an installed client
    processPages(acmPca.ListCertificateAuthorities, iamClient, input, work),
    // @ts-expect-error an installed client's paginator with a stand-in's client
    processItems(iam.ListUsers, acmPcaClient, input, work),
    // @ts-expect-error an installed client's waiter with a stand-in's client
    waitForAttempts(iam.UserExists, ampClient, input),
  ];
}
