/**
 * Generated classes that extend a handwritten base instead of ServiceClass: the base (under
 * runtime/helpers/, itself extending ServiceClass) adds workflows on top of the generated
 * methods. Reviewed by hand: class name -> base class and its module (relative to runtime/).
 */
export interface HelperBase {
  readonly base: string;
  readonly module: string;
}

export const HELPER_BASES: Readonly<Record<string, HelperBase>> = {
  FalconXSandbox: { base: "FalconXSandboxBase", module: "helpers/falconx-sandbox.js" },
  MalQuery: { base: "MalQueryBase", module: "helpers/malquery.js" },
  NGSIEM: { base: "NGSIEMBase", module: "helpers/ngsiem.js" },
  RealTimeResponse: { base: "RealTimeResponseBase", module: "helpers/real-time-response.js" },
  ReportExecutions: { base: "ReportExecutionsBase", module: "helpers/report-executions.js" },
};
