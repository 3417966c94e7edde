/**
 * Types of the events the Streaming API sends. The spec has no event schema: the payloads below
 * are built from public field mappings of Falcon SIEM integrations (Elastic's `crowdstrike`
 * integration field reference for the Falcon/Event Stream dataset, Sumo Logic's CrowdStrike Falcon
 * Endpoint Protection sample events, Exabeam's CrowdStrike parsers), as reference only. Every
 * field is optional and each payload keeps an index signature: Falcon adds fields over time, and
 * nothing is validated at run time.
 */

/** The envelope every event carries (`metadata`). */
export interface StreamEventMetadata<T extends string = string> {
  /** The customer ID (CID) the event belongs to. */
  readonly customerIDString: string;
  /** Position of the event in its partition: increasing, possibly with gaps. */
  readonly offset: number;
  readonly eventType: T;
  /** When the event was created, milliseconds since the epoch. */
  readonly eventCreationTime: number;
  /** Schema version of the event, e.g. "1.0". */
  readonly version: string;
}

/** A name/value pair of an audit event (`AuditKeyValues`). */
export interface AuditKeyValue {
  readonly Key?: string;
  readonly ValueString?: string;
  readonly [field: string]: unknown;
}

/** Fields that detection events share. */
interface DetectionFields {
  readonly ProcessStartTime?: number;
  readonly ProcessEndTime?: number;
  readonly ProcessId?: number;
  readonly ParentProcessId?: number;
  readonly ComputerName?: string;
  readonly UserName?: string;
  readonly Severity?: number;
  readonly SeverityName?: string;
  readonly FileName?: string;
  readonly FilePath?: string;
  readonly CommandLine?: string;
  readonly SHA256String?: string;
  readonly MD5String?: string;
  readonly SHA1String?: string;
  readonly MachineDomain?: string;
  readonly FalconHostLink?: string;
  readonly SensorId?: string;
  readonly LocalIP?: string;
  readonly MACAddress?: string;
  readonly Tactic?: string;
  readonly Technique?: string;
  readonly Objective?: string;
  readonly PatternDispositionDescription?: string;
  readonly PatternDispositionValue?: number;
  readonly PatternDispositionFlags?: Readonly<Record<string, boolean>>;
  readonly ParentImageFileName?: string;
  readonly ParentCommandLine?: string;
  readonly GrandparentImageFileName?: string;
  readonly GrandparentCommandLine?: string;
  readonly IOCType?: string;
  readonly IOCValue?: string;
}

/** `DetectionSummaryEvent`: the legacy endpoint detection summary. */
export interface DetectionSummaryEventPayload extends DetectionFields {
  readonly DetectId?: string;
  readonly DetectName?: string;
  readonly DetectDescription?: string;
  readonly [field: string]: unknown;
}

/** `EppDetectionSummaryEvent`: the endpoint (EPP) detection summary that replaced DetectionSummaryEvent. */
export interface EppDetectionSummaryEventPayload extends DetectionFields {
  readonly CompositeId?: string;
  readonly AgentId?: string;
  readonly AggregateId?: string;
  readonly Name?: string;
  readonly Description?: string;
  readonly Hostname?: string;
  readonly LogonDomain?: string;
  readonly LocalIPv6?: string;
  readonly [field: string]: unknown;
}

/** `IncidentSummaryEvent`: a CrowdScore incident opened, updated or closed. */
export interface IncidentSummaryEventPayload {
  readonly IncidentID?: string;
  readonly HostID?: string;
  readonly IncidentStartTime?: number;
  readonly IncidentEndTime?: number;
  readonly FineScore?: number;
  readonly LateralMovement?: number;
  /** "open" or "closed". */
  readonly State?: string;
  readonly IncidentType?: string;
  readonly FalconHostLink?: string;
  readonly [field: string]: unknown;
}

/** Fields of the console audit events (`AuthActivityAuditEvent`, `UserActivityAuditEvent`). */
interface AuditFields {
  readonly UserId?: string;
  readonly UserIp?: string;
  readonly OperationName?: string;
  readonly ServiceName?: string;
  readonly Success?: boolean;
  /** Seconds or milliseconds since the epoch, depending on the event's age. */
  readonly UTCTimestamp?: number;
  readonly AuditKeyValues?: readonly AuditKeyValue[];
}

/** `AuthActivityAuditEvent`: sign-ins, API client and secret changes. */
export interface AuthActivityAuditEventPayload extends AuditFields {
  readonly [field: string]: unknown;
}

/** `UserActivityAuditEvent`: console and API changes (policies, groups, detection status...). */
export interface UserActivityAuditEventPayload extends AuditFields {
  readonly [field: string]: unknown;
}

/** `RemoteResponseSessionStartEvent` / `RemoteResponseSessionEndEvent`. */
export interface RemoteResponseSessionEventPayload {
  readonly SessionId?: string;
  readonly HostnameField?: string;
  readonly UserName?: string;
  readonly StartTimestamp?: number;
  readonly EndTimestamp?: number;
  readonly AgentIdString?: string;
  readonly Commands?: readonly string[];
  readonly [field: string]: unknown;
}

/** `CustomerIOCEvent`: a custom indicator of compromise matched on a host. */
export interface CustomerIOCEventPayload {
  readonly IOCType?: string;
  readonly IOCValue?: string;
  readonly ComputerName?: string;
  readonly DeviceId?: string;
  readonly AgentIdString?: string;
  readonly FileName?: string;
  readonly FilePath?: string;
  readonly CommandLine?: string;
  readonly UserName?: string;
  readonly ProcessStartTime?: number;
  readonly [field: string]: unknown;
}

/** `FirewallMatchEvent`: a firewall rule matched. */
export interface FirewallMatchEventPayload {
  readonly RuleId?: string;
  readonly RuleName?: string;
  readonly RuleAction?: string;
  readonly RuleDescription?: string;
  readonly RuleFamilyID?: string;
  readonly RuleGroupName?: string;
  readonly PolicyID?: string;
  readonly PolicyName?: string;
  readonly DeviceId?: string;
  readonly HostName?: string;
  readonly Ipv?: string;
  readonly Protocol?: string;
  readonly ConnectionDirection?: string;
  readonly LocalAddress?: string;
  readonly LocalPort?: number;
  readonly RemoteAddress?: string;
  readonly RemotePort?: number;
  readonly ICMPCode?: string;
  readonly ICMPType?: string;
  readonly ImageFileName?: string;
  readonly CommandLine?: string;
  readonly MatchCount?: number;
  readonly MatchCountSinceLastReport?: number;
  readonly NetworkProfile?: string;
  readonly Status?: string;
  readonly Timestamp?: number;
  readonly TreeID?: string;
  readonly PID?: number;
  readonly Flags?: Readonly<Record<string, boolean>>;
  readonly [field: string]: unknown;
}

/** `IdentityProtectionEvent`: an Identity Protection incident. */
export interface IdentityProtectionEventPayload {
  readonly IdentityProtectionIncidentId?: string;
  readonly IncidentType?: string;
  readonly IncidentDescription?: string;
  readonly Severity?: number;
  readonly SeverityName?: string;
  readonly State?: string;
  readonly StartTime?: number;
  readonly EndTime?: number;
  readonly UserName?: string;
  readonly EndpointName?: string;
  readonly EndpointIp?: string;
  readonly NumbersOfAlerts?: number;
  readonly NumberOfCompromisedEntities?: number;
  readonly FalconHostLink?: string;
  readonly [field: string]: unknown;
}

/** `ReconNotificationSummaryEvent`: a Falcon Intelligence Recon rule notification. */
export interface ReconNotificationSummaryEventPayload {
  readonly RuleId?: string;
  readonly RuleName?: string;
  readonly RuleTopic?: string;
  readonly RulePriority?: string;
  readonly ItemId?: string;
  readonly ItemType?: string;
  readonly ItemDate?: number;
  readonly Highlights?: readonly string[];
  readonly [field: string]: unknown;
}

/** eventType -> payload interface, for the event types the SDK types. */
export interface StreamEventPayloads {
  DetectionSummaryEvent: DetectionSummaryEventPayload;
  EppDetectionSummaryEvent: EppDetectionSummaryEventPayload;
  IncidentSummaryEvent: IncidentSummaryEventPayload;
  AuthActivityAuditEvent: AuthActivityAuditEventPayload;
  UserActivityAuditEvent: UserActivityAuditEventPayload;
  RemoteResponseSessionStartEvent: RemoteResponseSessionEventPayload;
  RemoteResponseSessionEndEvent: RemoteResponseSessionEventPayload;
  CustomerIOCEvent: CustomerIOCEventPayload;
  FirewallMatchEvent: FirewallMatchEventPayload;
  IdentityProtectionEvent: IdentityProtectionEventPayload;
  ReconNotificationSummaryEvent: ReconNotificationSummaryEventPayload;
}

export type KnownEventType = keyof StreamEventPayloads;

/**
 * The payload of an event type the SDK does not type: any field, with the typed fields' types
 * (so that narrowing a StreamEvent by `eventType` to a known type keeps its field types).
 */
export type OtherEventPayload = DetectionSummaryEventPayload &
  EppDetectionSummaryEventPayload &
  IncidentSummaryEventPayload &
  AuthActivityAuditEventPayload &
  RemoteResponseSessionEventPayload &
  CustomerIOCEventPayload &
  FirewallMatchEventPayload &
  IdentityProtectionEventPayload &
  ReconNotificationSummaryEventPayload;

/** One event as the reader yields it. */
export interface StreamEventOf<T extends string, P> {
  /** The partition it came from (from the feed URL). */
  readonly partition: number;
  /**
   * `metadata.eventType`, repeated at the top level: TypeScript narrows a union only by a
   * property of the object itself, so `switch (e.eventType)` types `e.event` (and
   * `e.metadata.eventType`) per event type.
   */
  readonly eventType: T;
  readonly metadata: StreamEventMetadata<T>;
  readonly event: P;
}

export type KnownStreamEvent = { [K in KnownEventType]: StreamEventOf<K, StreamEventPayloads[K]> }[KnownEventType];
/** An event of a type the SDK does not type (untyped fallback). */
export type OtherStreamEvent = StreamEventOf<string, OtherEventPayload>;
export type StreamEvent = KnownStreamEvent | OtherStreamEvent;
