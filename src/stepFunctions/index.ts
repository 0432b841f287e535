/**
 * `rxjs-aws/step-functions`: waiters compiled to AWS Step Functions state
 * machines, and scans split into shards for a Distributed Map.
 *
 * @example
 * ```ts
 * import { TableExists } from 'rxjs-aws/dynamodb';
 * import { toStateMachine } from 'rxjs-aws/step-functions';
 *
 * const definition = JSON.stringify(toStateMachine(TableExists, { TableName: 'music' }));
 * ```
 * @module rxjs-aws/step-functions
 * @packageDocumentation
 */
export {
  toStateMachine,
  type StateMachineDefinition,
  type StateMachineInput,
  type ToStateMachineOptions,
} from './toStateMachine';
export { stateMachineGaps, type AcceptorGap } from './stateMachineGaps';
export { planShards, type PlanShardsOptions } from './planShards';
export type { ShardWorkItem } from './ShardWorkItem';
export { shardWorker, type DeadlineContext, type PageKey, type ShardResult, type ShardWorkerOptions } from './shardWorker';
export { shardMapDefinition, type ShardMapOptions } from './shardMapDefinition';
