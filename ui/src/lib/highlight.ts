// A small, safe syntax colouring for evidence excerpts: comments, strings, numbers and
// keywords of the languages Plumb reads. Produces text tokens; the view renders them as text
// (never as HTML), so repository code cannot inject markup.

export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const keywords = new Set(
  (
    'async await break case catch class const continue def default delete do elif else enum export extends false finally for from func ' +
    'function go if import in interface let match new nil None null package pass private pub public raise return select self static ' +
    'struct super switch this throw true True False try type typeof use var void where while with yield CREATE TABLE ALTER INDEX ON ' +
    'POLICY USING ENABLE ROW LEVEL SECURITY REFERENCES PRIMARY KEY NOT NULL'
  ).split(' '),
);

const pattern =
  /(\/\/.*$|#.*$|--.*$|\/\*.*?(?:\*\/|$))|("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (kind: TokenKind, text: string) => {
    if (!text) return;
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind && kind === 'plain') last.text += text;
    else tokens.push({ kind, text });
  };
  for (const m of line.matchAll(pattern)) {
    const index = m.index ?? 0;
    push('plain', line.slice(at, index));
    if (m[1]) push('comment', m[1]);
    else if (m[2]) push('string', m[2]);
    else if (m[3]) push('number', m[3]);
    else if (m[4]) push(keywords.has(m[4]) ? 'keyword' : 'plain', m[4]);
    at = index + m[0].length;
  }
  push('plain', line.slice(at));
  return tokens;
}
