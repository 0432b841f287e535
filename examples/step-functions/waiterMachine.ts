/**
 * Prints the state machine that waits for a DynamoDB table, the table named
 * by each execution's input (`{ "table": "music" }`):
 * `npx ts-node examples/step-functions/waiterMachine.ts > table-exists.asl.json`.
 */
import { TableExists } from '../../src/services/generated/dynamodb';
import { toStateMachine } from '../../src/stepFunctions';

export const tableExistsMachine = toStateMachine(TableExists, { 'TableName.$': '$.table' }, { delay: 20, maxAttempts: 90 });

if (require.main === module) console.log(JSON.stringify(tableExistsMachine, null, 2));
