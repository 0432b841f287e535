import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createGovernor, type Governor, type TokenSigner, type WaitForOptions } from 'rxjs-aws';
import { hmacTokenSigner } from 'rxjs-aws/signing';
import { AwsErrorsFilter } from './awsErrors';
import {
  DYNAMODB_CLIENT,
  GOVERNOR,
  governorOptionsFromEnv,
  TABLE_WAIT_OPTIONS,
  TOKEN_SIGNER,
  tokenKeysFromEnv,
  waitOptionsFromEnv,
} from './config';
import { GovernorController } from './governor.controller';
import { TablesController } from './tables.controller';
import { TablesService } from './tables.service';

export interface AppOptions {
  /** The DynamoDB client (a `DynamoDBClient`); its owner destroys it. */
  readonly client: DynamoDBClient;
  /** Waiter options of `/ready` and `/events`; from the environment when absent (see {@link waitOptionsFromEnv}). */
  readonly wait?: WaitForOptions;
  /**
   * The keys that sign the resume tokens of `/items` and `/scan`, newest
   * first, each of at least 32 bytes: the first signs, all are accepted. From
   * `TOKEN_KEYS` when absent (see {@link tokenKeysFromEnv}); the app does not
   * start without keys.
   */
  readonly tokenKeys?: readonly (string | Uint8Array)[];
  /**
   * The governor every DynamoDB request goes through; one is made from the
   * environment when absent (see {@link governorOptionsFromEnv}). Either
   * way the app has one, shared by all its endpoints.
   */
  readonly governor?: Governor;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      controllers: [TablesController, GovernorController],
      providers: [
        TablesService,
        { provide: DYNAMODB_CLIENT, useValue: options.client },
        { provide: TABLE_WAIT_OPTIONS, useValue: options.wait ?? waitOptionsFromEnv() },
        {
          provide: TOKEN_SIGNER,
          useFactory: (): TokenSigner => hmacTokenSigner(options.tokenKeys ?? requiredTokenKeysFromEnv()),
        },
        // A provider is a singleton of its module: one governor for the app, whatever injects it.
        { provide: GOVERNOR, useFactory: (): Governor => options.governor ?? createGovernor(governorOptionsFromEnv()) },
        { provide: APP_FILTER, useClass: AwsErrorsFilter },
      ],
    };
  }
}

function requiredTokenKeysFromEnv(): string[] {
  const keys = tokenKeysFromEnv();
  if (!keys)
    throw new Error('No token keys: set TOKEN_KEYS (comma-separated, newest first, at least 32 bytes each) or pass tokenKeys');
  return keys;
}
