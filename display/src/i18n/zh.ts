/**
 * The Chinese catalogue: the wall's default language and the source of truth for which messages exist.
 * Placeholders are `{name}`; the English catalogue must have the same keys and the same placeholders.
 */
export const zh = {
  'app.centre': '城市运行管理服务指挥中心',
  'app.console': '指挥台',
  'app.consolePreview': '指挥台（预览）',

  'clock.world': '世界时间',
  'clock.simulated': '模拟 ×{rate}',

  'mode.label': '模式',
  'mode.peacetime': '平时',
  'mode.typhoon': '防台战时',
  'mode.major_event': '重大活动保障',

  'link.connecting': '连接中',
  'link.live': '实时',
  'link.reconnecting': '重连中',
  'link.stale': '数据已过期 {seconds} 秒',

  'kpi.title': '今日案件',
  'kpi.reported': '上报',
  'kpi.filed': '立案',
  'kpi.closed': '结案',
  'kpi.open': '在办',

  'units.title': '处置力量',
  'units.total': '在册',
  'units.available': '空闲',
  'units.busy': '处置中',
  'units.stale': '失联',

  'feed.title': '实时案件',
  'feed.empty': '暂无案件',

  'legend.cases': '案件类别',
  'legend.units': '队员状态',
  'legend.stale': '定位过期',

  'urgency.normal': '一般',
  'urgency.urgent': '紧急',
  'urgency.critical': '特急',

  'caseStatus.reported': '上报',
  'caseStatus.accepted': '受理',
  'caseStatus.filed': '立案',
  'caseStatus.dispatched': '派遣',
  'caseStatus.in_progress': '处置中',
  'caseStatus.handled': '已处置',
  'caseStatus.verifying': '核查',
  'caseStatus.closed': '结案',
  'caseStatus.rejected': '不予立案',
  'caseStatus.parked': '挂账',

  'unitStatus.available': '空闲',
  'unitStatus.dispatched': '已派遣',
  'unitStatus.en_route': '途中',
  'unitStatus.on_scene': '到场处置',
  'unitStatus.off_duty': '下班',
  'unitStatus.offline': '离线',

  'district.unknown': '未知区域',
  'category.unknown': '未知类别',

  'locale.switch': 'English',
  'error.config': '无法加载配置：{reason}',
} as const;

/** Every message key of the display. */
export type MessageKey = keyof typeof zh;
