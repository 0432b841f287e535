import { PaginationError } from '../errors/PaginationError';
import { base64ToBytes, bytesToBase64 } from './base64';
import { MAX_DEPTH, pathText } from './canonicalJson';
import { isPlainRecord } from '../util/isPlainRecord';

/** What the codec should know about the paginator's input tokens, beyond their names. */
export interface StartingTokenOptions {
  /**
   * Input tokens whose values are maps (DynamoDB's `ExclusiveStartKey`): a raw string can never be one, so a
   * starting token giving one a string is refused instead of reaching the service.
   * @default []
   */
  readonly mapTokens?: readonly string[];
}

/** A starting token taken apart: what to send, and how much of the first page to skip. */
export interface DecodedStartingToken {
  /** The service tokens, keyed by input token name (values may be any JSON, or Uint8Array for bytes). Missing ones are null. */
  readonly tokens: Readonly<Record<string, unknown>>;
  /** botocore's boto_truncate_amount: how many items of the first page's primary result key were already delivered. 0 if absent. */
  readonly truncate: number;
}

type Path = (string | number)[];

/**
 * The longest starting token accepted, sealed or not, in characters: 1 MiB. The tokens AWS services return
 * are a few KB; a longer one is refused before it is opened or parsed, so that a forged 40 MB token costs
 * nothing to refuse.
 */
export const MAX_STARTING_TOKEN_LENGTH = 1_048_576;
// Python's int() reads at most this many digits (sys.get_int_max_str_digits()): beyond, botocore would send an
// old-style token whole to the service as its own.
const PY_INT_MAX_DIGITS = 4300;
const ENCODED_KEYS = 'boto_encoded_keys';
const TRUNCATE = 'boto_truncate_amount';
// Python's b64decode would skip junk characters; a token is only botocore's if it is clean base64.
// A plain character run and a length check, not a repeated group: that would overflow the regexp stack on a 5 MB token.
const BASE64_CHARS = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Python's json reads these; JSON.parse does not.
const PYTHON_CONSTANTS = /NaN|-?Infinity/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
// What Python's int() strips: ASCII whitespace (not \x1c-\x1f) and Unicode spaces (not the BOM, unlike JS's \s).
const PY_SPACE = '[\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_INT = new RegExp(`^${PY_SPACE}*([+-]?)(\\p{Nd}(?:_?\\p{Nd})*)${PY_SPACE}*$`, 'u');

/**
 * botocore TokenEncoder.encode: base64( Python json.dumps(token) ). Byte-identical to botocore,
 * so the token can be handed to botocore or the AWS CLI as a starting token. Uint8Array values
 * become base64 strings listed under `boto_encoded_keys`; integral numbers print as Python ints, NaN and
 * infinities as json.dumps spells them (`NaN`, `Infinity`, `-Infinity`), which {@link decodeStartingToken} reads back.
 *
 * @example
 * ```ts
 * encodeResumeToken({ NextToken: 'abc', boto_truncate_amount: 2 });
 * // 'eyJOZXh0VG9rZW4iOiAiYWJjIiwgImJvdG9fdHJ1bmNhdGVfYW1vdW50IjogMn0='
 * ```
 * @throws {PaginationError} for a value json.dumps cannot write (a Date, a Map, a function), a cycle, nesting
 * deeper than 512 levels, or a token longer than {@link MAX_STARTING_TOKEN_LENGTH}, naming where it is.
 */
export function encodeResumeToken(token: Readonly<Record<string, unknown>>): string {
  const bytePaths: Path[] = [];
  const entries = Object.entries(token).map(([key, value]) => [key, dumps(value, [key], bytePaths, [token])]);
  if (bytePaths.length > 0) {
    // Assigning to a Python dict keeps an existing key's position, else appends.
    const entry = [ENCODED_KEYS, dumps(bytePaths, [], [], [])];
    const at = entries.findIndex(([key]) => key === ENCODED_KEYS);
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
  }
  const json = `{${entries.map(([key, value]) => `${quote(key!)}: ${value}`).join(', ')}}`;
  const length = Math.ceil(json.length / 3) * 4;
  if (length > MAX_STARTING_TOKEN_LENGTH) {
    // A token no starting token could carry back: said now, naming the member that makes it so long.
    const [largest] = entries.reduce((a, b) => (b[1]!.length > a[1]!.length ? b : a));
    throw unwritable(
      [largest!],
      `makes it ${length} characters long, and a starting token may have at most ${MAX_STARTING_TOKEN_LENGTH}`,
    );
  }
  return btoa(json); // json.dumps escapes to ASCII, so btoa takes it as is
}

/**
 * botocore's _parse_starting_token: a token from {@link encodeResumeToken} (or botocore), else the
 * deprecated `tok1___tok2___truncate` form, else one raw service token. Stricter than botocore:
 * keys that are not input tokens and malformed metadata throw instead of reaching the request.
 *
 * @example
 * ```ts
 * decodeStartingToken('a___b___3', ['Marker', 'Prefix']); // { tokens: { Marker: 'a', Prefix: 'b' }, truncate: 3 }
 * decodeStartingToken('abc123', ['NextToken']);           // { tokens: { NextToken: 'abc123' }, truncate: 0 }
 * decodeStartingToken('', ['NextToken']);                 // { tokens: { NextToken: null }, truncate: 0 }
 * ```
 * An empty string is no token (botocore would send it as one). NaN and infinities are read as Python's json does.
 * @throws {PaginationError} when the token does not fit the paginator's input tokens, nests deeper than 512
 * levels, or gives a map token (`options.mapTokens`) something other than a map.
 */
export function decodeStartingToken(
  token: string,
  inputTokens: readonly string[],
  options: StartingTokenOptions = {},
): DecodedStartingToken {
  const decoded = decode(token, inputTokens);
  for (const name of options.mapTokens ?? []) {
    const value = decoded.tokens[name];
    if (value !== null && value !== undefined && !isPlainRecord(value)) {
      const shown =
        typeof value === 'string'
          ? `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`
          : `a ${typeof value}`;
      throw bad(
        `it gives ${JSON.stringify(name)} ${shown}, but ${JSON.stringify(name)} takes a map, which only a token from resumeTokenOf (or botocore) can carry`,
      );
    }
  }
  return decoded;
}

/**
 * Refuses a starting token longer than {@link MAX_STARTING_TOKEN_LENGTH}, before anything reads it: called
 * on the token as given, before a signer opens it.
 * @throws {PaginationError} saying how long it is.
 * @internal
 */
export function refuseOversizedToken(token: string): void {
  if (token.length > MAX_STARTING_TOKEN_LENGTH) {
    throw bad(
      `it is ${token.length} characters long, and a starting token may have at most ${MAX_STARTING_TOKEN_LENGTH} ` +
        '(the tokens AWS services return are a few KB)',
    );
  }
}

function decode(token: string, inputTokens: readonly string[]): DecodedStartingToken {
  refuseOversizedToken(token);
  if (token === '') return { tokens: Object.fromEntries(inputTokens.map((name) => [name, null])), truncate: 0 };
  const dict = botocoreDict(token);
  if (dict === undefined) return deprecated(token, inputTokens);
  const encodedKeys = dict[ENCODED_KEYS];
  delete dict[ENCODED_KEYS];
  if (encodedKeys !== null && encodedKeys !== undefined) decodeBytes(dict, encodedKeys);
  const truncate = truncateAmount(Object.hasOwn(dict, TRUNCATE) ? dict[TRUNCATE] : 0);
  delete dict[TRUNCATE];
  const unexpected = Object.keys(dict).filter((key) => !inputTokens.includes(key));
  if (unexpected.length > 0) {
    throw bad(`unexpected key(s) ${list(unexpected)}; this paginator's input tokens are ${list(inputTokens)}`);
  }
  return {
    tokens: Object.fromEntries(inputTokens.map((name) => [name, Object.hasOwn(dict, name) ? dict[name] : null])),
    truncate,
  };
}

/** The JSON object inside a base64 token, or undefined when the token is not in botocore's format. */
function botocoreDict(token: string): Record<string, unknown> | undefined {
  if (!isBase64(token)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(base64ToBytes(token));
  } catch {
    return undefined;
  }
  const parsed = loads(text);
  // botocore would crash on a JSON scalar and fall back on a list; neither is its format.
  return isPlainRecord(parsed) ? parsed : undefined;
}

/** Clean, padded standard base64. */
function isBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64_CHARS.test(text);
}

/**
 * Python's json.loads: JSON, plus NaN, Infinity and -Infinity. Undefined when it is not JSON. JSON.parse reads
 * any depth; deeper than {@link MAX_DEPTH} is refused here, where Python would fail with a RecursionError.
 */
function loads(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = loadsWithConstants(text);
  }
  if (parsed !== undefined && !withinDepth(parsed)) throw bad(`it nests deeper than ${MAX_DEPTH} levels`);
  return parsed;
}

/**
 * JSON with Python's constants: outside strings, infinities become 1e999 (which both parsers read as infinity)
 * and NaN a marker string, put back after parsing. A marker met more often than it was written was in the
 * token already: then another marker is tried.
 */
function loadsWithConstants(text: string): unknown {
  if (!text.includes('NaN') && !text.includes('Infinity')) return undefined;
  for (let marker = '\u0000NaN'; ; marker += '\u0000') {
    let written = 0;
    const replaced = outsideStrings(text, (code) =>
      code.replace(PYTHON_CONSTANTS, (constant) => {
        if (constant !== 'NaN') return constant.startsWith('-') ? '-1e999' : '1e999';
        written++;
        return JSON.stringify(marker);
      }),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(replaced);
    } catch {
      return undefined;
    }
    const found = { count: 0 };
    const revived = revive(parsed, marker, found);
    if (found.count === written) return revived;
  }
}

/** `text` with `edit` applied to each stretch outside JSON strings. */
function outsideStrings(text: string, edit: (code: string) => string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return out + edit(text.slice(at));
    let end = quote + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    out += edit(text.slice(at, quote)) + text.slice(quote, end + 1);
    at = end + 1;
  }
  return out;
}

/** `value` with the marker strings made NaN again, counting them; iterative, as the depth is not checked yet. */
function revive(value: unknown, marker: string, found: { count: number }): unknown {
  if (value === marker) {
    found.count++;
    return NaN;
  }
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const container = pending.pop();
    if (typeof container !== 'object' || container === null) continue;
    const record = container as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const member = record[key];
      if (member === marker) {
        found.count++;
        record[key] = NaN;
      } else if (typeof member === 'object' && member !== null) pending.push(member);
    }
  }
  return value;
}

/** True when `value` (parsed JSON) nests at most {@link MAX_DEPTH} levels; iterative, as it may be far deeper. */
function withinDepth(value: unknown): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [container, depth] = pending.pop()!;
    if (typeof container !== 'object' || container === null) continue;
    if (depth > MAX_DEPTH) return false;
    for (const member of Object.values(container)) {
      if (typeof member === 'object' && member !== null) pending.push([member, depth + 1]);
    }
  }
  return true;
}

function deprecated(token: string, inputTokens: readonly string[]): DecodedStartingToken {
  let parts = token.split('___');
  let truncate = 0;
  if (parts.length === inputTokens.length + 1) {
    const last = parts[parts.length - 1]!;
    const index = pythonInt(last);
    if (index === TOO_MANY_DIGITS) {
      throw bad(
        `its last "___"-separated part, the truncate amount, has more than ${PY_INT_MAX_DIGITS} digits, more than ` +
          "Python's int() reads (botocore would send the whole text to the service as one token)",
      );
    }
    // A last part that is no int means this was never an old-style token: it is the service's own.
    if (index === undefined) parts = [token];
    else [truncate, parts] = [truncateAmount(index), parts.slice(0, -1)];
  }
  if (parts.length > inputTokens.length) {
    throw bad(
      `${JSON.stringify(token)} has ${parts.length} "___"-separated parts but the input tokens are only ${list(inputTokens)}`,
    );
  }
  const tokens = inputTokens.map((name, i) => [name, parts[i] === undefined || parts[i] === 'None' ? null : parts[i]]);
  return { tokens: Object.fromEntries(tokens), truncate };
}

function decodeBytes(dict: Record<string, unknown>, encodedKeys: unknown): void {
  if (!Array.isArray(encodedKeys)) throw bad(`${ENCODED_KEYS} must be a list of paths, not ${JSON.stringify(encodedKeys)}`);
  for (const path of encodedKeys as unknown[]) {
    const shown = JSON.stringify(path);
    if (!Array.isArray(path) || path.length === 0) throw bad(`${ENCODED_KEYS} entry ${shown} is not a non-empty path`);
    const parent = path.slice(0, -1).reduce((container: unknown, step: unknown) => child(container, step, shown), dict);
    const value = child(parent, path[path.length - 1], shown);
    if (typeof value !== 'string' || !isBase64(value))
      throw bad(`${ENCODED_KEYS} path ${shown} does not lead to a base64 string`);
    (parent as Record<string | number, unknown>)[path[path.length - 1] as string | number] = base64ToBytes(value);
  }
}

function child(container: unknown, step: unknown, shown: string): unknown {
  if (Array.isArray(container) && Number.isInteger(step) && (step as number) >= 0 && (step as number) < container.length) {
    return container[step as number];
  }
  if (isPlainRecord(container) && typeof step === 'string' && Object.hasOwn(container, step)) return container[step];
  throw bad(`${ENCODED_KEYS} path ${shown} does not exist in the token`);
}

function truncateAmount(value: unknown): number {
  const amount = typeof value === 'bigint' ? Number(value) : value;
  if (typeof amount === 'number' && Number.isSafeInteger(amount) && amount >= 0) return amount + 0; // no -0
  throw bad(
    `the truncate amount must be a non-negative integer, not ${typeof value === 'bigint' ? value : JSON.stringify(value)}`,
  );
}

const TOO_MANY_DIGITS = Symbol('too many digits');

/**
 * Python's int(text), which also takes any Unicode decimal digits and `_` between digits, and refuses more than
 * {@link PY_INT_MAX_DIGITS} digits (signs, spaces and `_` not counted) as Python does.
 */
function pythonInt(text: string): bigint | undefined | typeof TOO_MANY_DIGITS {
  const match = PY_INT.exec(text);
  if (!match) return undefined;
  const digits = [...match[2]!.replaceAll('_', '')];
  if (digits.length > PY_INT_MAX_DIGITS) return TOO_MANY_DIGITS;
  const magnitude = BigInt(digits.map(digitValue).join(''));
  return match[1] === '-' ? -magnitude : magnitude;
}

// Unicode lays out each set of decimal digits as an unbroken run 0..9, sets sometimes back to back.
function digitValue(digit: string): number {
  const code = digit.codePointAt(0)!;
  let start = code;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (code - start) % 10;
}

/** Python's json.dumps with default options, walking bytes out into `bytePaths` as TokenEncoder does. */
function dumps(value: unknown, path: Path, bytePaths: Path[], parents: object[]): string {
  if (value === null || value === undefined) return 'null'; // undefined: an absent member is Python's None
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return pythonNumber(value);
  if (Object.prototype.toString.call(value) === '[object Uint8Array]') {
    bytePaths.push(path);
    const bytes = value as Uint8Array;
    return quote(bytesToBase64(bytes));
  }
  if (Array.isArray(value) || isPlainRecord(value)) {
    if (parents.includes(value)) throw unwritable(path, 'refers to itself (a cycle)');
    if (parents.length === MAX_DEPTH) throw unwritable(path, `nests deeper than ${MAX_DEPTH} levels`);
    parents.push(value);
    const out = Array.isArray(value)
      ? `[${Array.from(value, (item, i) => dumps(item, [...path, i], bytePaths, parents)).join(', ')}]`
      : `{${Object.entries(value)
          .map(([k, v]) => `${quote(k)}: ${dumps(v, [...path, k], bytePaths, parents)}`)
          .join(', ')}}`;
    parents.pop();
    return out;
  }
  const type = typeof value === 'object' ? Object.prototype.toString.call(value).slice(8, -1) : typeof value;
  throw unwritable(path, `is of type ${type}: Object of type ${type} is not JSON serializable`);
}

function unwritable(path: Path, what: string): PaginationError {
  return new PaginationError(
    `The resume token cannot be written: ${path.length ? `its member ${pathText(path)}` : 'it'} ${what}`,
  );
}

function quote(text: string): string {
  // Per UTF-16 unit, so astral characters come out as surrogate pairs, as ensure_ascii does.
  return `"${text.replace(/[\\"]|[^ -~]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Integral numbers as Python ints (as JSON would have parsed them), others as Python's float repr. */
function pythonNumber(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const [mantissa, exponent] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // digits before the decimal point
  const sign = n < 0 ? '-' : '';
  if (point <= -4 || point > 16) {
    const e = Number(exponent);
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point).padEnd(1, '0')}`;
}

function list(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.map((name) => JSON.stringify(name)).join(', ');
}

function bad(detail: string): PaginationError {
  return new PaginationError(`Bad starting token: ${detail}`);
}

/** The tokens to resume with, plus botocore's `boto_truncate_amount` inside a cut page. Encoded only on request: it is rarely asked for. */
export type ResumePoint = Readonly<Record<string, unknown>>;
