import { describe, expect, it } from 'vitest';
import { tokenize } from './highlight';
import { reordered } from './planView';

describe('plan order', () => {
  it('moves a line within its horizon', () => {
    expect(reordered(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
    expect(reordered(['a', 'b', 'c'], 'a', 2)).toEqual(['b', 'c', 'a']);
  });

  it('brings a line in from another horizon, clamped to the ends', () => {
    expect(reordered(['a', 'b'], 'x', 1)).toEqual(['a', 'x', 'b']);
    expect(reordered(['a', 'b'], 'x', 99)).toEqual(['a', 'b', 'x']);
    expect(reordered([], 'x', -3)).toEqual(['x']);
  });
});

describe('excerpt colouring', () => {
  it('splits a line into tokens that join back to the same text', () => {
    const line = `const sig = req.headers.get("stripe-signature") // TODO verify <script>`;
    const tokens = tokenize(line);
    expect(tokens.map((t) => t.text).join('')).toBe(line);
    expect(tokens.find((t) => t.kind === 'keyword')?.text).toBe('const');
    expect(tokens.find((t) => t.kind === 'string')?.text).toBe('"stripe-signature"');
    expect(tokens.at(-1)).toEqual({ kind: 'comment', text: '// TODO verify <script>' });
  });

  it('keeps an unterminated string as a string', () => {
    expect(tokenize("let a = 'open").at(-1)).toEqual({ kind: 'string', text: "'open" });
  });
});
