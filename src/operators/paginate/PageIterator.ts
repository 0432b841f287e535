/**
 * What {@link paginateIterable} returns: an async iterator of pages that is
 * its own iterable, for `for await`. `next()` resolves `{ done: true, value:
 * undefined }` after the last page, and `return()` (what `break` calls)
 * always exists.
 *
 * It says what TypeScript 5.6's `AsyncIterableIterator<O, undefined>` says
 * (and is assignable to it), but is declared from `AsyncIterator`, whose
 * three type parameters every TypeScript 5 has, so the shipped declarations
 * also compile before 5.6, where `AsyncIterableIterator` takes one.
 *
 * @example
 * ```ts
 * const pages: PageIterator<ScanCommandOutput> = paginateIterable(Scan, client, { TableName: 'music' });
 * const first = await pages.next(); // IteratorResult<ScanCommandOutput, undefined>
 * await pages.return(); // aborts the request in flight, if any
 * ```
 */
export interface PageIterator<O> extends AsyncIterator<O, undefined, undefined> {
  /** Ends the iteration: aborts the request in flight and resolves `{ done: true, value: undefined }`. */
  return(value?: undefined | PromiseLike<undefined>): Promise<IteratorResult<O, undefined>>;
  [Symbol.asyncIterator](): PageIterator<O>;
}
