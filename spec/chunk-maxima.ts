/**
 * Ids per call where the spec states no `maxItems` and its descriptions do not say it either
 * (codegen/pagination.ts reads maxItems and "maximum N" phrases itself). Reviewed against the
 * API documentation; every entry names its reason. test/paginate/classify.test.ts checks each ID
 * exists and takes ids.
 */
export const CHUNK_MAXIMA: Readonly<Record<string, { readonly max: number; readonly reason: string }>> = {
  PostDeviceDetailsV2: {
    max: 5000,
    reason: "POST /devices/entities/devices/v2 takes up to 5,000 ids in its body (API documentation).",
  },
};
