import { SpecError } from '../errors/SpecError';
import { commandSchema } from './operationShapes';

/**
 * The Step Functions AWS SDK integration of an SDK v3 command:
 * `{ service: 'dynamodb', action: 'describeTable' }` for `DescribeTableCommand`.
 * The service comes from the command's Smithy namespace (`com.amazonaws.dynamodb`),
 * which Step Functions spells the same way; `service` overrides it.
 * @internal
 */
export function sdkIntegration(
  command: new (input: never) => object,
  operation: string | undefined,
  service: string | undefined,
): { service: string; action: string } {
  const schema = commandSchema(command);
  // SDK v3 commands since 2025 carry [kind, namespace, operation, ...]; older ones only their class name.
  const namespace = Array.isArray(schema) && typeof schema[1] === 'string' ? schema[1] : undefined;
  const name =
    Array.isArray(schema) && typeof schema[2] === 'string' ? schema[2] : (operation ?? command.name.replace(/Command$/, ''));
  const resolved = service ?? namespace?.replace(/^com\.amazonaws\./, '');
  if (!resolved || !/^[a-z0-9]+$/.test(resolved)) {
    throw new SpecError(
      'options.service',
      `cannot tell the Step Functions service name of ${command.name}${namespace ? ` (namespace ${namespace})` : ''}; pass { service } (for example 'dynamodb')`,
    );
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name))
    throw new SpecError('operation', `expected an operation name, got ${JSON.stringify(name)}`);
  return { service: resolved, action: name[0]!.toLowerCase() + name.slice(1) };
}
