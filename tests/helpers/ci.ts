/** True on CI: there, tests that need LibreOffice or Chromium run and fail when the program is missing. */
export const IN_CI = !!process.env.CI && !["false", "0"].includes(process.env.CI.toLowerCase());
