/**
 * The roll-up's XML reader over a part's UTF-8 bytes, never decoding what its caller does not ask for (a large
 * Fidelity sheet is mostly formula text the roll-up only needs to know is there). It accepts a strict subset of the
 * plain XML core/xlsx/xml-scan.ts accepts: start, end and empty tags with ASCII names, attributes, text with the five
 * predefined and numeric character references, and the declaration at the very start. Everything else (a comment,
 * CDATA, a processing instruction, a DOCTYPE, a name beyond ASCII, a character XML 1.0 does not allow (section 2.2),
 * "]]>" in text, an unknown entity, tags that do not match, UTF-16, a byte order mark after the first) makes it
 * return false, and the caller reads the workbook with the general reader instead, which reads it or says how it is
 * malformed. So it never accepts what the general reader refuses, and where it accepts it reads the same values.
 */
import { referencedChar } from "../xlsx/xml-scan.js";

/** Outside the subset: the caller reads the workbook with the general reader. */
export class NotPlainBytes extends Error {}

/** The declaration, as XML 1.0 spells it (section 2.8); version 1.0 only, as core/xlsx/xml-scan.ts reads it. */
const DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/;

const LT = 60;
const GT = 62;
const SLASH = 47;
const QUESTION = 63;
const EQUALS = 61;
const AMP = 38;
const SEMI = 59;
const COLON = 58;

const isNameStart = (b: number) => (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b === 95 || b === COLON;
const isNameChar = (b: number) => isNameStart(b) || (b >= 48 && b <= 57) || b === 45 || b === 46;
const isSpace = (b: number) => b === 32 || b === 10 || b === 9 || b === 13;

/** The attributes of the tag just opened, as byte ranges into the part (valid until the next tag). */
export class ByteAttrs {
  count = 0;
  nameStart = new Int32Array(16);
  nameEnd = new Int32Array(16);
  valueStart = new Int32Array(16);
  valueEnd = new Int32Array(16);
  /** The bytes the ranges are in: the part, or the piece of it being scanned. */
  constructor(public bytes: Uint8Array) {}

  /** Index of the attribute named `name` (ASCII, as written, prefix included), or -1. */
  find(name: string): number {
    const bytes = this.bytes;
    outer: for (let i = 0; i < this.count; i++) {
      const start = this.nameStart[i]!;
      if (this.nameEnd[i]! - start !== name.length) continue;
      for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name.charCodeAt(k)) continue outer;
      return i;
    }
    return -1;
  }

  private push(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    if (this.count === this.nameStart.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.nameStart = grow(this.nameStart);
      this.nameEnd = grow(this.nameEnd);
      this.valueStart = grow(this.valueStart);
      this.valueEnd = grow(this.valueEnd);
    }
    // A name given twice is malformed.
    const bytes = this.bytes;
    const length = nameEnd - nameStart;
    outer: for (let i = 0; i < this.count; i++) {
      const start = this.nameStart[i]!;
      if (this.nameEnd[i]! - start !== length) continue;
      for (let k = 0; k < length; k++) if (bytes[start + k] !== bytes[nameStart + k]) continue outer;
      throw new NotPlainBytes();
    }
    const i = this.count++;
    this.nameStart[i] = nameStart;
    this.nameEnd[i] = nameEnd;
    this.valueStart[i] = valueStart;
    this.valueEnd[i] = valueEnd;
  }

  /** Parse attributes from `at` to the tag's end; returns the index of its ">" (or of "/" in "/>"). */
  parse(at: number, end: number): number {
    const bytes = this.bytes;
    this.count = 0;
    let i = at;
    for (;;) {
      let spaced = false;
      while (i < end && isSpace(bytes[i]!)) {
        i++;
        spaced = true;
      }
      if (i >= end) throw new NotPlainBytes();
      const b = bytes[i]!;
      if (b === GT) return i;
      if (b === SLASH) {
        if (bytes[i + 1] !== GT) throw new NotPlainBytes();
        return i;
      }
      if (!spaced || !isNameStart(b)) throw new NotPlainBytes();
      const nameStart = i;
      while (i < end && isNameChar(bytes[i]!)) i++;
      const nameEnd = i;
      while (i < end && isSpace(bytes[i]!)) i++;
      if (bytes[i] !== EQUALS) throw new NotPlainBytes();
      i++;
      while (i < end && isSpace(bytes[i]!)) i++;
      const quote = bytes[i];
      if (quote !== 34 && quote !== 39) throw new NotPlainBytes();
      const endQuote = bytes.indexOf(quote, i + 1);
      if (endQuote < 0 || endQuote >= end) throw new NotPlainBytes();
      // "__proto__" is not kept as a plain key by the general reader's attribute objects.
      if (nameEnd - nameStart === 9 && latin1(bytes, nameStart, nameEnd) === "__proto__") throw new NotPlainBytes();
      checkValue(bytes, i + 1, endQuote);
      this.push(nameStart, nameEnd, i + 1, endQuote);
      i = endQuote + 1;
    }
  }

  /**
   * The value of attribute `i` when it is plain (no reference, no tab or line end, ASCII), else undefined: callers
   * send such a value to the general reader rather than normalise it here.
   */
  plain(i: number): string | undefined {
    const bytes = this.bytes;
    const start = this.valueStart[i]!;
    const end = this.valueEnd[i]!;
    for (let k = start; k < end; k++) {
      const b = bytes[k]!;
      if (b === AMP || b < 32 || b > 126) return undefined;
    }
    return latin1(bytes, start, end);
  }
}

/** ASCII (or Latin-1) bytes to a string, without a decoder's cost per call for the short values of a sheet. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 12) {
    let out = "";
    for (let k = start; k < end; k++) out += String.fromCharCode(bytes[k]!);
    return out;
  }
  if (end - start <= 1024) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let out = "";
  for (let at = start; at < end; at += 1024)
    out += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + 1024)) as unknown as number[]);
  return out;
}

const utf8 = new TextDecoder("utf-8");

/**
 * Text as XML gives it to an application (line ends as "\n", references decoded), from bytes the scanner has
 * checked (scanXmlBytes): every reference in them is a valid one.
 */
export function textOf(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  let special = false;
  for (let k = start; k < end; k++) {
    const b = bytes[k]!;
    if (b > 127) ascii = false;
    else if (b === AMP || b === 13) special = true;
  }
  const raw = ascii ? latin1(bytes, start, end) : utf8.decode(bytes.subarray(start, end));
  if (!special) return raw;
  const lines = raw.indexOf("\r") >= 0 ? raw.replace(/\r\n?/g, "\n") : raw;
  return lines.indexOf("&") >= 0 ? decodeReferences(lines) : lines;
}

function decodeReferences(text: string): string {
  let out = "";
  let from = 0;
  for (let amp = text.indexOf("&"); amp >= 0; amp = text.indexOf("&", from)) {
    const semi = text.indexOf(";", amp);
    out += text.slice(from, amp) + referencedChar(text.slice(amp + 1, semi))!;
    from = semi + 1;
  }
  return out + text.slice(from);
}

/**
 * Check an attribute value: only characters XML allows (no control character but tab and line ends, no U+FFFE or
 * U+FFFF; a malformed UTF-8 sequence reads as U+FFFD, as the general reader decodes it), every "&" a valid
 * reference, no "<". Text is checked the same way as it is scanned (scanXmlBytes), with no "]]>" in it.
 */
function checkValue(bytes: Uint8Array, start: number, end: number): void {
  for (let k = start; k < end; k++) {
    const b = bytes[k]!;
    if (b >= 0x20 && b !== AMP && b !== LT && b !== 0xef) continue;
    if (b === LT) throw new NotPlainBytes();
    k = checkSpecial(bytes, k, end, b);
  }
}

/** Whether bytes[start, end) spell lt, gt, amp, quot or apos (the formulas' many references, without a string). */
function predefinedAt(bytes: Uint8Array, start: number, end: number): boolean {
  const a = bytes[start];
  switch (end - start) {
    case 2:
      return (a === 108 || a === 103) && bytes[start + 1] === 116; // lt gt
    case 3:
      return a === 97 && bytes[start + 1] === 109 && bytes[start + 2] === 112; // amp
    case 4:
      return (
        (a === 113 && bytes[start + 1] === 117 && bytes[start + 2] === 111 && bytes[start + 3] === 116) || // quot
        (a === 97 && bytes[start + 1] === 112 && bytes[start + 2] === 111 && bytes[start + 3] === 115) // apos
      );
    default:
      return false;
  }
}

/** A control character, a reference or a 0xEF lead byte at k: throws, or returns where checking goes on from. */
function checkSpecial(bytes: Uint8Array, k: number, end: number, b: number): number {
  if (b < 0x20) {
    if (b !== 9 && b !== 10 && b !== 13) throw new NotPlainBytes();
    return k;
  }
  if (b === AMP) {
    // The name runs to the next ";" in this text or value, as the general reader looks for it.
    const semi = bytes.indexOf(SEMI, k);
    if (semi < 0 || semi >= end || semi - k > 12) throw new NotPlainBytes();
    if (!predefinedAt(bytes, k + 1, semi) && referencedChar(latin1(bytes, k + 1, semi)) === undefined)
      throw new NotPlainBytes();
    return semi;
  }
  if (b === 0xef && bytes[k + 1] === 0xbf && (bytes[k + 2] === 0xbe || bytes[k + 2] === 0xbf))
    throw new NotPlainBytes();
  return k;
}

/**
 * What a reader of one kind of part does with the tags and text the scanner meets. Ranges are into `bytes`: the
 * whole part, or the piece of it being scanned (a part inflated in chunks); they stay valid after the call.
 */
export interface ByteXmlHandler {
  /** `nameStart` and `nameEnd`: the tag's local name (after its prefix) as a byte range; `attrs` holds its attributes. */
  open(bytes: Uint8Array, nameStart: number, nameEnd: number, attrs: ByteAttrs, selfClosing: boolean): void;
  close(bytes: Uint8Array, nameStart: number, nameEnd: number): void;
  /** Text between tags inside the root, bytes[start, end), already checked, whole; only called when wanted. */
  text(bytes: Uint8Array, start: number, end: number): void;
  wantsText(): boolean;
}

/**
 * Read a part's bytes, calling the handler as the general reader would call its handlers, or throw NotPlainBytes
 * when the part is outside the subset (having called the handler for some of it).
 */
export function scanXmlBytes(bytes: Uint8Array, handler: ByteXmlHandler): void {
  new XmlByteScanner(handler).push(bytes, true);
}

/**
 * The same reading over a part given in pieces as it inflates (push each, the last with `final`), so a large sheet
 * is never held whole. Each push scans up to the last "<" it holds: every tag and text before it is complete (no
 * tag, text or reference of the subset holds a "<"), and the rest waits for the next piece. So the handler meets
 * the same tags and the same whole texts wherever the pieces were cut.
 */
export class XmlByteScanner {
  private carry: Uint8Array | undefined;
  private started = false;
  private rootSeen = false;
  private depth = 0;
  private readonly attrs = new ByteAttrs(new Uint8Array(0));
  // The open elements' names, copied (the piece they were in is gone when they close).
  private names = new Uint8Array(1024);
  private nameAt = new Int32Array(65);

  constructor(private readonly handler: ByteXmlHandler) {}

  push(piece: Uint8Array, final: boolean): void {
    if (Object.getPrototypeOf(piece) !== Uint8Array.prototype) throw new TypeError("a plain Uint8Array (plainBytes)");
    let bytes = piece;
    let from = 0;
    if (this.carry && this.started) {
      // What was kept, joined to this piece up to its first "<": the tag (or text) it ends is then whole, and the
      // piece itself is scanned where it lies rather than copied.
      const first = piece.indexOf(LT);
      if (first >= 0) {
        const head = new Uint8Array(this.carry.length + first);
        head.set(this.carry);
        for (let k = 0; k < first; k++) head[this.carry.length + k] = piece[k]!;
        this.carry = undefined;
        this.scan(head, 0, head.length, false);
        from = first;
      }
    }
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + piece.length);
      bytes.set(this.carry);
      bytes.set(piece, this.carry.length);
      this.carry = undefined;
    }
    let end = final ? bytes.length : bytes.lastIndexOf(LT);
    // The part's start (a byte order mark, the declaration) is read once its first tag is whole.
    if (!this.started && !final) {
      const first = bytes.indexOf(LT);
      if (first < 0 || first >= end) end = 0;
    }
    if (end <= 0) {
      if (final) this.scan(bytes, 0, 0, true);
      else if (bytes.length) this.carry = bytes;
      return;
    }
    if (end < from) end = from;
    this.scan(bytes, from, end, final);
    if (!final && end < bytes.length) this.carry = bytes.slice(end);
  }

  private scan(bytes: Uint8Array, from: number, end: number, final: boolean): void {
    const handler = this.handler;
    const attrs = this.attrs;
    attrs.bytes = bytes;
    let pos = from;
    if (!this.started && end > 0) {
      this.started = true;
      // UTF-8 with a byte order mark is read as without; UTF-16, or a second mark, goes to the general reader.
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
      if (bytes[pos] === 0xef && bytes[pos + 1] === 0xbb && bytes[pos + 2] === 0xbf) throw new NotPlainBytes();
      if (bytes[pos] === 0xff || bytes[pos] === 0xfe) throw new NotPlainBytes();
      if (bytes[pos] === LT && bytes[pos + 1] === QUESTION) {
        const close = bytes.indexOf(GT, pos);
        if (close < 0 || close >= end || close - pos > 300) throw new NotPlainBytes();
        const declaration = DECLARATION.exec(latin1(bytes, pos, close + 1));
        if (!declaration || declaration[0].length !== close + 1 - pos) throw new NotPlainBytes();
        pos = close + 1;
      }
    }
    let depth = this.depth;
    let rootSeen = this.rootSeen;
    while (pos < end) {
      let lt = pos;
      if (depth === 0) {
        while (lt < end && bytes[lt] !== LT) if (!isSpace(bytes[lt++]!)) throw new NotPlainBytes();
      } else {
        // Up to the next "<", checked as text on the way (one pass over each byte: a large sheet is mostly text).
        for (; lt < end; lt++) {
          const b = bytes[lt]!;
          if (b >= 0x20 && b !== LT && b !== AMP && b !== 93 && b !== 0xef) continue;
          if (b === LT) break;
          if (b === 93) {
            if (bytes[lt + 1] === 93 && bytes[lt + 2] === GT) throw new NotPlainBytes();
          } else lt = checkSpecial(bytes, lt, end, b);
        }
        if (lt > pos && handler.wantsText()) handler.text(bytes, pos, lt);
      }
      if (lt >= end) break;
      pos = lt;
      const next = bytes[lt + 1]!;
      if (next === SLASH) {
        // </name S?>
        let nameEnd = lt + 2;
        while (nameEnd < end && isNameChar(bytes[nameEnd]!)) nameEnd++;
        let gt = nameEnd;
        while (gt < end && isSpace(bytes[gt]!)) gt++;
        if (gt >= end || bytes[gt] !== GT || depth === 0) throw new NotPlainBytes();
        depth--;
        const start = this.nameAt[depth]!;
        const length = nameEnd - (lt + 2);
        if (this.nameAt[depth + 1]! - start !== length) throw new NotPlainBytes();
        const names = this.names;
        for (let k = 0; k < length; k++) if (names[start + k] !== bytes[lt + 2 + k]) throw new NotPlainBytes();
        handler.close(bytes, localStart(bytes, lt + 2, nameEnd), nameEnd);
        pos = gt + 1;
        continue;
      }
      if (!isNameStart(next) || (rootSeen && depth === 0)) throw new NotPlainBytes();
      let i = lt + 1;
      while (i < end && isNameChar(bytes[i]!)) i++;
      const nameEnd = i;
      const tagEnd = attrs.parse(i, end);
      const selfClosing = bytes[tagEnd] === SLASH;
      rootSeen = true;
      const local = localStart(bytes, lt + 1, nameEnd);
      handler.open(bytes, local, nameEnd, attrs, selfClosing);
      if (selfClosing) handler.close(bytes, local, nameEnd);
      else {
        this.keepName(bytes, lt + 1, nameEnd, depth);
        depth++;
      }
      pos = selfClosing ? tagEnd + 2 : tagEnd + 1;
    }
    this.depth = depth;
    this.rootSeen = rootSeen;
    if (final && (!rootSeen || depth !== 0)) throw new NotPlainBytes();
  }

  /** Copy an open element's name (as written, prefix included) to the names of the open elements. */
  private keepName(bytes: Uint8Array, start: number, end: number, depth: number): void {
    if (depth + 2 > this.nameAt.length) {
      const at = new Int32Array(this.nameAt.length * 2);
      at.set(this.nameAt);
      this.nameAt = at;
    }
    const from = this.nameAt[depth]!;
    if (from + end - start > this.names.length) {
      const names = new Uint8Array(Math.max(this.names.length * 2, from + end - start));
      names.set(this.names);
      this.names = names;
    }
    // Byte by byte: names are short, and a view made for each of a sheet's million tags would cost more.
    const names = this.names;
    for (let k = start; k < end; k++) names[from + k - start] = bytes[k]!;
    this.nameAt[depth + 1] = from + end - start;
  }
}

/** Where a name's local part starts: after its first ":", as core/xlsx/xml.ts's localName reads it. */
function localStart(bytes: Uint8Array, start: number, end: number): number {
  for (let k = start; k < end; k++) if (bytes[k] === COLON) return k + 1;
  return start;
}

/**
 * A plain Uint8Array over the same memory: node:zlib gives a Buffer, whose indexOf and subarray are far slower than
 * a typed array's own.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Whether bytes[start, end) spell `name` (ASCII). */
export function isName(bytes: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name.charCodeAt(k)) return false;
  return true;
}
