/** The side panel of the trace page: the selected span's details, events, links, resource and logs. */
import type { LogRecord, Span, TraceDetail } from '../api/client.js';
import {
  formatDuration,
  formatTime,
  formatValue,
  severityName,
  spanKindName,
} from '../format/format.js';
import { type Query, withParams } from '../router/url-state.js';
import { AttributesTable } from './attributes-table.js';
import { Link } from './link.js';
import { ServiceChip } from './status.js';

export const PANEL_TABS = ['attributes', 'events', 'links', 'resource', 'logs'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

export interface SpanPanelProps {
  trace: TraceDetail;
  span: Span;
  traceStartMs: number;
  tab: PanelTab;
  query: Query;
  onCriticalPath: boolean;
}

export function SpanPanel({
  trace,
  span,
  traceStartMs,
  tab,
  query,
  onCriticalPath,
}: SpanPanelProps) {
  const resource = trace.resources[span.resourceIndex];
  const spanLogs = trace.logs.filter((l) => l.spanId === span.spanId);
  const counts: Record<PanelTab, number> = {
    attributes: Object.keys(span.attributes).length,
    events: span.events.length,
    links: span.links.length,
    resource: resource ? Object.keys(resource.attributes).length : 0,
    logs: spanLogs.length,
  };
  const isError = span.status.code === 2;
  return (
    <aside class={`span-panel ${isError ? 'error' : ''}`} aria-label="span details">
      <h2 class="span-title">{span.name}</h2>
      <div class="span-meta">
        <ServiceChip name={span.service} />
        <span>{spanKindName(span.kind)}</span>
        <span>{formatDuration(span.durationMs)}</span>
        <span class="muted">at +{formatDuration(span.startMs - traceStartMs)}</span>
        {onCriticalPath ? <span class="badge cp">critical path</span> : null}
      </div>
      {isError ? (
        <div class="error-box status-error" role="status">
          Error{span.status.message ? `: ${span.status.message}` : ''}
        </div>
      ) : span.status.code === 1 ? (
        <div class="muted">status OK</div>
      ) : null}
      <dl class="ids">
        <dt>span</dt>
        <dd>{span.spanId}</dd>
        <dt>parent</dt>
        <dd>{span.parentSpanId || '(root)'}</dd>
        <dt>scope</dt>
        <dd>{`${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ''}`}</dd>
      </dl>
      <div class="tabs" role="tablist">
        {PANEL_TABS.map((t) => (
          <Link
            key={t}
            replace
            to={{
              page: 'trace',
              id: trace.traceId,
              query: withParams(query, { tab: t === 'attributes' ? undefined : t }),
            }}
            class={`tab ${t === tab ? 'active' : ''}`}
          >
            {`${t} (${counts[t]})`}
          </Link>
        ))}
      </div>
      <div class="tab-body">
        {tab === 'attributes' ? (
          <>
            <AttributesTable attributes={span.attributes} />
            {span.droppedAttributesCount > 0 ? (
              <p class="muted">{span.droppedAttributesCount} attributes dropped by the SDK</p>
            ) : null}
          </>
        ) : null}
        {tab === 'events' ? (
          span.events.length === 0 ? (
            <p class="muted">no events</p>
          ) : (
            <ol class="events">
              {span.events.map((event, i) => (
                <li key={i} class={event.name === 'exception' ? 'error' : ''}>
                  <div>
                    <strong>{event.name}</strong>{' '}
                    <span class="muted">+{formatDuration(event.timeMs - span.startMs)}</span>
                  </div>
                  <AttributesTable attributes={event.attributes} empty="" />
                </li>
              ))}
            </ol>
          )
        ) : null}
        {tab === 'links' ? (
          span.links.length === 0 ? (
            <p class="muted">no links</p>
          ) : (
            <ul class="links">
              {span.links.map((link, i) => (
                <li key={i}>
                  <Link
                    to={{ page: 'trace', id: link.traceId, query: { span: [link.spanId] } }}
                    class="span-link"
                  >
                    {`trace ${link.traceId.slice(0, 12)}… span ${link.spanId}`}
                  </Link>
                  <AttributesTable attributes={link.attributes} empty="" />
                </li>
              ))}
            </ul>
          )
        ) : null}
        {tab === 'resource' ? (
          resource ? (
            <AttributesTable attributes={resource.attributes} />
          ) : (
            <p class="muted">no resource</p>
          )
        ) : null}
        {tab === 'logs' ? (
          <LogList logs={spanLogs} all={trace.logs} traceId={trace.traceId} />
        ) : null}
      </div>
    </aside>
  );
}

function LogList({ logs, all, traceId }: { logs: LogRecord[]; all: LogRecord[]; traceId: string }) {
  return (
    <div>
      {logs.length === 0 ? <p class="muted">no log records for this span</p> : null}
      <ul class="log-lines">
        {logs.map((log, i) => (
          <li key={i} class={`sev-${severityClass(log.severityNumber)}`}>
            <span class="muted">{formatTime(log.timeMs)}</span>{' '}
            <span class="sev">{severityName(log.severityNumber, log.severityText)}</span>{' '}
            {formatValue(log.body)}
          </li>
        ))}
      </ul>
      <p>
        <Link
          to={{ page: 'logs', query: { traceId: [traceId] } }}
        >{`All ${all.length} log records of this trace`}</Link>
      </p>
    </div>
  );
}

export function severityClass(severityNumber: number): string {
  if (severityNumber >= 17) return 'error';
  if (severityNumber >= 13) return 'warn';
  if (severityNumber >= 9) return 'info';
  return 'debug';
}
