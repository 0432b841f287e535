/** `npm run figures` rewrites only what sits between a figure's markers, and names the markers it cannot fill. */
import { rewrite } from '../scripts/figures';

describe('figures', () => {
  it('writes each measured figure between its markers and leaves the prose alone', () => {
    const text = 'Over <!-- figure:subpaths -->281<!-- /figure --> subpaths, <!-- figure:waiters -->338<!-- /figure --> waiters.';
    expect(rewrite(text, { subpaths: '310', waiters: '341' })).toEqual({
      text: 'Over <!-- figure:subpaths -->310<!-- /figure --> subpaths, <!-- figure:waiters -->341<!-- /figure --> waiters.',
      unknown: [],
    });
  });

  it('names a marker no measurement fills, and keeps it as it was', () => {
    const text = 'It took <!-- figure:test-time -->3 min<!-- /figure -->.';
    expect(rewrite(text, { subpaths: '310' })).toEqual({ text, unknown: ['test-time'] });
  });
});
