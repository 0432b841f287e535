import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { fakeCredentials } from './httpTracking';

/**
 * Real EC2 clients for a loopback endpoint (moto or the fake), made on demand
 * and destroyed together when the server stops. One attempt each, so tests see
 * errors at once rather than after the SDK's retries.
 *
 * @example
 * const clients = ec2Clients('http://127.0.0.1:5000');
 * const ec2 = clients.make();
 * clients.destroyAll();
 */
export function ec2Clients(endpoint: string): { make(): EC2Client; destroyAll(): void } {
  const clients: EC2Client[] = [];
  return {
    make() {
      const client = new EC2Client({ endpoint, region: 'us-east-1', credentials: fakeCredentials(), maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    destroyAll() {
      for (const client of clients.splice(0)) client.destroy();
    },
  };
}

/** Patience for moto_server's Python start-up on a busy machine (startMoto's `startTimeoutMs`). */
export const MOTO_START_MS = 120_000;
/** Patience for a `beforeAll` that starts moto and waits until its EC2 backend answers. */
export const MOTO_READY_MS = MOTO_START_MS + 150_000;

/**
 * Resolves once `endpoint` answers an EC2 request with any HTTP response.
 * moto answers its own `/moto-api/` before its EC2 backend is loaded: the
 * first EC2 request loads it (seconds on a busy machine), and a connection
 * made meanwhile can be reset ("socket hang up"). Calling this in `beforeAll`
 * keeps that start-up out of the tests, whose clients make one attempt only.
 * Connection failures are retried; any HTTP status (even an error) means the
 * backend is up. `patienceMs` only names a broken server, never a slow one.
 *
 * @example
 * const moto = await startMoto({ startTimeoutMs: MOTO_START_MS });
 * await untilEc2Answers(moto.endpoint);
 */
export async function untilEc2Answers(endpoint: string, patienceMs = 120_000): Promise<void> {
  const clients = ec2Clients(endpoint);
  const started = performance.now();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await clients.make().send(new DescribeInstancesCommand({}));
        return;
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined) return;
        if (performance.now() - started > patienceMs) {
          throw new Error(`${endpoint} gave no HTTP answer to EC2 in ${attempt} tries over ${patienceMs} ms: ${String(e)}`, {
            cause: e,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    clients.destroyAll();
  }
}
