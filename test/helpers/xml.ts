/**
 * A strict parser for the XML subset a JUnit report uses (declaration, elements, attributes, text,
 * the five entities and numeric references); no XML package is installed. Anything outside that
 * subset, a mismatched or unclosed tag, a duplicate attribute, a raw `<` or `&` throws, so a test
 * that parses a report proves it is well-formed.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`raw "<" or "&" near offset ${where}`);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(raw)) throw new Error(`character not allowed in XML 1.0 near offset ${where}`);
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_all, ref: string) =>
    ref.startsWith('#x') ? String.fromCodePoint(parseInt(ref.slice(2), 16)) : ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1))) : ENTITIES[ref]!,
  );
}

export function parseXml(xml: string): XmlElement {
  let at = 0;
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!declaration) throw new Error('missing <?xml version="1.0" encoding="UTF-8"?> declaration');
  at = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < xml.length) {
    const next = xml.indexOf('<', at);
    const textEnd = next === -1 ? xml.length : next;
    const raw = xml.slice(at, textEnd);
    if (stack.length === 0) {
      if (raw.trim() !== '') throw new Error(`text outside the root element at offset ${at}`);
    } else stack[stack.length - 1]!.text += decode(raw, at);
    if (next === -1) break;
    at = next;
    if (xml.startsWith('</', at)) {
      const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(at));
      const open = stack.pop();
      if (!close || !open || close[1] !== open.name) throw new Error(`mismatched closing tag at offset ${at}`);
      at += close[0].length;
      continue;
    }
    const name = NAME.exec(xml.slice(at + 1));
    if (!name) throw new Error(`bad tag at offset ${at}`);
    const element: XmlElement = { name: name[0], attributes: {}, children: [], text: '' };
    at += 1 + name[0].length;
    for (;;) {
      const attribute = /^\s+([A-Za-z_][\w.-]*)="([^"]*)"/.exec(xml.slice(at));
      if (!attribute) break;
      if (attribute[1]! in element.attributes) throw new Error(`duplicate attribute ${attribute[1]} at offset ${at}`);
      element.attributes[attribute[1]!] = decode(attribute[2]!, at);
      at += attribute[0].length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(at));
    if (!end) throw new Error(`unterminated tag <${element.name}> at offset ${at}`);
    at += end[0].length;
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
    else if (root) throw new Error('more than one root element');
    else root = element;
    if (end[1] !== '/') stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
