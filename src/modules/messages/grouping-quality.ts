/**
 * How well a grouping of messages matches known campaigns. Messages whose true campaign is null are each a
 * campaign of one: grouping two of them together, or one with a campaign, counts against precision.
 */

export interface GroupingQuality {
  /** Of the pairs of messages placed in one group, the share that are of one true campaign (1 when no pair is grouped). */
  pairwisePrecision: number;
  /** Of the pairs of messages of one true campaign, the share placed in one group (1 when there is no such pair). */
  pairwiseRecall: number;
  /** B-cubed: for each message, the share of its group that is of its campaign, averaged over messages. */
  bcubedPrecision: number;
  /** B-cubed: for each message, the share of its campaign that is in its group, averaged over messages. */
  bcubedRecall: number;
  /** Groups found, singletons included. */
  groups: number;
  /** True campaigns (not counting null messages) and null messages. */
  trueCampaigns: number;
  nullMessages: number;
  /** Groups that hold more than one true campaign (or null messages), most wrongly grouped pairs first. */
  merges: { group: string; wrongPairs: number; parts: { campaign: string | null; ids: string[] }[] }[];
  /** True campaigns spread over more than one group, most missed pairs first. */
  splits: { campaign: string; missedPairs: number; parts: { group: string; ids: string[] }[] }[];
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * Compares a grouping (id → group) with the truth (id → campaign, or null for a message of no campaign).
 * Every id of the truth must be grouped.
 */
export function groupingQuality(truth: ReadonlyMap<string, string | null>, grouping: ReadonlyMap<string, string>): GroupingQuality {
  // Each null message is its own true campaign, under a key no campaign name can take.
  const label = (id: string): string => truth.get(id) ?? `\u0000${id}`;
  const byGroup = new Map<string, Map<string, string[]>>();
  const groupSize = new Map<string, number>();
  const campaignSize = new Map<string, number>();
  for (const id of truth.keys()) {
    const group = grouping.get(id);
    if (group === undefined) throw new RangeError(`message ${id} is not grouped`);
    const cells = byGroup.get(group) ?? new Map<string, string[]>();
    byGroup.set(group, cells);
    const cell = cells.get(label(id)) ?? [];
    cells.set(label(id), cell);
    cell.push(id);
    groupSize.set(group, (groupSize.get(group) ?? 0) + 1);
    campaignSize.set(label(id), (campaignSize.get(label(id)) ?? 0) + 1);
  }
  let together = 0;
  let grouped = 0;
  let same = 0;
  let bp = 0;
  let br = 0;
  for (const [group, cells] of byGroup) {
    const size = groupSize.get(group)!;
    grouped += pairs(size);
    for (const [campaign, ids] of cells) {
      together += pairs(ids.length);
      // Every message of this cell has the same B-cubed precision and recall.
      bp += (ids.length * ids.length) / size;
      br += (ids.length * ids.length) / campaignSize.get(campaign)!;
    }
  }
  for (const n of campaignSize.values()) same += pairs(n);
  const n = truth.size;
  const unlabel = (key: string): string | null => (key.startsWith('\u0000') ? null : key);

  const merges = [...byGroup]
    .filter(([, cells]) => cells.size > 1)
    .map(([group, cells]) => {
      const sizes = [...cells.values()].map((ids) => ids.length);
      const wrongPairs = pairs(groupSize.get(group)!) - sizes.reduce((s, k) => s + pairs(k), 0);
      return { group, wrongPairs, parts: [...cells].map(([c, ids]) => ({ campaign: unlabel(c), ids })) };
    })
    .sort((a, b) => b.wrongPairs - a.wrongPairs || a.group.localeCompare(b.group));

  const byCampaign = new Map<string, Map<string, string[]>>();
  for (const [group, cells] of byGroup) {
    for (const [campaign, ids] of cells) {
      if (campaign.startsWith('\u0000')) continue;
      const parts = byCampaign.get(campaign) ?? new Map<string, string[]>();
      byCampaign.set(campaign, parts);
      parts.set(group, ids);
    }
  }
  const splits = [...byCampaign]
    .filter(([, parts]) => parts.size > 1)
    .map(([campaign, parts]) => {
      const sizes = [...parts.values()].map((ids) => ids.length);
      const missedPairs = pairs(campaignSize.get(campaign)!) - sizes.reduce((s, k) => s + pairs(k), 0);
      return { campaign, missedPairs, parts: [...parts].map(([group, ids]) => ({ group, ids })).sort((a, b) => b.ids.length - a.ids.length) };
    })
    .sort((a, b) => b.missedPairs - a.missedPairs || a.campaign.localeCompare(b.campaign));

  const nullMessages = [...truth.values()].filter((c) => c === null).length;
  return {
    pairwisePrecision: grouped === 0 ? 1 : together / grouped,
    pairwiseRecall: same === 0 ? 1 : together / same,
    bcubedPrecision: n === 0 ? 1 : bp / n,
    bcubedRecall: n === 0 ? 1 : br / n,
    groups: byGroup.size,
    trueCampaigns: campaignSize.size - nullMessages,
    nullMessages,
    merges,
    splits,
  };
}
