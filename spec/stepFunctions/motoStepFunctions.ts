/**
 * moto_server with Step Functions executing state machines, for the
 * step-functions tests. moto fails to start a second execution in a region
 * where one has run (a 500), so every execution gets a region of its own:
 * take one with `region()` and create the resources there too.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { fakeCredentials } from '../support/httpTracking';
import { startMoto, type MotoServer } from '../support/startMoto';

export interface StepFunctionsMoto {
  readonly moto: MotoServer;
  /** A region no execution has run in yet. */
  region(): string;
  /** Client config for `region` pointed at moto, one attempt per call. */
  config(region: string): {
    endpoint: string;
    region: string;
    credentials: ReturnType<typeof fakeCredentials>;
    maxAttempts: number;
  };
  /** Creates the state machine in `region`, runs it once and waits for it to end. */
  execute(region: string, definition: object, input?: unknown): Promise<Execution>;
  stop(): Promise<void>;
}

export interface Execution {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly output?: unknown;
}

// Regions moto serves; one execution each.
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'eu-south-1',
  'af-south-1',
  'ap-east-1',
  'me-south-1',
];

export async function startStepFunctionsMoto(): Promise<StepFunctionsMoto | undefined> {
  const moto = await startMoto();
  if (!moto) return undefined;
  const response = await fetch(`${moto.endpoint}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  if (!response.ok) throw new Error(`moto refused the Step Functions config: HTTP ${response.status}`);
  const free = [...REGIONS];
  const clients: SFNClient[] = [];
  const config = (region: string) => ({ endpoint: moto.endpoint, region, credentials: fakeCredentials(), maxAttempts: 1 });
  return {
    moto,
    region() {
      const region = free.shift();
      if (!region) throw new Error('out of moto regions: start another StepFunctionsMoto');
      return region;
    },
    config,
    async execute(region, definition, input = {}) {
      const sfn = new SFNClient(config(region));
      clients.push(sfn);
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name: 'waiter',
          definition: JSON.stringify(definition),
          roleArn: 'arn:aws:iam::123456789012:role/step-functions',
        }),
      );
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
      // Polled: moto runs the execution in a thread and offers no event to wait on.
      for (;;) {
        const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (described.status !== 'RUNNING') {
          return {
            status: described.status!,
            ...(described.error !== undefined && { error: described.error }),
            ...(described.cause !== undefined && { cause: described.cause }),
            ...(described.output !== undefined && { output: JSON.parse(described.output) as unknown }),
          };
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      for (const client of clients.splice(0)) client.destroy();
      await moto.stop();
    },
  };
}
