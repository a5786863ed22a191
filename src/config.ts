import { isSupportedRegion } from './modules/indicators/phone.js';

/** Runtime configuration, parsed once from the environment, validated and frozen. */
export interface Config {
  /** Region for numbers written without a country code (SCAMGRAPH_REGION, default HK). */
  defaultRegion: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The only reader of process.env. Bad values stop the process with a message that names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const defaultRegion = (env.SCAMGRAPH_REGION ?? 'HK').toUpperCase();
  if (!isSupportedRegion(defaultRegion)) {
    throw new ConfigError(`SCAMGRAPH_REGION=${env.SCAMGRAPH_REGION} is not a supported two-letter region code (e.g. HK, US).`);
  }
  return Object.freeze({ defaultRegion });
}
