/** The product's version, recorded in every workbook it makes or rebuilds (kept equal to package.json by a test). */
export const PRODUCT_VERSION = "0.4.0";
