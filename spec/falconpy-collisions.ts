/**
 * Reviewed collisions between FalconPy's method names and FalconTS's own member names.
 * An operation's own name (its camelCase method, its exact ID) always wins over a FalconPy
 * name that would call another operation; each such case is listed here with why, and the
 * generator warns about any collision missing from this list (or an entry that no longer
 * occurs). docs/porting-from-falconpy.md shows the same table.
 */
import type { ReviewedCollision } from "../codegen/falconpy-aliases.js";

const OWN_ID = "the member is the exact ID of the operation it calls, and an operation's own name always wins";
const OWN_METHOD =
  "camelCased, the FalconPy name is the method of another operation of the class (the camelCase of that operation's ID), and an operation's own name always wins";

export const REVIEWED_FALCONPY_COLLISIONS: readonly ReviewedCollision[] = [
  {
    className: "Alerts",
    falconpy: "PatchEntitiesAlertsV1",
    member: "PatchEntitiesAlertsV1",
    falconpyOperation: "PatchEntitiesAlertsV2",
    taken: "PatchEntitiesAlertsV1",
    reason: `FalconPy's PatchEntitiesAlertsV1 alias calls the v2 route; in FalconTS ${OWN_ID} (the v1 route). Call patchEntitiesAlertsV2 / updateAlertsV2 for FalconPy's behaviour.`,
  },
  {
    className: "CompleteDashboard",
    falconpy: "query_alert_ids_by_filter",
    member: "queryAlertIdsByFilter",
    falconpyOperation: "QueryAlertIdsByFilterV2",
    taken: "QueryAlertIdsByFilter",
    reason: `FalconPy's query_alert_ids_by_filter calls the v2 operation; ${OWN_METHOD} (QueryAlertIdsByFilter, v1). Call queryAlertIdsByFilterV2.`,
  },
  {
    className: "ExposureManagement",
    falconpy: "query_external_assets",
    member: "queryExternalAssets",
    falconpyOperation: "query_external_assets_v2",
    taken: "query_external_assets",
    reason: `FalconPy's query_external_assets calls the v2 operation; ${OWN_METHOD} (query_external_assets, v1). Call queryExternalAssetsV2.`,
  },
  {
    className: "FlightControl",
    falconpy: "delete_cid_group_members",
    member: "deleteCidGroupMembers",
    falconpyOperation: "deleteCIDGroupMembersV2",
    taken: "deleteCIDGroupMembers",
    reason: `FalconPy's delete_cid_group_members calls the v2 operation; ${OWN_METHOD} (deleteCIDGroupMembers, v1). Call deleteCidGroupMembersV2.`,
  },
  {
    className: "FlightControl",
    falconpy: "deleteCIDGroupMembers",
    member: "deleteCidGroupMembers",
    falconpyOperation: "deleteCIDGroupMembersV2",
    taken: "deleteCIDGroupMembers",
    reason: `FalconPy's deleteCIDGroupMembers alias calls the v2 operation; the name is the v1 operation's own ID (kept as deleteCIDGroupMembers and deleteCidGroupMembers). Call deleteCidGroupMembersV2.`,
  },
  {
    className: "FlightControl",
    falconpy: "getCIDGroupByIdV2",
    member: "getCidGroupByIdV2",
    falconpyOperation: "getCIDGroupByIdV1",
    taken: "getCIDGroupByIdV2",
    reason: `FalconPy's getCIDGroupByIdV2 alias calls the v1 operation (a FalconPy naming slip); the name is the v2 operation's own, and an operation's own name always wins. Call getCidGroupByIdV1 for FalconPy's behaviour.`,
  },
  {
    className: "FlightControl",
    falconpy: "getCIDGroupMembersByV2",
    member: "getCidGroupMembersByV2",
    falconpyOperation: "getCIDGroupMembersByV1",
    taken: "getCIDGroupMembersByV2",
    reason: `FalconPy's getCIDGroupMembersByV2 alias calls the v1 operation; the name is the v2 operation's own, and an operation's own name always wins. Call getCidGroupMembersByV1.`,
  },
  {
    className: "FlightControl",
    falconpy: "getUserGroupMembersByIDV2",
    member: "getUserGroupMembersByIdv2",
    falconpyOperation: "getUserGroupMembersByIDV1",
    taken: "getUserGroupMembersByIDV2",
    reason: `FalconPy's getUserGroupMembersByIDV2 alias calls the v1 operation; the name is the v2 operation's own, and an operation's own name always wins. Call getUserGroupMembersByIdv1.`,
  },
  {
    className: "FlightControl",
    falconpy: "getUserGroupsByIDV2",
    member: "getUserGroupsByIdv2",
    falconpyOperation: "getUserGroupsByIDV1",
    taken: "getUserGroupsByIDV2",
    reason: `FalconPy's getUserGroupsByIDV2 alias calls the v1 operation; the name is the v2 operation's own, and an operation's own name always wins. Call getUserGroupsByIdv1.`,
  },
  {
    className: "IOC",
    falconpy: "devices_count",
    member: "devicesCount",
    falconpyOperation: "indicator_get_device_count_v1",
    taken: "DevicesCount",
    reason: `FalconPy's IOC.devices_count calls the current indicator route; ${OWN_METHOD} (DevicesCount, the legacy route FalconPy calls devices_count_legacy). Call indicatorGetDeviceCountV1.`,
  },
  {
    className: "IOC",
    falconpy: "devices_ran_on",
    member: "devicesRanOn",
    falconpyOperation: "indicator_get_devices_ran_on_v1",
    taken: "DevicesRanOn",
    reason: `FalconPy's IOC.devices_ran_on calls the current indicator route; ${OWN_METHOD} (DevicesRanOn, FalconPy's devices_ran_on_legacy). Call indicatorGetDevicesRanOnV1.`,
  },
  {
    className: "IOC",
    falconpy: "processes_ran_on",
    member: "processesRanOn",
    falconpyOperation: "indicator_get_processes_ran_on_v1",
    taken: "ProcessesRanOn",
    reason: `FalconPy's IOC.processes_ran_on calls the current indicator route; ${OWN_METHOD} (ProcessesRanOn, FalconPy's processes_ran_on_legacy). Call indicatorGetProcessesRanOnV1.`,
  },
  {
    className: "KubernetesProtection",
    falconpy: "search_kubernetes_ioms",
    member: "searchKubernetesIoms",
    falconpyOperation: "PostSearchKubernetesIOMEntities",
    taken: "SearchKubernetesIoms",
    reason: `FalconPy's search_kubernetes_ioms calls the POST search; ${OWN_METHOD} (SearchKubernetesIoms, the GET search). Call postSearchKubernetesIomEntities.`,
  },
  {
    className: "ODS",
    falconpy: "get_scans_by_scan_ids",
    member: "getScansByScanIds",
    falconpyOperation: "get_scans_by_scan_ids_v2",
    taken: "get_scans_by_scan_ids",
    reason: `FalconPy's get_scans_by_scan_ids calls the v2 operation; ${OWN_METHOD} (get_scans_by_scan_ids, v1). Call getScansByScanIdsV2.`,
  },
];

/** FalconPy names that resolve to no operation of the spec, with why (the coverage test's other exceptions). */
export const FALCONPY_NAMES_WITHOUT_OPERATION: readonly { className: string; falconpy: string; reason: string }[] = [
  {
    className: "SpotlightVulnerabilities",
    falconpy: "get_remediations",
    reason:
      "FalconPy's get_remediations calls getRemediations (GET /spotlight/entities/remediations/v1), which the spec no longer has; getRemediationsV2 serves remediations.",
  },
  {
    className: "SpotlightVulnerabilities",
    falconpy: "getRemediations",
    reason: "The PascalCase alias of get_remediations: the same missing operation.",
  },
];
