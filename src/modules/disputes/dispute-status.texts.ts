import type { Label } from '../reports/taxonomy.js';
import type { DisputeRequest, DisputeStatus } from './disputes.types.js';

/** Each outcome in plain words, for the person who asked: what happened to the flag, never who reported it. */
const TEXTS: Record<DisputeRequest, Record<DisputeStatus, Label>> = {
  dispute: {
    open: { en: 'Received. An officer will review your dispute.', 'zh-Hant': '已收到。人員將審閱你的申訴。' },
    upheld: { en: 'Reviewed: the warning stays. The evidence still points to a scam.', 'zh-Hant': '已審閱：警示維持不變，證據仍顯示與騙案有關。' },
    cleared: { en: 'Reviewed: the warning has been removed. Checks of this value no longer flag it.', 'zh-Hant': '已審閱：警示已撤銷，查證此項目不會再顯示警示。' },
    verified: { en: 'Reviewed: it is now shown as verified.', 'zh-Hant': '已審閱：現已顯示為已核實。' },
    rejected: { en: 'Reviewed: the request was not accepted.', 'zh-Hant': '已審閱：申請未獲接納。' },
  },
  verify: {
    open: { en: 'Received. An officer will review your request to be verified.', 'zh-Hant': '已收到。人員將審閱你的核實申請。' },
    upheld: { en: 'Reviewed: the warning stays.', 'zh-Hant': '已審閱：警示維持不變。' },
    cleared: { en: 'Reviewed: the warning has been removed.', 'zh-Hant': '已審閱：警示已撤銷。' },
    verified: { en: 'Verified: checks now show it as belonging to your organisation, and look-alikes are flagged.', 'zh-Hant': '已核實：查證時會顯示屬於你的機構，仿冒項目亦會被標示。' },
    rejected: { en: 'Reviewed: it could not be verified. The reason is below.', 'zh-Hant': '已審閱：未能核實，原因見下。' },
  },
};

/** The outcome text of a dispute's status. */
export function disputeStatusText(request: DisputeRequest, status: DisputeStatus): Label {
  return TEXTS[request][status];
}
