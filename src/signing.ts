/**
 * `rxjs-aws/signing`: resume tokens a client cannot forge (Node only: it uses node:crypto).
 *
 * @example
 * ```ts
 * import { hmacTokenSigner } from 'rxjs-aws/signing';
 * const signer = hmacTokenSigner([process.env.TOKEN_KEY!]);
 * fullResult(Scan, client, { TableName }, { maxItems: 50, startingToken: req.query.token, signer });
 * ```
 * @module rxjs-aws/signing
 * @packageDocumentation
 */
export { hmacTokenSigner } from './tokens/hmacTokenSigner';
