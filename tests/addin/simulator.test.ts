/** The simulator enforces the Excel rules the host must respect; if it stopped enforcing them, the host tests would prove nothing. */
import { describe, expect, it } from "vitest";
import { ExcelSimulator, PAYLOAD_LIMIT_BYTES } from "./simulator/index.js";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("the Excel simulator", () => {
  it("refuses to read a property before sync or when it was not loaded", async () => {
    const sim = new ExcelSimulator();
    await sim.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Sheet1").getRange("A1:B2");
      range.load("values");
      expect(() => range.values).toThrow(/not available.*load/);
      await context.sync();
      expect(range.values).toEqual([["", ""], ["", ""]]);
      let code: string | undefined;
      try {
        void range.formulas;
      } catch (error) {
        code = (error as { code?: string }).code;
      }
      expect(code).toBe("PropertyNotLoaded");
    });
  });

  it("refuses arrays whose shape does not match the range", async () => {
    const sim = new ExcelSimulator();
    const code = await codeOf(
      sim.Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Sheet1").getRange("A1:B2").values = [[1, 2]];
        await context.sync();
      }),
    );
    expect(code).toBe("InvalidArgument");
  });

  it("turns =, + and - strings into formulas unless the cell is formatted as text", async () => {
    const sim = new ExcelSimulator();
    await sim.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Sheet1");
      sheet.getRange("A1:D1").values = [["=1+1", "+cmd", "-1 day", "plain"]];
      sheet.getRange("A2:C2").numberFormat = [["@", "@", "@"]];
      sheet.getRange("A2:C2").values = [["=1+1", "+cmd", "-1 day"]];
      await context.sync();
    });
    expect(sim.formula("Sheet1", "A1")).toBe("=1+1");
    expect(sim.formula("Sheet1", "B1")).toBe("=+cmd");
    expect(sim.formula("Sheet1", "C1")).toBe("=-1 day");
    expect(sim.value("Sheet1", "D1")).toBe("plain");
    expect([sim.value("Sheet1", "A2"), sim.value("Sheet1", "B2"), sim.value("Sheet1", "C2")]).toEqual(["=1+1", "+cmd", "-1 day"]);
    expect(sim.cell("Sheet1", "A2")?.formula).toBeUndefined();
  });

  it("fails a request over 5 MB with RequestPayloadSizeLimitExceeded and applies none of it", async () => {
    const sim = new ExcelSimulator();
    const big = Array.from({ length: 3_000 }, () => ["z".repeat(2_000)]);
    const code = await codeOf(
      sim.Excel.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem("Sheet1");
        sheet.getRange("A1").values = [["first"]];
        sheet.getRange("B1:B3000").values = big;
        await context.sync();
      }),
    );
    expect(code).toBe("RequestPayloadSizeLimitExceeded");
    expect(sim.stats.requests[0]).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
    expect(sim.value("Sheet1", "A1")).toBe("");
  });

  it("fails a batch whose response is over 5 MB (ResponsePayloadSizeLimitExceeded) and leaves the workbook as it was before the sync", async () => {
    const sim = new ExcelSimulator();
    sim.type("Sheet1", "A1", "before");
    const big = Array.from({ length: 3_000 }, () => ["z".repeat(1_000)]);
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("B1:B3000").values = big;
      await context.sync();
    });
    const code = await codeOf(
      sim.Excel.run(async (context) => {
        const sheets = context.workbook.worksheets;
        const sheet = sheets.getItem("Sheet1");
        sheet.getRange("A1").values = [["after"]];
        sheet.getRange("C1").values = [["new"]];
        sheet.getRange("A1").format.font.bold = true;
        sheets.add("Added");
        sheet.tables.add("D1:E2", true);
        // Two loads of 3 MB each: each request is small, the response is not.
        sheet.getRange("B1:B3000").load("values");
        sheet.getRange("B1:B3000").load("formulas");
        await context.sync();
      }),
    );
    expect(code).toBe("ResponsePayloadSizeLimitExceeded");
    expect(sim.stats.refused).toBe(1);
    expect(sim.stats.requests.at(-1)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(sim.value("Sheet1", "A1")).toBe("before");
    expect(sim.cell("Sheet1", "A1")?.font?.bold).toBeUndefined();
    expect(sim.cell("Sheet1", "C1")).toBeUndefined();
    expect(sim.hasSheet("Added")).toBe(false);
    expect(sim.tablesOn("Sheet1")).toEqual([]);
    expect(sim.value("Sheet1", "B3000")).toBe("z".repeat(1_000));
  });

  it("lets proxies bound in a refused sync find the workbook afresh", async () => {
    const sim = new ExcelSimulator();
    const big = Array.from({ length: 3_000 }, () => ["z".repeat(1_000)]);
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("B1:B3000").values = big;
      await context.sync();
    });
    await sim.Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      const added = sheets.add("Added");
      added.getRange("A1").values = [["lost"]];
      const lookedUp = sheets.getItem("Added");
      lookedUp.getRange("A2").values = [["lost"]];
      sheets.getItem("Sheet1").getRange("B1:B3000").load("values, formulas");
      expect(await codeOf(context.sync())).toBe("ResponsePayloadSizeLimitExceeded");
      expect(sim.hasSheet("Added")).toBe(false);
      // The sheet the refused request would have added does not exist, so proxies to it fail now.
      added.getRange("A3").values = [["again"]];
      expect(await codeOf(context.sync())).toBe("ItemNotFound");
      lookedUp.getRange("A3").values = [["again"]];
      expect(await codeOf(context.sync())).toBe("ItemNotFound");
      // Adding it again works, and a lookup finds the new sheet.
      sheets.add("Added");
      sheets.getItem("Added").getRange("A1").values = [["kept"]];
      await context.sync();
    });
    expect(sim.value("Added", "A1")).toBe("kept");
    expect(sim.value("Added", "A2")).toBe("");
  });

  it("counts syncs, and Excel.run sends what is left queued", async () => {
    const sim = new ExcelSimulator();
    await sim.Excel.run(async (context) => {
      await context.sync();
      await context.sync();
      context.workbook.worksheets.getItem("Sheet1").getRange("A1").values = [[1]];
    });
    expect(sim.stats.syncs).toBe(3);
    expect(sim.value("Sheet1", "A1")).toBe(1);
  });

  it("gives null objects for missing items and ItemNotFound for getItem", async () => {
    const sim = new ExcelSimulator();
    await sim.Excel.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject("Nope");
      missing.load("name");
      const used = context.workbook.worksheets.getItem("Sheet1").getUsedRangeOrNullObject(true);
      used.load("values");
      await context.sync();
      expect(missing.isNullObject).toBe(true);
      expect(used.isNullObject).toBe(true);
    });
    const code = await codeOf(
      sim.Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Nope").load("name");
        await context.sync();
      }),
    );
    expect(code).toBe("ItemNotFound");
  });

  it("stops a batch at the first failing command, keeping the earlier ones", async () => {
    const sim = new ExcelSimulator();
    const code = await codeOf(
      sim.Excel.run(async (context) => {
        const sheets = context.workbook.worksheets;
        sheets.getItem("Sheet1").getRange("A1").values = [["kept"]];
        sheets.add("sheet1");
        sheets.getItem("Sheet1").getRange("A2").values = [["never"]];
        await context.sync();
      }),
    );
    expect(code).toBe("ItemAlreadyExists");
    expect(sim.value("Sheet1", "A1")).toBe("kept");
    expect(sim.value("Sheet1", "A2")).toBe("");
  });

  it("refuses changes to a protected sheet and tables that overlap", async () => {
    const sim = new ExcelSimulator();
    await sim.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Sheet1");
      sheet.getRange("A1:B3").values = [["H1", "H2"], [1, 2], [3, 4]];
      sheet.tables.add("A1:B3", true).name = "tblOne";
      await context.sync();
    });
    const overlap = await codeOf(
      sim.Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Sheet1").tables.add("B2:C4", true);
        await context.sync();
      }),
    );
    expect(overlap).toBe("InvalidArgument");
    const locked = await codeOf(
      sim.Excel.run(async (context) => {
        const sheet = context.workbook.worksheets.getItem("Sheet1");
        sheet.protection.protect();
        sheet.getRange("D1").values = [["x"]];
        await context.sync();
      }),
    );
    expect(locked).toBe("InvalidOperation");
  });
});
