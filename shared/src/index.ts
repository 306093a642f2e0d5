/** The public surface of @flowscope/shared: import from here, never from its files. */
export {
  epochMs,
  epochMsSchema,
  seqSchema,
  MAX_EPOCH_MS,
  INVALID_TIME_HEADER,
  isShowableTime,
  isoTime,
  type EpochMs,
  type Seq,
} from './model/units.js';
export { brokerKinds, brokerKindSchema, eventOriginSchema, type BrokerKind, type EventOrigin } from './model/broker.js';
export {
  payloadEncodings,
  payloadSchema,
  messageKeySchema,
  type PayloadEncoding,
  type Payload,
  type MessageKey,
} from './model/payload.js';
export {
  correlationKeySchema,
  correlationSchema,
  sameKey,
  type CorrelationKey,
  type Correlation,
} from './model/correlationKey.js';
export { headersSchema, flowEventSchema, parseFlowEvent, headerValue, type FlowEvent } from './model/flowEvent.js';
export {
  sourceStates,
  sourceFailureReasons,
  sourceStatusSchema,
  type SourceState,
  type SourceFailureReason,
  type SourceStatus,
} from './model/sourceStatus.js';
export type { ChannelLag, SourceLag } from './model/sourceLag.js';
export {
  edgeEvidenceKinds,
  topologyNodeSchema,
  topologyEdgeSchema,
  topologySchema,
  topologyHiddenSchema,
  type TopologyHidden,
  serviceNodeId,
  channelNodeId,
  type EdgeEvidence,
  type TopologyNode,
  type TopologyEdge,
  type Topology,
} from './model/topology.js';
export {
  consumerSchema,
  consumersResponseSchema,
  consumerAt,
  consumerKinds,
  LAG_HISTORY_LIMIT,
  type Consumer,
  type ConsumerKind,
  type ConsumersResponse,
  type ConsumerMember,
  type ConsumerChannel,
  type PartitionLag,
} from './model/consumer.js';
export { channelLinkKinds, channelLinkSchema, type ChannelLink, type ChannelLinkKind } from './model/channelLink.js';
export {
  ruleSources,
  correlationRuleSchema,
  defaultCorrelationRules,
  producerHeaders,
  typeHeaders,
  messageIdHeaders,
  causationHeaders,
  globToRegExp,
  type CorrelationRule,
} from './correlation/rules.js';
export {
  extractCorrelation,
  readPath,
  parseTraceparent,
  type ExtractInput,
  type Extracted,
} from './correlation/extract.js';
export {
  RATE_WINDOW_S,
  createTopology,
  observeEvent,
  snapshotTopology,
  withConsumers,
  type TopologyState,
} from './topology/topology.js';
export { withLinks } from './topology/links.js';
export { boundTopology, MAP_BOUND, OTHER_CHANNELS_ID, OTHER_SERVICES_ID, type MapBound } from './topology/bound.js';
export { applyTopologyDelta, diffTopology, topologyDeltaSchema, type TopologyDelta } from './topology/delta.js';
export {
  LIVE_NAMESPACE,
  LIVE_BATCH_MS,
  liveHelloSchema,
  liveEventBatchSchema,
  liveSourcesSchema,
  flowChangeSchema,
  liveServerMessageSchemas,
  subscribeRequestSchema,
  subscribeAckSchema,
  watchFlowRequestSchema,
  type FlowChange,
  type LiveHello,
  type LiveTopology,
  type LiveEventBatch,
  type LiveSources,
  type LiveServerMessages,
  type SubscribeRequest,
  type SubscribeAck,
  type WatchFlowRequest,
  type ServerToClientEvents,
  type ClientToServerEvents,
} from './protocol/live.js';
export {
  healthResponseSchema,
  storeStatusSchema,
  type StoreStatus,
  eventsResponseSchema,
  topologyResponseSchema,
  apiErrorSchema,
  TOKEN_QUERY_PARAM,
  EVENTS_DEFAULT_LIMIT,
  EVENTS_MAX_LIMIT,
  flowsResponseSchema,
  flowResponseSchema,
  catalogResponseSchema,
  entityResponseSchema,
  ENTITY_MAX_EVENTS,
  historyResponseSchema,
  HISTORY_MAX_EVENTS,
  type HistoryResponse,
  type EntityResponse,
  FLOWS_DEFAULT_LIMIT,
  type FlowsResponse,
  type CatalogResponse,
  type HealthResponse,
  type EventsResponse,
  type ApiError,
} from './protocol/api.js';
export {
  flowStatuses,
  anomalyKinds,
  anomalySchema,
  hopSchema,
  flowSummarySchema,
  flowSchema,
  stepOf,
  type FlowStatus,
  type AnomalyKind,
  type Anomaly,
  type Hop,
  type FlowSummary,
  type Flow,
} from './model/flow.js';
export { templateStepSchema, flowTemplateSchema, type TemplateStep, type FlowTemplate } from './model/flowTemplate.js';
export { isDeadLettered, isFailure } from './correlation/anomalies.js';
export {
  defaultCorrelatorOptions,
  createCorrelator,
  correlate,
  tick as tickCorrelator,
  getFlow,
  searchFlows,
  recentFlows,
  judgeFlowOf,
  catalog,
  correlatorStats,
  flowIdOf,
  correlatorFor,
  type CorrelatorOptions,
  type Correlator,
} from './correlation/correlator.js';
export type { EventFacts } from './correlation/slots.js';
export { orderFlow } from './correlation/describe.js';
export { causeRefs } from './correlation/refs.js';
export {
  compileFilter,
  createFilterInput,
  defaultFilterLimits,
  type FilterInput,
  type CompiledFilter,
  type CompileFilterResult,
  type FilterError,
  type FilterLimits,
  type FilterResult,
} from './filter/filter.js';
export { gapReasons, gapSchema, gapsResponseSchema, type GapReason, type Gap, type GapsResponse } from './model/gap.js';
export { percentile } from './correlation/templates.js';
export {
  CATALOG_MAX_TYPES,
  catalogSamples,
  channelEntries,
  channelEntrySchema,
  createChannelCatalog,
  eventTypeEntrySchema,
  observeChannelEvent,
  UNTYPED,
  type ChannelCatalog,
  type ChannelEntry,
  type EventTypeEntry,
} from './catalog/channels.js';
export {
  createSchemaAccumulator,
  inferredSchema,
  jsonTypeOf,
  observeSchema,
  type Drift,
  type InferredSchema,
  type JsonType,
  type SchemaAccumulator,
} from './catalog/schemaInference.js';
export { flowSequence, kindSequence, mapFlowchart, mermaidText } from './export/mermaid.js';
export { asyncApiDocument, asyncApiKey, type AsyncApiInput, type AsyncApiServer } from './export/asyncapi.js';
export {
  CAPTURE_FORMAT,
  CAPTURE_VERSION,
  captureHeaderSchema,
  parseCapture,
  parseCaptureLine,
  toCapture,
  type CaptureHeader,
  type CaptureLineError,
} from './export/ndjson.js';
export {
  annotationInputSchema,
  annotationSchema,
  annotationsResponseSchema,
  annotationTargetSchema,
  type Annotation,
  type AnnotationInput,
  type AnnotationsResponse,
} from './model/annotation.js';
export { fieldRows, htmlDocs, htmlText, markdownDocs, mdText, slug, type DocsInput } from './export/docs.js';
export { tarArchive } from './export/tar.js';
export { flowOtlp, flowTraceId, type OtlpSpan, type OtlpTraceRequest } from './export/otlp.js';
export {
  MAX_BREAKPOINTS,
  breakpointHitSchema,
  breakpointInputSchema,
  breakpointPatchSchema,
  breakpointSchema,
  breakpointsResponseSchema,
  flowConditions,
  type Breakpoint,
  type BreakpointHit,
  type BreakpointInput,
  type BreakpointPatch,
  type BreakpointsResponse,
  type FlowCondition,
} from './model/breakpoint.js';
export {
  consumerIdempotencySchema,
  kindWindowSchema,
  consumerLagSchema,
  orderingStatSchema,
  schemaChangeKinds,
  schemaChangeSchema,
  typeSemanticsSchema,
  deadLetterStatSchema,
  findingKinds,
  findingSchema,
  insightsResponseSchema,
  type ConsumerIdempotency,
  type KindWindow,
  type ConsumerLagStat,
  type OrderingStat,
  type SchemaChange,
  type TypeSemantics,
  type DeadLetterStat,
  type FindingKind,
  type Finding,
  type InsightsResponse,
} from './model/insights.js';
export { createInsights, learnSettledFlow, observeInsights, type InsightsState } from './insights/observe.js';
export { insightsReport, type InsightsInput } from './insights/report.js';
