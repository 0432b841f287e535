/**
 * The real app on a loopback port, with a real DynamoDBClient against a real
 * dynalite whose requests are recorded (spec/support/startDynalite.ts of the
 * library): `requestsFor('Scan')` counts the calls that reached DynamoDB.
 * Resume tokens are signed with {@link TEST_TOKEN_KEYS} unless told otherwise;
 * `startApp()` starts more apps on the same DynamoDB, with other keys (a key rotation).
 */
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Governor, WaitForOptions } from 'rxjs-aws';
import { startDynalite, type DynaliteServer, type StartDynaliteOptions } from '../../../../spec/support/startDynalite';
import { createApp } from '../../src/app';

/** The token keys of test apps unless told otherwise (a key needs 32 bytes or more). */
export const TEST_TOKEN_KEYS: readonly string[] = ['the e2e tests sign resume tokens with this key'];

export type TokenKeys = readonly (string | Uint8Array)[];

export interface TestApp {
  readonly app: NestExpressApplication;
  /** `http://127.0.0.1:<port>` of the app. */
  readonly url: string;
  readonly dynamo: DynaliteServer;
  /** The app's DynamoDB client, for setting up tables. */
  readonly client: ReturnType<DynaliteServer['client']>;
  /** Another app on the same DynamoDB, signing tokens with `tokenKeys`; `stop()` closes it too. */
  startApp(tokenKeys: TokenKeys): Promise<{ readonly app: NestExpressApplication; readonly url: string }>;
  stop(): Promise<void>;
}

export async function startTestApp(options: {
  wait: WaitForOptions;
  dynalite?: StartDynaliteOptions;
  tokenKeys?: TokenKeys;
  /** The app's governor; each app makes its own when absent. */
  governor?: Governor;
}): Promise<TestApp> {
  const dynamo = await startDynalite(options.dynalite);
  const client = dynamo.client();
  const apps: NestExpressApplication[] = [];
  const startApp = async (tokenKeys: TokenKeys) => {
    const app = await createApp({ client, wait: options.wait, tokenKeys, governor: options.governor, logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, url: `http://127.0.0.1:${port}` };
  };
  const { app, url } = await startApp(options.tokenKeys ?? TEST_TOKEN_KEYS);
  return {
    app,
    url,
    dynamo,
    client,
    startApp,
    async stop() {
      await Promise.all(apps.map((each) => each.close()));
      await dynamo.stop();
    },
  };
}

/** Resolves once `condition()` holds, checking every 5 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
