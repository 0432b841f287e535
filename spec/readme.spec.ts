/**
 * Every ```ts block of README.md (and of the guides in docs/) compiles, against the library's source, as
 * the package's entry points (`rxjs-aws`, `rxjs-aws/dynamodb`, ...) resolve.
 *
 * A snippet that leans on names it does not declare (a `client`, a class it
 * belongs to) gets them from an HTML comment right before its fence, which
 * GitHub and npm do not render:
 *
 *   <!-- snippet context
 *   import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 *   declare const client: DynamoDBClient;
 *   -->
 *
 * The context comes before the snippet, or, where it has a line `/* snippet *\/`,
 * around it (a class body around a method). Each snippet is its own module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');
const CONTEXT = /<!--\s*snippet context\n((?:(?!-->)[\s\S])*)-->\s*$/;
const PLACEHOLDER = '/* snippet */';

interface Snippet {
  /** README line of the snippet's first line of code. */
  line: number;
  code: string;
  context: string;
}

function extractSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const fence = /^```(ts|typescript)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const before = markdown.slice(0, match.index);
    snippets.push({
      line: before.split('\n').length + 1,
      code: match[2]!,
      context: CONTEXT.exec(before)?.[1] ?? '',
    });
  }
  return snippets;
}

/** `rxjs-aws/dynamodb` -> src/services/generated/dynamodb/index.ts, read from package.json's exports. */
function entryPointPaths(): Record<string, string[]> {
  const { name, exports } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  const commonJsTypes = (entry: unknown): string | undefined =>
    typeof entry === 'string'
      ? /^\.\/dist\/cjs\/(.*)\.d\.ts$/.exec(entry)?.[1]
      : entry && typeof entry === 'object'
        ? Object.values(entry).map(commonJsTypes).find(Boolean)
        : undefined;
  const paths: Record<string, string[]> = {};
  for (const [subpath, entry] of Object.entries(exports)) {
    const source = commonJsTypes(entry);
    if (source) paths[subpath === '.' ? name : `${name}/${subpath.slice(2)}`] = [join(ROOT, 'src', `${source}.ts`)];
  }
  return paths;
}

/** Compiler messages per snippet, each prefixed with the line of `document` it is about. */
function compileSnippets(snippets: Snippet[], document = 'README.md'): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  Object.assign(options, {
    noEmit: true,
    // A snippet shows a call; naming its result for the reader is not a fault.
    noUnusedLocals: false,
    noUnusedParameters: false,
    experimentalDecorators: true,
    types: ['node'],
    paths: entryPointPaths(),
  } satisfies ts.CompilerOptions);

  const files = new Map<string, { text: string; snippet: Snippet; offset: number }>();
  snippets.forEach((snippet, i) => {
    const [head, tail] = snippet.context.includes(PLACEHOLDER) ? snippet.context.split(PLACEHOLDER) : [snippet.context, ''];
    const text = `${head}\n${snippet.code}\n${tail}\nexport {};\n`;
    files.set(join(ROOT, 'readme-snippets', `snippet${i}.ts`), {
      text,
      snippet,
      offset: head!.split('\n').length,
    });
  });
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (path) => files.has(path) || fileExists(path);
  host.readFile = (path) => files.get(path)?.text ?? readFile(path);
  host.getSourceFile = (path, languageVersion, ...rest) => {
    const file = files.get(path);
    return file ? ts.createSourceFile(path, file.text, languageVersion) : getSourceFile(path, languageVersion, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);

  const messages: string[] = [];
  for (const [path, { snippet, offset }] of files) {
    const source = program.getSourceFile(path)!;
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const at = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line - offset;
      const where = at >= 0 && at < snippet.code.split('\n').length ? snippet.line + at : `${snippet.line} (context)`;
      messages.push(`${document}:${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    }
  }
  return messages;
}

/** README, CONTRIBUTING and every guide in docs/ (the generated docs/operations pages are the generator's). */
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

it('checks README and the guides with the most snippets', () => {
  expect(DOCUMENTS).toEqual(expect.arrayContaining(['README.md', 'docs/processing.md', 'docs/governor.md']));
  expect(extractSnippets(readFileSync(join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(5);
});

describe.each(DOCUMENTS)('%s', (document) => {
  const snippets = extractSnippets(readFileSync(join(ROOT, document), 'utf8'));

  (snippets.length > 0 ? it : it.skip)(
    'every ```ts snippet compiles',
    () => {
      expect(compileSnippets(snippets, document)).toEqual([]);
    },
    60_000,
  );
});

describe('the snippet check', () => {
  const markdown = [
    '# t',
    '',
    '```ts',
    "const pages = ['one'];",
    'const page: number = pages[0]!;',
    '```',
    '',
    '<!-- snippet context',
    'declare const Scan: { command: string };',
    'class Tables {',
    PLACEHOLDER,
    '}',
    '-->',
    '',
    '```ts',
    'readonly spec = Scan;',
    'count(): number { return String(this.spec); }',
    '```',
    '',
  ].join('\n');

  it('reads each snippet with the context comment right before it', () => {
    const [first, second] = extractSnippets(markdown);
    expect(first).toEqual({ line: 4, code: expect.stringContaining("'one'"), context: '' });
    expect(second).toEqual({
      line: 16,
      code: expect.stringContaining('readonly spec'),
      context: expect.stringContaining('class Tables'),
    });
  });

  it('fails a snippet that does not compile, naming its README line', () => {
    const messages = compileSnippets(extractSnippets(markdown));
    expect(messages).toEqual([
      "README.md:5: Type 'string' is not assignable to type 'number'.",
      "README.md:17: Type 'string' is not assignable to type 'number'.",
    ]);
  }, 60_000);
});
