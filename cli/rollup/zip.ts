/**
 * A zip file written entry by entry as its contents are produced (deflated as they stream, sizes and CRC in a
 * data descriptor after each entry), so a large part never has to be held whole. Enough of the format for our
 * summary workbook: no zip64 (each part and the whole file under 4 GB).
 */
import { once } from "node:events";
import { open, type FileHandle } from "node:fs/promises";
import { constants, crc32, createDeflateRaw } from "node:zlib";

const CHUNK = 64 * 1024;

export interface EntryWriter {
  write(text: string): Promise<void>;
}

interface Central {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

export class ZipWriter {
  private offset = 0;
  private readonly central: Central[] = [];

  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<ZipWriter> {
    return new ZipWriter(await open(path, "w"));
  }

  private async put(bytes: Buffer): Promise<void> {
    let written = 0;
    while (written < bytes.length) written += (await this.handle.write(bytes, written, bytes.length - written)).bytesWritten;
    this.offset += bytes.length;
  }

  /** Add one entry; `produce` writes its text through the writer it is given. */
  async add(name: string, produce: (entry: EntryWriter) => Promise<void>): Promise<void> {
    const nameBytes = Buffer.from(name, "utf8");
    const offset = this.offset;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0808, 6); // data descriptor follows; UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    header.writeUInt16LE(nameBytes.length, 26);
    await this.put(Buffer.concat([header, nameBytes]));

    const deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
    let out: Buffer[] = [];
    let outBytes = 0;
    deflate.on("data", (chunk: Buffer) => {
      out.push(chunk);
      outBytes += chunk.length;
    });
    let crc = 0;
    let size = 0;
    let compressed = 0;
    let pending = "";
    const drainOut = async () => {
      if (!out.length) return;
      const bytes = Buffer.concat(out);
      out = [];
      outBytes = 0;
      compressed += bytes.length;
      await this.put(bytes);
    };
    const feed = async (text: string) => {
      const bytes = Buffer.from(text, "utf8");
      crc = crc32(bytes, crc);
      size += bytes.length;
      if (!deflate.write(bytes)) await once(deflate, "drain");
      if (outBytes >= CHUNK) await drainOut();
    };
    await produce({
      write: async (text) => {
        pending += text;
        if (pending.length >= CHUNK) {
          const chunk = pending;
          pending = "";
          await feed(chunk);
        }
      },
    });
    if (pending) await feed(pending);
    const ended = once(deflate, "end");
    deflate.end();
    await ended;
    await drainOut();

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressed, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.put(descriptor);
    this.central.push({ name: nameBytes, crc: crc >>> 0, compressed, size, offset });
  }

  /** Write the central directory and close the file. */
  async close(): Promise<void> {
    const start = this.offset;
    for (const e of this.central) {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(20, 4); // made by
      record.writeUInt16LE(20, 6); // needed
      record.writeUInt16LE(0x0808, 8);
      record.writeUInt16LE(8, 10);
      record.writeUInt32LE(0x00210000, 12);
      record.writeUInt32LE(e.crc, 16);
      record.writeUInt32LE(e.compressed, 20);
      record.writeUInt32LE(e.size, 24);
      record.writeUInt16LE(e.name.length, 28);
      record.writeUInt32LE(e.offset, 42);
      await this.put(Buffer.concat([record, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.put(end);
    await this.handle.close();
  }

  /** Close without finishing (after a failure). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}
