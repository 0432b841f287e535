import { closestName } from '../../src/util/closestName';

const OPTIONS = ['pageSize', 'maxItems', 'startingToken', 'demand', 'retry', 'scheduler', 'signer'];

describe('closestName', () => {
  test.each([
    ['pagesize', 'pageSize'],
    ['PageSize', 'pageSize'],
    ['pageSzie', 'pageSize'],
    ['maxItem', 'maxItems'],
    ['startToken', 'startingToken'],
    ['sheduler', 'scheduler'],
    ['retyr', 'retry'],
  ])('%s means %s', (typo, meant) => {
    expect(closestName(typo, OPTIONS)).toBe(meant);
  });

  test('a prefix of a longer name means it', () => {
    expect(closestName('maxWait', ['delay', 'maxDelay', 'maxWaitTime'])).toBe('maxWaitTime');
  });

  test.each(['colour', 'TableName', 'x'])('%s means nothing', (typo) => {
    expect(closestName(typo, OPTIONS)).toBeUndefined();
  });
});
