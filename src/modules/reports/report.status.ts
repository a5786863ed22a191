import type { Label } from './taxonomy.js';

/** Report statuses in plain words for the reporter's status page: no officer names, no internal notes. */
export const REPORT_STATUSES = {
  new: { en: 'Received. It is waiting to be reviewed.', 'zh-Hant': '已收到，正等待審閱。' },
  triaged: { en: 'Reviewed by the anti-scam team.', 'zh-Hant': '反詐騙團隊已審閱。' },
  referred: { en: 'Passed on to the unit or partner who can act on it.', 'zh-Hant': '已轉交可跟進的單位或合作機構。' },
  closed: { en: 'Closed. Thank you: your report helps warn others.', 'zh-Hant': '已結案。感謝你的舉報，有助提醒其他人。' },
} as const satisfies Record<string, Label>;

export type ReportStatus = keyof typeof REPORT_STATUSES;

export function statusText(status: string): Label {
  return REPORT_STATUSES[status as ReportStatus] ?? REPORT_STATUSES.new;
}
