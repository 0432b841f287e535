import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

describe('rxjs-aws/step-functions', () => {
  it('loads neither the AWS SDK nor any service module: the waiter and the client come from the caller', () => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "const entry = require('./src/stepFunctions');",
      "const sdk = Object.keys(require.cache).filter((p) => p.includes('@aws-sdk') || p.includes('@smithy'));",
      "const own = Object.keys(require.cache).filter((p) => p.includes('/services/'));",
      'process.stdout.write(JSON.stringify({ sdk, own, exports: Object.keys(entry).sort() }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({
      sdk: [],
      own: [],
      exports: ['planShards', 'shardMapDefinition', 'shardWorker', 'stateMachineGaps', 'toStateMachine'],
    });
  });
});
