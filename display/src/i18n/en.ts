import type { MessageKey } from './zh.ts';

/** The English catalogue: same keys and placeholders as `zh.ts` (checked by the compiler and by a test). */
export const en: Record<MessageKey, string> = {
  'app.centre': 'City Operations Command Centre',
  'app.console': 'Console',
  'app.consolePreview': 'Console (preview)',

  'clock.world': 'World time',
  'clock.simulated': 'Simulated ×{rate}',

  'mode.label': 'Mode',
  'mode.peacetime': 'Peacetime',
  'mode.typhoon': 'Typhoon response',
  'mode.major_event': 'Major event',

  'link.connecting': 'Connecting',
  'link.live': 'Live',
  'link.reconnecting': 'Reconnecting',
  'link.stale': 'Data stale for {seconds} s',

  'kpi.title': 'Cases today',
  'kpi.reported': 'Reported',
  'kpi.filed': 'Filed',
  'kpi.closed': 'Closed',
  'kpi.open': 'Open',

  'units.title': 'Field units',
  'units.total': 'Registered',
  'units.available': 'Available',
  'units.busy': 'On task',
  'units.stale': 'No fix',

  'feed.title': 'Live cases',
  'feed.empty': 'No cases yet',

  'legend.cases': 'Case categories',
  'legend.units': 'Unit status',
  'legend.stale': 'Position stale',

  'urgency.normal': 'Normal',
  'urgency.urgent': 'Urgent',
  'urgency.critical': 'Critical',

  'caseStatus.reported': 'Reported',
  'caseStatus.accepted': 'Accepted',
  'caseStatus.filed': 'Filed',
  'caseStatus.dispatched': 'Dispatched',
  'caseStatus.in_progress': 'In progress',
  'caseStatus.handled': 'Handled',
  'caseStatus.verifying': 'Verifying',
  'caseStatus.closed': 'Closed',
  'caseStatus.rejected': 'Rejected',
  'caseStatus.parked': 'Parked',

  'unitStatus.available': 'Available',
  'unitStatus.dispatched': 'Dispatched',
  'unitStatus.en_route': 'En route',
  'unitStatus.on_scene': 'On scene',
  'unitStatus.off_duty': 'Off duty',
  'unitStatus.offline': 'Offline',

  'district.unknown': 'Unknown district',
  'category.unknown': 'Unknown category',

  'locale.switch': '中文',
  'error.config': 'Cannot load the configuration: {reason}',
};
