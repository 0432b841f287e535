/**
 * Every relative link of README, CONTRIBUTING and the docs resolves: the file exists, and an
 * `#anchor` names a heading of it as GitHub spells heading anchors. Links in code are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? (entry.name === 'api' ? [] : markdownFiles(path)) : entry.name.endsWith('.md') ? [path] : [];
  });
}

/** The text without fenced code blocks and inline code, where a `[x](y)` is code, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes; repeats get -1, -2, ... */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const headings = markdown.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*$/gm);
  for (const [, heading] of headings) {
    const text = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase();
    const slug = text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** Each relative link target of a markdown text: inline `[text](target)` and reference `[label]: target`. */
function linksOf(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...references].filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Why a link of `from` does not resolve, or undefined when it does. */
function brokenLink(from: string, target: string): string | undefined {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? from : resolve(dirname(from), decodeURIComponent(path));
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return 'an anchor into something that is not markdown';
  return anchorsOf(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()) ? undefined : 'no such heading';
}

describe('links in README and docs', () => {
  const documents = [join(ROOT, 'README.md'), join(ROOT, 'CONTRIBUTING.md'), ...markdownFiles(join(ROOT, 'docs'))];

  it('finds the documents', () => {
    expect(documents.length).toBeGreaterThan(5);
  });

  it('every relative link resolves', () => {
    const broken = documents.flatMap((document) =>
      linksOf(readFileSync(document, 'utf8')).flatMap((target) => {
        const why = brokenLink(document, target);
        return why === undefined ? [] : [`${relative(ROOT, document)}: ${target} (${why})`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('links every document in docs/ from README, CONTRIBUTING or another linked document', () => {
    const linked = new Set<string>();
    const visit = (document: string) => {
      if (linked.has(document) || !existsSync(document) || !document.endsWith('.md')) return;
      linked.add(document);
      for (const target of linksOf(readFileSync(document, 'utf8'))) {
        const path = target.split('#', 1)[0]!;
        if (path !== '') visit(resolve(dirname(document), decodeURIComponent(path)));
      }
    };
    visit(join(ROOT, 'README.md'));
    visit(join(ROOT, 'CONTRIBUTING.md'));
    const orphans = markdownFiles(join(ROOT, 'docs'))
      .filter((document) => !linked.has(document))
      .map((document) => relative(ROOT, document));
    expect(orphans).toEqual([]);
  });
});

describe('the link check', () => {
  it('spells anchors as GitHub does', () => {
    const anchors = anchorsOf(
      '# Cancel with an AbortSignal\n## rxjs-aws/opentelemetry\n## Recipe: save, survive kill -9\n## A\n## A\n',
    );
    expect([...anchors]).toEqual([
      'cancel-with-an-abortsignal',
      'rxjs-awsopentelemetry',
      'recipe-save-survive-kill--9',
      'a',
      'a-1',
    ]);
  });

  it('reads links outside code only', () => {
    expect(linksOf('[a](docs/x.md#y) `[b](c.md)` [d](https://e.org)\n```\n[f](g.md)\n```\n[h]: ../i.md\n')).toEqual([
      'docs/x.md#y',
      '../i.md',
    ]);
  });
});
