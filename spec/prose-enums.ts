/**
 * Allowed values the spec gives only in prose (a parameter's or body's description), made enums
 * by the `prose-enums` patch so that a typo (`"contian"`) fails `tsc` and payload validation.
 * Reviewed by hand: each entry lists every value the API documents, from the spec's own text and
 * FalconPy's docstrings (where FalconPy documents more values than the spec, they are included:
 * an enum must never reject what the API accepts). An operation, parameter or definition the
 * spec does not have is a warning at generation time (codegen/hand-data.ts).
 */

export interface ParameterEnum {
  readonly operationId: string;
  readonly parameter: string;
  readonly values: readonly string[];
  readonly evidence: string;
}

export interface PropertyEnum {
  readonly definition: string;
  readonly property: string;
  readonly values: readonly string[];
  readonly evidence: string;
}

export const PARAMETER_ENUMS: readonly ParameterEnum[] = [
  {
    operationId: "PerformActionV2",
    parameter: "action_name",
    values: ["contain", "lift_containment", "hide_host", "unhide_host", "detection_suppress", "detection_unsuppress"],
    evidence:
      "The spec's description lists contain, lift_containment, hide_host, unhide_host; FalconPy's Hosts.perform_action docstring adds detection_suppress and detection_unsuppress.",
  },
  {
    operationId: "ResetAPIClientSecret",
    parameter: "action_name",
    values: ["reset_secret"],
    evidence: "Description: \"Only allowed value is 'reset_secret'.\"",
  },
  {
    operationId: "refreshActiveStreamSession",
    parameter: "action_name",
    values: ["refresh_active_stream_session"],
    evidence: 'Description: "Allowed value is refresh_active_stream_session."',
  },
  {
    operationId: "WorkflowDefinitionsAction",
    parameter: "action_name",
    values: ["enable", "disable", "cancel"],
    evidence: 'Description: "Specify one of these actions: enable, disable, cancel".',
  },
  {
    operationId: "updatePolicyHostGroups",
    parameter: "action",
    values: ["assign", "unassign"],
    evidence: 'Description: "must be one of: `assign` or `unassign`".',
  },
  {
    operationId: "updatePolicyRuleGroups",
    parameter: "action",
    values: ["assign", "unassign", "precedence"],
    evidence: 'Description: "must be one of: `assign`, `unassign`, or `precedence`".',
  },
  {
    operationId: "updatePolicyPrecedence",
    parameter: "type",
    values: ["Windows", "Linux", "Mac"],
    evidence: 'Description: "must be one of `Windows`, `Linux` or `Mac`".',
  },
  {
    operationId: "ITAutomationUpdatePoliciesPrecedence",
    parameter: "platform",
    values: ["Windows", "Linux", "Mac"],
    evidence: 'Description: "must be one of `Windows`, `Linux` or `Mac`".',
  },
  {
    operationId: "queryPolicies",
    parameter: "type",
    values: ["Windows", "Linux", "Mac"],
    evidence: 'Description: "Allowed values are: `Windows`, `Linux` or `Mac`".',
  },
  {
    operationId: "queryRuleGroups",
    parameter: "type",
    values: ["WindowsFiles", "WindowsRegistry", "LinuxFiles", "MacFiles"],
    evidence: 'Description: "Allowed values are: `WindowsFiles`, `WindowsRegistry`, `LinuxFiles` or `MacFiles`".',
  },
  {
    operationId: "GetArchiveExport",
    parameter: "archive_type",
    values: ["zip", "gzip"],
    evidence: "Description: \"The Archive Type can be one of 'zip' and 'gzip'\".",
  },
  {
    operationId: "QueryFeedArchives",
    parameter: "feed_interval",
    values: ["dump", "daily", "hourly", "minutely"],
    evidence: 'Description: "Feed interval must be one of: dump, daily, hourly, minutely".',
  },
  {
    operationId: "listAvailableStreamsOAuth2",
    parameter: "format",
    values: ["json", "flatjson"],
    evidence: 'Description: "Valid values: json, flatjson".',
  },
  {
    operationId: "queries_web_location_get_v2",
    parameter: "type",
    values: ["predefined", "custom"],
    evidence: "Description: \"Allowed values are 'predefined' and 'custom'\".",
  },
];

export const PROPERTY_ENUMS: readonly PropertyEnum[] = [
  {
    definition: "domain.DetectsEntitiesPatchRequest",
    property: "status",
    values: ["new", "in_progress", "true_positive", "false_positive", "closed", "ignored"],
    evidence:
      "UpdateDetectsByIdsV2's body description lists these `status` values; FalconPy's Detects.update_detects_by_ids docstring lists the same less `closed`.",
  },
];
