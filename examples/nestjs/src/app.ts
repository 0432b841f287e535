import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppOptions } from './app.module';

/** The Nest application, not listening yet: `main.ts` and the tests both start it this way. */
export function createApp(options: AppOptions & { logger?: false }): Promise<NestExpressApplication> {
  const { logger, ...appOptions } = options;
  return NestFactory.create<NestExpressApplication>(AppModule.forRoot(appOptions), {
    ...(logger === false && { logger: false }),
    // A failure to start is thrown to the caller rather than ending the process.
    abortOnError: false,
    // close() ends open connections (SSE streams, keep-alive sockets) instead of waiting for them.
    forceCloseConnections: true,
  });
}
