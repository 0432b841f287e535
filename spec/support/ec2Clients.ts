import { EC2Client } from '@aws-sdk/client-ec2';
import { fakeCredentials } from './httpTracking';

/**
 * Real EC2 clients for a loopback endpoint (moto or the fake), made on demand
 * and destroyed together when the server stops. One attempt each, so tests see
 * errors at once rather than after the SDK's retries.
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
