import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { SdkClient, WaitForOptions } from 'rxjs-aws';
import { AwsErrorsFilter } from './awsErrors';
import { DYNAMODB_CLIENT, TABLE_WAIT_OPTIONS, waitOptionsFromEnv } from './config';
import { TablesController } from './tables.controller';
import { TablesService } from './tables.service';

export interface AppOptions {
  /** The DynamoDB client (a `DynamoDBClient`); its owner destroys it. */
  readonly client: SdkClient;
  /** Waiter options of `/ready` and `/events`; from the environment when absent (see {@link waitOptionsFromEnv}). */
  readonly wait?: WaitForOptions;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      controllers: [TablesController],
      providers: [
        TablesService,
        { provide: DYNAMODB_CLIENT, useValue: options.client },
        { provide: TABLE_WAIT_OPTIONS, useValue: options.wait ?? waitOptionsFromEnv() },
        { provide: APP_FILTER, useClass: AwsErrorsFilter },
      ],
    };
  }
}
