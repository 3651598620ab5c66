// A small, strict XML reader for API Management policy documents: elements, attributes, text,
// comments, CDATA and the five predefined entities (plus character references). Anything else
// (a DOCTYPE, entity declarations, processing instructions past the XML declaration) is refused,
// so no entity expansion or external fetch can happen. One pass with indexOf, an explicit stack
// (no recursion), and a size and depth cap: linear in the input, whatever the input is.

/** One element of a parsed document. */
export interface XmlElement {
  /** The tag name as written (policy element names are lower-case with dashes). */
  name: string;
  /** Attributes by name, values with entities resolved. */
  attributes: Map<string, string>;
  /** Child elements in document order. */
  children: XmlElement[];
  /** The element's own text (CDATA included), concatenated; children's text is not included. */
  text: string;
  /** Where the element starts, 1-based, for error messages. */
  line: number;
  /** Column of the `<`, 1-based. */
  column: number;
}

/** A document that is not the XML this reader accepts; `line` and `column` point at the mistake. */
export class XmlSyntaxError extends Error {
  /** 1-based line of the mistake. */
  readonly line: number;
  /** 1-based column of the mistake. */
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'XmlSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const MAX_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;
const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Line starts, computed once, so every position lookup is a binary search. */
function positions(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}

/** Parse a document with exactly one root element. Throws {@link XmlSyntaxError}. */
export function parseXml(source: string): XmlElement {
  const where = positions(source);
  const fail = (message: string, offset: number): never => {
    const { line, column } = where(Math.min(offset, source.length));
    throw new XmlSyntaxError(message, line, column);
  };
  if (source.length > MAX_BYTES) fail(`the document is larger than ${MAX_BYTES} characters`, 0);

  const decode = (raw: string, offset: number): string => {
    if (!raw.includes('&')) return raw;
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
      out += raw.slice(from, amp);
      const semi = raw.indexOf(';', amp);
      if (semi === -1 || semi - amp > 10) fail('an "&" that starts no entity (write &amp;)', offset + amp);
      const name = raw.slice(amp + 1, semi);
      let value: string | undefined;
      if (/^#[0-9]{1,7}$/.test(name)) value = String.fromCodePoint(Math.min(Number(name.slice(1)), 0x10ffff));
      else if (/^#x[0-9A-Fa-f]{1,6}$/.test(name)) value = String.fromCodePoint(Math.min(Number.parseInt(name.slice(2), 16), 0x10ffff));
      else value = ENTITIES[name];
      if (value === undefined) fail(`unknown entity "&${name};" (only &lt; &gt; &amp; &quot; &apos; and character references)`, offset + amp);
      out += value;
      from = semi + 1;
    }
    return out + raw.slice(from);
  };

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (source.startsWith('<?xml', i)) {
    const end = source.indexOf('?>', i);
    if (end === -1) fail('the XML declaration is not closed', i);
    i = end + 2;
  }
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > i) {
      const text = source.slice(i, textEnd);
      const parent = stack.at(-1);
      if (parent) parent.text += decode(text, i);
      else if (text.trim() !== '') fail('text outside the root element', i);
    }
    if (lt === -1) break;
    i = lt;
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end === -1) fail('a comment is not closed', i);
      i = end + 3;
      continue;
    }
    if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i + 9);
      if (end === -1) fail('a CDATA section is not closed', i);
      const parent = stack.at(-1);
      if (!parent) fail('CDATA outside the root element', i);
      parent!.text += source.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (source.startsWith('<!', i)) fail('DOCTYPE and entity declarations are not accepted in a policy document', i);
    if (source.startsWith('<?', i)) fail('processing instructions are not accepted in a policy document', i);
    if (source.charCodeAt(i + 1) === 0x2f) {
      const close = source.indexOf('>', i);
      if (close === -1) fail('a closing tag is not closed', i);
      const name = source.slice(i + 2, close).trim();
      const open = stack.pop();
      if (!open) fail(`</${name}> closes nothing`, i);
      if (open!.name !== name) fail(`</${name}> closes <${open!.name}> (line ${open!.line})`, i);
      i = close + 1;
      continue;
    }
    // A start tag; attribute values may hold ">", so scan it attribute by attribute.
    let j = i + 1;
    const nameStart = j;
    while (j < source.length && !/[\s/>]/.test(source[j]!)) j++;
    const name = source.slice(nameStart, j);
    if (!NAME.test(name)) fail(`"${name.slice(0, 40)}" is not an element name`, i);
    const { line, column } = where(i);
    const element: XmlElement = { name, attributes: new Map(), children: [], text: '', line, column };
    let selfClosing = false;
    for (;;) {
      while (j < source.length && /\s/.test(source[j]!)) j++;
      if (j >= source.length) fail(`<${name}> is not closed`, i);
      if (source.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (source[j] === '>') {
        j++;
        break;
      }
      const attrStart = j;
      while (j < source.length && !/[\s=/>]/.test(source[j]!)) j++;
      const attr = source.slice(attrStart, j);
      if (!NAME.test(attr)) fail(`"${attr.slice(0, 40)}" is not an attribute name`, attrStart);
      while (j < source.length && /\s/.test(source[j]!)) j++;
      if (source[j] !== '=') fail(`attribute ${attr} has no value (write ${attr}="…")`, attrStart);
      j++;
      while (j < source.length && /\s/.test(source[j]!)) j++;
      const quote = source[j];
      if (quote !== '"' && quote !== "'") fail(`the value of ${attr} must be quoted`, j);
      const end = source.indexOf(quote!, j + 1);
      if (end === -1) fail(`the value of ${attr} is not closed`, j);
      const raw = source.slice(j + 1, end);
      if (raw.includes('<')) fail(`the value of ${attr} contains "<" (write &lt;)`, j);
      if (element.attributes.has(attr)) fail(`attribute ${attr} appears twice on <${name}>`, attrStart);
      element.attributes.set(attr, decode(raw, j + 1));
      j = end + 1;
    }
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) fail(`a second root element <${name}>; a policy document has one root`, i);
    else root = element;
    if (!selfClosing) {
      if (stack.length >= MAX_DEPTH) fail(`elements are nested more than ${MAX_DEPTH} deep`, i);
      stack.push(element);
    }
    i = j;
  }
  if (stack.length > 0) fail(`<${stack.at(-1)!.name}> (line ${stack.at(-1)!.line}) is not closed`, source.length);
  if (!root) fail('the document has no element', 0);
  return root!;
}
