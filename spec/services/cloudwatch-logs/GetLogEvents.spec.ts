import { lastValueFrom, of, toArray } from 'rxjs';
import { compilePaginator, paginate, PaginationError, resumeTokenOf, SpecError, type Send } from '../../../src';
import { GetLogEvents } from '../../../src/services/generated/cloudwatch-logs';

type Page = { events: string[]; nextForwardToken: string };

/** CloudWatch Logs' way: the token of the last page comes back when there is nothing after it. */
function stream(pages: Record<string, Page>): { send: Send<{ nextToken?: string }, Page>; sent: (string | undefined)[] } {
  const sent: (string | undefined)[] = [];
  return {
    sent,
    send: (input) => {
      sent.push(input.nextToken);
      return of(pages[input.nextToken ?? 'start']!);
    },
  };
}

const PAGES: Record<string, Page> = {
  start: { events: ['a', 'b'], nextForwardToken: 'f/1' },
  'f/1': { events: ['c'], nextForwardToken: 'f/2' },
  'f/2': { events: [], nextForwardToken: 'f/2' },
};

describe('GetLogEvents (stop_on_same_token)', () => {
  it('completes when the service returns the token it was sent, and that page resumes there', async () => {
    const { send, sent } = stream(PAGES);
    const pages = await lastValueFrom(paginate(GetLogEvents.spec, send, {}).pipe(toArray()));
    expect(pages.flatMap((p) => p.events)).toEqual(['a', 'b', 'c']);
    expect(sent).toEqual([undefined, 'f/1', 'f/2']);
    const later = stream({
      ...PAGES,
      'f/2': { events: ['d'], nextForwardToken: 'f/3' },
      'f/3': { events: [], nextForwardToken: 'f/3' },
    });
    const resumed = await lastValueFrom(
      paginate(GetLogEvents.spec, later.send, {}, { startingToken: resumeTokenOf(pages[2]!)! }).pipe(toArray()),
    );
    expect(resumed.flatMap((p) => p.events)).toEqual(['d']);
  });

  it('any other repeated token is still a PaginationError: a token from further back, or a spec without the flag', async () => {
    const looping = stream({ ...PAGES, 'f/2': { events: ['x'], nextForwardToken: 'f/1' } });
    await expect(lastValueFrom(paginate(GetLogEvents.spec, looping.send, {}))).rejects.toBeInstanceOf(PaginationError);
    const { stop_on_same_token: _flag, ...botocoreLike } = GetLogEvents.spec;
    await expect(lastValueFrom(paginate(botocoreLike, stream(PAGES).send, {}))).rejects.toThrow(
      'The same next token was received twice: {"nextToken":"f/2"}',
    );
  });

  it('the flag must be a boolean', () => {
    expect(() => compilePaginator({ ...GetLogEvents.spec, stop_on_same_token: 'yes' as never })).toThrow(
      new SpecError('stop_on_same_token', 'expected true or false, got "yes"'),
    );
  });
});
