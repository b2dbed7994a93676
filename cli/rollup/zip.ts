/**
 * The summary workbook's zip, written to a file entry by entry as its contents are produced (core/xlsx/zip-write.ts's
 * ZipPartsWriter, deflated by node:zlib), so a large part never has to be held whole.
 */
import { nodeDeflater, nodeStreamingDeflate } from "../../core/xlsx/node-zip.js";
import { ZipPartsWriter } from "../../core/xlsx/zip-write.js";
import type { OutputSink } from "../io.js";

/** Where an entry's text goes, a piece at a time. */
export interface EntryWriter {
  write(text: string): Promise<void>;
}

export class ZipWriter {
  private readonly zip: ZipPartsWriter;

  constructor(sink: OutputSink) {
    this.zip = new ZipPartsWriter(sink, nodeDeflater, nodeStreamingDeflate);
  }

  /** Add one entry; `produce` writes its text through the writer it is given. */
  add(name: string, produce: (entry: EntryWriter) => Promise<void>): Promise<void> {
    return this.zip.addStreamed(name, { stream: (write) => produce({ write: (text) => write(text) }) });
  }

  /** Write the central directory. */
  async close(): Promise<void> {
    await this.zip.finish();
  }
}
