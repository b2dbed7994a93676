/**
 * The summary workbook's zip, written to a file entry by entry as its contents are produced (core/xlsx/zip-write.ts's
 * ZipPartsWriter, deflated by node:zlib), so a large part never has to be held whole.
 */
import { open, type FileHandle } from "node:fs/promises";
import { nodeDeflater, nodeStreamingDeflate } from "../../core/xlsx/node-zip.js";
import { ZipPartsWriter } from "../../core/xlsx/zip-write.js";
import { fileSink } from "../io.js";

/** Where an entry's text goes, a piece at a time. */
export interface EntryWriter {
  write(text: string): Promise<void>;
}

export class ZipWriter {
  private readonly zip: ZipPartsWriter;

  private constructor(private readonly handle: FileHandle) {
    this.zip = new ZipPartsWriter(fileSink(handle), nodeDeflater, nodeStreamingDeflate);
  }

  static async create(path: string): Promise<ZipWriter> {
    return new ZipWriter(await open(path, "w"));
  }

  /** Add one entry; `produce` writes its text through the writer it is given. */
  add(name: string, produce: (entry: EntryWriter) => Promise<void>): Promise<void> {
    return this.zip.addStreamed(name, { stream: (write) => produce({ write: (text) => write(text) }) });
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
