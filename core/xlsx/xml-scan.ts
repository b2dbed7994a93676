/**
 * A fast reader for the plain XML worksheets are written in (Excel, LibreOffice, openpyxl and our writer alike):
 * start, end and empty tags, attributes, text and the five predefined and numeric character references, with the
 * line-end and attribute-value normalisation XML 1.0 prescribes (sections 2.11 and 3.3.3). It calls the same
 * handlers as `sax` (xml.ts) with the same names, attributes and text, without saxes's cost per character.
 *
 * Anything outside that subset (comments, CDATA, processing instructions other than the declaration, a DOCTYPE,
 * other entities, names beyond ASCII, characters XML does not allow, tags that do not match) makes it return false
 * at once, and the caller reads the part again with saxes, which either reads it or says how it is malformed. So
 * this reader never accepts what saxes would refuse, and never reads a value differently.
 */
import type { SaxHandlers } from "./xml.js";
import { localName } from "./xml.js";

/** A quick first look: no control character, no surrogate and no U+FFFE/U+FFFF means NOT_XML_CHAR cannot match. */
const SUSPECT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** Characters XML 1.0 does not allow (section 2.2), and surrogates that are not a pair. */
const NOT_XML_CHAR =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** The declaration, as XML 1.0 spells it (section 2.8); version 1.0 only (1.1 has other character rules). */
const DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** One-letter names (c, v, f, r, s, t: most of a worksheet's names) as constants rather than a new string each. */
const LETTERS: string[] = [];
for (let code = 0; code < 128; code++) LETTERS.push(String.fromCharCode(code));
const nameAt = (s: string, start: number, end: number) =>
  end === start + 1 ? LETTERS[s.charCodeAt(start)]! : s.slice(start, end);

/** Outside the subset: the caller reads the part with saxes instead. */
class NotPlain extends Error {}

function isNameStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 58;
}
function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 45 || code === 46;
}
function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/**
 * The character an entity or character reference names (`name` between "&" and ";"): one of XML's five predefined
 * entities (own names only: "constructor" is not one) or a character XML 1.0 allows (§2.2, §4.1); else undefined.
 */
export function referencedChar(name: string): string | undefined {
  if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name];
  const code = /^#[0-9]+$/.test(name)
    ? Number(name.slice(1))
    : /^#x[0-9A-Fa-f]+$/.test(name)
      ? parseInt(name.slice(2), 16)
      : -1;
  const allowed =
    code === 9 ||
    code === 10 ||
    code === 13 ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  return allowed ? String.fromCodePoint(code) : undefined;
}

/** Character references and the predefined entities; any other `&` is outside the subset. */
function decodeEntities(text: string): string {
  let out = "";
  let from = 0;
  for (let amp = text.indexOf("&"); amp >= 0; amp = text.indexOf("&", from)) {
    const semi = text.indexOf(";", amp);
    if (semi < 0) throw new NotPlain();
    const name = text.slice(amp + 1, semi);
    const char = referencedChar(name);
    if (char === undefined) throw new NotPlain();
    out += text.slice(from, amp) + char;
    from = semi + 1;
  }
  return out + text.slice(from);
}

/** Text as XML gives it to an application: line ends as "\n", references decoded. */
function textValue(raw: string): string {
  if (raw.indexOf("]]>") >= 0) throw new NotPlain();
  const lines = raw.indexOf("\r") >= 0 ? raw.replace(/\r\n?/g, "\n") : raw;
  return lines.indexOf("&") >= 0 ? decodeEntities(lines) : lines;
}

/** An attribute's value, s[start, end): line ends, then tabs and newlines, as spaces; then references decoded. */
function attrValue(s: string, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const code = s.charCodeAt(i);
    if (code === 60) throw new NotPlain();
    if (code === 38 || code === 9 || code === 10 || code === 13) plain = false;
  }
  if (plain) return end === start + 1 ? (LETTERS[s.charCodeAt(start)] ?? s.slice(start, end)) : s.slice(start, end);
  let value = s.slice(start, end);
  if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n?/g, "\n").replace(/[\t\n]/g, " ");
  return value.indexOf("&") >= 0 ? decodeEntities(value) : value;
}

/**
 * Read XML text (whole, or in pieces as xmlTextPieces gives a large part) calling the handlers as `sax` would.
 * Returns false, having called the handlers for some of the part, when the part is outside the subset: the caller
 * then starts over with `sax`. `wantsText`, when given, says whether the text about to come is needed, so the
 * text between tags nobody reads is never cut out.
 */
export function scanXml(
  xml: string | Iterable<string>,
  handlers: SaxHandlers & { wantsText?: () => boolean },
): boolean {
  const stack: string[] = [];
  let rootSeen = false;
  let first = true;
  const { open, close, text, wantsText } = handlers;

  // Scan s[pos, end): only whole tags (end is at a "<" or the end of the part).
  const scan = (s: string, from: number, end: number) => {
    let pos = from;
    while (pos < end) {
      let lt = s.indexOf("<", pos);
      if (lt < 0 || lt > end) lt = end;
      if (lt > pos) {
        first = false;
        if (stack.length === 0) {
          for (let i = pos; i < lt; i++) if (!isSpace(s.charCodeAt(i))) throw new NotPlain();
        } else if (text && (!wantsText || wantsText())) text(textValue(s.slice(pos, lt)));
        pos = lt;
        if (pos >= end) break;
      }
      const next = s.charCodeAt(lt + 1);
      if (next === 47) {
        // </name S?>
        const gt = s.indexOf(">", lt);
        if (gt < 0 || gt > end) throw new NotPlain();
        let nameEnd = lt + 2;
        while (nameEnd < gt && isNameChar(s.charCodeAt(nameEnd))) nameEnd++;
        for (let i = nameEnd; i < gt; i++) if (!isSpace(s.charCodeAt(i))) throw new NotPlain();
        const name = nameAt(s, lt + 2, nameEnd);
        if (stack.pop() !== name) throw new NotPlain();
        close?.(localName(name));
        pos = gt + 1;
        continue;
      }
      if (next === 63 && first && lt === 0) {
        const declaration = DECLARATION.exec(s);
        if (!declaration) throw new NotPlain();
        pos = declaration[0].length;
        first = false;
        continue;
      }
      if (!isNameStart(next) || (rootSeen && stack.length === 0)) throw new NotPlain();
      first = false;
      // <name (S attr S? = S? "value")* S? /?>
      let i = lt + 1;
      while (i < end && isNameChar(s.charCodeAt(i))) i++;
      const name = nameAt(s, lt + 1, i);
      let attrs = EMPTY;
      let selfClosing = false;
      for (;;) {
        let spaced = false;
        while (i < end && isSpace(s.charCodeAt(i))) {
          i++;
          spaced = true;
        }
        const code = s.charCodeAt(i);
        if (i >= end) throw new NotPlain();
        if (code === 62) break;
        if (code === 47) {
          if (s.charCodeAt(i + 1) !== 62) throw new NotPlain();
          selfClosing = true;
          i++;
          break;
        }
        if (!spaced || !isNameStart(code)) throw new NotPlain();
        const nameStart = i;
        while (i < end && isNameChar(s.charCodeAt(i))) i++;
        const attrName = nameAt(s, nameStart, i);
        while (i < end && isSpace(s.charCodeAt(i))) i++;
        if (s.charCodeAt(i) !== 61) throw new NotPlain();
        i++;
        while (i < end && isSpace(s.charCodeAt(i))) i++;
        const quote = s.charCodeAt(i);
        if (quote !== 34 && quote !== 39) throw new NotPlain();
        const endQuote = s.indexOf(quote === 34 ? '"' : "'", i + 1);
        if (endQuote < 0 || endQuote >= end) throw new NotPlain();
        // A repeated name is malformed; "__proto__" would not be kept as a plain key (saxes's have no prototype).
        if (attrName === "__proto__") throw new NotPlain();
        if (attrs === EMPTY) attrs = {};
        else if (attrs[attrName] !== undefined) throw new NotPlain();
        attrs[attrName] = attrValue(s, i + 1, endQuote);
        i = endQuote + 1;
      }
      rootSeen = true;
      const local = localName(name);
      open?.(local, attrs, selfClosing);
      if (selfClosing) close?.(local);
      else stack.push(name);
      pos = i + 1;
    }
  };

  try {
    // Each piece is scanned where it lies (a string built by joining pieces reads at half the speed); only the tag
    // cut at a piece's end, with the text before the next piece's first tag, is joined into a small string.
    let carry = "";
    const pieces = typeof xml === "string" ? [xml] : xml;
    for (const piece of pieces) {
      if (SUSPECT_CHAR.test(piece) && NOT_XML_CHAR.test(piece)) throw new NotPlain();
      const firstLt = piece.indexOf("<");
      if (firstLt < 0) {
        carry += piece;
        continue;
      }
      if (carry || firstLt > 0) {
        const head = carry + piece.slice(0, firstLt);
        scan(head, 0, head.length);
      }
      // Up to the last "<": every tag before it is whole (no "<" inside a tag of the subset).
      const last = piece.lastIndexOf("<");
      scan(piece, firstLt, last);
      carry = piece.slice(last);
    }
    if (carry) scan(carry, 0, carry.length);
    return rootSeen && stack.length === 0;
  } catch (error) {
    if (error instanceof NotPlain) return false;
    throw error;
  }
}
