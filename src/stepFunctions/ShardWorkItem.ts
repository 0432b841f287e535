import { canonicalJson } from '../tokens/canonicalJson';
import { PaginationError } from '../errors/PaginationError';
import type { TokenSigner } from '../tokens/TokenSigner';

/**
 * One unit of a sharded scan, as a Distributed Map item: a segment of the
 * scan and where in it to go on. `token` seals all of it, bound to the query,
 * so an item cannot be edited or replayed against another query; the other
 * fields are there for people and logs.
 * @example
 * ```ts
 * const item: ShardWorkItem = { segment: 2, totalSegments: 8, sequence: 0, token: 'rxaws1.eyJ...' };
 * ```
 */
export interface ShardWorkItem {
  /** 0..totalSegments-1: DynamoDB's `Segment`. */
  readonly segment: number;
  readonly totalSegments: number;
  /** The sequence number of the next page of the segment: 0 for its first page. */
  readonly sequence: number;
  /** The sealed position: segment, total, sequence and the resume token. */
  readonly token: string;
}

/** What a work item's token carries. @internal */
export interface ShardPosition {
  readonly segment: number;
  readonly totalSegments: number;
  readonly sequence: number;
  /** The resume token of the page before `sequence`, or null at the segment's start. */
  readonly resume: string | null;
}

/** Seals a position for `query`. @internal */
export function sealShard(position: ShardPosition, query: unknown, signer: TokenSigner): ShardWorkItem {
  const { segment, totalSegments, sequence } = position;
  return { segment, totalSegments, sequence, token: signer.sign(canonicalJson(position), canonicalJson(query)) };
}

/**
 * Opens a work item's token for `query`.
 * @throws {PaginationError} for a token not sealed for this query, or fields that disagree with it.
 * @internal
 */
export function openShard(item: unknown, query: unknown, signer: TokenSigner): ShardPosition {
  const token = (item as { token?: unknown } | null)?.token;
  if (typeof token !== 'string') throw new PaginationError('Bad shard work item: it has no token');
  const position = JSON.parse(signer.verify(token, canonicalJson(query))) as ShardPosition;
  const shown = item as Partial<ShardWorkItem>;
  for (const field of ['segment', 'totalSegments', 'sequence'] as const) {
    if (shown[field] !== position[field]) {
      throw new PaginationError(
        `Bad shard work item: ${field} is ${JSON.stringify(shown[field])}, its sealed token says ${position[field]}`,
      );
    }
  }
  return position;
}
