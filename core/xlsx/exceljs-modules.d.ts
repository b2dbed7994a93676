// The module exceljs's package entry takes its Workbook from (exceljs 4.4: lib/exceljs.nodejs.js).
declare module "exceljs/lib/doc/workbook.js" {
  const Workbook: typeof import("exceljs").Workbook;
  export default Workbook;
}
