/**
 * Body fields that are truly required, reviewed by hand. The spec's `required` lists on request
 * bodies over-state (they come from Go models whose generator marks a property required when the
 * upstream spec does; see spec/README of the upstream reconstruction): of 436 object bodies, 381
 * declare required fields (1,019 of 1,680 fields) and 117 mark every property required, while
 * FalconPy's own documented calls omit many of them (RTR_InitSession's `origin` and
 * `queue_offline`; RTR_ExecuteCommand's `id`, `persist` and `device_id`).
 *
 * Rule: in the keyword form (the form users write) a body field is required only when it is
 * listed here; every other body field is optional. The `body:` form checks keys and value types
 * and requires the same listed fields. Each entry gives its evidence; an ID or a field the spec
 * does not have is a warning at generation time (codegen/hand-data.ts).
 */

export interface RequiredBodyFields {
  readonly fields: readonly string[];
  readonly evidence: string;
}

export const REQUIRED_BODY_FIELDS: Readonly<Record<string, RequiredBodyFields>> = {
  PerformActionV2: {
    fields: ["ids"],
    evidence:
      "The hosts the action applies to; FalconPy samples/hosts/quarantine_hosts_new.py calls perform_action(ids=..., action_name=...) and samples/hosts/stale_sensors.py body={'ids': ...}; the spec requires it.",
  },
  performContentUpdatePoliciesAction: {
    fields: ["ids"],
    evidence:
      "The policies acted on; FalconPy tests/test_content_update_policies.py calls perform_action(ids=..., action_parameters=...); the spec requires it.",
  },
  PatchEntitiesAlertsV3: {
    fields: ["composite_ids"],
    evidence:
      "The alerts to update; FalconPy samples/alerts/alert_manager.py calls update_alerts_v3(composite_ids=[...], update_status=...); the spec requires it.",
  },
  UpdateDetectsByIdsV2: {
    fields: ["ids"],
    evidence:
      "The detections to update; every call in FalconPy samples/detects/detects_advisor.py passes ids (status, show_in_ui or assigned_to_uuid vary); an update without targets changes nothing.",
  },
  RTR_InitSession: {
    fields: ["device_id"],
    evidence:
      "FalconPy samples/rtr/streaming_download_service.py calls init_session(device_id=...) alone and samples/rtr/get_host_uptime.py adds only queue_offline: `origin` and `queue_offline` are optional although the spec requires them.",
  },
  RTR_ExecuteCommand: {
    fields: ["base_command", "command_string", "session_id"],
    evidence:
      "Same request model as RTR_ExecuteActiveResponderCommand, which FalconPy samples/rtr/streaming_download_service.py calls with base_command, session_id and command_string only (`id`, `persist`, `device_id` omitted).",
  },
  RTR_ExecuteActiveResponderCommand: {
    fields: ["base_command", "command_string", "session_id"],
    evidence:
      "FalconPy samples/rtr/streaming_download_service.py calls execute_active_responder_command(base_command=, session_id=, command_string=) without `id`, `persist` or `device_id`.",
  },
  RTR_ExecuteAdminCommand: {
    fields: ["base_command", "command_string", "session_id"],
    evidence:
      "FalconPy samples/rtr/get_host_uptime.py calls execute_admin_command(device_id=, session_id=, base_command=, command_string=) without `id` or `persist`; the responder sample omits device_id too.",
  },
  BatchInitSessions: {
    fields: ["host_ids"],
    evidence:
      "FalconPy samples/rtr/bulk_execute.py and get_file_from_hosts.py call batch_init_sessions(host_ids=...) alone: `existing_batch_id` and `queue_offline` are optional although the spec requires them.",
  },
  BatchAdminCmd: {
    fields: ["base_command", "batch_id", "command_string"],
    evidence:
      "FalconPy samples/rtr/bulk_execute.py and queued_execute.py call batch_admin_command(base_command=, batch_id=, command_string=, timeout_duration=) without `optional_hosts` or `persist_all`.",
  },
  BatchActiveResponderCmd: {
    fields: ["base_command", "batch_id", "command_string"],
    evidence:
      "Same request model (domain.BatchExecuteCommandRequest) as BatchAdminCmd, whose FalconPy sample calls omit `optional_hosts` and `persist_all`.",
  },
  BatchCmd: {
    fields: ["base_command", "batch_id", "command_string"],
    evidence:
      "Same request model (domain.BatchExecuteCommandRequest) as BatchAdminCmd, whose FalconPy sample calls omit `optional_hosts` and `persist_all`.",
  },
};

/** The reviewed required body fields of an operation (none unless listed). */
export function requiredBodyFields(operationId: string): readonly string[] {
  return Object.hasOwn(REQUIRED_BODY_FIELDS, operationId) ? REQUIRED_BODY_FIELDS[operationId]!.fields : [];
}
