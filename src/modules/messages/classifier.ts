import { readFileSync } from 'node:fs';
import { HAN_FEATURE, featureText, featuresOf } from './classifier-features.js';
import type { ClassifierModel, MessageLabel } from './classifier-train.js';

export { trainClassifier, type ClassifierModel, type MessageLabel, type TrainOptions, type TrainingExample } from './classifier-train.js';

/** One feature of the message and how far it moved the score (log-odds; > 0 toward scam, < 0 toward not scam). */
export interface Signal {
  text: string;
  weight: number;
}

export interface MessageClassification {
  label: MessageLabel;
  /** Probability of scam, 0..1, rounded to 3 decimals; 0.5 is the decision threshold. */
  score: number;
  /** Up to 6 features that pushed most toward the label, strongest first. */
  signals: Signal[];
}

const MAX_SIGNALS = 6;

const round = (x: number, digits: number): number => {
  const r = Math.round(x * 10 ** digits) / 10 ** digits;
  return r === 0 ? 0 : r;
};

/**
 * A scam / not-scam classifier for message text: a linear model, so a score is the sum of its features'
 * weights and the largest of them are the explanation.
 */
export class MessageClassifier {
  private readonly weights: Map<string, number>;

  constructor(private readonly model: ClassifierModel) {
    this.weights = new Map(Object.entries(model.weights));
  }

  /** Classifies one message; any string, the empty one included, gets an answer. */
  classify(text: string, options: { region?: string } = {}): MessageClassification {
    const features = featuresOf(text, options.region ?? this.model.region);
    let z = this.model.intercept;
    const contributions: Signal[] = [];
    for (const [key, value] of features) {
      const weight = this.weights.get(key);
      if (weight === undefined) continue;
      z += weight * value;
      // "Written in Chinese" carries the Chinese threshold (an intercept of its own), not evidence either way.
      if (key === HAN_FEATURE) continue;
      contributions.push({ text: featureText(key), weight: weight * value });
    }
    const label: MessageLabel = z >= 0 ? 'scam' : 'not_scam';
    const toward = label === 'scam' ? 1 : -1;
    const signals = contributions
      .filter((c) => c.weight * toward > 0)
      .sort((a, b) => b.weight * toward - a.weight * toward || (a.text < b.text ? -1 : 1))
      .slice(0, MAX_SIGNALS)
      .map((c) => ({ text: c.text, weight: round(c.weight, 2) }))
      .filter((c) => c.weight !== 0);
    return { label, score: round(1 / (1 + Math.exp(-z)), 3), signals };
  }
}

let committed: MessageClassifier | undefined;

/** The model committed beside this file, read once on first use. */
export function committedClassifier(): MessageClassifier {
  committed ??= new MessageClassifier(JSON.parse(readFileSync(new URL('./classifier-model.json', import.meta.url), 'utf8')) as ClassifierModel);
  return committed;
}

/** Classifies a message with the committed model; region (default 'HK') is where its phone numbers are read. */
export function classifyMessage(text: string, options: { region?: string } = {}): MessageClassification {
  return committedClassifier().classify(text, { region: options.region ?? 'HK' });
}
