/** The simulator enforces the Excel rules the host must respect; if it stopped enforcing them, the host tests would prove nothing. */
import { describe, expect, it } from "vitest";
import { DECLARED_API, ExcelSimulator, NEWEST_API, PAYLOAD_LIMIT_BYTES } from "./simulator/index.js";

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
      expect(range.values).toEqual([
        ["", ""],
        ["", ""],
      ]);
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
    expect([sim.value("Sheet1", "A2"), sim.value("Sheet1", "B2"), sim.value("Sheet1", "C2")]).toEqual([
      "=1+1",
      "+cmd",
      "-1 day",
    ]);
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
      sheet.getRange("A1:B3").values = [
        ["H1", "H2"],
        [1, 2],
        [3, 4],
      ];
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

  it("fails every batch while the user edits a cell, unless the run asks to wait (delayForCellEdit)", async () => {
    const sim = new ExcelSimulator();
    sim.cellEditMode = true;
    const write = (context: Excel.RequestContext) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("A1").values = [["typed"]];
      return context.sync();
    };
    expect(await codeOf(sim.Excel.run(write))).toBe("InvalidOperationInCellEditMode");
    expect(sim.value("Sheet1", "A1")).toBe("");
    await sim.Excel.run({ delayForCellEdit: true }, write);
    expect(sim.value("Sheet1", "A1")).toBe("typed");
    expect(sim.stats.delayedForCellEdit).toBe(1);
    // An interruption planned for the next sync: the user clicks into a cell just then.
    sim.interruptSync(1, "cellEdit");
    expect(await codeOf(sim.Excel.run(write))).toBe("InvalidOperationInCellEditMode");
    sim.interruptSync(1, "connection");
    expect(await codeOf(sim.Excel.run({ delayForCellEdit: true }, write))).toBe("GeneralException");
  });

  it("refuses members above the requirement set, and above the manifest's set unless isSetSupported was asked", async () => {
    const byIndexes = (context: Excel.RequestContext) => {
      context.workbook.worksheets.getItem("Sheet1").getRangeByIndexes(0, 0, 1, 1).load("values");
      return context.sync();
    };
    const old = new ExcelSimulator({ apiVersion: DECLARED_API });
    expect(old.isSetSupported("ExcelApi", "1.7")).toBe(false);
    expect(await codeOf(old.Excel.run(byIndexes))).toBe("ApiNotFound");
    const newest = new ExcelSimulator({ apiVersion: NEWEST_API });
    expect(await codeOf(newest.Excel.run(byIndexes))).toBe("ApiNotFound");
    expect(newest.isSetSupported("ExcelApi", "1.7")).toBe(true);
    expect(await codeOf(newest.Excel.run(byIndexes))).toBeUndefined();
    // Members up to the manifest's set need no check.
    expect(
      await codeOf(
        old.Excel.run(async (context) => {
          context.workbook.worksheets.getItem("Sheet1").getUsedRangeOrNullObject(true).load("address");
          await context.sync();
        }),
      ),
    ).toBeUndefined();
  });

  it("turns references to a deleted table or sheet into #REF!, formulas, names and charts alike", async () => {
    const sim = new ExcelSimulator();
    sim.type("Sheet1", "A1", "Score");
    sim.type("Sheet1", "A2", 3);
    sim.addTable("Sheet1", "A1:A2", "tblObservations");
    sim.addSheet("Team");
    sim.type("Team", "B2", "=SUM(tblObservations[Score])");
    sim.type("Team", "B3", "=Sheet1!A2*2");
    await sim.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Sheet1");
      sheet.charts.add("ColumnClustered", sheet.getRange("A1:A2"), "Columns");
      context.workbook.tables.getItem("tblObservations").delete();
      await context.sync();
    });
    expect(sim.formula("Team", "B2")).toBe("=SUM(#REF!)");
    expect(sim.value("Team", "B2")).toBe("#REF!");
    expect(sim.sheet("Sheet1").charts[0]!.source).toBe("#REF!");
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").delete();
      await context.sync();
    });
    expect(sim.formula("Team", "B3")).toBe("=#REF!A2*2");
  });

  it("leaves formulas written with calculation suspended stale until the workbook is recalculated", async () => {
    const sim = new ExcelSimulator();
    expect(sim.isSetSupported("ExcelApi", "1.6")).toBe(true);
    await sim.Excel.run(async (context) => {
      context.workbook.application.suspendApiCalculationUntilNextSync();
      context.workbook.worksheets.getItem("Sheet1").getRange("A1").formulas = [["=1+1"]];
      await context.sync();
    });
    expect(sim.state.calculation.stale).toBe(true);
    await sim.Excel.run(async (context) => {
      context.workbook.application.calculate("Recalculate");
      await context.sync();
    });
    expect(sim.state.calculation.stale).toBe(false);
  });

  it("fills a formula down with copyFrom, relative references moving and numbers staying", async () => {
    const sim = new ExcelSimulator();
    sim.isSetSupported("ExcelApi", "1.9");
    await sim.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Sheet1");
      sheet.getRange("C2").formulas = [['=IF(A2="","",A2*$B$1+ROW()-2)']];
      sheet.getRange("C3:C5").copyFrom(sheet.getRange("C2"), "Formulas");
      await context.sync();
    });
    expect(sim.formula("Sheet1", "C5")).toBe('=IF(A5="","",A5*$B$1+ROW()-2)');
  });

  it("moves cells, tables and the formulas that point at them when whole rows are inserted or deleted", async () => {
    const sim = new ExcelSimulator();
    sim.type("Sheet1", "A5", "Head");
    sim.type("Sheet1", "A6", 7);
    sim.addTable("Sheet1", "A5:A6", "tblMoved");
    sim.type("Sheet1", "C1", "=A6*2");
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("3:4").insert("Down");
      await context.sync();
    });
    expect(sim.tablesOn("Sheet1")).toEqual([{ name: "tblMoved", address: "A7:A8" }]);
    expect(sim.value("Sheet1", "A8")).toBe(7);
    expect(sim.formula("Sheet1", "C1")).toBe("=A8*2");
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("2:3").delete("Up");
      await context.sync();
    });
    expect(sim.tablesOn("Sheet1")).toEqual([{ name: "tblMoved", address: "A5:A6" }]);
    expect(sim.formula("Sheet1", "C1")).toBe("=A6*2");
  });

  it("reads typed text as Excel does: dates by month name, money, negatives in brackets, fractions, hours, errors", async () => {
    const sim = new ExcelSimulator();
    const inputs = ["Oct 15, 2026", "January 2027", "$1,200", "(12)", "1 1/2", "9 am", "#N/A", "'quoted"];
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("A1:H1").values = [inputs];
      await context.sync();
    });
    const cells = "ABCDEFGH".split("").map((c) => sim.cell("Sheet1", `${c}1`)!);
    expect(cells.map((c) => (c.error ? "error" : typeof c.value))).toEqual([
      "number",
      "number",
      "number",
      "number",
      "number",
      "number",
      "error",
      "string",
    ]);
    expect(cells[7]!.value).toBe("quoted");
  });
});
