/**
 * The zip's deflating in Node: node:zlib (native, several times faster than a deflate written in JavaScript) for
 * the writer of zip-write.ts, whole or streamed. Loaded only in Node (writer.ts's `platformDeflater` and the roll-up's
 * file writer); the pane deflates with fflate through the same writer.
 */
import { once } from "node:events";
import { constants, crc32, createDeflateRaw, deflateRawSync } from "node:zlib";
import type { Deflater, StreamingDeflate } from "./zip-write.js";

export const nodeDeflater: Deflater = {
  deflateRaw: (data) => deflateRawSync(data, { level: constants.Z_DEFAULT_COMPRESSION }),
  crc32: (data, crc = 0) => crc32(data, crc) >>> 0,
};

/** A node:zlib deflate stream: what it has compressed is handed back as it comes, so memory stays flat. */
export function nodeStreamingDeflate(): StreamingDeflate {
  const deflate = createDeflateRaw({ level: constants.Z_DEFAULT_COMPRESSION });
  let out: Uint8Array[] = [];
  deflate.on("data", (chunk: Buffer) => void out.push(chunk));
  const taken = () => {
    const ready = out;
    out = [];
    return ready;
  };
  return {
    push: async (data) => {
      if (!deflate.write(data)) await once(deflate, "drain");
      return taken();
    },
    finish: async () => {
      const ended = once(deflate, "end");
      deflate.end();
      await ended;
      return taken();
    },
  };
}
