import type { Locale } from '../i18n/translate.ts';

/**
 * The words of the summary page's plan section (issue #17), in both languages, kept beside it as replay keeps its own
 * (`replay-text.ts`). Same rules: `{name}` placeholders, identical keys in both.
 */
const zh = {
  title: '预案执行',
  orders: '指令下达',
  at: '时间',
  change: '变更',
  'change.activated': '启动',
  'change.level_changed': '调级',
  'change.ended': '终止',
  level: '级别',
  actor: '发令',
  reason: '理由',
  actionsOrdered: '下达任务',
  actions: '任务执行',
  action: '任务',
  kind: '类型',
  'kind.round': '巡查',
  'kind.preposition': '前置',
  firstAt: '下达时间',
  lastDue: '时限',
  total: '总数',
  done: '完成',
  doneLate: '其中逾期完成',
  pending: '未到期',
  overdue: '超期未完成',
  problems: '发现问题',
  released: '撤回',
  byDistrict: '分区执行',
  district: '区',
  bySquad: '分队执行（逾期多者在前）',
  squad: '中队',
  supervisions: '督办',
  note: '说明',
  late: '逾期清单',
  item: '事项',
  point: '点位',
  unit: '人员',
  due: '时限',
  doneAt: '完成时间',
  lateBy: '逾期（分钟）',
  open: '未完成',
  none: '无',
};

const en: Record<PlanReportTextKey, string> = {
  title: 'Plan execution',
  orders: 'Orders',
  at: 'Time',
  change: 'Change',
  'change.activated': 'Activated',
  'change.level_changed': 'Level changed',
  'change.ended': 'Ended',
  level: 'Level',
  actor: 'By',
  reason: 'Reason',
  actionsOrdered: 'Actions ordered',
  actions: 'Actions',
  action: 'Action',
  kind: 'Kind',
  'kind.round': 'Round',
  'kind.preposition': 'Pre-position',
  firstAt: 'Ordered',
  lastDue: 'Due',
  total: 'Total',
  done: 'Done',
  doneLate: 'of which late',
  pending: 'Not yet due',
  overdue: 'Overdue',
  problems: 'Problems',
  released: 'Released',
  byDistrict: 'By district',
  district: 'District',
  bySquad: 'By squad (most late first)',
  squad: 'Squad',
  supervisions: 'Supervision (督办)',
  note: 'Note',
  late: 'Late items',
  item: 'Item',
  point: 'Point',
  unit: 'Unit',
  due: 'Due',
  doneAt: 'Done at',
  lateBy: 'Late (min)',
  open: 'Not done',
  none: 'None',
};

export type PlanReportTextKey = keyof typeof zh;

export function planReportText(
  locale: Locale,
  key: PlanReportTextKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  const text = (locale === 'zh' ? zh : en)[key];
  return params
    ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
    : text;
}
