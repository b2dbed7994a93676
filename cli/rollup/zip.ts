/**
 * The summary workbook's zip, written to a file entry by entry as its contents are produced (core/xlsx/zip.ts's
 * streaming writer, deflated by node:zlib), so a large part never has to be held whole.
 */
import { open, type FileHandle } from "node:fs/promises";
import { nodeDeflater, nodeStreamingDeflate } from "../../core/xlsx/node-zip.js";
import { ZipStreamWriter, type EntryWriter } from "../../core/xlsx/zip.js";

export class ZipWriter {
  private readonly zip: ZipStreamWriter;

  private constructor(private readonly handle: FileHandle) {
    this.zip = new ZipStreamWriter(
      {
        write: async (bytes) => {
          let written = 0;
          while (written < bytes.length)
            written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
        },
      },
      nodeStreamingDeflate,
      nodeDeflater.crc32,
    );
  }

  static async create(path: string): Promise<ZipWriter> {
    return new ZipWriter(await open(path, "w"));
  }

  /** Add one entry; `produce` writes its text through the writer it is given. */
  add(name: string, produce: (entry: EntryWriter) => Promise<void>): Promise<void> {
    return this.zip.add(name, produce);
  }

  /** Write the central directory and close the file. */
  async close(): Promise<void> {
    await this.zip.finish();
    await this.handle.close();
  }

  /** Close without finishing (after a failure). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}
