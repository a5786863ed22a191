import type { Label } from './taxonomy.js';

/** Report statuses in plain words for the reporter's status page: no officer names, no internal notes. */
export const REPORT_STATUSES = {
  new: { en: 'Received. It is waiting to be reviewed.', 'zh-Hant': '已收到，正等待審閱。' },
  triaged: { en: 'Reviewed by the anti-scam team.', 'zh-Hant': '反詐騙團隊已審閱。' },
  referred: { en: 'Passed on to the unit or partner who can act on it.', 'zh-Hant': '已轉交可跟進的單位或合作機構。' },
  closed: { en: 'Closed. Thank you: your report helps warn others.', 'zh-Hant': '已結案。感謝你的舉報，有助提醒其他人。' },
} as const satisfies Record<string, Label>;

export type ReportStatus = keyof typeof REPORT_STATUSES;

/** How a closed report ended, as the reporter reads it. */
export const REPORT_OUTCOMES = {
  action_taken: { en: 'Closed: action was taken on what you reported. Thank you.', 'zh-Hant': '已結案：已就你舉報的內容採取行動。感謝你的舉報。' },
  no_further_action: {
    en: 'Closed: no further action could be taken, but your report adds to the evidence that warns others. Thank you.',
    'zh-Hant': '已結案：暫未能採取進一步行動，但你的舉報已成為提醒其他人的證據。感謝你的舉報。',
  },
  duplicate: { en: 'Closed: it repeats a report already received, which is being handled. Thank you.', 'zh-Hant': '已結案：內容與已收到並正在處理的舉報相同。感謝你的舉報。' },
  not_a_scam: { en: 'Closed: on review it did not appear to be a scam. Thank you for reporting.', 'zh-Hant': '已結案：經審閱後未發現屬於騙案。感謝你的舉報。' },
} as const satisfies Record<string, Label>;

export function statusText(status: string, outcome: string | null = null): Label {
  if (status === 'closed' && outcome !== null && outcome in REPORT_OUTCOMES) return REPORT_OUTCOMES[outcome as keyof typeof REPORT_OUTCOMES];
  return REPORT_STATUSES[status as ReportStatus] ?? REPORT_STATUSES.new;
}
